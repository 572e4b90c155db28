"""Private: the data both report renderers show, computed once and free of any markup.

The HTML and terminal views differ only in how they draw this data ("compute data" here,
"format data" in ``html.py`` and ``terminal.py``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spinscope.model.definitions import display_name, explain
from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.model.labels import NOT_SURE
from spinscope.model.language import Language, describe
from spinscope.model.taxonomy import CATEGORIES_2023, PTC2020, SEMEVAL2023, category
from spinscope.report._claims_view import (  # noqa: F401 -- the report modules read them here
    ATTRIBUTION_NAMES,
    QUALIFIER_WORDS,
    ClaimPiece,
    ClaimRow,
    claim_pieces,
    claim_rows,
    figure_line,
    readable_value,
    speaker_line,
)

OTHER = "Other"
CATEGORY_ORDER: tuple[str, ...] = (*CATEGORIES_2023, OTHER)
TAXONOMY_ORDER: tuple[str, ...] = (SEMEVAL2023, PTC2020)
TAXONOMY_NAMES = {
    SEMEVAL2023: "SemEval-2023 (23 techniques)",
    PTC2020: "PTC / SemEval-2020 (14 techniques)",
}
META_ORDER: tuple[str, ...] = ("source", "url", "author", "date", "site", "language")


@dataclass(frozen=True)
class Segment:
    """A piece of the text between two finding boundaries, and the findings covering all of it.

    ``findings`` is ordered outermost first, so the last one is the innermost.
    """

    text: str
    findings: tuple[Finding, ...]

    @property
    def innermost(self) -> Finding | None:
        return self.findings[-1] if self.findings else None


@dataclass(frozen=True)
class Count:
    """How many findings of one technique a taxonomy has."""

    label: str
    name: str
    category: str
    n: int


def normalise(result: AnalysisResult | Mapping[str, Any]) -> tuple[AnalysisResult, dict[str, Any]]:
    """The result as an object and as its ``to_dict`` shape (the dict carries the versions).

    Raises:
        TypeError: ``result`` is neither an ``AnalysisResult`` nor a mapping.
    """
    if isinstance(result, AnalysisResult):
        return result, result.to_dict()
    if isinstance(result, Mapping):
        return AnalysisResult.from_dict(dict(result)), dict(result)
    raise TypeError(
        "Expected an AnalysisResult or the dict from AnalysisResult.to_dict(), "
        f"got {type(result).__name__}."
    )


def sort_key(finding: Finding) -> tuple[int, int, str]:
    """Position order; at one start, the longer (outer) finding first."""
    return (finding.start, -finding.end, finding.label)


def finding_category(finding: Finding) -> str:
    """The finding's category, from the finding or else from its taxonomy; ``Other`` if none."""
    if finding.category in CATEGORIES_2023:
        return finding.category
    try:
        return category(finding.taxonomy, finding.label)
    except KeyError:
        return OTHER


def finding_explanation(finding: Finding) -> str:
    """The analyser's explanation, or a generated one when the analyser left it empty."""
    if finding.explanation:
        return finding.explanation
    return explain(finding.taxonomy, finding.label, finding.text, finding.confidence)


def slug(value: str) -> str:
    """A CSS-safe class fragment: lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def of_taxonomy(findings: Iterable[Finding], taxonomy: str) -> list[Finding]:
    """The findings of one taxonomy, in position order."""
    return sorted((f for f in findings if f.taxonomy == taxonomy), key=sort_key)


def taxonomies(findings: Iterable[Finding], default: str = SEMEVAL2023) -> list[str]:
    """The taxonomies to show: ``default`` first, the known ones, then any other present."""
    present = {f.taxonomy for f in findings} | {default}
    known = [t for t in (default, *TAXONOMY_ORDER) if t in present]
    ordered = list(dict.fromkeys(known))
    return ordered + sorted(present - set(ordered))


def in_bounds(findings: Iterable[Finding], text: str) -> list[Finding]:
    """Findings whose offsets fit the text (a bad one is left out of the highlighting)."""
    return [f for f in findings if 0 <= f.start < f.end <= len(text)]


def segments(text: str, findings: Sequence[Finding]) -> list[Segment]:
    """Split ``text`` at every finding boundary; overlapping and nested findings both work."""
    spans = sorted(in_bounds(findings, text), key=sort_key)
    cuts = sorted({0, len(text), *(f.start for f in spans), *(f.end for f in spans)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = tuple(f for f in spans if f.start <= a and f.end >= b)
        out.append(Segment(text[a:b], _outer_first(covering)))
    return out


def _outer_first(covering: tuple[Finding, ...]) -> tuple[Finding, ...]:
    return tuple(sorted(covering, key=lambda f: (-(f.end - f.start), f.start, f.label)))


def counts(findings: Iterable[Finding]) -> list[Count]:
    """Findings per technique, most frequent first."""
    findings = list(findings)
    n = Counter((f.taxonomy, f.label) for f in findings)
    cats = {(f.taxonomy, f.label): finding_category(f) for f in findings}
    rows = [Count(lab, display_name(tax, lab), cats[(tax, lab)], k) for (tax, lab), k in n.items()]
    return sorted(rows, key=lambda c: (-c.n, c.name))


def categories_used(findings: Iterable[Finding]) -> list[str]:
    """The categories present, in the fixed legend order."""
    used = {finding_category(f) for f in findings}
    return [c for c in CATEGORY_ORDER if c in used]


def meta_items(meta: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Metadata to show as (key, value) strings: the usual keys first, empty values dropped,
    each on one line (an outlet of "Daily\nlanguage: ..." printed a forged header line)."""
    keys = [k for k in META_ORDER if k in meta] + sorted(k for k in meta if k not in META_ORDER)
    return [
        (" ".join(str(k).split()), " ".join(str(meta[k]).split()))
        for k in keys
        if meta[k] not in (None, "", [], {})
    ]


