"""The records the annotation formats carry: documents with their technique spans, going out to
a tool (``TaskDoc``) and coming back corrected (``RawDoc`` as read, ``AnnotatedDoc`` once checked).

Each reader returns, per document, its text and the spans people kept, added or fixed. A
document's id is the hash of its text (as in the store), so annotations find their document
whatever the tool named the file.

Taxonomy: a source holds one taxonomy. The exports name it (Label Studio ``data.taxonomy``, a
comment in brat's ``annotation.conf``, the INCEpTION ``taxonomy`` feature); without that the
taxonomy is the one that has every label (SemEval-2023 where both do, as the export default).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spinscope.errors import ConfigError, IngestError
from spinscope.interchange import FORMATS, NAMES, reader
from spinscope.model.document import text_checksum
from spinscope.model.taxonomy import LABELS, PTC2020, SEMEVAL2023
from spinscope.model.wording import plural


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
    annotated: bool = False  # people annotated it in this taxonomy (``human`` may be empty)

    @property
    def shown(self) -> list[Span]:
        """The spans a format that shows one set per document writes: the human ones where
        people annotated the document (none, if they deleted every span), else the machine's."""
        return self.human if self.annotated else self.machine


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
class RawDoc:
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
        raise IngestError(f"Unknown annotation format {fmt!r}. Available: {', '.join(NAMES)}.")
    if not source.exists():
        raise IngestError(f"{source} does not exist; give a {fmt} export.")
    return resolve(reader(fmt)(source))


def resolve(raws: Sequence[RawDoc]) -> list[AnnotatedDoc]:
    """Check spans and labels, and settle the taxonomy of the whole source."""
    for raw in raws:  # a hand-edited name was a KeyError (or TypeError) traceback
        if raw.taxonomy and (not isinstance(raw.taxonomy, str) or raw.taxonomy not in LABELS):
            raise IngestError(
                f"{raw.source}: unknown taxonomy {raw.taxonomy!r}. Available: {', '.join(LABELS)}."
            )
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


def refuse_overwriting_changes(out: Path, planned: Mapping[Path, bytes], fmt: str) -> None:
    """Refuse, before anything is written, an export whose files would replace different ones:
    people correct the files of an earlier export in place (brat's ``.ann``, INCEpTION's XMI),
    and their corrections are not in the store until imported.

    Raises:
        ConfigError: Names the files that differ and how to keep them.
    """
    changed = [p.name for p, data in planned.items() if p.is_file() and p.read_bytes() != data]
    if changed:
        names = ", ".join(changed[:3]) + (", ..." if len(changed) > 3 else "")
        raise ConfigError(
            f"{out} holds {plural(len(changed), 'file')} that this export would change "
            f"({names}); they may hold corrections made in the annotation tool. Give a new "
            f"folder for --out (and keep the corrections with `spinscope import-annotations "
            f"--format {fmt} {out} --out FOLDER --store STORE`)."
        )
