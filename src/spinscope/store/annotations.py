"""Corrected annotations read back from Label Studio, brat and INCEpTION.

Each reader returns, per document, its text and the spans people kept, added or fixed. A
document's id is the hash of its text (as in the store), so annotations find their document
whatever the tool named the file. From there they become a training folder in the PTC layout
(``spinscope train techniques --ptc``) and, optionally, ``origin='human'`` rows in a store.

Taxonomy: a source holds one taxonomy. The exports name it (Label Studio ``data.taxonomy``, a
comment in brat's ``annotation.conf``, the INCEpTION ``taxonomy`` feature); without that the
taxonomy is the one that has every label (SemEval-2023 where both do, as the export default).
The PTC layout holds PTC-2020 names: SemEval-2023 labels are mapped to their PTC-2020
predecessor (spans of the five techniques that have none are left out of that layer), and the
SemEval-2023 spans are also written unchanged in the SemEval-2023 layout, for ``--semeval23``.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spinscope.errors import IngestError
from spinscope.model.document import text_checksum
from spinscope.model.taxonomy import LABELS, PTC2020, SEMEVAL2023, category
from spinscope.store.db import Store
from spinscope.store.exports import (
    BRAT_TAXONOMY_NOTE,
    TECHNIQUE_TYPE,
    TYPESYSTEM_FILE,
    label_from_brat,
)
from spinscope.store.formats import ANNOTATION_FORMATS

FORMATS = ANNOTATION_FORMATS

# SemEval-2023 technique -> the PTC-2020 technique it refines (the 2023 task's own lineage).
SE23_TO_PTC = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_Popularity": "Bandwagon,Reductio_ad_hitlerum",
    "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",
    "Appeal_to_Fear-Prejudice": "Appeal_to_fear-prejudice",
    "Flag_Waving": "Flag-Waving",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "False_Dilemma-No_Choice": "Black-and-White_Fallacy",
    "Straw_Man": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Appeal_to_Hypocrisy": "Whataboutism,Straw_Men,Red_Herring",
    "Slogans": "Slogans",
    "Conversation_Killer": "Thought-terminating_Cliches",
    "Loaded_Language": "Loaded_Language",
    "Repetition": "Repetition",
    "Exaggeration-Minimisation": "Exaggeration,Minimisation",
    "Name_Calling-Labeling": "Name_Calling,Labeling",
    "Doubt": "Doubt",
}  # no predecessor: Appeal_to_Values, Consequential_Oversimplification, Appeal_to_Time,
#    Obfuscation-Vagueness-Confusion, Questioning_the_Reputation


@dataclass(frozen=True)
class HumanSpan:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class AnnotatedDoc:
    """One document's text and the spans people settled on, in one taxonomy."""

    doc_id: str
    text: str
    spans: list[HumanSpan]
    taxonomy: str
    source: str  # the file it came from, for messages


@dataclass
class _Raw:
    """A document as read, before its labels are checked and its taxonomy is known."""

    text: str
    spans: list[tuple[int, int, str, str]]  # start, end, label, where (file and line or task)
    source: str
    taxonomy: str | None = None


def read_annotations(source: str | Path, fmt: str) -> list[AnnotatedDoc]:
    """Read corrected annotations from a Label Studio JSON export, a brat folder, or an
    INCEpTION XMI folder or zip.

    Raises:
        IngestError: The source is missing or malformed, a span is out of bounds, or a label is
            not a technique of the taxonomy (the message names the label and the file).
    """
    source = Path(source)
    if fmt not in FORMATS:
        raise IngestError(f"Unknown annotation format {fmt!r}. Available: {', '.join(FORMATS)}.")
    if not source.exists():
        raise IngestError(f"{source} does not exist; give a {fmt} export.")
    reader = {"label-studio": read_label_studio, "brat": read_brat}.get(fmt, read_inception)
    return resolve(reader(source))


