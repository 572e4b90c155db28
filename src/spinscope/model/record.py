"""``Record``: the ``to_dict``/``from_dict`` pair of a frozen dataclass whose JSON form is its
fields, in declaration order.

A subclass declares its fields as usual (the base has none, so the order is the subclass's
own); ``from_dict`` ignores keys that are not fields, so that older or newer records load.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Self


@dataclass(frozen=True)
class Record:
    """Base of the plain records written field for field."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


def shallow_dict(record: Any) -> dict[str, Any]:
    """``record``'s fields -> values, in order, the values as they are (not converted)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


@dataclass(frozen=True)
class TextSpan(Record):
    """A stretch of the document's text: ``text == doc.text[start:end]`` (character offsets).

    Subclasses add their fields after these three, so their dicts start with them.
    """

    start: int
    end: int
    text: str
