"""Exports of a store: flat tables for analysis, and tasks for annotation tools.

Tables (parquet, csv, failures) are written by DuckDB's ``COPY ... TO``, so no dataframe library
is needed. The annotation formats (Label Studio, brat, INCEpTION) carry one document each with
its technique spans of one taxonomy, so that people can correct them and
``spinscope.store.annotations`` can read the corrections back. All offsets are Python string
indices (code points) into the stored text; the INCEpTION XMI is the one exception on disk (UIMA
counts UTF-16 units) and dkpro-cassis converts both ways.
"""

from __future__ import annotations

import errno
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from spinscope.errors import ConfigError
from spinscope.model.taxonomy import LABELS
from spinscope.store.db import Store
from spinscope.store.formats import EXPORT_FORMATS

FORMATS = EXPORT_FORMATS

# The name INCEpTION gives a custom span layer called "Technique": a project with that layer
# (features label, confidence, origin, taxonomy) shows the imported spans as they are.
TECHNIQUE_TYPE = "webanno.custom.Technique"
TYPESYSTEM_FILE = "TypeSystem.xml"
BRAT_TAXONOMY_NOTE = "# spinscope taxonomy: "
LS_FROM, LS_TO = "label", "text"  # the control and object tag names of the labelling config

FINDING_ROWS = """
SELECT d.doc_id, d.title, d.url, d.outlet, d.published, d.source, d.language, f.start, f."end",
       f.text, f.label, f.taxonomy, f.category, f.confidence, f.analyzer, f.origin, f.voice,
       f.speaker
FROM findings f JOIN documents d USING (doc_id)
ORDER BY d.doc_id, f.taxonomy, f.start, f."end", f.label"""


@dataclass(frozen=True)
class Span:
    """One technique span of a document as the annotation formats carry it."""

    start: int
    end: int
    text: str
    label: str
    confidence: float | None = None
    origin: str = "machine"
    analyzer: str = ""


@dataclass(frozen=True)
class TaskDoc:
    """A stored document with its spans of one taxonomy, ready for an annotation tool."""

    doc_id: str
    text: str
    fields: dict[str, Any]  # title, url, outlet, published (ISO date)
    meta: dict[str, Any]
    machine: list[Span]
    human: list[Span]
    model_version: str


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

    out = Path(out)
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


def _refuse_missing_folder(fmt: str, out: Path) -> None:
    """An export goes into a folder that exists: a typo in ``--out`` must not silently create a
    tree of folders (brat and inception may create their own last folder)."""
    folder = out.parent
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise ConfigError(
            f"Cannot write the {fmt} export to {out}: the folder {folder} {what}; "
            "create it first or give another --out."
        )


def _export(store: Store, fmt: str, out: Path, taxonomy: str) -> int:
    if fmt in ("parquet", "csv"):
        return copy_to(store, FINDING_ROWS, out, fmt)
    if fmt == "failures":
        return copy_to(store, "SELECT * FROM failures ORDER BY failed_at, item", out, "csv")
    if fmt == "jsonl":
        return export_jsonl(store, out)
    if fmt == "stories-jsonl":
        return export_stories_jsonl(store, out)
    writer = {"label-studio": export_label_studio, "brat": export_brat}
    return writer.get(fmt, export_inception)(store, out, taxonomy)


def copy_to(store: Store, select: str, out: Path, fmt: str) -> int:
    """``COPY (select) TO out`` as parquet or CSV with a header; returns the row count."""
    options = "FORMAT parquet" if fmt == "parquet" else "HEADER, DELIMITER ','"
    path = str(out).replace("'", "''")  # COPY takes no parameter for the file name
    store.con.execute(f"COPY ({select}) TO '{path}' ({options})")
    return int(store.con.execute(f"SELECT count(*) FROM ({select})").fetchone()[0])


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
    """Every stored document with its machine and human spans of ``taxonomy``."""
    spans: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for doc_id, *row in store.query(
        'SELECT doc_id, start, "end", text, label, confidence, origin, analyzer FROM findings '
        'WHERE taxonomy = ? ORDER BY doc_id, start, "end", label',
        [taxonomy],
    ):
        span = Span(*row)
        spans[doc_id][span.origin].append(span)
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
        )


