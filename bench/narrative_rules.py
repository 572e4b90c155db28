"""Experiment: should a narrative's score borrow from its sub-narratives? The shipped rule picks
narratives by their own classifiers; here a narrative's score is also tried as the larger of its
own and its best sub-narrative's ("max"), or their mean ("mean"). Same 5-fold CV on the English
training articles as the shipped thresholds, over 3 fold seeds; thresholds chosen by the CV
samples-F1 on sub-narratives (as shipped) and by the sum of both measures. Dev is not used.

    python bench/narrative_rules.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from spinscope.analysis.framing_vectors import article_vectors
from spinscope.evaluation.article_labels import narrative_scores
from spinscope.training import narratives as N

GRID = [(g, n, s) for g in N.GATE_THRESHOLDS for n in N.THRESHOLDS for s in N.SUB_THRESHOLDS]


def combine(model: dict, pn: np.ndarray, ps: np.ndarray, how: str) -> np.ndarray:
    if how == "shipped":
        return pn
    out = pn.copy()
    for j, name in enumerate(model["narratives"]):
        mine = [k for k, s in enumerate(model["subnarratives"]) if s.startswith(name + ": ")]
        if mine:
            best = ps[mine].max()
            out[j] = max(pn[j], best) if how == "max" else (pn[j] + best) / 2
    return out


def main() -> None:
    from sklearn.model_selection import KFold

    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    ids, texts, by_id = N.dataset(args.data / "semeval2025-task10", "EN", "train")
    labels = [by_id[i] for i in ids]
    x = np.stack([v.article for v in article_vectors(texts)])
    gold = {str(k): lab for k, lab in enumerate(labels)}
    for seed in (0, 1, 2):
        folds = KFold(5, shuffle=True, random_state=seed).split(x)
        models = [(held, N.fit_model(x[fit], [labels[k] for k in fit])) for fit, held in folds]
        for how in ("shipped", "max", "mean"):
            preds = {t: [None] * len(labels) for t in GRID}
            for held, model in models:
                pg, pn, ps = N.probabilities(model, x[held])
                for r, k in enumerate(held):
                    scored = combine(model, pn[r], ps[r], how)
                    for t in GRID:
                        preds[t][k] = N._decide(model, pg[r], scored, ps[r], t)
            sc = {
                t: narrative_scores(gold, {str(k): p for k, p in enumerate(preds[t])}) for t in GRID
            }
            f = {t: (sc[t]["fine"]["f1"], sc[t]["coarse"]["f1"]) for t in GRID}
            by_fine = max(GRID, key=lambda t: f[t][0])
            by_both = max(GRID, key=lambda t: sum(f[t]))
            print(
                f"seed {seed} {how:8s} by fine {by_fine} {f[by_fine][0]:.3f} / {f[by_fine][1]:.3f}"
                f" | by both {by_both} {f[by_both][0]:.3f} / {f[by_both][1]:.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
