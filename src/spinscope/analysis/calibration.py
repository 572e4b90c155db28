"""Calibrated confidence: a raw model score -> how often a finding with that score is right.

Each analyser ships a ``calibration.json`` beside its model, fitted on held-out data (see
``spinscope.training.calibrate``): per label, a monotone piecewise-linear map (isotonic
regression) from the raw score to the observed rate of correct findings, with one pooled map for
labels too rare to fit alone, and the label's precision and recall at the default threshold. At
run time the maps are plain ``numpy.interp`` (no scikit-learn).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, overload

import numpy as np

from spinscope.model.definitions import in_words as in_words  # re-exported

FILE = "calibration.json"


@dataclass(frozen=True)
class Curve:
    """A monotone map from raw score to probability of being right (knots ``xs`` -> ``ys``)."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    @overload
    def __call__(self, score: float) -> np.float64: ...
    @overload
    def __call__(self, score: np.ndarray) -> np.ndarray: ...
    def __call__(self, score: float | np.ndarray) -> np.ndarray | np.float64:
        return np.interp(score, self.xs, self.ys)


@dataclass(frozen=True)
class Reliability:
    """How a label did on held-out data at the default threshold."""

    precision: float | None
    recall: float | None
    support: int  # held-out gold instances
    predicted: int  # held-out predictions


@dataclass(frozen=True)
class Calibration:
    """Per-label curves with a pooled fallback, and each label's held-out reliability."""

    pooled: Curve
    labels: dict[str, Curve] = field(default_factory=dict)
    reliability: dict[str, Reliability] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def confidence(self, label: str, score: float) -> float:
        """The calibrated probability that a finding of ``label`` with raw ``score`` is right."""
        curve = self.labels.get(label, self.pooled)
        return float(np.clip(curve(score), 0.0, 1.0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "pooled": {"xs": list(self.pooled.xs), "ys": list(self.pooled.ys)},
            "labels": {k: {"xs": list(c.xs), "ys": list(c.ys)} for k, c in self.labels.items()},
            "reliability": {k: vars(r) for k, r in self.reliability.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        def curve(d: dict[str, Any]) -> Curve:
            return Curve(tuple(d["xs"]), tuple(d["ys"]))

        return cls(
            pooled=curve(data["pooled"]),
            labels={k: curve(v) for k, v in data.get("labels", {}).items()},
            reliability={k: Reliability(**v) for k, v in data.get("reliability", {}).items()},
            meta=dict(data.get("meta", {})),
        )


@lru_cache(maxsize=16)
def load(folder: str) -> dict[str, Calibration] | None:
    """The calibrations in ``folder/calibration.json`` (one per key, e.g. per taxonomy), or None
    where the model has none (scores are then shown raw, and said to be so)."""
    path = Path(folder) / FILE
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: Calibration.from_dict(value) for key, value in data.items()}


def ece(
    probs: Sequence[float] | np.ndarray, correct: Sequence[bool] | np.ndarray, bins: int = 10
) -> float:
    """Expected calibration error: the bin-weighted mean |accuracy - mean confidence| over
    ``bins`` equal-width confidence bins."""
    probs, correct = np.asarray(probs, float), np.asarray(correct, float)
    if not len(probs):
        return 0.0
    idx = np.minimum((probs * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.sum() * abs(correct[m].mean() - probs[m].mean())
    return float(total / len(probs))


def reliability_bins(
    probs: np.ndarray, correct: np.ndarray, bins: int = 10
) -> list[dict[str, Any]]:
    """Per confidence bin: count, mean confidence, observed accuracy (for diagrams and cards)."""
    probs, correct = np.asarray(probs, float), np.asarray(correct, float)
    idx = np.minimum((probs * bins).astype(int), bins - 1)
    out = []
    for b in range(bins):
        m = idx == b
        if m.any():
            out.append({"bin": [b / bins, (b + 1) / bins], "n": int(m.sum()),
                        "confidence": round(float(probs[m].mean()), 4),
                        "accuracy": round(float(correct[m].mean()), 4)})  # fmt: skip
    return out
