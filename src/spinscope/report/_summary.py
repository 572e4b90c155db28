"""Private: what the HTML report and the web page put first, computed free of markup.

- the view filters: whose voice a finding is in (``None`` counts as the author's) and whether a
  finding is hidden by default (below the precision floor, or at confidence 0.00);
- the at-a-glance summary: language, genre, the author's top techniques per 1,000 words,
  frames and narratives, the top claims, and the caveats that say what is missing and why;
- the provenance in words: one row per model, and the settings that differ from the defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any

from spinscope.model.document import AnalysisResult, Finding
from spinscope.model.labels import NOT_SURE
from spinscope.report import _view
from spinscope.settings import SCHEMA

AUTHOR = "author"
VOICE_NAMES = {"quote": "quoted", "reported": "reported speech", AUTHOR: "the author"}
TOP_TECHNIQUES = 5
TOP_CLAIMS = 3
NARRATIVE_DOMAINS = "the war in Ukraine and climate change (SemEval-2025 Task 10)"


# -- filters -----------------------------------------------------------------------------------


def voice_of(finding: Finding) -> str:
    """The finding's voice; a finding no analyser has decided counts as the author's."""
    return finding.voice or AUTHOR


def is_author(finding: Finding) -> bool:
    return voice_of(finding) == AUTHOR


def hidden_by_default(finding: Finding) -> bool:
    """Below the precision floor (``tentative``) or shown as confidence 0.00."""
    return finding.tentative or round(finding.confidence, 2) <= 0.0


def voice_line(finding: Finding) -> str:
    """``the author``, ``quoted: Judge Timothy Kelly``, ``reported speech`` ..."""
    voice = voice_of(finding)
    name = VOICE_NAMES.get(voice, voice)
    if voice == AUTHOR or not finding.speaker:
        return name
    return f"{name}: {finding.speaker}"


@dataclass(frozen=True)
class State:
    """One combination of the report's switches."""

    taxonomy: str
    all_voices: bool
    show_hidden: bool

    @property
    def key(self) -> str:
        voices = "all" if self.all_voices else "author"
        shown = "every" if self.show_hidden else "reliable"
        return f"s-{_view.slug(self.taxonomy)}-{voices}-{shown}"

    def shows(self, finding: Finding) -> bool:
        return (
            finding.taxonomy == self.taxonomy
            and (self.all_voices or is_author(finding))
            and (self.show_hidden or not hidden_by_default(finding))
        )


VOICES = ("author", "all")


def states(taxonomies: Sequence[str], voice: str = AUTHOR) -> list[State]:
    """Every switch combination, the default first: the first taxonomy, ``voice`` ("author":
    the author's words only, or "all") and no tentative findings.

    Raises:
        ValueError: ``voice`` is neither "author" nor "all".
    """
    if voice not in VOICES:
        raise ValueError(f"voice must be one of {', '.join(VOICES)}, got {voice!r}")
    voices = (voice == "all", voice != "all")
    return [State(t, v, h) for t, v, h in product(taxonomies, voices, (False, True))]


def visible(findings: Iterable[Finding], state: State) -> list[Finding]:
    return sorted((f for f in findings if state.shows(f)), key=_view.sort_key)


# -- summary -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TechniqueRate:
    name: str
    category: str
    n: int
    per_1000: float

    @property
    def text(self) -> str:
        return f"{self.name}: {self.n} ({self.per_1000:.1f} per 1,000 words)"


@dataclass(frozen=True)
class TaxonomySummary:
    """The author's reliable findings of one taxonomy, and what the default view leaves out."""

    taxonomy: str
    name: str
    top: tuple[TechniqueRate, ...]
    n_author: int
    n_other_voices: int
    n_hidden: int

    @property
    def slug(self) -> str:
        return _view.slug(self.taxonomy)


