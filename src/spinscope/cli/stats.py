"""`spinscope stats`'s views: the trends table, the per-story rows and the charts."""

from __future__ import annotations

import sys

from spinscope.model.wording import plural


def print_trends(data: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from spinscope.report.terminal import Inert
    from spinscope.store.stats import missing_outlet_label, shown

    title = (
        f"{plural(data['documents'], 'document')}, {plural(data['words'], 'word')}, "
        f"{plural(data['findings'], 'finding')} ({data['taxonomy']}), by {data['by']}"
    )
    if data.get("documents_not_tagged"):
        title += (
            f"; {plural(data['documents_not_tagged'], 'document')} never tagged for techniques "
            "left out"
        )
    rows = data["rows"]
    if not rows:  # a table of one empty column wrapped its title into ten-character lines
        why = (
            "no documents in the store yet (add some with `spinscope batch`)"
            if not data["documents"]
            else f"no {data['taxonomy']} technique findings"
        )
        print(f"{title}: {why}.")
        return
    table = Table(title=title)
    missing = missing_outlet_label(row.get("outlet") for row in rows)  # not a real outlet's
    for key in rows[0] if rows else [data["by"]]:
        # fold, not cut with "…": two outlets' URLs, or the Appeal_to_... techniques, were told
        # apart only by the part cut off
        table.add_column(key.replace("_", " "), justify="left" if key == data["by"] else "right",
                         overflow="fold")  # fmt: skip
    for row in rows:  # Text: no markup from labels
        table.add_row(*(Text(shown(k, v, missing)) for k, v in row.items()))
    Console().print(Inert(table))  # no terminal commands from outlet names either


def print_trends_csv(data: dict) -> None:
    """The trends rows as CSV, a header of their keys first; a missing outlet or rate is an
    empty cell (null in --json)."""
    from spinscope.store.csv_cells import csv_line

    rows = data["rows"]
    keys = list(rows[0]) if rows else [data["by"]]
    print(csv_line(keys))
    for row in rows:
        print(csv_line([row.get(k) for k in keys]))


def story_stats(args) -> int:
    from spinscope.cli.corpus_io import open_store
    from spinscope.cli.main import print_json
    from spinscope.cli.stories import print_story_table
    from spinscope.store.story_view import stats_by_story

    with open_store(args.store, read_only=True) as store:
        data = stats_by_story(store)
    if args.json:
        print_json(data)
    else:
        print_story_table(data)
    return 0


def write_stats_charts(store, args) -> list:
    """``write_charts``, with matplotlib's warning for each glyph no installed font has (a Hindi
    or Chinese outlet name: dozens of Python warnings) said once, naming the scripts."""
    import warnings

    from spinscope.report.charts import write_charts

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = write_charts(store, args.charts, args.taxonomy)
    scripts, others = set(), []
    for warning in caught:
        script = _missing_script(str(warning.message))
        if script:
            scripts.add(script)
        else:
            others.append(warning)
    for warning in others:  # as they were: not ours to hide
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if scripts:
        print(
            f"spinscope: warning: no installed font draws the charts' "
            f"{' and '.join(sorted(scripts))} characters: they are boxes in the PNG charts; "
            "index.html's charts are text, drawn with the browser's fonts.",
            file=sys.stderr,
        )
    return written


def _missing_script(message: str) -> str | None:
    """The script of the character in matplotlib's "Glyph 20154 (...) missing from font(s)
    DejaVu Sans." (``CJK``, ``Devanagari``; ``private use`` or ``unnamed`` for a character
    without a Unicode name, which the warning gives as ``\\ue000``), or None for another
    warning."""
    import re
    import unicodedata

    glyph = re.match(r"Glyph (\d+) \(.*\) missing from font", message)
    if not glyph or int(glyph[1]) > sys.maxunicode:
        return None
    char = chr(int(glyph[1]))
    name = unicodedata.name(char, "")
    if not name:
        return "private use" if unicodedata.category(char) == "Co" else "unnamed"
    script = name.split()[0]
    return script if script == "CJK" else script.title()
