"""Score the technique tagger on PTC from per-token scores (torch in training, ONNX at eval)."""

from __future__ import annotations

import itertools
from dataclasses import asdict, replace
from typing import Any

import numpy as np

from spinscope.analysis.spans import (
    DECODERS,
    Decoding,
    SpanHead,
    TextLabeller,
    TokenScores,
    classify,
    decode_labelled,
    decode_si,
)
from spinscope.corpora.ptc import Article
from spinscope.evaluation.ptc import full_task_score, si_score, tc_score
from spinscope.model.taxonomy import LABELS_2020, PTC2020

SI_THRESHOLDS = (0.3, 0.4, 0.5, 0.6)
TC_CHANNEL_WEIGHTS = (0.25, 0.5, 1.0)


def predict_si(scores: TokenScores, decoding: Decoding) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in decode_si(scores, decoding)]


def predict_tc(
    scores: TokenScores,
    spans: list[tuple[int, int]],
    head: SpanHead | TextLabeller,
    channel_weight: float = 0.0,
) -> list[str]:
    probs = classify(scores, spans, head, PTC2020, channel_weight=channel_weight)
    return assign_labels(probs, spans, LABELS_2020)


def assign_labels(probs, spans: list[tuple[int, int]], labels) -> list[str]:
    """The best technique for each span; when the same span is listed k times (it carries k
    techniques), its occurrences get the k best techniques in turn."""
    seen: dict[tuple[int, int], int] = {}
    out = []
    for span, p in zip(spans, probs, strict=True):
        rank = seen.get(span, 0)
        seen[span] = rank + 1
        out.append(labels[int(np.argsort(-p)[min(rank, len(labels) - 1)])])
    return out


def predict_full(
    scores: TokenScores,
    head: SpanHead | TextLabeller,
    *,
    decoder: str,
    decoding: Decoding,
    channel_weight: float = 0.0,
) -> list[tuple[str, int, int]]:
    """Spans with PTC techniques, decoded as ``spinscope analyze`` does."""
    found = decode_labelled(scores, PTC2020, decoding, decoder, head, channel_weight=channel_weight)
    return [(s.label, s.start, s.end) for s in found]


def _si_pred(articles, scores, decoding: Decoding) -> list[tuple[str, int, int]]:
    return [
        (a.id, s, e)
        for a, sc in zip(articles, scores, strict=True)
        for s, e in predict_si(sc, decoding)
    ]


def _tc_pred(articles, scores, head, weight: float) -> list[tuple[str, str, int, int]]:
    pred = []
    for a, sc in zip(articles, scores, strict=True):
        spans = [(sp.start, sp.end) for sp in a.spans[PTC2020]]
        labels = predict_tc(sc, spans, head, weight)
        pred += [(a.id, lab, s, e) for (s, e), lab in zip(spans, labels, strict=True)]
    return pred


def _full(articles, scores, head, gold, **kwargs) -> dict:
    pred = [
        (a.id, lab, s, e)
        for a, sc in zip(articles, scores, strict=True)
        for lab, s, e in predict_full(sc, head, **kwargs)
    ]
    result: dict[str, Any] = dict(full_task_score(pred, gold))
    result["per_label"] = {
        label: round(
            full_task_score([p for p in pred if p[1] == label], [g for g in gold if g[1] == label])[
                "f1"
            ],
            4,
        )
        for label in LABELS_2020
    }
    return result


def score_ptc(
    articles: list[Article],
    scores: list[TokenScores],
    head: SpanHead | TextLabeller,
    *,
    decoding: Decoding | None = None,
    channel_weight: float = 0.0,
) -> dict:
    """SI, TC and full-task scores on PTC articles, with sweeps of the SI threshold and of the TC
    channel weight (for the record: the reported scores use the given settings)."""
    decoding = decoding or Decoding()
    gold = [(a.id, sp.label, sp.start, sp.end) for a in articles for sp in a.spans[PTC2020]]
    result: dict = {"n_articles": len(articles), "decoding": asdict(decoding)}
    result["si"] = si_score(_si_pred(articles, scores, decoding), gold)
    result["si_f1_by_threshold"] = {
        str(t): round(
            si_score(_si_pred(articles, scores, replace(decoding, threshold=t)), gold)["f1"], 4
        )
        for t in SI_THRESHOLDS
    }
    result["tc"] = tc_score(_tc_pred(articles, scores, head, channel_weight), gold, LABELS_2020)
    result["tc_f1_by_channel_weight"] = (
        {}  # the channel weight mixes token channels into the span heads only
        if isinstance(head, TextLabeller)
        else {
            str(w): round(tc_score(_tc_pred(articles, scores, head, w), gold)["f1"], 4)
            for w in TC_CHANNEL_WEIGHTS
        }
    )
    for decoder in DECODERS:
        result[f"full_{decoder}"] = _full(
            articles,
            scores,
            head,
            gold,
            decoder=decoder,
            decoding=decoding,
            channel_weight=channel_weight,
        )
    return result


DECODING_GRID: dict[str, tuple[Any, ...]] = {
    "si_source": ("any", "mean-noisy-or"),
    "threshold": (0.4, 0.5, 0.6),
    "max_gap": (0, 2, 4),
    "min_tokens": (1, 2),
}


def search_decoding(articles: list[Article], scores: list[TokenScores]) -> list[dict]:
    """SI F1 of every decoding in ``DECODING_GRID`` on the given articles, best first."""
    gold = [(a.id, sp.start, sp.end) for a in articles for sp in a.spans[PTC2020]]
    rows = []
    for values in itertools.product(*DECODING_GRID.values()):
        decoding = Decoding(**dict(zip(DECODING_GRID, values, strict=True)))
        r = si_score(_si_pred(articles, scores, decoding), gold)
        rows.append(
            {
                **asdict(decoding),
                "si_f1": round(r["f1"], 4),
                "precision": round(r["precision"], 4),
                "recall": round(r["recall"], 4),
                "n_pred": r["n_pred"],
            }
        )
    return sorted(rows, key=lambda r: -r["si_f1"])