def resolve(raws: Sequence[_Raw]) -> list[AnnotatedDoc]:
    """Check spans and labels, and settle the taxonomy of the whole source."""
    hints = {r.taxonomy for r in raws if r.taxonomy}
    if len(hints) > 1:
        raise IngestError(f"The annotations mix taxonomies ({', '.join(sorted(hints))}).")
    labels = {s[2] for r in raws for s in r.spans}
    fits = [t for t in (SEMEVAL2023, PTC2020) if labels <= set(LABELS[t])]
    taxonomy = next(iter(hints), None) or (fits[0] if fits else SEMEVAL2023)
    docs = []
    for raw in raws:
        spans = []
        for start, end, label, where in raw.spans:
            if label not in LABELS[taxonomy]:
                raise IngestError(
                    f"Unknown label {label!r} in {where}: not a {taxonomy} technique "
                    f"(expected one of {', '.join(LABELS[taxonomy])})."
                )
            if not 0 <= start < end <= len(raw.text):
                raise IngestError(
                    f"Span {start}-{end} in {where} lies outside its text ({len(raw.text)} "
                    "characters)."
                )
            spans.append(HumanSpan(start, end, label))
        doc_id = text_checksum(raw.text)[:16]
        docs.append(AnnotatedDoc(doc_id, raw.text, sorted(set(spans), key=_order), taxonomy,
                                 raw.source))  # fmt: skip
    return docs


def _order(span: HumanSpan) -> tuple[int, int, str]:
    return span.start, span.end, span.label


# -- readers -------------------------------------------------------------------------------------


def read_label_studio(path: Path) -> list[_Raw]:
    """A Label Studio JSON export: per task, the latest annotation that was not cancelled
    (``predictions`` are the machine's and are ignored). Tasks nobody annotated are skipped."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(
            f"{path} is not a Label Studio JSON export ({exc}); export the project as JSON."
        ) from None
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise IngestError(f"{path} is not a Label Studio JSON export: expected a list of tasks.")
    raws = []
    for k, task in enumerate(tasks):
        where = f"{path} task {task.get('id', k)}"
        data = task.get("data") or {}
        text = data.get("text")
        if not isinstance(text, str):
            raise IngestError(f"{where} has no data.text; tasks need the document text.")
        done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if not done:
            continue
        latest = max(enumerate(done), key=lambda ia: (str(ia[1].get("updated_at", "")), ia[0]))
        spans = [s for r in latest[1].get("result") or [] for s in _ls_spans(text, r, where)]
        raws.append(_Raw(text, spans, str(path), data.get("taxonomy")))
    return raws


def _ls_spans(text: str, region: dict[str, Any], where: str) -> list[tuple[int, int, str, str]]:
    value = region.get("value") or {}
    if region.get("type") != "labels" or "start" not in value:
        return []  # other controls (choices, text areas, relations) carry no technique span
    try:
        start, end = int(value["start"]), int(value["end"])
    except (KeyError, TypeError, ValueError):
        raise IngestError(f"{where}: a region has no integer start/end.") from None
    quoted = value.get("text")
    if isinstance(quoted, str) and text[start:end] != quoted:
        start, end = _from_utf16(text, start, end, quoted, where)
    return [(start, end, str(label), where) for label in value.get("labels") or []]


def _from_utf16(text: str, start: int, end: int, quoted: str, where: str) -> tuple[int, int]:
    """Offsets counted in UTF-16 units (as JavaScript counts them) as code points; an error
    when the span's own text matches neither reading."""
    units, cp = 0, {}
    for i, ch in enumerate(text):
        cp[units] = i
        units += 2 if ord(ch) > 0xFFFF else 1
    cp[units] = len(text)
    a, b = cp.get(start), cp.get(end)
    if a is None or b is None or text[a:b] != quoted:
        raise IngestError(
            f"{where}: the region {start}-{end} does not cover its text {quoted[:40]!r}; "
            "the task text must be the exported one."
        )
    return a, b


