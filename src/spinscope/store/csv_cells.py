"""CSV cells that a spreadsheet will not run: the one guard every CSV the store writes goes
through (``exports.copy_to``: the ``csv`` and ``failures`` exports, in SQL; ``csv_line``: the
rows `spinscope stats --csv` prints, in Python, by the same rules).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` in an article's title would
be a live link, ``=cmd|...`` worse). Article text, titles, outlets, labels and failure reasons
come from the input, so such a string cell gets a single quote in front (OWASP's advice: the
spreadsheet shows the text, and the quote, as text), and every string cell is wrapped in double
quotes (OWASP's too: a separator inside a bare cell cannot start a new one). Only string columns
are guarded: numbers, offsets, confidences and timestamps that our own code writes stay
numbers, negative ones included.
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


def _columns(con: Any, select: str) -> list[tuple[str, bool]]:
    """Each column of ``select``: its name quoted for SQL, and whether it holds strings."""
    return [
        ('"' + str(name).replace('"', '""') + '"', kind == "VARCHAR")
        for name, kind, *_ in con.execute(f"DESCRIBE {select}").fetchall()
    ]


def guarded_select(con: Any, select: str) -> str:
    """``select`` with each of its string columns guarded (``guarded_cell``), in the same
    column order and under the same names; the other columns as they are.

    Args:
        con: A DuckDB connection that can run ``select``.
        select: The query whose rows the CSV holds (its ``ORDER BY`` is kept).
    """
    parts = [
        f"{guarded_cell(name)} AS {name}" if text else name for name, text in _columns(con, select)
    ]
    return f"SELECT {', '.join(parts)} FROM ({select}) AS unguarded"


def quote_strings(con: Any, select: str) -> str:
    """The ``COPY`` option that wraps every string cell of ``select`` in double quotes (OWASP's
    third part: a bare cell "a;@SUM(A1)" is split at the ';' by a spreadsheet whose list
    separator that is, and the second half read as a formula); numbers stay bare, NULL empty."""
    names = [name for name, text in _columns(con, select) if text]
    return f"FORCE_QUOTE ({', '.join(names)})" if names else ""


def csv_line(values: list[Any]) -> str:
    """One CSV line as ``copy_to`` writes it: a string cell guarded (a ``'`` in front of a
    formula start) and in double quotes, a number bare, None an empty cell."""
    cells = []
    for value in values:
        if value is None:
            cells.append("")
        elif isinstance(value, str):
            text = "'" + value if value.startswith(FORMULA_STARTS) else value
            cells.append('"' + text.replace('"', '""') + '"')
        else:
            cells.append(str(value))
    return ",".join(cells)
