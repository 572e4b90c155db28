"""Exports of a store: flat tables for analysis, and tasks for annotation tools.

Tables (parquet, csv, failures) are written by DuckDB's ``COPY ... TO``, so no dataframe library
is needed; a CSV's text cells that would start a spreadsheet formula get a ``'`` in front
(``csv_cells``). For the annotation formats (Label Studio, brat, INCEpTION) the store gathers each
document with its technique spans of one taxonomy (``task_docs``) and ``spinscope.interchange``
writes them, one module per format, so that people can correct them and the same modules can read
the corrections back. All offsets are Python string indices (code points) into the stored text.
"""

from __future__ import annotations

import errno
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spinscope.errors import ConfigError
from spinscope.interchange import writer
from spinscope.interchange.annotated import Span, TaskDoc
from spinscope.model.taxonomy import LABELS
from spinscope.store.annotations import annotated_ids
from spinscope.store.csv_cells import guarded_select, quote_strings
from spinscope.store.db import Store
from spinscope.store.formats import EXPORT_FORMATS
from spinscope.store.stats import NARRATIVE_ANALYZERS, TECHNIQUE_ANALYZERS, ran_on

FORMATS = EXPORT_FORMATS

FINDING_ROWS = """
SELECT d.doc_id, d.title, d.url, d.outlet, d.published, d.source, d.language, f.start, f."end",
       f.text, f.label, f.taxonomy, f.category, f.confidence, f.analyzer, f.origin, f.voice,
       f.speaker
FROM findings f JOIN documents d USING (doc_id)
ORDER BY d.doc_id, f.taxonomy, f.start, f."end", f.label"""

# The denominators beside the findings: every document (with findings or not), its words, and
# whether the technique tagger and the framing analyser ran on it (rates count only those)
DOCUMENT_ROWS = f"""
SELECT d.doc_id, d.title, d.url, d.outlet, d.published, d.source, d.language, d.words,
       {ran_on(TECHNIQUE_ANALYZERS)} AS techniques_ran,
       {ran_on(NARRATIVE_ANALYZERS)} AS framing_ran
FROM documents d ORDER BY d.doc_id"""


def documents_path(out: Path) -> Path:
    """Where a csv or parquet export ``out`` puts its documents table (``findings.csv``:
    ``findings.documents.csv``)."""
    return out.with_name(f"{out.stem}.documents{out.suffix}")


