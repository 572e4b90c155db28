"""Plain data for article-level labels (genre, frames): each with the sentences that support it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """A sentence that supports a label: offsets into the document, and its share of the score."""

    start: int
    end: int
    text: str
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ArticleLabel:
    """A label of the whole article (``task``: genre or frame) with its score and evidence.

    A label is only emitted with at least one evidence sentence.
    """

    task: str
    label: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    explanation: str = ""
    analyzer: str = "framing"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "evidence": [e.to_dict() for e in self.evidence]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleLabel:
        return cls(
            task=data["task"],
            label=data["label"],
            score=data["score"],
            evidence=[Evidence(**e) for e in data.get("evidence", [])],
            explanation=data.get("explanation", ""),
            analyzer=data.get("analyzer", "framing"),
        )