def document_meta(doc: Document) -> list[tuple[str, str]]:
    """The document's metadata to show, with its detected language as "language" (a language
    the input's metadata gave, where it differs, as "language given")."""
    meta = {k: v for k, v in doc.meta.items() if k != "title"}
    line = language_line(doc.language)
    if line:
        given = meta.pop("language", None)
        if given not in (None, "", doc.language.code if doc.language else None):
            meta["language given"] = given
        meta["language"] = line
    return meta_items(meta)


def language_line(lang: Language | None) -> str | None:
    """The detected language on one line: ``English (en), confidence 0.99; also Hungarian (hu)
    in 2 of 9 paragraphs; read zero-shot by techniques``."""
    if lang is None:
        return None
    if not lang.known:
        return "unknown (too little text to tell)"
    parts = [f"{describe(lang.code)}, confidence {lang.confidence:.2f}"]
    total = len(lang.paragraphs)
    parts += [
        f"also {describe(code)} in {n} of {total} paragraphs" for code, n in lang.others().items()
    ]
    if lang.zero_shot:
        parts.append(f"read zero-shot by {', '.join(lang.zero_shot)}")
    return "; ".join(parts)


def model_line(model: Mapping[str, Any]) -> str:
    """One model's provenance on one line: name, version, then the other fields."""
    name_key = "name" if model.get("name") else "id"
    name = str(model.get(name_key) or "model")
    version = model.get("version")
    shown = (name_key, "version")
    rest = ", ".join(f"{k}={v}" for k, v in model.items() if k not in shown)
    line = f"{name} {version}" if version else name
    return f"{line} ({rest})" if rest else line


# -- article-level labels ----------------------------------------------------------------------

TASK_NAMES = {
    "genre": "Genre",
    "frame": "Frame",
    "narrative": "Narrative",
    "subnarrative": "Sub-narrative",
    "entity_role": "Role",
}


@dataclass(frozen=True)
class LabelRow:
    """An article-level label as the reports show it: genre first, then frames by score.

    A "not sure" label (``unsure``) has ``name`` "not sure" (for a role, "<entity>: not sure"),
    its reason in ``explanation`` and the analyser's best guess, if any, in ``best``; its
    ``score`` is that guess's, and the reports show it only next to the guess, never as the
    label's own. ``evidence`` may be empty.
    """

    task: str
    name: str
    score: float
    evidence: tuple[tuple[int, int, str], ...]
    explanation: str
    unsure: bool = False
    best: str | None = None

    @property
    def score_text(self) -> str:
        """The score as the label's column shows it: a dash for "not sure"."""
        return "–" if self.unsure else f"{self.score:.2f}"

    @property
    def best_text(self) -> str:
        """ "best guess: <guess> (0.42), not a finding" for a not-sure label with a guess, else
        empty."""
        if not self.unsure or not self.best:
            return ""
        return f"best guess: {self.best} ({self.score:.2f}), not a finding"


def _label_name(label: Any) -> str:
    entity = getattr(label, "entity", None)
    if _unsure(label):
        name = (entity or {}).get("name")
        return f"{name}: {NOT_SURE}" if name else NOT_SURE
    if entity:  # "Vladimir Putin: Antagonist (Tyrant, Instigator)"
        fine = ", ".join(entity.get("fine_roles") or [])
        return f"{entity['name']}: {entity['main_role']}" + (f" ({fine})" if fine else "")
    return label.label.replace("_", " ")


