"""Train the framing model (genre and frames of SemEval-2023 Task 3, English) and cross-validate it.

Only the English training articles are labelled here (the dev set is withheld), so quality is
measured by article-level k-fold cross-validation: each fold fits the linear models on the other
folds' article vectors and predicts the held-out articles. The shipped model is then fitted on
all 433 articles. Logistic regression per frame (class-balanced, C=4, threshold 0.5) was fixed
before any fold was scored; the genre model's weaker regularisation (C=64) was chosen by this
cross-validation over several fold seeds (``bench/framing_experiments.py``). Needs scikit-learn
(the [train] extra).
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis.framing import CARD, WEIGHTS
from spinscope.analysis.framing_vectors import article_vectors
from spinscope.corpora.semeval23_articles import (
    FRAMES,
    GENRES,
    load_frames,
    load_genres,
    read_article_texts,
)
from spinscope.evaluation.article_labels import frames_micro_f1, genre_macro_f1

C = 4.0
GENRE_C = 64.0
THRESHOLD = 0.5


def dataset(root: Path) -> tuple[list[str], list[str], dict[str, str], dict[str, list[str]]]:
    """English train articles with both a genre and a frame row: ids, texts, genres, frames."""
    genres, frames = load_genres(root, "en", "train"), load_frames(root, "en", "train")
    texts = read_article_texts(root, "en", "train", 1)
    ids = sorted(set(genres) & set(frames) & set(texts))
    return ids, [texts[i] for i in ids], genres, frames


def fit(x: np.ndarray, genres: list[str], frames: list[list[str]]) -> dict[str, np.ndarray]:
    """Linear models on unit article vectors: one logistic regression per frame, one softmax
    regression over the genres."""
    from sklearn.linear_model import LogisticRegression

    w = np.zeros((len(FRAMES), x.shape[1]))
    b = np.full(len(FRAMES), -10.0)  # a frame never seen in training is never predicted
    for j, frame in enumerate(FRAMES):
        y = np.array([frame in f for f in frames], dtype=int)
        if 0 < y.sum() < len(y):
            lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x, y)
            w[j], b[j] = lr.coef_[0], lr.intercept_[0]
    lr = LogisticRegression(C=GENRE_C, max_iter=5000, class_weight="balanced").fit(x, genres)
    order = [list(lr.classes_).index(g) if g in lr.classes_ else None for g in GENRES]
    gw = np.stack([lr.coef_[k] if k is not None else np.zeros(x.shape[1]) for k in order])
    gb = np.array([lr.intercept_[k] if k is not None else -10.0 for k in order])
    if len(lr.classes_) == 2:  # sklearn gives one row for two classes
        raise ValueError("genre training needs all three genres")
    return {"frames_W": w, "frames_b": b, "genre_W": gw, "genre_b": gb}


def predict(weights: dict[str, np.ndarray], x: np.ndarray) -> tuple[list[str], list[list[str]]]:
    genre = [GENRES[int(k)] for k in np.argmax(x @ weights["genre_W"].T + weights["genre_b"], 1)]
    p = 1.0 / (1.0 + np.exp(-(x @ weights["frames_W"].T + weights["frames_b"])))
    frames = [[FRAMES[j] for j in np.nonzero(row >= THRESHOLD)[0]] for row in p]
    return genre, frames


def fold_fits(x: np.ndarray, ids: list[str], genres: dict[str, str],
              frames: dict[str, list[str]], folds: int = 5, seed: int = 0):  # fmt: skip
    """The cross-validation's folds: per fold, the held-out rows of ``x`` and the weights fitted
    on the other folds (stratified by genre). Also gives the out-of-fold scores that the shipped
    calibration is fitted on (``spinscope.training.calibrate_labels.calibrate_framing``)."""
    from sklearn.model_selection import StratifiedKFold

    g = [genres[i] for i in ids]
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, held in splitter.split(x, g):
        yield held, fit(x[train], [g[k] for k in train], [frames[ids[k]] for k in train])


def cross_validate(root: Path, folds: int = 5, seed: int = 0) -> dict:
    """Genre macro-F1 and frames micro-F1 of the recipe by article-level k-fold CV."""
    ids, texts, genres, frames = dataset(Path(root))
    x = np.stack([v.article for v in article_vectors(texts)])
    pred_g: dict[str, str] = {}
    pred_f: dict[str, list[str]] = {}
    for held, w in fold_fits(x, ids, genres, frames, folds, seed):
        pg, pf = predict(w, x[held])
        pred_g.update({ids[k]: lab for k, lab in zip(held, pg, strict=True)})
        pred_f.update({ids[k]: lab for k, lab in zip(held, pf, strict=True)})
    st1 = genre_macro_f1({i: genres[i] for i in ids}, pred_g)
    st2 = frames_micro_f1({i: frames[i] for i in ids}, pred_f)
    return {
        "articles": len(ids),
        "folds": folds,
        "seed": seed,
        "genre_macro_f1": round(st1["macro_f1"], 4),
        "genre_micro_f1": round(st1["micro_f1"], 4),
        "frames_micro_f1": round(st2["micro_f1"], 4),
        "frames_macro_f1": round(st2["macro_f1"], 4),
        "genre": st1,
        "frames": st2,
    }


def train(root: Path, out: Path, folds: int = 5) -> dict:
    """Cross-validate, then fit on all articles and write ``framing.npz`` and ``card.json``."""
    start = time.perf_counter()
    cv = cross_validate(root, folds)
    ids, texts, genres, frames = dataset(Path(root))
    x = np.stack([v.article for v in article_vectors(texts)])
    weights = fit(x, [genres[i] for i in ids], [frames[i] for i in ids])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    arrays_out: dict[str, Any] = {k: v.astype(np.float32) for k, v in weights.items()}
    np.savez(out / WEIGHTS, **arrays_out)
    card = {
        "name": "spinscope-framing-linear",
        "version": str(date.today()),
        "task": "SemEval-2023 Task 3 ST1 genre and ST2 frames (English)",
        "features": "mean of model2vec sentence vectors (distilled all-MiniLM-L6-v2), unit length",
        "model": f"logistic regression per frame (C={C}), softmax over genres (C={GENRE_C}); "
        "class-balanced",
        "threshold": THRESHOLD,
        "genres": list(GENRES),
        "frames": list(FRAMES),
        "training_data": f"{len(ids)} English SemEval-2023 training articles (genre and frames)",
        "cross_validation": {k: v for k, v in cv.items() if k not in ("genre", "frames")},
        "per_label": {"genre": cv["genre"]["per_class"], "frames": cv["frames"]["per_class"]},
        "seconds": round(time.perf_counter() - start, 1),
    }
    (out / CARD).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card
