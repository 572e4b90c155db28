"""From per-token scores to technique spans: shared by inference (ONNX) and training (torch).

The tagger's encoder gives, for every word piece of a text, sigmoid scores on ``CHANNELS`` and a
hidden vector. This module turns them into spans:

* ``decode_runs``: maximal runs of word pieces whose channel score passes a threshold, snapped to
  whole words (span identification, and per-technique spans that may overlap);
* ``classify``: the span heads label a given span (technique classification).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from spinscope.analysis import _onnx
from spinscope.model.taxonomy import LABELS_2020, LABELS_2023, PTC2020, SEMEVAL2023

ANY = "any"
CHANNELS: tuple[str, ...] = (
    (ANY,)
    + tuple(f"{PTC2020}:{label}" for label in LABELS_2020)
    + tuple(f"{SEMEVAL2023}:{label}" for label in LABELS_2023)
)
TAXONOMY_LABELS = {PTC2020: LABELS_2020, SEMEVAL2023: LABELS_2023}


def channel_slice(taxonomy: str) -> slice:
    """Columns of ``CHANNELS`` holding one taxonomy's techniques."""
    first = CHANNELS.index(f"{taxonomy}:{TAXONOMY_LABELS[taxonomy][0]}")
    return slice(first, first + len(TAXONOMY_LABELS[taxonomy]))


def span_feature_extras(lower_text: str, span_text: str, rng: tuple[int, int]) -> np.ndarray:
    """Features beyond the pooled vectors: how often the span's text recurs, and its length.

    Repetition is a technique no single window can see; counting the span's text over the
    whole article gives the head that evidence.
    """
    needle = span_text.lower().strip()
    count = lower_text.count(needle) if needle else 1
    return np.asarray(
        [math.log1p(max(count - 1, 0)), float(count > 1), math.log(rng[1] - rng[0])],
        dtype=np.float32,
    )


def pool(hidden: np.ndarray, i: int, j: int) -> np.ndarray:
    """Mean, first and last word-piece vectors of ``[i, j)``."""
    return np.concatenate([hidden[i:j].mean(0), hidden[i], hidden[j - 1]])


@dataclass(frozen=True)
class TokenScores:
    """Everything the decoders need about one text."""

    text: str
    enc: _onnx.Encoded
    probs: np.ndarray  # (n, len(CHANNELS)) sigmoid scores
    hidden: np.ndarray  # (n, hidden) encoder output


@dataclass(frozen=True)
class RawSpan:
    start: int
    end: int
    label: str
    confidence: float


def decode_runs(scores: TokenScores, column: int, threshold: float, label: str) -> list[RawSpan]:
    """Spans where one channel passes ``threshold``; confidence is the run's mean score."""
    out = []
    col = scores.probs[:, column]
    for i, j in _onnx.runs(col >= threshold):
        snapped = _onnx.snap_span(
            scores.text, int(scores.enc.offsets[i, 0]), int(scores.enc.offsets[j - 1, 1])
        )
        if snapped:
            out.append(RawSpan(snapped[0], snapped[1], label, float(col[i:j].mean())))
    return out


def decode_techniques(
    scores: TokenScores, taxonomy: str, thresholds: float | dict[str, float]
) -> list[RawSpan]:
    """Per-technique spans of one taxonomy (they may overlap and share extents)."""
    out = []
    cols = channel_slice(taxonomy)
    for k, label in enumerate(TAXONOMY_LABELS[taxonomy]):
        thr = thresholds if isinstance(thresholds, float) else thresholds.get(label, 0.5)
        out.extend(decode_runs(scores, cols.start + k, thr, label))
    return out


SpanHead = Callable[[str, np.ndarray], np.ndarray]  # (taxonomy, feats (m, d)) -> probs (m, k)


def span_features(scores: TokenScores, spans: list[tuple[int, int]]) -> tuple[np.ndarray, list]:
    """Feature rows for character spans; rows for spans with no word piece are skipped."""
    lower = scores.text.lower()
    rows, kept = [], []
    for k, (start, end) in enumerate(spans):
        rng = _onnx.token_range(scores.enc.offsets, start, end)
        if rng is None:
            continue
        extras = span_feature_extras(lower, scores.text[start:end], rng)
        rows.append(np.concatenate([pool(scores.hidden, *rng), extras]))
        kept.append(k)
    dim = scores.hidden.shape[1] * 3 + 3
    return (np.stack(rows) if rows else np.zeros((0, dim), np.float32)), kept


def classify(
    scores: TokenScores, spans: list[tuple[int, int]], head: SpanHead, taxonomy: str
) -> np.ndarray:
    """Technique probabilities (len(spans), n_labels) for given character spans."""
    n = len(TAXONOMY_LABELS[taxonomy])
    out = np.full((len(spans), n), 1.0 / n, dtype=np.float32)
    feats, kept = span_features(scores, spans)
    if kept:
        out[kept] = head(taxonomy, feats)
    return out


def softmax(x: np.ndarray) -> np.ndarray:
    z = x - x.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


class NumpySpanHeads:
    """The span heads as NumPy arrays (Linear -> GELU -> Linear), loaded from an ``.npz``."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.w = weights

    def __call__(self, taxonomy: str, feats: np.ndarray) -> np.ndarray:
        w = self.w
        h = feats @ w[f"{taxonomy}.0.weight"].T + w[f"{taxonomy}.0.bias"]
        h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
        return softmax(h @ w[f"{taxonomy}.3.weight"].T + w[f"{taxonomy}.3.bias"])


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz-Stegun 7.1.26 is too coarse for exact GELU parity; use math.erf vectorised.
    return np.vectorize(math.erf, otypes=[np.float32])(x)
