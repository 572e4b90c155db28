"""The rule that combines the multilingual tagger with the paragraph model, chosen on the
SemEval-2023 ST3 dev sets (issue 14), and written as ``ensemble.json`` beside the tagger's delta.

A paragraph shows technique j where ``c = w * tagger_j + (1 - w) * model_j >= t``: ``tagger_j``
is the highest score of the tagger's channel j on the paragraph, ``model_j`` the paragraph
model's calibrated probability. ``w`` and ``t`` maximise the mean paragraph micro-F1 of the six
dev sets; each language's own score is also reported with the rule chosen on the other five
(leave one language out), the honest estimate. The confidence shown is a Platt curve on the logit
of ``c`` fitted on all six; its ECE is measured on each language with the curve fitted on the
other five. ``dev_precision`` (per technique, pooled) marks the rarely right ones as tentative.
``tagger_only`` is the same, chosen with ``w = 1``: the rule for the languages the paragraph
model cannot read (Greek, Georgian), where the tagger reads alone.

    python bench/multilingual_ensemble.py --model-dir DIR --write DELTA_DIR
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from spinscope.analysis.multilingual_tagger import confidence
from spinscope.training.techniques_paragraphs import ece, fit_platt, micro_f1

WEIGHTS = (0.0, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0)
THRESHOLDS = tuple(round(float(x), 3) for x in np.arange(0.08, 0.5, 0.02))


def _f1(c: np.ndarray, y: np.ndarray, t: float) -> float:
    return micro_f1(y.astype(bool), c >= t)


def _best(grid: Mapping[tuple[float, float], Mapping[str, float]], names: Sequence[str]):
    return max(grid, key=lambda r: float(np.mean([grid[r][n] for n in names])))


def choose(
    sets: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    labels: Sequence[str],
    weights: Sequence[float] = WEIGHTS,
) -> dict[str, Any]:
    """``sets``: per dev set, (tagger maxima, model probabilities, gold 0/1), each paragraphs x
    techniques. Returns the rule and its leave-one-language-out scores and ECE. ``weights=(1.0,)``
    chooses the tagger alone's threshold (for the languages it reads alone)."""
    names = list(sets)
    combined = {
        (w, t): {n: _f1(w * a + (1 - w) * b, y, t) for n, (a, b, y) in sets.items()}
        for w in weights
        for t in THRESHOLDS
    }
    w, t = _best(combined, names)
    held_out = {}
    for n in names:
        others = [m for m in names if m != n]
        rule = _best(combined, others)
        platt = _platt({m: sets[m] for m in others}, w=rule[0])
        c = _mix(sets[n], rule[0])
        found = c >= rule[1]
        conf = confidence(c[found], platt)
        held_out[n] = {
            "rule": list(rule),
            "micro_f1": round(combined[rule][n], 4),
            "findings": int(found.sum()),
            "ece_findings": round(ece(conf, sets[n][2][found]), 4) if found.any() else None,
        }
    y = np.vstack([s[2] for s in sets.values()])
    pred = np.vstack([_mix(s, w) >= t for s in sets.values()])
    return {
        "weight": w,
        "threshold": t,
        "platt": list(_platt(sets, w=w)),
        "dev_micro_f1": {n: round(combined[(w, t)][n], 4) for n in names},
        "held_out": held_out,
        "dev_precision": dict(zip(labels, _precision(y, pred), strict=True)),
    }


def _mix(s: tuple[np.ndarray, np.ndarray, np.ndarray], w: float) -> np.ndarray:
    return w * s[0] + (1 - w) * s[1]


def _platt(sets: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]], *, w: float):
    c = np.concatenate([_mix(s, w).ravel() for s in sets.values()])
    y = np.concatenate([s[2].ravel() for s in sets.values()])
    return fit_platt(c, y)


def _precision(y: np.ndarray, pred: np.ndarray) -> list[float]:
    hits, shown = (y.astype(bool) & pred).sum(0), pred.sum(0)
    return [round(float(h / s), 4) if s else 0.0 for h, s in zip(hits, shown, strict=True)]
