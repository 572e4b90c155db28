"""SemEval-2020 Task 11 metrics, written from the task's published definitions.

* SI: span F1 with partial-overlap credit (Da San Martino et al., 2019). Overlapping spans are
  merged per article, for gold and predictions. P = sum over predicted s, gold t of |s&t|/|s|,
  over the number of predicted spans; R = the same sum with |s&t|/|t|, over the number of gold
  spans; micro-aggregated over all articles.
* TC: gold spans are given; micro-F1 over (article, span, technique). A span with several gold
  techniques is matched as a multiset, so the order of predictions does not matter.
* Full task: the SI measure, where a predicted span only earns overlap credit from gold spans of
  its own technique (spans merged per article and technique).

Spans are ``(article_id, start, end)`` or ``(article_id, label, start, end)`` tuples.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping ``[start, end)`` spans (touching spans are not merged)."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _overlap_sums(
    pred: dict[object, list[tuple[int, int]]], gold: dict[object, list[tuple[int, int]]]
) -> dict[str, float]:
    p_sum = r_sum = 0.0
    n_pred = sum(len(v) for v in pred.values())
    n_gold = sum(len(v) for v in gold.values())
    for key, p_spans in pred.items():
        g_spans = gold.get(key, [])
        for ps, pe in p_spans:
            for gs, ge in g_spans:
                inter = min(pe, ge) - max(ps, gs)
                if inter > 0:
                    p_sum += inter / (pe - ps)
                    r_sum += inter / (ge - gs)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "n_pred": n_pred,
        "n_gold": n_gold,
    }


def _group(spans: Iterable[tuple], with_label: bool) -> dict[object, list[tuple[int, int]]]:
    grouped: dict[object, list[tuple[int, int]]] = defaultdict(list)
    for sp in spans:
        art, start, end = sp[0], sp[-2], sp[-1]
        key = (art, sp[1]) if with_label else art
        grouped[key].append((int(start), int(end)))
    return {k: merge_spans(v) for k, v in grouped.items()}


def si_score(pred: Iterable[tuple], gold: Iterable[tuple]) -> dict[str, float]:
    """SI precision, recall and F1 (labels, if present, are ignored)."""
    return _overlap_sums(_group(pred, False), _group(gold, False))


def full_task_score(pred: Iterable[tuple], gold: Iterable[tuple]) -> dict[str, float]:
    """Span + technique: SI credit only between spans of the same technique."""
    return _overlap_sums(_group(pred, True), _group(gold, True))


def tc_score(
    pred: Iterable[tuple[str, str, int, int]],
    gold: Iterable[tuple[str, str, int, int]],
    labels: Iterable[str] | None = None,
) -> dict[str, Any]:
    """TC micro precision/recall/F1 and per-technique F1 over ``(article, label, start, end)``."""
    gold_by: dict[tuple, Counter] = defaultdict(Counter)
    pred_by: dict[tuple, Counter] = defaultdict(Counter)
    for art, label, start, end in gold:
        gold_by[(art, int(start), int(end))][label] += 1
    for art, label, start, end in pred:
        pred_by[(art, int(start), int(end))][label] += 1
    tp: Counter = Counter()
    n_pred: Counter = Counter()
    n_gold: Counter = Counter()
    for key, g in gold_by.items():
        n_gold.update(g)
        tp.update(g & pred_by.get(key, Counter()))
    for counts in pred_by.values():
        n_pred.update(counts)
    precision = sum(tp.values()) / max(sum(n_pred.values()), 1)
    recall = sum(tp.values()) / max(sum(n_gold.values()), 1)
    per_label = {}
    for label in sorted(set(labels or []) | set(n_gold) | set(n_pred)):
        p = tp[label] / n_pred[label] if n_pred[label] else 0.0
        r = tp[label] / n_gold[label] if n_gold[label] else 0.0
        per_label[label] = {"precision": p, "recall": r, "f1": _f1(p, r), "support": n_gold[label]}
    return {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "n_pred": sum(n_pred.values()),
        "n_gold": sum(n_gold.values()),
        "per_label": per_label,
    }