@dataclass(frozen=True)
class Summary:
    words: int
    language: str
    genre: str
    genre_note: str
    frames: tuple[str, ...]
    narratives: tuple[str, ...]
    claims: tuple[_view.ClaimRow, ...]
    taxonomies: tuple[TaxonomySummary, ...]
    caveats: tuple[str, ...] = field(default=())


def taxonomy_header(findings: Sequence[Finding], taxonomy: str) -> dict[str, Any]:
    """A taxonomy switch's entry as the HTML report and the web page both show it: its key, slug
    and name, and how many of ``findings`` (of that taxonomy) the default view shows."""
    default = State(taxonomy, all_voices=False, show_hidden=False)
    return {
        "taxonomy": taxonomy,
        "slug": _view.slug(taxonomy),
        "name": _view.TAXONOMY_NAMES.get(taxonomy, taxonomy),
        "n": len(visible(findings, default)),
    }


def word_count(text: str) -> int:
    return len(text.split())


def taxonomy_summary(result: AnalysisResult, taxonomy: str, words: int) -> TaxonomySummary:
    own = [f for f in result.findings if f.taxonomy == taxonomy]
    shown = [f for f in own if is_author(f) and not hidden_by_default(f)]
    per = 1000 / max(words, 1)
    top = tuple(
        TechniqueRate(c.name, c.category, c.n, c.n * per)
        for c in _view.counts(shown)[:TOP_TECHNIQUES]
    )
    return TaxonomySummary(
        taxonomy=taxonomy,
        name=_view.TAXONOMY_NAMES.get(taxonomy, taxonomy),
        top=top,
        n_author=len(shown),
        n_other_voices=sum(not is_author(f) for f in own),
        n_hidden=sum(is_author(f) and hidden_by_default(f) for f in own),
    )


def _genre(result: AnalysisResult) -> tuple[str, str]:
    genre = next((x for x in result.labels if x.task == "genre"), None)
    if genre is None:
        return "not given", _view.no_labels_reason(result)
    if genre.label != NOT_SURE:
        return f"{genre.label.replace('_', ' ')} ({genre.score:.2f})", ""
    note = genre.explanation or "No reason was given."
    if genre.best and str(genre.best) not in note:
        note += f" Best guess: {str(genre.best).replace('_', ' ')} ({genre.score:.2f})."
    return NOT_SURE, note


def _names(result: AnalysisResult, *tasks: str) -> tuple[str, ...]:
    return tuple(
        f"{x.label.replace('_', ' ')} ({x.score:.2f})"
        for x in sorted(result.labels, key=lambda x: -x.score)
        if x.task in tasks and x.label != NOT_SURE
    )


def summary(result: AnalysisResult, taxonomies: Sequence[str]) -> Summary:
    """The at-a-glance block for ``result``; ``taxonomies`` in the order the report shows them."""
    words = word_count(result.doc.text)
    genre, note = _genre(result)
    return Summary(
        words=words,
        language=_view.language_line(result.doc.language) or "not detected",
        genre=genre,
        genre_note=note,
        frames=_names(result, "frame"),
        narratives=_names(result, "narrative", "subnarrative"),
        claims=tuple(_view.claim_rows(result.claims)[:TOP_CLAIMS]),
        taxonomies=tuple(taxonomy_summary(result, t, words) for t in taxonomies),
        caveats=tuple(caveats(result)),
    )


def _model(result: AnalysisResult, analyzer: str) -> Mapping[str, Any] | None:
    return next((m for m in result.models if m.get("analyzer") == analyzer), None)


def caveats(result: AnalysisResult) -> list[str]:
    """What the reader should know is missing or partial, each in one sentence."""
    out = [*_language_caveats(result), *_label_caveats(result)]
    if result.findings and all(f.voice is None for f in result.findings):
        out.append(
            "Whose voice each finding is in was not decided for this result, so every finding "
            "counts as the author's, quotations included."
        )
    return out


