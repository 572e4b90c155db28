"""What each persuasion technique means, in plain words, for every label of both taxonomies.

Plain data, no I/O. The wording is our own, written from the SemEval-2020 Task 11 and
SemEval-2023 Task 3 annotation guidelines. Examples are invented, neutral sentences about towns,
clubs and shops, so that a report teaches the technique without taking a side.

Each entry has:

* ``name``: a display name ("Name calling / labeling");
* ``definition``: one sentence saying what the technique does;
* ``gist``: the same idea as a verb phrase, so that ``explain`` can write
  ``Loaded language: "shameful betrayal" uses emotionally charged words ...``;
* ``example``: a short invented sentence showing the technique;
* ``differs``: for techniques that are often confused, one line saying how they differ.

The entries themselves are in ``model.technique_definitions``; this module reads them.
"""

from __future__ import annotations

from spinscope.model.taxonomy import LABELS
from spinscope.model.technique_definitions import (
    DEFINITIONS,
    DEFINITIONS_2020,
    DEFINITIONS_2023,
    TechniqueDefinition,
)
from spinscope.model.wording import close_bidi

__all__ = [
    "DEFINITIONS",
    "DEFINITIONS_2020",
    "DEFINITIONS_2023",
    "TechniqueDefinition",
    "definition",
    "differs",
    "display_name",
    "example",
    "explain",
    "in_words",
    "lookup",
    "quote",
    "technique",
]

MAX_QUOTE_CHARS = 80
LOW_CONFIDENCE = 0.5


def technique(taxonomy: str, label: str) -> TechniqueDefinition:
    """The definition entry of ``label`` in ``taxonomy`` ("ptc2020" or "semeval2023").

    Raises:
        KeyError: the taxonomy or the label is unknown; the message lists what is known.
    """
    if taxonomy not in DEFINITIONS:
        raise KeyError(
            f"Unknown taxonomy {taxonomy!r}. Expected one of: {', '.join(sorted(DEFINITIONS))}."
        )
    entries = DEFINITIONS[taxonomy]
    if label not in entries:
        raise KeyError(
            f"Unknown technique {label!r} in taxonomy {taxonomy!r}. "
            f"Known: {', '.join(LABELS[taxonomy])}."
        )
    return entries[label]


def lookup(taxonomy: str, label: str) -> TechniqueDefinition | None:
    """Like ``technique``, but ``None`` for an unknown taxonomy or label (for renderers)."""
    return DEFINITIONS.get(taxonomy, {}).get(label)


def display_name(taxonomy: str, label: str) -> str:
    """A human name for the label; an unknown label is shown as itself, underscores as spaces."""
    entry = lookup(taxonomy, label)
    return entry.name if entry else label.replace("_", " ")


def definition(taxonomy: str, label: str) -> str:
    """One sentence saying what the technique does."""
    return technique(taxonomy, label).definition


def example(taxonomy: str, label: str) -> str:
    """A short, invented, neutral sentence that shows the technique."""
    return technique(taxonomy, label).example


def differs(taxonomy: str, label: str) -> str:
    """How the technique differs from the ones it is often confused with ("" if no note)."""
    return technique(taxonomy, label).differs


def quote(text: str, max_chars: int = MAX_QUOTE_CHARS) -> str:
    """``text`` on one line, whitespace collapsed, cut at a word to ``max_chars`` with '…'; the
    bidi overrides it leaves open are closed after it (``close_bidi``)."""
    flat = " ".join(text.split())
    if len(flat) <= max_chars:
        return close_bidi(flat)
    cut = flat[: max_chars - 1]
    if " " in cut[max_chars // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return close_bidi(cut.rstrip(" ,;:.") + "…")


def in_words(p: float) -> str:
    """``0.68`` -> "right about 7 times in 10 at this confidence" (a calibrated probability)."""
    k = int(round(10 * p))
    if k <= 0:
        return "right less than 1 time in 10 at this confidence"
    if k >= 10:
        return "right nearly always at this confidence"
    return f"right about {k} time{'s' if k > 1 else ''} in 10 at this confidence"


def explain(
    taxonomy: str,
    label: str,
    span_text: str,
    confidence: float,
    *,
    calibrated: bool = False,
    evidence: str = "",
) -> str:
    """One line that names the technique, quotes the evidence and says what it does.

    ``Loaded language: "shameful betrayal" uses emotionally charged words to sway the reader
    rather than inform.`` A calibrated confidence is said in words ("right about 7 times in 10 at
    this confidence, on held-out articles"); ``evidence`` (a sentence on why the span fits, from
    ``analysis.explain``) goes before it. An uncalibrated one below ``LOW_CONFIDENCE`` is
    flagged as uncertain, so that a reader weighs it accordingly. Unknown labels get a generic
    wording rather than an error, so that one odd label never breaks a report.
    """
    entry = lookup(taxonomy, label)
    name = entry.name if entry else display_name(taxonomy, label)
    gist = entry.gist if entry else f"was tagged as {name.lower()}"
    line = f'{name}: "{quote(span_text)}" {gist}.{evidence}'
    if calibrated:
        line += f" ({in_words(confidence).capitalize()}, on held-out articles.)"
    elif confidence < LOW_CONFIDENCE:
        line += f" (Low confidence: {confidence:.2f}.)"
    return line