def model_version(models: list[dict[str, Any]]) -> str:
    """``name version`` of the technique model a result came from (Label Studio's model_version)."""
    for m in models:
        if str(m.get("analyzer", "")).startswith("techniques"):
            return f"{m.get('model', 'unknown')} {m.get('model_version', 'unknown')}"
    return "unknown"


# -- Label Studio --------------------------------------------------------------------------------


def ls_region(k: int, span: Span) -> dict[str, Any]:
    value = {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]}
    region: dict[str, Any] = {
        "id": f"s{k}", "from_name": LS_FROM, "to_name": LS_TO, "type": "labels"
    }  # fmt: skip
    region["value"] = value
    if span.confidence is not None:
        region["score"] = span.confidence
    return region


def export_label_studio(store: Store, out: Path, taxonomy: str) -> int:
    """A Label Studio tasks JSON (machine spans as ``predictions``, stored human spans as
    ``annotations``) and, beside it, ``<name>.label-config.xml``, the labelling config whose tag
    names the regions use."""
    tasks = []
    for doc in task_docs(store, taxonomy):
        data = {"text": doc.text, "doc_id": doc.doc_id, "taxonomy": taxonomy, **doc.fields}
        task: dict[str, Any] = {"data": data, "meta": doc.meta}
        scores = [s.confidence for s in doc.machine if s.confidence is not None]
        task["predictions"] = [
            {
                "model_version": doc.model_version,
                "score": sum(scores) / len(scores) if scores else 0.0,
                "result": [ls_region(k, s) for k, s in enumerate(doc.machine)],
            }
        ]
        if doc.human:
            task["annotations"] = [{"result": [ls_region(k, s) for k, s in enumerate(doc.human)]}]
        tasks.append(task)
    out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    out.with_name(f"{out.stem}.label-config.xml").write_text(label_config(taxonomy))
    return len(tasks)


def label_config(taxonomy: str) -> str:
    """The Label Studio labelling config for a taxonomy's techniques."""
    labels = "\n".join(f"    <Label value={quoteattr(label)}/>" for label in LABELS[taxonomy])
    return (
        f'<View>\n  <Labels name="{LS_FROM}" toName="{LS_TO}">\n{labels}\n  </Labels>\n'
        f'  <Text name="{LS_TO}" value="$text"/>\n</View>\n'
    )


# -- brat ----------------------------------------------------------------------------------------

_BRAT_SAFE = re.compile(r"[A-Za-z0-9_-]")
_BRAT_ESCAPE = re.compile(r"((?:\.[0-9A-F]{2})+)")
# every character str.splitlines() breaks on: a brat fragment must not contain one
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")


def brat_label(label: str) -> str:
    """A brat type name for a label: characters other than letters, digits, ``_`` and ``-``
    (spaces, commas, dots, ...) become ``.XX`` (UTF-8 bytes in hex), so it maps back exactly."""
    return "".join(
        ch if _BRAT_SAFE.fullmatch(ch) else "".join(f".{b:02X}" for b in ch.encode())
        for ch in label
    )


def label_from_brat(name: str) -> str:
    """The label a ``brat_label`` type name stands for."""
    return _BRAT_ESCAPE.sub(lambda m: bytes.fromhex(m[1].replace(".", "")).decode(), name)


