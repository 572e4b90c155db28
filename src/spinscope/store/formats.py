"""The store's export formats and what each holds: a module of its own so that the CLI lists them
(with its ``--format`` help) without importing the writers. The annotation formats among them are
``spinscope.interchange``'s table (which the CLI also reads for ``import-annotations``)."""

from spinscope.interchange import FORMATS

_TABLE = (
    "one row per finding with its document's fields, and beside it NAME.documents.EXT with one "
    "row per document, its words and the analysers that ran (the rates' denominators)"
)
# name -> what an export in that format holds, in --help order
HOLDS: dict[str, str] = {
    "parquet": _TABLE,
    "csv": _TABLE,
    "jsonl": "one full result per line",
    **{f.name: f.holds for f in FORMATS.values()},
    "failures": "the failure records as CSV",
    "stories-jsonl": "one story side by side per line (run `spinscope stories` first)",
}
EXPORT_FORMATS = tuple(HOLDS)


def formats_help() -> str:
    """``"parquet/csv: one row per ...; jsonl: ..."``: each format with what it holds, formats
    that hold the same named together."""
    names: dict[str, list[str]] = {}
    for name, holds in HOLDS.items():
        names.setdefault(holds, []).append(name)
    return "; ".join(f"{'/'.join(group)}: {holds}" for holds, group in names.items())
