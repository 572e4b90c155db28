"""Plain data for article-level labels (genre, frames, narratives, entity roles), each with the
sentences that support it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from spinscope.model.record import Record, TextSpan

NOT_SURE = "not sure"  # the label of an article-level answer the analyser could not decide


@dataclass(frozen=True)
class Evidence(TextSpan):
    """A sentence that supports a label: offsets into the document, and its share of the score."""

    weight: float


@dataclass(frozen=True)
class ArticleLabel(Record):
    """A label of the whole article (``task``: genre, frame, narrative, subnarrative or
    entity_role) with its score and evidence.

    A label is only emitted with at least one evidence sentence, except "not sure"
    (``label == NOT_SURE``): the analyser could not decide, ``explanation`` says why, ``best``
    holds its best guess (or ``None``) and ``score`` that guess's score.
    """

    task: str
    label: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    explanation: str = ""
    analyzer: str = "framing"
    # task "entity_role" only: name, main_role, fine_roles, mentions ([start, end] pairs)
    entity: dict[str, Any] | None = None
    best: str | None = None

    @property
    def unsure(self) -> bool:
        return self.label == NOT_SURE

    @classmethod
    def not_sure(
        cls,
        task: str,
        reason: str,
        *,
        best: str | None = None,
        score: float = 0.0,
        analyzer: str = "framing",
        evidence: list[Evidence] | None = None,
        entity: dict[str, Any] | None = None,
    ) -> ArticleLabel:
        """A "not sure" answer for ``task``, saying why in ``reason``."""
        return cls(task, NOT_SURE, score, list(evidence or []), reason, analyzer, entity, best)

    def to_dict(self) -> dict[str, Any]:
        out = {**asdict(self), "evidence": [e.to_dict() for e in self.evidence]}
        if self.entity is None:
            del out["entity"]
        if self.best is None:
            del out["best"]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleLabel:
        return super().from_dict(
            {**data, "evidence": [Evidence(**e) for e in data.get("evidence", [])]}
        )