def brat_fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at line breaks: brat shows a span across lines as fragments."""
    pieces, pos = [], start
    for m in LINE_BREAKS.finditer(text, start, end):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    return [(a, b) for a, b in pieces if b > a]


def ann_lines(text: str, spans: list[Span]) -> list[str]:
    lines = []
    for k, span in enumerate(spans, 1):
        frags = brat_fragments(text, span.start, span.end)
        if not frags:
            continue  # nothing but line breaks: brat cannot show it
        where = ";".join(f"{a} {b}" for a, b in frags)
        lines.append(
            f"T{k}\t{brat_label(span.label)} {where}\t{' '.join(text[a:b] for a, b in frags)}"
        )
    return lines


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME_CHARS = 80


def source_name(doc: TaskDoc) -> str:
    """A file name (no suffix) for a document, read from where it came from: the source file's
    name (with its line for a JSONL or CSV row), else the URL's host and last path part, else the
    title,
    else the document id. Only letters, digits, ``.``, ``_`` and ``-`` are kept."""
    source = str(doc.fields.get("source") or "")
    url = str(doc.fields.get("url") or "")
    if source and "://" not in source:
        name = Path(source.replace("\\", "/")).stem
    elif source or url:
        parts = urlsplit(source or url)
        stem = Path(parts.path.rstrip("/")).stem
        name = "-".join(x for x in (parts.hostname, stem) if x)
    else:
        name = str(doc.fields.get("title") or "")
    if name and doc.meta.get("line") is not None:
        name += f"-line{doc.meta['line']}"
    name = _UNSAFE_NAME.sub("_", name).strip("._-")[:MAX_NAME_CHARS].rstrip("._-")
    return name or doc.doc_id


def unique_names(docs: list[TaskDoc]) -> dict[str, str]:
    """``doc_id`` -> a file name from ``source_name``, ``-2``, ``-3``, ... added to repeats
    (compared without case, for case-insensitive file systems)."""
    taken: set[str] = set()
    out = {}
    for doc in docs:
        base = name = source_name(doc)
        k = 1
        while name.lower() in taken:
            k += 1
            name = f"{base}-{k}"
        taken.add(name.lower())
        out[doc.doc_id] = name
    return out


def export_brat(store: Store, out: Path, taxonomy: str) -> int:
    """Per document ``<name>.txt`` and ``.ann`` (its human spans where people corrected it,
    else the machine ones), named by the document's source (``source_name``; annotations are
    matched back by text, not by name), ``annotation.conf`` with every label of the taxonomy and
    ``visual.conf`` that shows each label under its own name."""
    out.mkdir(exist_ok=True)
    docs = list(task_docs(store, taxonomy))
    names = unique_names(docs)
    for doc in docs:
        name = names[doc.doc_id]
        (out / f"{name}.txt").write_text(doc.text, encoding="utf-8", newline="")
        lines = ann_lines(doc.text, doc.human or doc.machine)
        (out / f"{name}.ann").write_text("".join(f"{x}\n" for x in lines), encoding="utf-8")
    n = len(docs)
    types = [brat_label(label) for label in LABELS[taxonomy]]
    conf = [f"{BRAT_TAXONOMY_NOTE}{taxonomy}", "[entities]", *types]
    conf += ["[relations]", "[events]", "[attributes]"]
    (out / "annotation.conf").write_text("\n".join(conf) + "\n", encoding="utf-8")
    visual = [f"{t} | {label}" for t, label in zip(types, LABELS[taxonomy], strict=True)]
    (out / "visual.conf").write_text("[labels]\n" + "\n".join(visual) + "\n", encoding="utf-8")
    return n


# -- INCEpTION -----------------------------------------------------------------------------------


def technique_typesystem():
    """The UIMA type system: ``webanno.custom.Technique`` spans with label, confidence, origin
    and taxonomy features."""
    from cassis import TypeSystem

    ts = TypeSystem()
    technique = ts.create_type(TECHNIQUE_TYPE, supertypeName="uima.tcas.Annotation")
    for name, kind in (("label", "String"), ("confidence", "Double"), ("origin", "String")):
        ts.create_feature(technique, name, f"uima.cas.{kind}")
    ts.create_feature(technique, "taxonomy", "uima.cas.String")
    return ts


def export_inception(store: Store, out: Path, taxonomy: str) -> int:
    """Per document ``<doc_id>.xmi`` (a UIMA CAS; human spans where present, else machine ones)
    and the ``TypeSystem.xml`` INCEpTION needs to import them."""
    from cassis import Cas

    out.mkdir(exist_ok=True)
    ts = technique_typesystem()
    technique = ts.get_type(TECHNIQUE_TYPE)
    n = 0
    for doc in task_docs(store, taxonomy):
        cas = Cas(typesystem=ts)
        cas.sofa_string = doc.text
        for s in doc.human or doc.machine:
            cas.add(
                technique(
                    begin=s.start,
                    end=s.end,
                    label=s.label,
                    confidence=s.confidence,
                    origin=s.origin,
                    taxonomy=taxonomy,
                )
            )
        cas.to_xmi(out / f"{doc.doc_id}.xmi")
        n += 1
    ts.to_xml(out / TYPESYSTEM_FILE)
    return n