def export(store: Store, fmt: str, out: str | Path, *, taxonomy: str = "semeval2023") -> int:
    """Write the store in ``fmt`` to ``out`` (a file, or a folder for brat and inception).

    Returns:
        How many rows (tables) or documents (jsonl and annotation tools) were written.

    Raises:
        ConfigError: Unknown format or taxonomy, or ``out`` cannot be written (one line, with
            the cause: no such folder, permission denied, a full disk, ...).
        StoreError: The store cannot be read.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"Unknown export format {fmt!r}. Available: {', '.join(FORMATS)}.")
    if taxonomy not in LABELS:
        raise ConfigError(f"Unknown taxonomy {taxonomy!r}. Available: {', '.join(LABELS)}.")
    import duckdb

    if str(out) == "-":  # `analyze --json -` is standard output; an export was a file named "-"
        folder = fmt in ("brat", "inception")
        example = f"folder name, e.g. --out {fmt}" if folder else "file name, e.g. --out "
        raise ConfigError(
            f"Cannot write the {fmt} export to -: exports are files, not standard output; give "
            f"a {example}{'' if folder else _FILE_NAME.get(fmt, 'findings.' + fmt)}."
        )
    out = Path(out)
    _refuse_the_store(fmt, out, store.path)
    _refuse_missing_folder(fmt, out)
    try:
        return _export(store, fmt, out, taxonomy)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(out) else ""
        reason = "No space left on device" if exc.errno == errno.ENOSPC else exc.strerror or exc
        if isinstance(exc, FileExistsError | NotADirectoryError):
            reason, where = f"{exc.filename} is a file, not a folder", ""
        raise ConfigError(
            f"Cannot write the {fmt} export to {out}: {reason}{where}; give a writable --out."
        ) from None
    except duckdb.Error as exc:
        raise ConfigError(
            f"Cannot write the {fmt} export to {out}: {' '.join(str(exc).split())}; "
            "give a writable --out."
        ) from None


_FILE_NAME = {"failures": "failures.csv", "stories-jsonl": "stories.jsonl",
              "label-studio": "tasks.json", "jsonl": "results.jsonl"}  # fmt: skip


def _refuse_the_store(fmt: str, out: Path, store_path: Path) -> None:
    """An export never writes over its own store or the store's write-ahead log: ``--out``
    naming the store emptied it (stories-jsonl) or replaced it with the export (jsonl)."""
    targets = [out, documents_path(out)] if fmt in ("parquet", "csv") else [out]
    ours = {store_path.resolve(), Path(f"{store_path}.wal").resolve()}
    for target in targets:
        same = target.resolve() in ours or (
            target.is_file() and store_path.is_file() and target.samefile(store_path)
        )
        if same:
            raise ConfigError(
                f"Cannot write the {fmt} export to {out}: it is the store itself ({store_path});"
                f" give another --out, e.g. --out {_FILE_NAME.get(fmt, 'findings.' + fmt)}."
            )


def _refuse_missing_folder(fmt: str, out: Path) -> None:
    """An export goes into a folder that exists: a typo in ``--out`` must not silently create a
    tree of folders (brat and inception may create their own last folder); a one-file export
    is not written over a folder."""
    if out.is_dir() and fmt not in ("brat", "inception"):  # DuckDB said "File exists"
        raise ConfigError(
            f"Cannot write the {fmt} export to {out}: it is a folder, and this export is one "
            f"file; give a file name, e.g. --out {out / _FILE_NAME.get(fmt, 'findings.' + fmt)}."
        )
    folder = out.parent
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise ConfigError(
            f"Cannot write the {fmt} export to {out}: the folder {folder} {what}; "
            "create it first or give another --out."
        )


def _export(store: Store, fmt: str, out: Path, taxonomy: str) -> int:
    if fmt in ("parquet", "csv"):
        copy_to(store, DOCUMENT_ROWS, documents_path(out), fmt)
        return copy_to(store, FINDING_ROWS, out, fmt)
    if fmt == "failures":
        return copy_to(store, "SELECT * FROM failures ORDER BY failed_at, item", out, "csv")
    if fmt == "jsonl":
        return export_jsonl(store, out)
    if fmt == "stories-jsonl":
        return export_stories_jsonl(store, out)
    return writer(fmt)(task_docs(store, taxonomy), out, taxonomy)


def copy_to(store: Store, select: str, out: Path, fmt: str) -> int:
    """``COPY (select) TO out`` as parquet or CSV with a header; returns the row count (what
    DuckDB's COPY answers: the select runs once). A CSV's string cells are guarded against
    formula injection and wrapped in double quotes (``csv_cells``)."""
    options = "FORMAT parquet"
    rows = select
    if fmt == "csv":
        quoted = quote_strings(store.con, select)
        options = "HEADER, DELIMITER ','" + (f", {quoted}" if quoted else "")
        rows = guarded_select(store.con, select)
    path = str(out).replace("'", "''")  # COPY takes no parameter for the file name
    return int(store.con.execute(f"COPY ({rows}) TO '{path}' ({options})").fetchone()[0])


def export_jsonl(store: Store, out: Path) -> int:
    """One stored result JSON per line, exactly as stored."""
    rows = store.query("SELECT result FROM results ORDER BY analyzed_at, doc_id")
    with open(out, "w", encoding="utf-8") as fh:
        for (result,) in rows:
            fh.write(json.dumps(json.loads(result), ensure_ascii=False) + "\n")
    return len(rows)


def export_stories_jsonl(store: Store, out: Path) -> int:
    """One story per line, side by side by outlet (``store.story_view``)."""
    from spinscope.model.jsonable import dumps
    from spinscope.store.stories import require_stories
    from spinscope.store.story_view import iter_story_views

    require_stories(store)  # before the file is opened: no empty file for an unclustered store
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for view in iter_story_views(store):
            fh.write(dumps(view, ensure_ascii=False) + "\n")
            n += 1
    return n


def task_docs(store: Store, taxonomy: str) -> Iterator[TaskDoc]:
    """Every stored document with its machine and human spans of ``taxonomy``, and whether
    people annotated it in that taxonomy (``annotated_ids``)."""
    spans: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for doc_id, *row in store.query(
        'SELECT doc_id, start, "end", text, label, confidence, origin, analyzer FROM findings '
        'WHERE taxonomy = ? ORDER BY doc_id, start, "end", label',
        [taxonomy],
    ):
        span = Span(*row)
        spans[doc_id][span.origin].append(span)
    annotated = annotated_ids(store, taxonomy)
    versions = dict(store.query("SELECT doc_id, json_extract(result, '$.models') FROM results"))
    for doc_id, title, url, outlet, published, source, text, meta in store.query(
        "SELECT doc_id, title, url, outlet, published, source, text, meta FROM documents "
        "ORDER BY doc_id"
    ):
        fields = {"title": title, "url": url, "outlet": outlet, "source": source}
        fields["published"] = published.isoformat() if published else None
        yield TaskDoc(
            doc_id,
            text,
            fields,
            json.loads(meta or "{}"),
            spans[doc_id]["machine"],
            spans[doc_id]["human"],
            model_version(json.loads(versions.get(doc_id) or "[]")),
            doc_id in annotated,
        )


def model_version(models: list[dict[str, Any]]) -> str:
    """``name version`` of the technique model a result came from (Label Studio's model_version)."""
    for m in models:
        if str(m.get("analyzer", "")).startswith("techniques"):
            return f"{m.get('model', 'unknown')} {m.get('model_version', 'unknown')}"
    return "unknown"
