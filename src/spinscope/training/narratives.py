"""Train the narrative model (SemEval-2025 Task 10 subtask 2, English): narratives and
sub-narratives of news on the Ukraine-Russia war and on climate change.

Same features as the framing model (the mean of the article's model2vec sentence vectors); one
class-balanced logistic regression per label with at least two training articles. A sub-narrative
is only predicted under a predicted narrative; a predicted narrative without a predicted
sub-narrative gets "<narrative>: Other"; an article with no narrative is "Other". The threshold is
chosen by 5-fold cross-validation on the training articles (samples-F1 on sub-narratives); the
English dev set is scored once, by ``spinscope eval semeval25-st2``. Needs scikit-learn.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import numpy as np

from spinscope.analysis.framing import article_vectors
from spinscope.corpora.semeval25 import NarrativeLabels, load_narratives, read_documents
from spinscope.evaluation.article_labels import narrative_scores

C = 4.0
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
WEIGHTS = "narratives.npz"
CARD = "narratives.json"
OTHER = "Other"


def dataset(root: Path, lang: str = "EN", split: str = "train"):
    labels = load_narratives(root, lang, split)
    texts = read_documents(root, lang, split, 2)
    ids = sorted(set(labels) & set(texts))
    return ids, [texts[i] for i in ids], labels


def fit(x: np.ndarray, sets: list[set[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    names = sorted({lab for s in sets for lab in s if lab != OTHER})
    kept, ws, bs = [], [], []
    for name in names:
        y = np.array([name in s for s in sets], dtype=int)
        if y.sum() < 2 or y.sum() == len(y):
            continue
        lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x, y)
        kept.append(name)
        ws.append(lr.coef_[0])
        bs.append(lr.intercept_[0])
    return kept, np.array(ws), np.array(bs)


def predict_sets(model: dict, x: np.ndarray, threshold: float) -> list[NarrativeLabels]:
    """Hierarchically consistent predictions for article vectors ``x``."""
    pn = 1 / (1 + np.exp(-(x @ model["narr_W"].T + model["narr_b"])))
    ps = 1 / (1 + np.exp(-(x @ model["sub_W"].T + model["sub_b"])))
    out = []
    for row_n, row_s in zip(pn, ps, strict=True):
        narrs = [n for n, p in zip(model["narratives"], row_n, strict=True) if p >= threshold]
        if not narrs:
            out.append(NarrativeLabels((OTHER,), (OTHER,)))
            continue
        subs = []
        for n in narrs:
            mine = [s for s, p in zip(model["subnarratives"], row_s, strict=True)
                    if p >= threshold and s.startswith(n + ": ")]  # fmt: skip
            subs += mine or [f"{n}: {OTHER}"]
        out.append(NarrativeLabels(tuple(narrs), tuple(subs)))
    return out


def fit_model(x: np.ndarray, labels: list[NarrativeLabels]) -> dict:
    narrs, nw, nb = fit(x, [set(lab.narratives) for lab in labels])
    subs, sw, sb = fit(x, [set(lab.subnarratives) for lab in labels])
    return {"narratives": narrs, "narr_W": nw, "narr_b": nb,
            "subnarratives": subs, "sub_W": sw, "sub_b": sb}  # fmt: skip


def choose_threshold(x: np.ndarray, labels: list[NarrativeLabels], folds: int = 5) -> dict:
    """Samples-F1 (fine) of each threshold by k-fold CV on the training articles."""
    from sklearn.model_selection import KFold

    preds = {t: [None] * len(labels) for t in THRESHOLDS}
    for train, held in KFold(folds, shuffle=True, random_state=0).split(x):
        model = fit_model(x[train], [labels[k] for k in train])
        for t in THRESHOLDS:
            for k, p in zip(held, predict_sets(model, x[held], t), strict=True):
                preds[t][k] = p
    gold = {str(k): lab for k, lab in enumerate(labels)}
    scores = {
        t: narrative_scores(gold, {str(k): p for k, p in enumerate(preds[t])}) for t in THRESHOLDS
    }
    best = max(THRESHOLDS, key=lambda t: scores[t]["fine"]["f1"])
    return {
        "threshold": best,
        "cv_fine_f1_by_threshold": {str(t): round(s["fine"]["f1"], 4) for t, s in scores.items()},
        "cv_coarse_f1_by_threshold": {
            str(t): round(s["coarse"]["f1"], 4) for t, s in scores.items()
        },
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
    np.savez(out / WEIGHTS, **{k: np.asarray(model[k], np.float32)
                               for k in ("narr_W", "narr_b", "sub_W", "sub_b")})  # fmt: skip
    card = {
        "name": "spinscope-narratives-linear",
        "version": str(date.today()),
        "task": "SemEval-2025 Task 10 subtask 2, narratives and sub-narratives",
        "language": lang,
        "training_articles": len(ids),
        "narratives": model["narratives"],
        "subnarratives": model["subnarratives"],
        "threshold": choice["threshold"],
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
    x = np.stack([v.article for v in article_vectors(texts)])
    pred = dict(zip(ids, predict_sets(model, x, model["threshold"]), strict=True))
    scores = narrative_scores({i: labels[i] for i in ids}, pred)
    return {
        "task": "semeval2025-task10-st2",
        "language": lang,
        "split": split,
        "documents": len(ids),
        "threshold": model["threshold"],
        "f1_fine": round(scores["fine"]["f1"], 4),
        "f1_fine_sd": round(scores["fine"]["std"], 4),
        "f1_coarse": round(scores["coarse"]["f1"], 4),
        "f1_coarse_sd": round(scores["coarse"]["std"], 4),
    }
