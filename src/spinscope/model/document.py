"""Plain, serialisable data: the Document, its Findings and an AnalysisResult.

No I/O and no ML here. One module owns ``to_dict``/``from_dict`` and the schema version, so that
every interface (CLI JSON, HTML report, later the store and the API) writes the same shape.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from spinscope.model.claim import Claim, Mention, Quantity, TimeRef
from spinscope.model.jsonable import plain
from spinscope.model.labels import ArticleLabel
from spinscope.model.language import Language
from spinscope.model.record import TextSpan

# 1.1: claims; 1.2: article labels; 1.3: entity roles; 1.4: tentative; 1.5: document language
SCHEMA_VERSION = "1.5"


def text_checksum(text: str) -> str:
    """The sha256 of the normalised text: the document's identity and the input checksum."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Document:
    """A news text, normalised, with its title and metadata.

    Every finding points into ``text`` by character offsets. ``language`` is set by the pipeline
    (``spinscope.analysis.language``): None until the document has been analysed.
    """

    text: str
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    language: Language | None = None

    @property
    def id(self) -> str:
        """A content hash: the same text is the same document."""
        return text_checksum(self.text)[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "meta": dict(self.meta),
            "language": self.language.to_dict() if self.language else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        language = data.get("language")
        return cls(
            text=data["text"],
            title=data.get("title"),
            meta=dict(data.get("meta") or {}),
            language=Language.from_dict(language) if isinstance(language, dict) else None,
        )


@dataclass(frozen=True)
class Finding(TextSpan):
    """One result: a labelled character span of a document, with its evidence and provenance.

    ``text`` is always ``doc.text[start:end]``. Several findings may cover the same or overlapping
    spans (a span can carry several techniques).
    """

    label: str
    taxonomy: str
    category: str
    confidence: float
    explanation: str
    analyzer: str
    kind: str = "technique"
    # the technique's held-out precision is below the floor (techniques.precision_floor)
    tentative: bool = False
    # whose words the span is in: "author", "quote" (inside quotation marks) or "reported"
    # (attributed speech without quotation marks); None where no analyser has decided
    voice: str | None = None
    # who is quoted or reported, where the attribution names someone
    speaker: str | None = None


@dataclass(frozen=True)
class AnalysisResult:
    """What the analysers found in one document, and what produced it."""

    doc: Document
    findings: list[Finding]
    claims: list[Claim] = field(default_factory=list)
    labels: list[ArticleLabel] = field(default_factory=list)
    models: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def check_offsets(self) -> None:
        """Raise ``AssertionError`` if a finding does not point at its own text."""
        n = len(self.doc.text)
        for f in self.findings:
            assert 0 <= f.start < f.end <= n, f
            assert self.doc.text[f.start : f.end] == f.text, f
        for c in self.claims:
            assert 0 <= c.start < c.end <= n, c
            assert self.doc.text[c.start : c.end] == c.text, c
            spans: list[Quantity | TimeRef | Mention] = [f.quantity for f in c.figures]
            spans += c.times
            spans += [f.about for f in c.figures if f.about]
            spans += [m for m in (c.attribution.speaker, c.attribution.entity) if m]
            for s in spans:
                assert 0 <= s.start < s.end <= n and self.doc.text[s.start : s.end] == s.text, s
        for p in self.doc.language.paragraphs if self.doc.language else ():
            assert 0 <= p.start < p.end <= n, p
        for label in self.labels:
            assert label.evidence or label.unsure, label
            for e in label.evidence:
                assert 0 <= e.start < e.end <= n and self.doc.text[e.start : e.end] == e.text, e

    def to_dict(self) -> dict[str, Any]:
        """The result as built-in Python data only (no numpy scalars: see ``jsonable.plain``),
        so that every writer can hand it to ``json.dumps``."""
        from spinscope import __version__

        data: dict[str, Any] = plain(
            {
                "schema_version": SCHEMA_VERSION,
                "spinscope_version": __version__,
                "document": self.doc.to_dict(),
                "input_sha256": text_checksum(self.doc.text),
                "findings": [f.to_dict() for f in self.findings],
                "claims": [c.to_dict() for c in self.claims],
                "labels": [lab.to_dict() for lab in self.labels],
                "models": list(self.models),
                "settings": dict(self.settings),
                "warnings": list(self.warnings),
            }
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnalysisResult:
        return cls(
            doc=Document.from_dict(data["document"]),
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            claims=[Claim.from_dict(c) for c in data.get("claims", [])],
            labels=[ArticleLabel.from_dict(x) for x in data.get("labels", [])],
            models=list(data.get("models", [])),
            settings=dict(data.get("settings", {})),
            warnings=list(data.get("warnings", [])),
        )