def _unsure(label: Any) -> bool:
    return getattr(label, "label", None) == NOT_SURE


def _best_name(label: Any) -> str | None:
    """A not-sure label's best guess in words ("opinion", "Antagonist (Conspirator)")."""
    best = getattr(label, "best", None)
    if not best:
        return None
    entity = getattr(label, "entity", None) or {}
    if entity.get("main_role") and best == entity["main_role"]:
        fine = ", ".join(entity.get("fine_roles") or [])
        return best + (f" ({fine})" if fine else "")
    return str(best).replace("_", " ")


# what a result shows -> its name, the analysers that give it (pipeline.analyzers may leave
# them out) and how to say so
_GIVEN_BY = {
    "techniques": (
        "persuasion techniques",
        ("techniques", "techniques_paragraphs"),
        "the technique analysers did not run",
    ),
    "claims": ("check-worthy claims", ("claims",), "the claims analyser did not run"),
}


def looked_for(result: Any, what: str) -> bool:
    """Whether an analyser that gives ``what`` ("techniques" or "claims") ran on ``result``; a
    result whose models do not name their analysers (hand-built, older) is taken to say yes."""
    ran = [m.get("analyzer") for m in result.models if m.get("analyzer")]
    return not ran or any(name in _GIVEN_BY[what][1] for name in ran)


def none_found(result: Any, what: str) -> str:
    """Why a result has no technique findings (``what="techniques"``) or no claims
    (``"claims"``), in one sentence: none was found, or the analysers that look did not run."""
    name, _, not_run = _GIVEN_BY[what]
    return (
        f"No {name} were found in this text."
        if looked_for(result, what)
        else f"No {name}: {not_run}."
    )


def no_labels_reason(result: Any) -> str:
    """Why a result has no genre, frames or narratives, in one sentence (terminal, HTML report
    and web page alike)."""
    framing = next((m for m in result.models if m.get("analyzer") == "framing"), None)
    if framing is None:
        return "No article-level labels: the framing analyser did not run."
    fewest = (framing.get("settings") or {}).get("min_words") or 0
    if len(result.doc.text.split()) < fewest:
        return f"No genre, frames or narratives: the text has fewer than {fewest} words."
    return "No genre, frames or narratives with supporting sentences."


def label_rows(labels: Sequence[Any]) -> list[LabelRow]:
    order = {"genre": 0, "frame": 1, "narrative": 2, "subnarrative": 2, "entity_role": 3}
    # a sub-narrative sorts under its narrative ("URW: Blaming the war on others: ...")
    ranked = sorted(labels, key=lambda x: (order.get(x.task, 3), x.task in ("narrative",
                    "subnarrative") and x.label or "", _unsure(x), -x.score, x.label))  # fmt: skip
    return [
        LabelRow(
            task=TASK_NAMES.get(x.task, x.task),
            name=_label_name(x),
            score=x.score,
            evidence=tuple((e.start, e.end, e.text) for e in x.evidence or ()),
            explanation=x.explanation or ("" if not _unsure(x) else "No reason was given."),
            unsure=_unsure(x),
            best=_best_name(x) if _unsure(x) else None,
        )
        for x in ranked
    ]


# -- whose voice -------------------------------------------------------------------------------

VOICE_VIEWS = ("author", "all")


def by_voice(findings: Iterable[Finding], voice: str = "author") -> list[Finding]:
    """The findings a view shows: with ``voice="author"`` the author's own (a finding no step
    has given a voice counts as the author's), with ``"all"`` every one.

    Raises:
        ValueError: ``voice`` is neither "author" nor "all".
    """
    if voice not in VOICE_VIEWS:
        raise ValueError(f"voice must be one of {', '.join(VOICE_VIEWS)}, got {voice!r}")
    findings = list(findings)
    if voice == "all":
        return findings
    return [f for f in findings if f.voice in (None, "author")]


def hidden_by_voice(findings: Iterable[Finding], voice: str) -> str | None:
    """What an author-only view leaves out, in words ("3 findings in quotes or reported speech
    are hidden; --voice all shows them"), or None where nothing is hidden."""
    findings = list(findings)
    n = len(findings) - len(by_voice(findings, voice))
    if not n:
        return None
    what = "finding" if n == 1 else "findings"
    verb = "is" if n == 1 else "are"
    return (
        f"Showing the author's voice only: {n} {what} in quotes or reported speech {verb} "
        'hidden (--voice all, or report.voice = "all", shows them).'
    )
