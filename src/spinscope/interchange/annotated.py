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

from collections.abc import Callable, Mapping, Sequence
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
    source: str  # the file it came from (Label Studio: and its task), for messages


@dataclass
class RawDoc:
    """A document as read, before its labels are checked and its taxonomy is known."""

    text: str
    spans: list[tuple[int, int, str, str]]  # start, end, label, where (file and line or task)
    source: str
    taxonomy: str | None = None


def read_annotations(
    source: str | Path, fmt: str, *, taxonomy: str | None = None
) -> list[AnnotatedDoc]:
    """Read corrected annotations from a Label Studio JSON export, a brat folder, or an
    INCEpTION XMI folder or zip.

    Args:
        taxonomy: The taxonomy of the labels, where the source may not name it (an INCEpTION
            export whose every span was deleted names none); None takes it from the source.

    Raises:
        IngestError: The source is missing or malformed, a span is out of bounds, a label is
            not a technique of the taxonomy (the message names the label and the file), the
            taxonomy is unknown or contradicts the source's, or one text has two sets of spans.
    """
    source = Path(source)
    if fmt not in FORMATS:
        raise IngestError(f"Unknown annotation format {fmt!r}. Available: {', '.join(NAMES)}.")
    if not source.exists():
        raise IngestError(f"{source} does not exist; give a {fmt} export.")
    return resolve(reader(fmt)(source), taxonomy=taxonomy, where=str(source))


def resolve(
    raws: Sequence[RawDoc], *, taxonomy: str | None = None, where: str = "The source"
) -> list[AnnotatedDoc]:
    """Check spans and labels, settle the taxonomy of the whole source (``taxonomy``, where
    given, must agree with the one the source names) and keep one document per text."""
    taxonomy = source_taxonomy(raws, taxonomy, where)
    docs = []
    for raw in raws:
        spans = {_checked(span, raw.text, taxonomy) for span in raw.spans}
        doc_id = text_checksum(raw.text)[:16]
        docs.append(AnnotatedDoc(doc_id, raw.text, sorted(spans, key=_order), taxonomy,
                                 raw.source))  # fmt: skip
    return one_per_text(docs)


def source_taxonomy(raws: Sequence[RawDoc], given: str | None, where: str) -> str:
    """The taxonomy the source names, else ``given``, else the one that has every label
    (SemEval-2023 where both do).

    Raises:
        IngestError: An unknown taxonomy, two of them, one other than ``given``, or nothing to
            tell by (documents, but no span and no name) and none given.
    """
    for name, what in [(r.taxonomy, r.source) for r in raws] + [(given, "--taxonomy")]:
        if name and (not isinstance(name, str) or name not in LABELS):  # a KeyError traceback
            raise IngestError(f"{what}: unknown taxonomy {name!r}. Available: {', '.join(LABELS)}.")
    hints = {r.taxonomy for r in raws if r.taxonomy}
    if len(hints) > 1:
        raise IngestError(f"The annotations mix taxonomies ({', '.join(sorted(hints))}).")
    named = next(iter(hints), None)
    if named and given and named != given:
        raise IngestError(f"{where} names the taxonomy {named}, not {given}; drop --taxonomy.")
    labels = {s[2] for r in raws for s in r.spans}
    if not (named or given or labels) and raws:  # the default was a guess that marked a layer
        raise IngestError(
            f"{where} holds no span and does not name its taxonomy; say which with "
            f"--taxonomy ({' or '.join(LABELS)})."
        )
    fits = [t for t in (SEMEVAL2023, PTC2020) if labels <= set(LABELS[t])]
    return named or given or (fits[0] if fits else SEMEVAL2023)


def _checked(span: tuple[int, int, str, str], text: str, taxonomy: str) -> HumanSpan:
    start, end, label, where = span
    if not label:  # a span drawn in the tool before its label was chosen
        raise IngestError(
            f"A span at {start}-{end} in {where} has no label; label it or delete it in the "
            "annotation tool, then export again."
        )
    if label not in LABELS[taxonomy]:
        raise IngestError(
            f"Unknown label {label!r} in {where}: not a {taxonomy} technique "
            f"(expected one of {', '.join(LABELS[taxonomy])})."
        )
    if 0 <= end <= start <= len(text):  # was "lies outside its text": it lies inside
        what = "is empty" if start == end else "ends before it starts"
        raise IngestError(f"Span {start}-{end} in {where} {what}; correct or delete it.")
    if not 0 <= start < end <= len(text):
        raise IngestError(
            f"Span {start}-{end} in {where} lies outside its text ({len(text)} characters)."
        )
    return HumanSpan(start, end, label)


def one_per_text(docs: list[AnnotatedDoc]) -> list[AnnotatedDoc]:
    """One document per text (the same tasks imported twice into a project, a file copied in a
    brat folder): copies with the same spans are one, copies that differ an error.

    Raises:
        IngestError: Names both copies.
    """
    seen: dict[str, AnnotatedDoc] = {}
    for doc in docs:
        first = seen.setdefault(doc.doc_id, doc)
        if first.spans != doc.spans:
            raise IngestError(
                f"{first.source} and {doc.source} hold the same text with different spans; "
                "keep the one you mean (delete or correct the other) and import again."
            )
    return list(seen.values())


def _order(span: HumanSpan) -> tuple[int, int, str]:
    return span.start, span.end, span.label


def refuse_overwriting_changes(
    out: Path, planned: Mapping[Path, bytes], fmt: str,
    same: Callable[[Path, bytes], bool] | None = None,
) -> None:  # fmt: skip
    """Refuse, before anything is written, an export whose files would replace different ones:
    people correct the files of an earlier export in place (brat's ``.ann``, INCEpTION's XMI),
    and their corrections are not in the store until imported.

    Args:
        same: Whether a file that differs in its bytes holds what the export would write all
            the same (brat: the same spans, numbered otherwise, as after an import).

    Raises:
        ConfigError: Names the files that differ and how to keep them.
    """
    changed = [
        p.name for p, data in planned.items()
        if p.is_file() and p.read_bytes() != data and not (same and same(p, data))
    ]  # fmt: skip
    if changed:
        names = ", ".join(changed[:3]) + (", ..." if len(changed) > 3 else "")
        raise ConfigError(
            f"{out} holds {plural(len(changed), 'file')} that this export would change "
            f"({names}); they may hold corrections made in the annotation tool. Give a new "
            f"folder for --out (and keep the corrections with `spinscope import-annotations "
            f"--format {fmt} {out} --out FOLDER --store STORE`)."
        )
