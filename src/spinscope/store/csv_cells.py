"""CSV cells that a spreadsheet will not run: the one guard every CSV the store writes goes
through (``exports.copy_to``: the ``csv`` and ``failures`` exports).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` in an article's title would
be a live link, ``=cmd|...`` worse). Article text, titles, outlets, labels and failure reasons
come from the input, so such a string cell gets a single quote in front (OWASP's advice: the
spreadsheet shows the text, and the quote, as text). Only string columns are guarded: numbers,
offsets, confidences and timestamps that our own code writes stay numbers, negative ones
included.
"""

from __future__ import annotations

from typing import Any

# the first characters that make a spreadsheet cell a formula (OWASP "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_STARTS_SQL = ", ".join(f"chr({ord(c)})" for c in FORMULA_STARTS)


def guarded_cell(column: str) -> str:
    """SQL for ``column`` (a quoted name) with a ``'`` in front when it starts like a formula;
    NULL stays NULL."""
    return f"CASE WHEN left({column}, 1) IN ({_STARTS_SQL}) THEN '''' || {column} ELSE {column} END"


def guarded_select(con: Any, select: str) -> str:
    """``select`` with each of its string columns guarded (``guarded_cell``), in the same
    column order and under the same names; the other columns as they are.

    Args:
        con: A DuckDB connection that can run ``select``.
        select: The query whose rows the CSV holds (its ``ORDER BY`` is kept).
    """
    columns = con.execute(f"DESCRIBE {select}").fetchall()
    parts = []
    for name, kind, *_ in columns:
        quoted = '"' + str(name).replace('"', '""') + '"'
        parts.append(f"{guarded_cell(quoted)} AS {quoted}" if kind == "VARCHAR" else quoted)
    return f"SELECT {', '.join(parts)} FROM ({select}) AS unguarded"
