"""Check-worthiness metrics, written from the CheckThat! tasks' published definitions.

* **Average precision** of one ranking: sort by score, highest first (ties keep the input order,
  i.e. a stable sort), and average the precision at the rank of each positive. A ranking with no
  positive has no AP and is left out of MAP.
* **MAP**: the mean of the rankings' APs. CheckThat! 2019 ranks each of the 7 test transcripts
  separately and averages over them; CheckThat! 2020 ranks the 140 test tweets as one list.
* **R-precision**: precision among the top R, where R is the number of positives.
* **P@k**: positives among the top k, divided by k.
* **Reciprocal rank**: 1 / rank of the first positive.
* ``positive_f1``: precision, recall and F1 of the positive class (ClaimBuster's measure).

``evaluate_checkthat19`` / ``evaluate_checkthat20`` take a ``score_fn(list[str]) -> np.ndarray``
(one score per sentence, higher = more check-worthy) and return a JSON-able dict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from spinscope.corpora.checkworthy import Sentence, load_checkthat19, load_checkthat20
from spinscope.errors import DataError

ScoreFn = Callable[[list[str]], np.ndarray]
# labels and scores come as lists or as numpy arrays
Labels = Sequence[int] | np.ndarray
Scores = Sequence[float] | np.ndarray

CT19_K = (1, 3, 5, 10, 20, 50)
CT20_K = (1, 3, 5, 10, 20, 30)


def _ranked_labels(labels: Labels, scores: Scores) -> np.ndarray:
    """Labels (0/1) ordered by score, highest first; ties keep their input order."""
    y = np.asarray(labels, dtype=np.int64).reshape(-1)
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    if y.shape != s.shape:
        raise ValueError(f"{y.size} labels but {s.size} scores")
    order = np.argsort(-s, kind="stable")
    return (y[order] > 0).astype(np.int64)


def average_precision(labels: Labels, scores: Scores) -> float | None:
    """Mean, over the positives, of the precision at each positive's rank; None without
    positives."""
    ranked = _ranked_labels(labels, scores)
    n_pos = int(ranked.sum())
    if n_pos == 0:
        return None
    hits = np.cumsum(ranked)
    ranks = np.arange(1, ranked.size + 1)
    return float(np.sum((hits / ranks)[ranked == 1]) / n_pos)


def mean_average_precision(groups: Iterable[tuple[Labels, Scores]]) -> float:
    """Mean AP over the groups (rankings) that have at least one positive; 0.0 if none has."""
    aps = [ap for ap in (average_precision(y, s) for y, s in groups) if ap is not None]
    return float(np.mean(aps)) if aps else 0.0


def r_precision(labels: Labels, scores: Scores) -> float | None:
    """Precision among the top R, R = number of positives; None without positives."""
    ranked = _ranked_labels(labels, scores)
    r = int(ranked.sum())
    if r == 0:
        return None
    return float(ranked[:r].sum() / r)


def precision_at_k(labels: Labels, scores: Scores, k: int) -> float:
    """Positives among the top ``k``, divided by ``k`` (also when the list is shorter)."""
    if k <= 0:
        raise ValueError(f"k must be positive, got {k}")
    ranked = _ranked_labels(labels, scores)
    return float(ranked[:k].sum() / k)


def reciprocal_rank(labels: Labels, scores: Scores) -> float | None:
    """1 / rank of the first positive; None without positives."""
    ranked = _ranked_labels(labels, scores)
    hit = np.nonzero(ranked)[0]
    return float(1.0 / (hit[0] + 1)) if hit.size else None


def positive_f1(labels: Labels, predictions: Labels) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive class (0.0 where a denominator is 0)."""
    y = np.asarray(labels, dtype=np.int64).reshape(-1) > 0
    p = np.asarray(predictions, dtype=np.int64).reshape(-1) > 0
    if y.shape != p.shape:
        raise ValueError(f"{y.size} labels but {p.size} predictions")
    tp = int(np.sum(y & p))
    precision = tp / int(p.sum()) if p.any() else 0.0
    recall = tp / int(y.sum()) if y.any() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)


def _ranking_report(labels: np.ndarray, scores: np.ndarray, ks: Sequence[int]) -> dict:
    out: dict = {
        "sentences": int(labels.size),
        "positives": int(labels.sum()),
        "ap": average_precision(labels, scores),
        "r_precision": r_precision(labels, scores),
        "reciprocal_rank": reciprocal_rank(labels, scores),
    }
    for k in ks:
        out[f"p_at_{k}"] = precision_at_k(labels, scores, k)
    return out


def _score(sentences: list[Sentence], score_fn: ScoreFn) -> np.ndarray:
    scores = np.asarray(score_fn([s.text for s in sentences]), dtype=np.float64).reshape(-1)
    if scores.size != len(sentences):
        raise ValueError(f"score_fn returned {scores.size} scores for {len(sentences)} sentences")
    return scores


def _mean(values: Iterable[float | None]) -> float:
    kept = [v for v in values if v is not None]
    return float(np.mean(kept)) if kept else 0.0


def evaluate_checkthat19(root: str | Path, score_fn: ScoreFn) -> dict:
    """CheckThat! 2019 Task 1 on the test split: metrics per transcript, averaged over the
    transcripts (MAP, mean R-precision, mean reciprocal rank, mean P@k)."""
    sentences = load_checkthat19(root, "test")
    scores = _score(sentences, score_fn)
    labels = np.asarray([s.label for s in sentences], dtype=np.int64)
    groups = np.asarray([s.group for s in sentences])
    per: dict[str, dict] = {}
    for g in sorted(set(groups.tolist())):
        sel = groups == g
        per[g] = _ranking_report(labels[sel], scores[sel], CT19_K)
    report: dict = {
        "dataset": "checkthat2019-task1-en",
        "split": "test",
        "map": mean_average_precision((labels[groups == g], scores[groups == g]) for g in per),
        "r_precision": _mean(r["r_precision"] for r in per.values()),
        "reciprocal_rank": _mean(r["reciprocal_rank"] for r in per.values()),
    }
    for k in CT19_K:
        report[f"p_at_{k}"] = _mean(r[f"p_at_{k}"] for r in per.values())
    report.update(
        {
            "per_transcript": per,
            "transcripts": len(per),
            "sentences": int(labels.size),
            "positives": int(labels.sum()),
        }
    )
    return report


def evaluate_checkthat20(root: str | Path, score_fn: ScoreFn, split: str = "test") -> dict:
    """CheckThat! 2020 Task 1 (English): the tweets of ``split`` ranked as one list."""
    sentences = load_checkthat20(root, split)
    if not sentences:
        raise DataError(f"CheckThat! 2020 {split} has no tweets.")
    scores = _score(sentences, score_fn)
    labels = np.asarray([s.label for s in sentences], dtype=np.int64)
    one = _ranking_report(labels, scores, CT20_K)
    report: dict = {
        "dataset": "checkthat2020-task1-en",
        "split": split,
        "map": mean_average_precision([(labels, scores)]),
    }
    report.update({k: v for k, v in one.items() if k not in ("ap", "sentences", "positives")})
    report.update({"sentences": one["sentences"], "positives": one["positives"]})
    return report
