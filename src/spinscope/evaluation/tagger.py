"""Score the technique tagger on PTC from per-token scores (torch in training, ONNX at eval)."""

from __future__ import annotations

from spinscope.analysis.spans import (
    CHANNELS,
    SpanHead,
    TokenScores,
    classify,
    decode_runs,
    decode_techniques,
)
from spinscope.corpora.ptc import Article
from spinscope.evaluation.ptc import full_task_score, si_score, tc_score
from spinscope.model.taxonomy import LABELS_2020, PTC2020

SI_THRESHOLDS = (0.3, 0.4, 0.5, 0.6)


def predict_si(scores: TokenScores, threshold: float) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in decode_runs(scores, 0, threshold, "propaganda")]


def predict_tc(scores: TokenScores, spans: list[tuple[int, int]], head: SpanHead) -> list[str]:
    probs = classify(scores, spans, head, PTC2020)
    return [LABELS_2020[k] for k in probs.argmax(1)]


def predict_full(
    scores: TokenScores, head: SpanHead, *, decoder: str, threshold: float
) -> list[tuple[str, int, int]]:
    """Spans with techniques: from per-technique channels, or SI spans labelled by the head."""
    if decoder == "channels":
        return [(s.label, s.start, s.end) for s in decode_techniques(scores, PTC2020, threshold)]
    spans = predict_si(scores, threshold)
    return [(lab, s, e) for (s, e), lab in zip(spans, predict_tc(scores, spans, head), strict=True)]


def score_ptc(
    articles: list[Article], scores: list[TokenScores], head: SpanHead, *, threshold: float = 0.5
) -> dict:
    """SI, TC and full-task scores on PTC articles, plus an SI threshold sweep (for the record)."""
    gold = [(a.id, sp.label, sp.start, sp.end) for a in articles for sp in a.spans[PTC2020]]
    result: dict = {"n_articles": len(articles), "threshold": threshold}
    sweep = {}
    for thr in SI_THRESHOLDS:
        pred = [
            (a.id, s, e)
            for a, sc in zip(articles, scores, strict=True)
            for s, e in predict_si(sc, thr)
        ]
        sweep[str(thr)] = round(si_score(pred, gold)["f1"], 4)
    result["si_f1_by_threshold"] = sweep
    pred = [
        (a.id, s, e)
        for a, sc in zip(articles, scores, strict=True)
        for s, e in predict_si(sc, threshold)
    ]
    result["si"] = si_score(pred, gold)
    tc_pred = []
    for a, sc in zip(articles, scores, strict=True):
        spans = [(sp.start, sp.end) for sp in a.spans[PTC2020]]
        for (s, e), lab in zip(spans, predict_tc(sc, spans, head), strict=True):
            tc_pred.append((a.id, lab, s, e))
    result["tc"] = tc_score(tc_pred, gold, LABELS_2020)
    for decoder in ("channels", "si+head"):
        full = [
            (a.id, lab, s, e)
            for a, sc in zip(articles, scores, strict=True)
            for lab, s, e in predict_full(sc, head, decoder=decoder, threshold=threshold)
        ]
        result[f"full_{decoder}"] = full_task_score(full, gold)
        result[f"full_{decoder}"]["per_label"] = {
            label: round(
                full_task_score(
                    [f for f in full if f[1] == label], [g for g in gold if g[1] == label]
                )["f1"],
                4,
            )
            for label in LABELS_2020
        }
    return result


assert CHANNELS[0] == "any"
