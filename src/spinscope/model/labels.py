"""Plain data for article-level labels (genre, frames, narratives, entity roles), each with the
sentences that support it."""

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
    """A label of the whole article (``task``: genre, frame, narrative, subnarrative or
    entity_role) with its score and evidence.

    A label is only emitted with at least one evidence sentence.
    """

    task: str
    label: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    explanation: str = ""
    analyzer: str = "framing"
    # task "entity_role" only: name, main_role, fine_roles, mentions ([start, end] pairs)
    entity: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {**asdict(self), "evidence": [e.to_dict() for e in self.evidence]}
        if self.entity is None:
            del out["entity"]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleLabel:
        return cls(
            task=data["task"],
            label=data["label"],
            score=data["score"],
            evidence=[Evidence(**e) for e in data.get("evidence", [])],
            explanation=data.get("explanation", ""),
            analyzer=data.get("analyzer", "framing"),
            entity=data.get("entity"),
        )
