"""Genre under a change of class mix, and the calibration of its score (issue 15).

- ``out_of_fold_logits``: genre logits of every training article from a model that did not see it
  (5 folds stratified by language and genre), so that calibrations can be fitted on training
  answers and measured on held-out ones.
- ``fit_temperature``: one temperature for the softmax, fitted with class-balanced weights (the
  model answers for a uniform prior, so its posteriors are calibrated for that prior);
  ``map_em``: Saerens et al.'s EM with a Dirichlet pull toward the uniform mix, a steadier
  estimate of a batch's genre mix than plain EM on a few dozen articles.
- ``ece_noise``: the ECE that perfectly calibrated scores would still measure on this many
  answers (labels drawn from the scores themselves), the floor below which a measured ECE
  says nothing.
Needs scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spinscope.analysis.calibration import Curve, ece
from spinscope.corpora.semeval23_articles import GENRES
from spinscope.training import framing_multilingual as fm


def train_rows(data: dict) -> tuple[np.ndarray, list[str], list[str]]:
    """The genre training rows of ``framing_multilingual.train_genre`` (six languages' train, the
    English shifted-mix split left out), with each row's language."""
    ids, x, y = data[1, "EN", "train"]
    held = fm.en_shifted_ids(ids, y)
    keep = np.array([i not in held for i in ids])
    xs, ys, langs = [x[keep]], [g for g, k in zip(y, keep, strict=True) if k], []
    langs += ["EN"] * int(keep.sum())
    for lang in fm.DEV_LANGS:
        _, xl, yl = data[1, lang, "train"]
        xs.append(xl)
        ys += yl
        langs += [lang] * len(yl)
    return np.concatenate(xs), ys, langs


def held_splits(data: dict) -> dict[str, tuple[np.ndarray, list[str]]]:
    """The held-out genre splits: each language's dev and the English shifted-mix split."""
    out = {lang: (data[1, lang, "dev"][1], data[1, lang, "dev"][2]) for lang in fm.DEV_LANGS}
    ids, x, y = data[1, "EN", "train"]
    held = fm.en_shifted_ids(ids, y)
    rows = [k for k, i in enumerate(ids) if i in held]
    out["EN_shifted"] = (x[rows], [y[k] for k in rows])
    return out


def logits(w: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    return x @ w["genre_W"].T + w["genre_b"]


def softmax(z: np.ndarray) -> np.ndarray:
    p = np.exp(z - z.max(1, keepdims=True))
    return p / p.sum(1, keepdims=True)


def fit_plain(x: np.ndarray, y: list[str], c: float) -> dict[str, np.ndarray]:
    """Softmax regression without class weights (answers for the training mix)."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    order = [list(lr.classes_).index(g) for g in GENRES]
    return {"genre_W": lr.coef_[order], "genre_b": lr.intercept_[order]}


def out_of_fold_logits(
    x: np.ndarray, y: list[str], langs: Sequence[str], c: float, folds: int = 5
) -> np.ndarray:
    """Logits of each row from the class-balanced model fitted on the other folds."""
    from sklearn.model_selection import StratifiedKFold

    strata = [f"{lang}-{g}" for lang, g in zip(langs, y, strict=True)]
    out = np.zeros((len(y), len(GENRES)))
    for tr, held in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, strata):
        w = fm.fit_genre(x[tr], [y[k] for k in tr], c)
        out[held] = logits(w, x[held])
    return out


def fit_temperature(z: np.ndarray, y: list[str]) -> float:
    """The temperature minimising the class-balanced log loss of ``softmax(z / t)``."""
    idx = np.array([GENRES.index(g) for g in y])
    counts = np.bincount(idx, minlength=len(GENRES)).astype(float)
    weight = (len(idx) / (len(GENRES) * np.maximum(counts, 1)))[idx]
    grid = np.exp(np.linspace(np.log(0.2), np.log(5.0), 161))

    def loss(t: float) -> float:
        p = softmax(z / t)[np.arange(len(idx)), idx]
        return float(-(weight * np.log(np.maximum(p, 1e-12))).sum())

    return float(min(grid, key=loss))


def map_em(
    p: np.ndarray, strength: float = 10.0, iters: int = 200
) -> tuple[np.ndarray, np.ndarray]:
    """EM for a batch's class mix with a symmetric Dirichlet prior (``strength`` pseudo-articles
    spread evenly), from posteriors ``p`` under a uniform training prior."""
    k = p.shape[1]
    prior = np.full(k, 1.0 / k)
    q = p
    for _ in range(iters):
        q = p * (prior * k)
        q /= q.sum(1, keepdims=True)
        new = (q.sum(0) + strength / k) / (len(p) + strength)
        if np.abs(new - prior).max() < 1e-7:
            break
        prior = new
    return prior, q


PLATT_CS = (1e4, 1.0, 0.1, 0.03, 0.01)  # the shrinkage grid of ``sigmoid_cv``


def _logit(x) -> np.ndarray:
    x = np.clip(np.asarray(x, float), 1e-4, 1 - 1e-4)
    return np.log(x / (1 - x))


def platt_c(scores: np.ndarray, right: np.ndarray, folds: int = 5) -> float:
    """The Platt regularisation (sklearn C; small C pulls the curve toward the base rate) with
    the lowest ECE of the out-of-fold calibrated scores in ``folds``-fold CV on these answers
    alone."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    z, y = _logit(scores)[:, None], np.asarray(right, int)
    if min(np.bincount(y, minlength=2)) < folds:
        return PLATT_CS[0]
    oof = {c: np.zeros(len(y)) for c in PLATT_CS}
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=0).split(z, y):
        for c in PLATT_CS:
            oof[c][te] = LogisticRegression(C=c).fit(z[tr], y[tr]).predict_proba(z[te])[:, 1]
    return min(PLATT_CS, key=lambda c: ece(oof[c], y))


