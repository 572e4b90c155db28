"""brat standoff: per document ``<name>.txt`` and ``.ann``, with an ``annotation.conf`` that
names the taxonomy, and the corrected folder read back."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from spinscope.errors import IngestError
from spinscope.ingest._decode import read_utf8
from spinscope.interchange.annotated import RawDoc, Span, TaskDoc, refuse_overwriting_changes
from spinscope.model.taxonomy import LABELS

BRAT_TAXONOMY_NOTE = "# spinscope taxonomy: "
_BRAT_SAFE = re.compile(r"[A-Za-z0-9_-]")
_BRAT_ESCAPE = re.compile(r"((?:\.[0-9A-F]{2})+)")
# every character str.splitlines() breaks on: a brat fragment must not contain one
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME_CHARS = 80


def brat_label(label: str) -> str:
    """A brat type name for a label: characters other than letters, digits, ``_`` and ``-``
    (spaces, commas, dots, ...) become ``.XX`` (UTF-8 bytes in hex), so it maps back exactly."""
    return "".join(
        ch if _BRAT_SAFE.fullmatch(ch) else "".join(f".{b:02X}" for b in ch.encode())
        for ch in label
    )


def label_from_brat(name: str) -> str:
    """The label a ``brat_label`` type name stands for (a hand-written type whose ``.XX`` bytes
    are not UTF-8 is kept as written, so that it fails as an unknown label)."""
    return _BRAT_ESCAPE.sub(_unescaped, name)


def _unescaped(match: re.Match[str]) -> str:
    try:
        return bytes.fromhex(match[1].replace(".", "")).decode()
    except UnicodeDecodeError:  # was a traceback
        return match[1]


# -- write ---------------------------------------------------------------------------------------


def write(docs: Iterable[TaskDoc], out: Path, taxonomy: str) -> int:
    """Per document ``<name>.txt`` and ``.ann`` (``TaskDoc.shown``: its human spans where people
    annotated it, none if they kept none, else the machine ones), named by the document's
    source (``source_name``; annotations are matched back by text, not by name),
    ``annotation.conf`` with every label of the taxonomy and ``visual.conf`` that shows each
    label under its own name."""
    out.mkdir(exist_ok=True)
    listed = list(docs)
    names = unique_names(listed)
    planned: dict[Path, bytes] = {}
    for doc in listed:
        name = names[doc.doc_id]
        planned[out / f"{name}.txt"] = doc.text.encode()
        lines = ann_lines(doc.text, doc.shown)
        planned[out / f"{name}.ann"] = "".join(f"{x}\n" for x in lines).encode()
    refuse_overwriting_changes(out, planned, "brat", same=same_spans)
    for path, data in planned.items():
        path.write_bytes(data)
    n = len(listed)
    types = [brat_label(label) for label in LABELS[taxonomy]]
    conf = [f"{BRAT_TAXONOMY_NOTE}{taxonomy}", "[entities]", *types]
    conf += ["[relations]", "[events]", "[attributes]"]
    (out / "annotation.conf").write_text("\n".join(conf) + "\n", encoding="utf-8")
    visual = [f"{t} | {label}" for t, label in zip(types, LABELS[taxonomy], strict=True)]
    (out / "visual.conf").write_text("[labels]\n" + "\n".join(visual) + "\n", encoding="utf-8")
    return n


def same_spans(path: Path, planned: bytes) -> bool:
    """Whether the ``.ann`` at ``path`` holds the planned spans and nothing else, in any order
    and numbering: what an import of it stored, exported again, and no correction to keep.
    (Notes, relations and attributes are people's work: such a file is never the same.)"""
    if path.suffix != ".ann":
        return False
    try:
        old = _ann_spans(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return False
    return old is not None and old == _ann_spans(planned.decode("utf-8"))


def _ann_spans(ann: str) -> Counter[tuple[int, int, str]] | None:
    """(start, end, label) of each ``T`` line; None where there is anything else."""
    spans: Counter[tuple[int, int, str]] = Counter()
    for line in ann.removeprefix("\ufeff").split("\n"):
        if not line.rstrip("\r"):
            continue
        try:
            span = _brat_span(line, "")
        except IngestError:
            return None
        if span is None:
            return None
        spans[span[:3]] += 1
    return spans


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


# -- read ----------------------------------------------------------------------------------------


def read(folder: Path) -> list[RawDoc]:
    """A brat folder: each ``X.ann`` with its ``X.txt``; discontinuous spans (cut at line
    breaks) become one span from the first fragment's start to the last one's end."""
    if not folder.is_dir():
        raise IngestError(f"{folder} is not a folder; give the brat collection folder.")
    anns = sorted(folder.rglob("*.ann"))
    if not anns:
        raise IngestError(f"No .ann files in {folder}; give the brat collection folder.")
    taxonomy = None
    conf = folder / "annotation.conf"
    if conf.exists():
        for line in _without_bom(conf).splitlines():
            if line.startswith(BRAT_TAXONOMY_NOTE):
                taxonomy = line.removeprefix(BRAT_TAXONOMY_NOTE).strip()
    raws = []
    for ann in anns:
        txt = ann.with_suffix(".txt")
        if not txt.exists():
            raise IngestError(f"{ann} has no {txt.name} beside it.")
        text = read_utf8(txt)
        lines = _without_bom(ann).split("\n")
        spans = [_brat_span(line, f"{ann} line {n}") for n, line in enumerate(lines, 1)]
        raws.append(RawDoc(text, [s for s in spans if s], str(ann), taxonomy))
    return raws


def _without_bom(path: Path) -> str:
    """An ``.ann`` or ``annotation.conf`` without the byte order mark an editor may add: its
    first line then did not start with ``T`` (or the taxonomy note), and was skipped silently.
    (A ``.txt`` keeps its text as it is: offsets count every character.)"""
    return read_utf8(path).removeprefix("\ufeff")


def _brat_span(line: str, where: str) -> tuple[int, int, str, str] | None:
    """A ``T`` line as (start, end, label, where); None for other annotation kinds."""
    line = line.rstrip("\r")
    if not line.startswith("T"):
        return None  # notes (#), attributes (A), relations (R), events (E), ...
    try:
        _, type_and_where, _ = line.split("\t", 2)
        label, where_part = type_and_where.split(" ", 1)
        frags = [tuple(map(int, f.split())) for f in where_part.split(";")]
        if any(len(f) != 2 for f in frags):
            raise ValueError
    except ValueError:
        raise IngestError(
            f"{where}: malformed brat annotation {line[:60]!r}; expected "
            "'T<n><TAB><Label> <start> <end>[;<start> <end>...]<TAB><text>'."
        ) from None
    return frags[0][0], frags[-1][1], label_from_brat(label), where
