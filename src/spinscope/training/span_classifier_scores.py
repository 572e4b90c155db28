"""The span classifier's dev scores (``training.span_classifier``): the official TC scorer on
each taxonomy's gold spans, from any span -> probabilities function (the torch model while
training, the ONNX graphs at export)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from spinscope.corpora.ptc import Article
from spinscope.evaluation.ptc import tc_score
from spinscope.evaluation.tagger import assign_labels
from spinscope.model.taxonomy import LABELS, PTC2020, SEMEVAL2023
from spinscope.training.span_classifier_data import TAXONOMIES

ProbsFn = Callable[[Article, list[tuple[int, int]], str], np.ndarray]


def score_articles(articles: Sequence[Article], probs_for: ProbsFn) -> dict:
    """TC scores of both taxonomies on ``articles`` from a span -> probabilities function.

    For each taxonomy the gold span instances are labelled with ``assign_labels`` (a span listed
    k times gets its k most probable techniques) and scored with the official TC scorer;
    ``ptc2020`` is also scored on the even and odd article positions; ``accuracy`` is the share
    of instances whose label is the arg-max.
    """
    result: dict = {}
    for tax in TAXONOMIES:
        labels = LABELS[tax]
        gold: list[tuple[str, str, int, int]] = []
        pred: list[tuple[str, str, int, int]] = []
        hits = 0
        by_article: dict[str, tuple[list[Any], list[Any]]] = {}
        for art in articles:
            spans = [(sp.start, sp.end) for sp in art.spans.get(tax, [])]
            if not spans:
                by_article[art.id] = ([], [])
                continue
            probs = probs_for(art, spans, tax)
            names = assign_labels(probs, spans, labels)
            g = [(art.id, sp.label, sp.start, sp.end) for sp in art.spans[tax]]
            p = [(art.id, lab, s, e) for (s, e), lab in zip(spans, names, strict=True)]
            hits += sum(
                labels[int(np.argmax(row))] == sp.label
                for row, sp in zip(probs, art.spans[tax], strict=True)
            )
            gold += g
            pred += p
            by_article[art.id] = (g, p)
        scored = tc_score(pred, gold, labels)
        entry: dict[str, Any] = {
            "micro_f1": round(scored["f1"], 4),
            "accuracy": round(hits / max(len(gold), 1), 4),
            "macro_f1": round(
                float(np.mean([v["f1"] for k, v in scored["per_label"].items() if k in labels])),
                4,
            ),
            "n": len(gold),
            "per_label_f1": {k: round(v["f1"], 4) for k, v in scored["per_label"].items()},
        }
        if tax == PTC2020:
            for half, part in (("even", articles[::2]), ("odd", articles[1::2])):
                g = [x for a in part for x in by_article.get(a.id, ([], []))[0]]
                p = [x for a in part for x in by_article.get(a.id, ([], []))[1]]
                entry[f"micro_f1_{half}_half"] = round(tc_score(p, g, labels)["f1"], 4)
                entry[f"n_{half}_half"] = len(g)
        result[tax] = entry
    return result


def dev_line(d: dict) -> str:
    """The log line of an epoch's dev scores."""
    ptc, se23 = d[PTC2020], d[SEMEVAL2023]
    return (
        f"dev TC micro-F1 {ptc['micro_f1']:.4f} (even {ptc['micro_f1_even_half']:.4f}, "
        f"odd {ptc['micro_f1_odd_half']:.4f}); semeval2023 micro-F1 "
        f"{se23['micro_f1']:.4f} acc {se23['accuracy']:.4f}"
    )
