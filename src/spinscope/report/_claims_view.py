"""The claims table's view data (for the HTML, Markdown and terminal reports): a row per claim,
and the text cut into pieces at the claims."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# -- claims ------------------------------------------------------------------------------------

ATTRIBUTION_NAMES = {
    "author": "the author",
    "reported": "reported speech",
    "quote": "direct quote",
    "according_to": "according to",
}


@dataclass(frozen=True)
class ClaimRow:
    """One claim as the reports show it, most check-worthy first (``rank`` 1)."""

    rank: int
    anchor: str
    score: float
    text: str
    start: int
    end: int
    figures: tuple[str, ...]
    speaker: str
    explanation: str


@dataclass(frozen=True)
class ClaimPiece:
    """A piece of the text for the claims view: ``role`` is None (plain), claim, figure, time
    or speaker; ``anchor`` is set on the first piece of each claim."""

    text: str
    role: str | None
    anchor: str | None = None
    claim: str | None = None


def readable_value(value: float) -> str:
    """``3e10`` -> ``30 billion``; ``22.3`` -> ``22.3``."""
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:.4g} {word}"
    return f"{value:.4g}" if not float(value).is_integer() else str(int(value))


QUALIFIER_WORDS = {"<~": "nearly ", "~": "about ", ">": "more than ", ">=": "at least ",
                   "<": "less than ", "<=": "up to "}  # fmt: skip


def figure_line(figure: Any) -> str:
    """A figure in words: the quoted text, its value, what it states, its time and subject."""
    q = figure.quantity
    if q.low is not None and q.high is not None:
        value = f"{readable_value(q.low)} to {readable_value(q.high)}"
    else:
        value = readable_value(q.value)
    unit = {"percent": "%", "percentage_points": " percentage points", "multiplier": " times"}
    shown = QUALIFIER_WORDS.get(q.qualifier or "", "") + value
    if q.kind == "money":
        shown += f" {q.unit}"
    elif q.kind in unit:
        shown += unit[q.kind]
    elif q.unit:
        shown += f" {q.unit}"
    parts = [q.kind.replace("_", " "), figure.statement]
    if figure.direction:
        parts.append(figure.direction)
    if figure.time is not None:
        parts.append(f"time: {figure.time.text}")
    if figure.about is not None:
        parts.append(f'about: "{figure.about.text}"')
    return f'"{q.text}" = {shown} ({"; ".join(parts)})'


def speaker_line(attribution: Any) -> str:
    kind = ATTRIBUTION_NAMES.get(attribution.kind, attribution.kind)
    if attribution.kind == "author" or attribution.speaker is None:
        return "the author"
    who = attribution.speaker.text
    if attribution.entity is not None and attribution.entity.text not in who:
        who += f" (= {attribution.entity.text})"
    cue = f', "{attribution.cue}"' if attribution.cue and attribution.kind != "according_to" else ""
    return f"{who}: {kind}{cue}"


def claim_rows(claims: Sequence[Any]) -> list[ClaimRow]:
    """The claims in check-worthiness order with their figures and speaker in words."""
    ordered = sorted(claims, key=lambda c: (-c.checkworthiness, c.start))
    return [
        ClaimRow(
            rank=i,
            anchor=f"claim-{i}",
            score=c.checkworthiness,
            text=c.text,
            start=c.start,
            end=c.end,
            figures=tuple(figure_line(f) for f in c.figures),
            speaker=speaker_line(c.attribution),
            explanation=c.explanation,
        )
        for i, c in enumerate(ordered, start=1)
    ]


def claim_pieces(text: str, claims: Sequence[Any]) -> list[ClaimPiece]:
    """The text cut into pieces: claims marked, and inside them figures, times and speakers."""
    rows = {(r.start, r.end): r for r in claim_rows(claims)}
    out: list[ClaimPiece] = []
    pos = 0
    for c in sorted(claims, key=lambda c: c.start):
        if c.start < pos or c.end > len(text):
            continue  # overlapping or out of range: shown unmarked
        out.append(ClaimPiece(text[pos : c.start], None))
        row = rows[(c.start, c.end)]
        inner = [(f.quantity.start, f.quantity.end, "figure") for f in c.figures]
        inner += [(t.start, t.end, "time") for t in c.times]
        if c.attribution.speaker is not None:
            inner.append((c.attribution.speaker.start, c.attribution.speaker.end, "speaker"))
        cur, first = c.start, True
        for s, e, role in sorted(inner):
            if s < cur or e > c.end:
                continue
            if s > cur:
                out.append(
                    ClaimPiece(text[cur:s], "claim", row.anchor if first else None, row.anchor)
                )
                first = False
            out.append(ClaimPiece(text[s:e], role, row.anchor if first else None, row.anchor))
            first, cur = False, e
        if cur < c.end or first:
            out.append(
                ClaimPiece(text[cur : c.end], "claim", row.anchor if first else None, row.anchor)
            )
        pos = c.end
    out.append(ClaimPiece(text[pos:], None))
    return [p for p in out if p.text]