def _language_caveats(result: AnalysisResult) -> list[str]:
    lang = result.doc.language
    if lang is None:
        return []
    out = []
    if lang.unsupported:
        out.append(
            f"Not read by {', '.join(lang.unsupported)}: they do not support the text's "
            "language, so their findings are missing."
        )
    if lang.zero_shot:
        out.append(
            f"Read zero-shot by {', '.join(lang.zero_shot)} (trained on other languages): "
            "expect more misses and mistakes."
        )
    return out


def _label_caveats(result: AnalysisResult) -> list[str]:
    tasks = {x.task for x in result.labels if x.label != NOT_SURE}
    out = []
    framing = _model(result, "framing")
    if framing is None:
        out.append(_view.no_labels_reason(result))
    elif not tasks & {"narrative", "subnarrative"}:
        if word_count(result.doc.text) < ((framing.get("settings") or {}).get("min_words") or 0):
            out.append("No narratives: " + _view.no_labels_reason(result).split(": ", 1)[-1])
        else:
            out.append(
                "No narratives: none scored above the model's threshold. The narrative model "
                f"knows only the narratives of {NARRATIVE_DOMAINS}."
            )
    if "entity_role" not in tasks:
        out.append(_roles_caveat(result))
    return out


def _roles_caveat(result: AnalysisResult) -> str:
    if _model(result, "roles") is None or result.settings.get("roles.enabled") is False:
        return (
            "No roles (protagonist, antagonist, innocent): the roles analyser did not run; "
            "it is off by default (turn it on with --set roles.enabled=true)."
        )
    return (
        "No roles: no person or organisation was mentioned often enough, or scored high "
        "enough, to be given one."
    )


# -- provenance --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelRow:
    analyser: str
    model: str
    version: str
    date: str
    details: str


@dataclass(frozen=True)
class SettingRow:
    name: str
    value: str
    default: str
    meaning: str


MODEL_DETAILS = ("variant", "embedder", "encoder", "spacy_model", "id")
HIDDEN_FIELDS = {"analyzer", "version", "model", "model_version", "name", "settings"}


def _plain(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(map(_plain, value))
    return str(value)


def model_rows(models: Iterable[Mapping[str, Any]]) -> list[ModelRow]:
    """One row per model: what ran, which model file, its version and its date, in words."""
    rows = []
    for m in models:
        details = [_plain(m[k]) for k in MODEL_DETAILS if m.get(k) and isinstance(m[k], str)]
        rows.append(
            ModelRow(
                analyser=str(m.get("analyzer") or "–"),
                model=str(m.get("model") or m.get("name") or m.get("id") or "–"),
                version=str(m.get("version") or "–"),
                date=str(m.get("model_version") or "–"),
                details="; ".join(details),
            )
        )
    return rows


def checksums(models: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(model, "file: sha256") pairs for the reproducibility box."""
    out = []
    for m in models:
        name = str(m.get("model") or m.get("name") or m.get("analyzer") or "model")
        for key, value in m.items():
            if "sha256" in key and isinstance(value, str):
                out.append((name, f"{key}: {value}"))
            elif "sha256" in key and isinstance(value, Mapping):
                out += [(name, f"{k}: {v}") for k, v in value.items()]
    return out


def changed_settings(settings: Mapping[str, Any]) -> list[SettingRow]:
    """The settings that differ from their defaults, with their meaning from the schema."""
    rows = []
    for name, value in settings.items():
        spec = SCHEMA.get(name)
        if spec is None or spec.secret or _same(value, spec.default):
            continue
        rows.append(SettingRow(name, _shown(value), _shown(spec.default), spec.help))
    return rows


def _same(value: Any, default: Any) -> bool:
    return value == default or _shown(value) == _shown(default)


def _shown(value: Any) -> str:
    if value in ("", None):
        return "(empty)"
    if isinstance(value, bool):
        return "on" if value else "off"
    return _plain(value)
