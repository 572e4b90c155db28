"""From per-token scores to technique spans: shared by inference (ONNX) and training (torch).

The tagger's encoder gives, for every word piece of a text, sigmoid scores on ``CHANNELS`` and a
hidden vector. This module turns them into spans:

* ``decode_runs``: maximal runs of word pieces whose channel score passes a threshold, snapped to
  whole words (span identification, and per-technique spans that may overlap);
* ``classify``: the span heads label a given span (technique classification).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, cast

import numpy as np

from spinscope.analysis import encoder, span_geometry
from spinscope.analysis._occurrences import Occurrences
from spinscope.model.taxonomy import LABELS_2020, LABELS_2023, PTC2020, SEMEVAL2023

if TYPE_CHECKING:
    from spinscope.analysis.span_classifier import SpanClassifier

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


def span_feature_extras(
    lower_text: str,
    span_text: str,
    rng: tuple[int, int],
    count: Callable[[str], int] | None = None,
) -> np.ndarray:
    """Features beyond the pooled vectors: how often the span's text recurs, and its length.

    Repetition is a technique no single window can see; counting the span's text over the
    whole article gives the head that evidence. ``count`` is ``lower_text.count`` (or the same
    from an index of it, for a text with many spans).
    """
    needle = span_text.lower().strip()
    n = (count or lower_text.count)(needle) if needle else 1
    return np.asarray(
        [math.log1p(max(n - 1, 0)), float(n > 1), math.log(rng[1] - rng[0])],
        dtype=np.float32,
    )


def pool(hidden: np.ndarray, i: int, j: int) -> np.ndarray:
    """Mean, first and last word-piece vectors of ``[i, j)``."""
    return np.concatenate([hidden[i:j].mean(0), hidden[i], hidden[j - 1]])


@dataclass(frozen=True)
class TokenScores:
    """Everything the decoders need about one text."""

    text: str
    enc: encoder.Encoded
    probs: np.ndarray  # (n, len(CHANNELS)) sigmoid scores
    hidden: np.ndarray  # (n, hidden) encoder output

    @cached_property
    def lower_text(self) -> str:
        """``text.lower()``, computed once (findings count their phrase in it)."""
        return self.text.lower()

    @cached_property
    def lower_counts(self) -> Occurrences:
        """How often a phrase occurs in ``lower_text`` (many findings ask)."""
        return Occurrences(self.lower_text)

    @cached_property
    def sentence_breaks(self) -> np.ndarray:
        """Word pieces that start a sentence: spans never run across them."""
        return span_geometry.sentence_token_starts(self.text, self.enc)


@dataclass(frozen=True)
class RawSpan:
    start: int
    end: int
    label: str
    confidence: float


@dataclass(frozen=True)
class Decoding:
    """How token scores become spans; the trained model's card says which values won on dev.

    * ``si_source``: the score that marks propaganda for span identification: ``any`` (the
      "any technique" channel) or ``mean-noisy-or`` (its mean with the noisy-or of the PTC
      technique channels, which agree more often on long spans);
    * ``max_gap``: runs separated by at most this many word pieces are joined;
    * ``min_tokens``: runs shorter than this are dropped;
    * ``second_label_ratio``: with the span head, a second technique is reported for a span when
      its probability is at least this share of the first one's (1.0: one technique a span).
    """

    threshold: float = 0.5
    si_source: str = "any"
    max_gap: int = 0
    min_tokens: int = 1
    second_label_ratio: float = 1.0  # a span's 2nd technique is kept if p2 >= ratio * p1


def si_scores(scores: TokenScores, source: str) -> np.ndarray:
    """Per-word-piece propaganda score for span identification."""
    if source == "any":
        return scores.probs[:, 0]
    if source == "mean-noisy-or":
        tech = scores.probs[:, channel_slice(PTC2020)]
        mixed: np.ndarray = 0.5 * scores.probs[:, 0] + 0.5 * (1.0 - np.prod(1.0 - tech, axis=1))
        return mixed
    raise ValueError(f"Unknown SI score source {source!r}. Available: any, mean-noisy-or.")


def decode_runs(
    scores: TokenScores,
    values: np.ndarray,
    label: str,
    decoding: Decoding,
    threshold: float | None = None,
) -> list[RawSpan]:
    """Spans where ``values`` (one score per word piece) pass the threshold, snapped to words.

    Confidence is the run's mean score.
    """
    out = []
    thr = decoding.threshold if threshold is None else threshold
    breaks = scores.sentence_breaks
    for i, j in span_geometry.runs(values >= thr, max_gap=decoding.max_gap, breaks=breaks):
        if j - i < decoding.min_tokens:
            continue
        snapped = span_geometry.snap_span(
            scores.text, int(scores.enc.offsets[i, 0]), int(scores.enc.offsets[j - 1, 1])
        )
        if snapped:
            out.append(RawSpan(snapped[0], snapped[1], label, float(values[i:j].mean())))
    return out


def decode_si(scores: TokenScores, decoding: Decoding) -> list[RawSpan]:
    """Propaganda spans, whatever the technique (SemEval-2020 SI); spans made only of function
    words ("the", "no") are dropped, as for the technique channels."""
    found = decode_runs(scores, si_scores(scores, decoding.si_source), "propaganda", decoding)
    return [s for s in found if content_bearing(scores.text[s.start : s.end])]


# Function words carry no technique on their own; a channel span made only of them is noise.
FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be been it its "
    "this that these those no not so do does did has have had i we you he she they them our "
    "their his her my your there here what which who whom".split()
)


def content_bearing(text: str) -> bool:
    """Whether a span has at least one word that is not a function word."""
    words = [w.strip(".,;:!?\"'()[]-\u201c\u201d\u2019").lower() for w in text.split()]
    return any(w and w not in FUNCTION_WORDS for w in words)


def decode_techniques(
    scores: TokenScores,
    taxonomy: str,
    decoding: Decoding,
    thresholds: dict[str, float] | None = None,
) -> list[RawSpan]:
    """Per-technique spans of one taxonomy (they may overlap and share extents).

    Only the threshold of ``decoding`` applies: gap bridging and the fragment floor are tuned
    for span identification, and would drop the one-word spans loaded language often has.
    """
    out = []
    cols = channel_slice(taxonomy)
    plain = Decoding(threshold=decoding.threshold)
    for k, label in enumerate(TAXONOMY_LABELS[taxonomy]):
        thr = (thresholds or {}).get(label)
        found = decode_runs(scores, scores.probs[:, cols.start + k], label, plain, thr)
        out += [s for s in found if content_bearing(scores.text[s.start : s.end])]
    return out


SpanHead = Callable[[str, np.ndarray], np.ndarray]  # (taxonomy, feats (m, d)) -> probs (m, k)


def span_features(
    scores: TokenScores, spans: list[tuple[int, int]]
) -> tuple[np.ndarray, list[int]]:
    """Feature rows for character spans; rows for spans with no word piece are skipped."""
    lower = scores.lower_text
    rows: list[np.ndarray] = []
    kept: list[int] = []
    for k, (start, end) in enumerate(spans):
        rng = span_geometry.token_range(scores.enc.offsets, start, end)
        if rng is None:
            continue
        extras = span_feature_extras(lower, scores.text[start:end], rng, scores.lower_counts.count)
        rows.append(np.concatenate([pool(scores.hidden, *rng), extras]))
        kept.append(k)
    dim = scores.hidden.shape[1] * 3 + 3
    return (np.stack(rows) if rows else np.zeros((0, dim), np.float32)), kept


class TextLabeller:
    """Labels spans from the text itself, with a span classifier that has its own encoder pass
    (the pair "span; its sentence"), instead of heads over the tagger's hidden states.

    Both taxonomies come out of one pass; the last text's results are kept, so that labelling the
    same spans in the second taxonomy costs nothing.
    """

    def __init__(self, classifier: SpanClassifier) -> None:
        self.classifier = classifier
        self._cache: dict[tuple[str, tuple[tuple[int, int], ...]], dict[str, np.ndarray]] = {}

    def prefetch(self, items: list[tuple[str, list[tuple[int, int]]]]) -> None:
        """Label the spans of several texts in one batched pass, for the calls that follow
        (the cache holds this batch only)."""
        self._cache = {
            (text, tuple(spans)): probs
            for (text, spans), probs in zip(
                items, self.classifier.classify_many(items), strict=True
            )
        }

    def __call__(self, text: str, spans: list[tuple[int, int]], taxonomy: str) -> np.ndarray:
        key = (text, tuple(spans))
        if key not in self._cache:
            self._cache = {key: self.classifier.classify_all(text, list(spans))}
        return self._cache[key][taxonomy]


def classify(
    scores: TokenScores,
    spans: list[tuple[int, int]],
    head: SpanHead | TextLabeller,
    taxonomy: str,
    *,
    channel_weight: float = 0.0,
) -> np.ndarray:
    """Technique probabilities (len(spans), n_labels) for given character spans.

    ``head`` is the span heads over the tagger's hidden states, or a ``TextLabeller``.
    ``channel_weight`` mixes in the token channels' view (heads only): the mean score of each
    technique's channel over the span's word pieces, normalised to sum to one.
    """
    if isinstance(head, TextLabeller):
        n = len(TAXONOMY_LABELS[taxonomy])
        return head(scores.text, spans, taxonomy) if spans else np.zeros((0, n), np.float32)
    n = len(TAXONOMY_LABELS[taxonomy])
    out = np.full((len(spans), n), 1.0 / n, dtype=np.float32)
    feats, kept = span_features(scores, spans)
    if not kept:
        return out
    probs = head(taxonomy, feats)
    if channel_weight:
        cols = channel_slice(taxonomy)
        # every kept span has a token range (span_features skipped the others)
        ranges = cast(
            list[tuple[int, int]],
            [span_geometry.token_range(scores.enc.offsets, *spans[k]) for k in kept],
        )
        means = np.stack([scores.probs[i:j, cols].mean(0) for i, j in ranges])
        means = means / np.maximum(means.sum(1, keepdims=True), 1e-6)
        probs = (1 - channel_weight) * probs + channel_weight * means
    out[kept] = probs
    return out


def softmax(x: np.ndarray) -> np.ndarray:
    z = x - x.max(-1, keepdims=True)
    e = np.exp(z)
    probs: np.ndarray = e / e.sum(-1, keepdims=True)
    return probs


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
    erf: np.ndarray = np.vectorize(math.erf, otypes=[np.float32])(x)
    return erf


DECODERS = ("channels", "si+head", "hybrid")


def decode_labelled(
    scores: TokenScores,
    taxonomy: str,
    decoding: Decoding,
    decoder: str,
    head: SpanHead | TextLabeller | None,
    *,
    channel_weight: float = 0.0,
) -> list[RawSpan]:
    """Technique spans of one taxonomy (``head`` names spans; ``channels`` needs none).

    * ``channels``: each technique's token channel on its own (spans may overlap);
    * ``si+head``: propaganda spans first, then the span head names their technique(s);
    * ``hybrid``: ``si+head``, plus channel spans of techniques the head did not name there.
    """
    if decoder not in DECODERS:
        raise ValueError(f"Unknown decoder {decoder!r}. Available: {', '.join(DECODERS)}.")
    out: list[RawSpan] = []
    if decoder in ("si+head", "hybrid"):
        if head is None:
            raise ValueError(f"The {decoder} decoder needs a span head or labeller.")
        labels = TAXONOMY_LABELS[taxonomy]
        found = decode_si(scores, decoding)
        spans = [(s.start, s.end) for s in found]
        probs = classify(scores, spans, head, taxonomy, channel_weight=channel_weight)
        for s, p in zip(found, probs, strict=True):
            first, second = np.argsort(-p)[:2]
            keep = [first] + (
                [second] if p[second] >= decoding.second_label_ratio * p[first] else []
            )
            out += [RawSpan(s.start, s.end, labels[k], s.confidence * float(p[k])) for k in keep]
    if decoder in ("channels", "hybrid"):
        taken: dict[str, _Intervals] = {}
        for o in out:
            taken.setdefault(o.label, _Intervals()).add(o.start, o.end)
        for c in decode_techniques(scores, taxonomy, decoding):
            same = taken.setdefault(c.label, _Intervals())
            if not same.overlaps(c.start, c.end):
                out.append(c)
                same.add(c.start, c.end)
    return out


class _Intervals:
    """Character spans ``[start, end)``, asked whether any overlaps a given span in
    ``O(log n + k)`` (spans sorted by start; only those starting less than the longest span's
    length before the query can reach it). Spans mostly arrive in text order, so adding one is
    cheap too."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.longest = 0

    def add(self, start: int, end: int) -> None:
        k = bisect.bisect_right(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)
        self.longest = max(self.longest, end - start)

    def overlaps(self, start: int, end: int) -> bool:
        hi = bisect.bisect_left(self.starts, end)  # spans starting before ``end``
        lo = bisect.bisect_right(self.starts, start - self.longest)  # the rest end <= start
        return any(self.ends[k] > start for k in range(lo, hi))