def read_brat(folder: Path) -> list[_Raw]:
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
        for line in conf.read_text(encoding="utf-8").splitlines():
            if line.startswith(BRAT_TAXONOMY_NOTE):
                taxonomy = line.removeprefix(BRAT_TAXONOMY_NOTE).strip()
    raws = []
    for ann in anns:
        txt = ann.with_suffix(".txt")
        if not txt.exists():
            raise IngestError(f"{ann} has no {txt.name} beside it.")
        with open(txt, encoding="utf-8", newline="") as fh:
            text = fh.read()
        lines = ann.read_text(encoding="utf-8").split("\n")
        spans = [_brat_span(line, f"{ann} line {n}") for n, line in enumerate(lines, 1)]
        raws.append(_Raw(text, [s for s in spans if s], str(ann), taxonomy))
    return raws


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


def read_inception(source: Path) -> list[_Raw]:
    """INCEpTION UIMA CAS XMI files with their ``TypeSystem.xml``: a folder (searched
    recursively; zips in it are read too) or a zip."""
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise IngestError(f"{source} is not a zip; give a folder or zip of XMI files.")
        return _read_zip(source)
    raws = []
    for path in sorted(source.rglob("*")):
        if path.suffix.lower() == ".zip":
            raws += _read_zip(path)
        elif path.suffix.lower() == ".xmi":
            ts = _find_typesystem(path.parent, source)
            raws.append(_read_xmi(path.read_bytes(), ts, str(path)))
    if not raws:
        raise IngestError(f"No .xmi files in {source}; give INCEpTION's XMI export.")
    return raws


def _find_typesystem(folder: Path, root: Path) -> bytes:
    for where in (folder, root):
        for path in where.iterdir():
            if path.name.lower() == TYPESYSTEM_FILE.lower():
                return path.read_bytes()
    raise IngestError(f"No {TYPESYSTEM_FILE} in {folder} or {root}; export it with the XMI.")


def _read_zip(path: Path) -> list[_Raw]:
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        ts_names = [n for n in names if Path(n).name.lower() == TYPESYSTEM_FILE.lower()]
        xmis = sorted(n for n in names if n.lower().endswith(".xmi"))
        if not ts_names or not xmis:
            raise IngestError(f"{path} needs .xmi files and a {TYPESYSTEM_FILE}.")
        ts = zf.read(ts_names[0])
        return [_read_xmi(zf.read(n), ts, f"{path}!{n}") for n in xmis]


def _read_xmi(xmi: bytes, typesystem: bytes, where: str) -> _Raw:
    from cassis import load_cas_from_xmi, load_typesystem

    try:
        ts = load_typesystem(io.BytesIO(typesystem))
        cas = load_cas_from_xmi(io.BytesIO(xmi), typesystem=ts)
    except Exception as exc:  # cassis raises bare exceptions of several kinds for bad XML
        raise IngestError(f"{where} is not a readable UIMA CAS XMI: {exc}".split("\n")[0]) from None
    if not cas.typesystem.contains_type(TECHNIQUE_TYPE):
        raise IngestError(f"{where} has no {TECHNIQUE_TYPE} layer; export it with that layer.")
    found = list(cas.select(TECHNIQUE_TYPE))
    hints = {a.get("taxonomy") for a in found} - {None, ""}
    spans = [(a.begin, a.end, str(a.get("label") or ""), where) for a in found]
    return _Raw(cas.sofa_string or "", spans, where, next(iter(hints), None))


# -- training folder -----------------------------------------------------------------------------


