"""Experiment (issue 15): hashed lexical heads beside the shipped English narrative model.

The shipped model (``training.narratives``: one class-balanced logistic regression per label and
a gate over the mean model2vec article vector) gets a second set of heads over the hashed word +
character 2-4-gram TF-IDF of the article (``analysis._text_hash``, as the paragraph technique
model of issue 14). Per label the two logits are mixed, ``(1 - alpha) * z_vec + alpha * z_lex``,
then the shipped decision rule. ``C_lex``, ``alpha`` and the three thresholds are chosen by 5-fold
CV on the 399 English training articles only (samples-F1 on sub-narratives, the shipped rule;
idf fitted on each fold's training part); ``alpha = 0`` is the shipped model. ``--dev`` scores the
chosen setting once on English dev as ``training.narratives.evaluate`` does. ``--keep K`` keeps only
the K largest lexical weights per head (the rest zero), the size a shippable head could have.

    PYTHONPATH=src python bench/narrative_lexical.py --data ../shared/data [--dev]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse

from spinscope.analysis._text_hash import counts
from spinscope.analysis.framing_vectors import article_vectors
from spinscope.corpora.semeval25 import load_taxonomy
from spinscope.evaluation.article_labels import narrative_scores
from spinscope.training import narratives as nar

ALPHAS = (0.0, 0.2, 0.35, 0.5, 0.65)


def matrix(bags: list[Counter[int]], idf: np.ndarray) -> sparse.csr_matrix:
    """Rows as ``_text_hash.row``: sublinear tf times idf, unit length."""
    rows, cols, vals = [], [], []
    for k, bag in enumerate(bags):
        idx = np.fromiter(bag.keys(), np.int64, len(bag))
        val = (1.0 + np.log(np.fromiter(bag.values(), np.float64, len(bag)))) * idf[idx]
        val /= max(float(np.linalg.norm(val)), 1e-12)
        rows += [k] * len(idx)
        cols += idx.tolist()
        vals += val.tolist()
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(bags), len(idf)))


def idf_of(bags: list[Counter[int]], buckets: int) -> np.ndarray:
    df = np.zeros(buckets)
    for bag in bags:
        df[list(bag)] += 1
    return np.log((1.0 + len(bags)) / (1.0 + df)) + 1.0


def lexical_heads(xl, labels, model: dict, c_lex: float, keep: int) -> dict:
    """Heads for the same labels (and gate) as the vector ``model``, on lexical rows ``xl``."""
    from sklearn.linear_model import LogisticRegression

    def head(y: np.ndarray) -> tuple[np.ndarray, float]:
        if not 0 < y.sum() < len(y):
            return np.zeros(xl.shape[1]), (10.0 if y.sum() else -10.0)
        lr = LogisticRegression(C=c_lex, max_iter=3000, class_weight="balanced").fit(xl, y)
        w = lr.coef_[0].copy()
        if keep:
            w[np.argsort(-np.abs(w))[keep:]] = 0.0
        scale = max(float(np.abs(w).max()), 1e-12) / 127  # int8 per head, as shipped in issue 14
        return np.round(w / scale) * scale, float(lr.intercept_[0])

    out: dict = {}
    for key, names, level in (("narr", model["narratives"], "narratives"),
                              ("sub", model["subnarratives"], "subnarratives")):  # fmt: skip
        ws, bs = zip(*[head(np.array([n in getattr(lab, level) for lab in labels], int))
                       for n in names], strict=True) if names else ((), ())  # fmt: skip
        out[key + "_W"], out[key + "_b"] = np.array(ws), np.array(bs)
    gw, gb = head(np.array([lab.narratives != (nar.OTHER,) for lab in labels], int))
    out["gate_W"], out["gate_b"] = gw, gb
    return out


def mixed(model: dict, lex: dict, x: np.ndarray, xl, alpha: float):
    """Gate, narrative and sub-narrative probabilities from the mixed logits."""

    def z(key: str, feats, m: dict) -> np.ndarray:
        w = m[key + "_W"]
        return (
            np.asarray(feats @ (w if key == "gate" else w.T)).reshape(feats.shape[0], -1)
            + m[key + "_b"]
        )

    out = []
    for key in ("gate", "narr", "sub"):
        zz = (1 - alpha) * z(key, x, model) + (alpha * z(key, xl, lex) if alpha else 0.0)
        p = 1 / (1 + np.exp(-zz))
        out.append(p[:, 0] if key == "gate" else p)
    return out


def cv(x, bags, labels, c_lex, keep, buckets, seed=0, alphas=ALPHAS) -> dict:
    """Per alpha: CV fine/coarse of the best thresholds by fine."""
    from sklearn.model_selection import KFold

    grid = [(g, n, s) for g in nar.GATE_THRESHOLDS for n in nar.THRESHOLDS
            for s in nar.SUB_THRESHOLDS]  # fmt: skip
    preds = {(a, t): [None] * len(labels) for a in alphas for t in grid}
    for train, held in KFold(5, shuffle=True, random_state=seed).split(x):
        tl = [labels[k] for k in train]
        model = nar.fit_model(x[train], tl)
        idf = idf_of([bags[k] for k in train], buckets)
        lex = lexical_heads(matrix([bags[k] for k in train], idf), tl, model, c_lex, keep)
        xl = matrix([bags[k] for k in held], idf)
        for a in alphas:
            rows = list(zip(held, *mixed(model, lex, x[held], xl, a), strict=True))
            for t in grid:
                for k, g, pn, ps in rows:
                    preds[a, t][k] = nar._decide(model, g, pn, ps, t)
    gold = {str(k): lab for k, lab in enumerate(labels)}
    result = {}
    for a in alphas:
        sc = {
            t: narrative_scores(gold, {str(k): p for k, p in enumerate(preds[a, t])}) for t in grid
        }
        best = max(grid, key=lambda t: sc[t]["fine"]["f1"])
        result[a] = (best, sc[best]["fine"]["f1"], sc[best]["coarse"]["f1"])
    return result


def dev(root, x, bags, labels, c_lex, keep, buckets, alpha, thresholds) -> dict:
    """The chosen setting fitted on all train, English dev scored as ``narratives.evaluate``."""
    ids, texts, by_id = nar.dataset(root, "EN", "dev")
    model = nar.fit_model(x, labels)
    idf = idf_of(bags, buckets)
    lex = lexical_heads(matrix(bags, idf), labels, model, c_lex, keep)
    xd = np.stack([v.article for v in article_vectors(texts)])
    xl = matrix([counts(t, buckets) for t in texts], idf)
    other = nar.NarrativeLabels((nar.OTHER,), (nar.OTHER,))
    rows = zip(*mixed(model, lex, xd, xl, alpha), strict=True)
    pred = [nar._decide(model, g, pn, ps, thresholds, guess=False) for g, pn, ps in rows]
    pred = [p if nar.on_topic(t) else other for p, t in zip(pred, texts, strict=True)]
    sc = narrative_scores({i: by_id[i] for i in ids}, dict(zip(ids, pred, strict=True)),
                          load_taxonomy(root))  # fmt: skip
    nonzero = sum(int((np.asarray(lex[k]) != 0).sum()) for k in ("narr_W", "sub_W", "gate_W"))
    return {"fine": round(sc["fine"]["f1"], 4), "coarse": round(sc["coarse"]["f1"], 4),
            "nonzero_lexical_weights": nonzero}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--buckets", type=int, default=32768)
    ap.add_argument("--c-lex", type=float, nargs="+", default=[1.0, 4.0, 16.0])
    ap.add_argument("--keep", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--alphas", type=float, nargs="+", default=list(ALPHAS))
    ap.add_argument("--dev", nargs=5, type=float, metavar=("C_LEX", "ALPHA", "G", "N", "S"))
    a = ap.parse_args()
    root = a.data / "semeval2025-task10"
    ids, texts, by_id = nar.dataset(root, "EN", "train")
    labels = [by_id[i] for i in ids]
    x = np.stack([v.article for v in article_vectors(texts)])
    bags = [counts(t, a.buckets) for t in texts]
    if a.dev:
        c_lex, alpha, *t = a.dev
        print(
            "dev", dev(root, x, bags, labels, c_lex, a.keep, a.buckets, alpha, tuple(t)), flush=True
        )
        return
    for c_lex in a.c_lex:
        for alpha, (t, fine, coarse) in cv(
            x, bags, labels, c_lex, a.keep, a.buckets, a.seed, a.alphas
        ).items():
            print(
                f"C_lex {c_lex:g} keep {a.keep} seed {a.seed} alpha {alpha:.2f} thresholds {t}"
                f"  CV fine {fine:.4f} coarse {coarse:.4f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