def fit_curve(scores: np.ndarray, right: np.ndarray, method: str) -> Curve:
    """``calibrate.fit_curve``'s isotonic and sigmoid curves, and ``sigmoid_cv``: Platt scaling
    whose shrinkage is chosen by inner cross-validation on the answers it is fitted on (a curve
    fitted on a few hundred answers otherwise follows their noise)."""
    from spinscope.training.calibrate import fit_curve as fit

    if method != "sigmoid_cv":
        return fit(scores, right, method)
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(right, int)
    if y.min() == y.max():
        return Curve((0.0, 1.0), (float(y[0]), float(y[0])))
    lr = LogisticRegression(C=platt_c(scores, y)).fit(_logit(scores)[:, None], y)
    xs = np.linspace(0.0, 1.0, 101)
    ys = lr.predict_proba(_logit(xs)[:, None])[:, 1]
    return Curve(tuple(round(float(x), 6) for x in xs), tuple(round(float(v), 6) for v in ys))


def crossfit_curve(
    scores: np.ndarray,
    right: np.ndarray,
    groups: np.ndarray,
    method: str,
    folds: int = 5,
    seed: int = 0,
) -> np.ndarray:
    """Each score calibrated by a curve fitted on the other folds (random folds by group; with
    ``folds=0``, one fold per group: leave one group out)."""
    keys = np.unique(groups)
    rng = np.random.default_rng(seed)
    order = np.arange(len(keys)) if folds == 0 else rng.permutation(len(keys)) % folds
    fold_of = dict(zip(keys.tolist(), order.tolist(), strict=True))
    f = np.array([fold_of[g] for g in groups.tolist()])
    out = np.zeros(len(scores))
    for k in np.unique(f):
        curve = fit_curve(scores[f != k], right[f != k], method)
        out[f == k] = curve(scores[f == k])
    return out


def ece_report(
    scores: Sequence[float] | np.ndarray,
    right: Sequence[int] | np.ndarray,
    groups: Sequence[str],
    method: str,
    splits: Sequence[str] | None = None,
    seeds: int = 10,
) -> dict:
    """Held-out ECE of a calibration curve: cross-fitted over 5 folds by group, repeated with
    ``seeds`` fold draws (one draw's ECE moves by a point or more with the folds); with
    ``splits``, also leave-one-split-out (each split scored by a curve fitted on the others);
    and the band that perfectly calibrated scores would measure on this many answers."""
    s, r, g = np.asarray(scores, float), np.asarray(right, int), np.asarray(groups)
    draws = [crossfit_curve(s, r, g, method, seed=k) for k in range(seeds)]
    eces = [ece(d, r) for d in draws]
    out = {
        "answers": len(s),
        "accuracy": round(float(r.mean()), 4),
        "method": method,
        "ece_raw": round(ece(s, r), 4),
        "ece_crossfit_5fold_mean": round(float(np.mean(eces)), 4),
        "ece_crossfit_5fold_range": [round(float(min(eces)), 4), round(float(max(eces)), 4)],
        "ece_if_calibrated": ece_noise(draws[0]),
    }
    if splits is not None:
        by = crossfit_curve(s, r, np.asarray(splits), method, folds=0)
        out["ece_leave_one_split_out"] = round(ece(by, r), 4)
    return out


def ece_noise(conf: np.ndarray, draws: int = 300) -> dict[str, float]:
    """ECE of labels drawn from ``conf`` itself: mean and 95th percentile over ``draws``."""
    rng = np.random.default_rng(0)
    vals = [ece(conf, rng.random(len(conf)) < conf) for _ in range(draws)]
    return {"mean": round(float(np.mean(vals)), 4), "p95": round(float(np.quantile(vals, 0.95)), 4)}