def split_dev(doc_ids: Iterable[str]) -> set[str]:
    """A deterministic fifth of the documents for dev (by the hash of their ids; at least one
    when there are two or more)."""
    ids = sorted(doc_ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    n_dev = max(1, round(len(ids) / 5)) if len(ids) >= 2 else 0
    return set(ids[:n_dev])


def write_training_folder(docs: Sequence[AnnotatedDoc], out: str | Path) -> dict[str, Any]:
    """Write the PTC layout (``train-articles/``, ``dev-articles/``, ``*-task-flc-tc.labels``)
    and ``ids.tsv`` (article id -> document id); for SemEval-2023 annotations also
    ``semeval23/`` in the SemEval-2023 Task 3 layout. A folder from an earlier import is
    replaced; any other non-empty folder is refused.

    Returns:
        Counts: documents in train and dev, spans written, spans left out of the PTC layer.
    """
    out = Path(out)
    _prepare_out(out)
    dev = split_dev(d.doc_id for d in docs)
    se23 = bool(docs) and docs[0].taxonomy == SEMEVAL2023
    labels: dict[str, list[str]] = {"train": [], "dev": []}
    rows, dropped, n_spans = ["article_id\tdoc_id\tsplit"], 0, 0
    for k, doc in enumerate(sorted(docs, key=lambda d: d.doc_id), 1):
        split = "dev" if doc.doc_id in dev else "train"
        _write(out / f"{split}-articles" / f"article{k}.txt", doc.text)
        rows.append(f"{k}\t{doc.doc_id}\t{split}")
        for s in doc.spans:
            ptc = SE23_TO_PTC.get(s.label) if se23 else s.label
            dropped += ptc is None
            n_spans += ptc is not None
            if ptc:
                labels[split].append(f"{k}\t{ptc}\t{s.start}\t{s.end}")
        if se23:
            base = out / "semeval23"
            _write(base / "train-articles-subtask-3" / f"article{k}.txt", doc.text)
            spans = "".join(f"{k}\t{s.label}\t{s.start}\t{s.end}\n" for s in doc.spans)
            _write(base / "train-labels-subtask-3-spans" / f"article{k}-labels-subtask-3.txt",
                   spans)  # fmt: skip
    for split, lines in labels.items():
        (out / f"{split}-articles").mkdir(parents=True, exist_ok=True)
        _write(out / f"{split}-task-flc-tc.labels", "".join(f"{x}\n" for x in lines))
    _write(out / "ids.tsv", "\n".join(rows) + "\n")
    n_dev = len(dev)
    return {"train": len(docs) - n_dev, "dev": n_dev, "spans": n_spans, "left_out": dropped,
            "semeval23": str(out / "semeval23") if se23 else None}  # fmt: skip


def _prepare_out(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / "ids.tsv").exists():
            raise IngestError(
                f"{out} is not empty and not an earlier import; give a new folder for --out."
            )
        for name in ("train-articles", "dev-articles", "semeval23"):
            shutil.rmtree(out / name, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def _write(path: Path, text: str) -> None:
    """Write exactly (no newline translation: offsets count every character)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


# -- store ---------------------------------------------------------------------------------------


def store_human_findings(
    store: Store, docs: Sequence[AnnotatedDoc], *, analyzer: str
) -> tuple[int, list[str]]:
    """Replace the human findings of each stored document among ``docs`` (in their taxonomy) by
    its annotations, in one transaction; machine findings, and human ones of the other taxonomy,
    stay.

    Returns:
        How many documents were updated, and the ids of those not in the store (left out).
    """
    ids = [d.doc_id for d in docs]
    known = {r[0] for r in store.query(
        "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?))", [ids])}  # fmt: skip
    kept = [d for d in docs if d.doc_id in known]
    rows = [
        [d.doc_id, s.start, s.end, d.text[s.start : s.end], s.label, d.taxonomy,
         category(d.taxonomy, s.label), 1.0, analyzer, "human"]
        for d in kept for s in d.spans
    ]  # fmt: skip
    with store.transaction():
        store.con.execute(
            "DELETE FROM findings WHERE origin = 'human' AND taxonomy = ? "
            "AND doc_id IN (SELECT unnest(?))",
            [docs[0].taxonomy if docs else "", [d.doc_id for d in kept] or [""]],
        )
        if rows:
            store.con.executemany(
                'INSERT INTO findings (doc_id, start, "end", text, label, taxonomy, category, '
                "confidence, analyzer, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    return len(kept), [i for i in ids if i not in known]
