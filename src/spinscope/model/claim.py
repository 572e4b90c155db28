"""Plain data for claims: a check-worthy sentence with its figures, times and speaker.

No I/O and no ML. Every offset is a character offset into the document's text, like findings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from spinscope.model.record import Record, TextSpan, shallow_dict


@dataclass(frozen=True)
class Quantity(TextSpan):
    """A number the text states, normalised.

    ``kind`` is money, percent, percentage_points, multiplier, ratio, count, rank or ordinal;
    ``value`` is the number after scale (``$30 billion`` -> 3e10); a range has ``low`` and
    ``high``; ``qualifier`` records "nearly" (``<~``), "more than" (``>``) and the like.
    """

    value: float
    kind: str
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None


@dataclass(frozen=True)
class TimeRef(TextSpan):
    """A time the text refers to: ``kind`` is point, range, since, by, relative, future,
    duration or recurring; ``start_year``/``end_year`` are set where the text names years."""

    kind: str
    start_year: int | None = None
    end_year: int | None = None


@dataclass(frozen=True)
class Mention:
    """A stretch of the text naming someone or something: offsets into the document."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Mention | None:
        return None if data is None else cls(data["start"], data["end"], data["text"])


@dataclass(frozen=True)
class Attribution(Record):
    """Who a claim is from: ``kind`` is author, reported, quote or according_to.

    ``speaker`` is the mention in the sentence; ``entity`` the fullest mention of the same name
    in the text (``Tokayev`` -> ``Kassym-Jomart Tokayev``), or the antecedent of a pronoun.
    """

    kind: str
    speaker: Mention | None = None
    entity: Mention | None = None
    cue: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribution:
        return cls(
            kind=data["kind"],
            speaker=Mention.from_dict(data.get("speaker")),
            entity=Mention.from_dict(data.get("entity")),
            cue=data.get("cue"),
        )


@dataclass(frozen=True)
class Figure:
    """A quantity in its claim: what it states (level, change, projection), its direction, its
    time and what it is about."""

    quantity: Quantity
    statement: str
    direction: str | None
    time: TimeRef | None
    about: Mention | None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.quantity.to_dict(),
            "statement": self.statement,
            "direction": self.direction,
            "time": self.time.to_dict() if self.time else None,
            "about": self.about.to_dict() if self.about else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        return cls(
            quantity=Quantity.from_dict(data),
            statement=data["statement"],
            direction=data.get("direction"),
            time=TimeRef.from_dict(data["time"]) if data.get("time") else None,
            about=Mention.from_dict(data.get("about")),
        )


@dataclass(frozen=True)
class Claim(Record):
    """A sentence worth checking (``text == doc.text[start:end]``), scored for check-worthiness,
    with the figures it states, the times it names and who it is attributed to.

    ``normalized`` and ``embedding`` let the same claim be grouped across articles.
    """

    start: int
    end: int
    text: str
    checkworthiness: float
    figures: list[Figure] = field(default_factory=list)
    times: list[TimeRef] = field(default_factory=list)
    attribution: Attribution = field(default_factory=lambda: Attribution("author"))
    normalized: str = ""
    embedding: list[float] = field(default_factory=list)
    explanation: str = ""
    analyzer: str = "claims"

    def to_dict(self) -> dict[str, Any]:
        return {
            **shallow_dict(self),
            "figures": [f.to_dict() for f in self.figures],
            "times": [t.to_dict() for t in self.times],
            "attribution": self.attribution.to_dict(),
            "embedding": list(self.embedding),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        return super().from_dict(
            {
                **data,
                "figures": [Figure.from_dict(f) for f in data.get("figures", [])],
                "times": [TimeRef.from_dict(t) for t in data.get("times", [])],
                "attribution": Attribution.from_dict(data.get("attribution") or {"kind": "author"}),
                "embedding": list(data.get("embedding", [])),
            }
        )
