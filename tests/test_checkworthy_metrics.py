"""Check-worthiness metrics on hand-made rankings (expected values worked out in comments)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from checkworthy_fixtures import write_datasets
from spinscope.evaluation.checkworthy import (
    average_precision,
    evaluate_checkthat19,
    evaluate_checkthat20,
    mean_average_precision,
    positive_f1,
    precision_at_k,
    r_precision,
    reciprocal_rank,
)

LABELS = [1, 0, 1, 0]
SCORES = [0.9, 0.8, 0.7, 0.1]  # ranking: 1 0 1 0


def test_average_precision_by_hand() -> None:
    # positives at ranks 1 and 3: precision 1/1 and 2/3 -> AP = (1 + 2/3) / 2 = 5/6
    assert average_precision(LABELS, SCORES) == pytest.approx(5 / 6)
    # scores in the other order: ranking 0 1 0 1 -> (1/2 + 2/4) / 2 = 1/2
    assert average_precision(LABELS, SCORES[::-1]) == pytest.approx(0.5)
    # the input order does not matter, only the scores
    assert average_precision([0, 1, 0, 1], [0.8, 0.7, 0.1, 0.9]) == pytest.approx(5 / 6)


def test_ties_keep_input_order() -> None:
    # equal scores: a stable sort keeps the input order
    assert average_precision([0, 1], [0.5, 0.5]) == pytest.approx(0.5)  # ranking 0 1 -> 1/2
    assert average_precision([1, 0], [0.5, 0.5]) == pytest.approx(1.0)  # ranking 1 0 -> 1
    # [0.3, 0.5, 0.5, 0.5] with labels [1, 0, 1, 1]: ranking (by index) 1,2,3,0 -> labels 0 1 1 1
    # precisions at positives: 1/2, 2/3, 3/4 -> AP = (0.5 + 0.6667 + 0.75) / 3 = 0.638888...
    assert average_precision([1, 0, 1, 1], [0.3, 0.5, 0.5, 0.5]) == pytest.approx(23 / 36)


def test_map_skips_groups_without_positives() -> None:
    groups = [
        ([1, 0], [0.9, 0.1]),  # AP 1
        ([0, 0, 0], [0.3, 0.2, 0.1]),  # no positive: no AP, skipped
        ([0, 1], [0.9, 0.1]),  # AP 1/2
    ]
    assert average_precision(*groups[1]) is None
    assert mean_average_precision(groups) == pytest.approx(0.75)  # (1 + 0.5) / 2
    assert mean_average_precision([([0], [1.0])]) == 0.0


def test_r_precision_p_at_k_reciprocal_rank() -> None:
    # R = 2 positives; top 2 of ranking 1 0 1 0 hold one -> 1/2
    assert r_precision(LABELS, SCORES) == pytest.approx(0.5)
    assert r_precision([0, 0], [1, 2]) is None
    assert precision_at_k(LABELS, SCORES, 1) == pytest.approx(1.0)
    assert precision_at_k(LABELS, SCORES, 3) == pytest.approx(2 / 3)
    # k beyond the list: 2 positives / 10
    assert precision_at_k(LABELS, SCORES, 10) == pytest.approx(0.2)
    with pytest.raises(ValueError):
        precision_at_k(LABELS, SCORES, 0)
    assert reciprocal_rank(LABELS, SCORES[::-1]) == pytest.approx(0.5)  # first positive at 2
    assert reciprocal_rank([0, 0], [1, 2]) is None


def test_positive_f1() -> None:
    # tp = 2 (items 0 and 4), predicted positives 3, gold positives 3 -> P = R = F1 = 2/3
    p, r, f1 = positive_f1([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
    assert (p, r, f1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    # P = 1/1, R = 1/3 -> F1 = 2 * 1 * (1/3) / (4/3) = 1/2
    assert positive_f1([1, 1, 0, 1], [1, 0, 0, 0]) == pytest.approx((1.0, 1 / 3, 0.5))
    assert positive_f1([1, 0], [0, 0]) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        positive_f1([1, 0], [1])


def test_evaluate_on_fixtures(tmp_path: Path) -> None:
    roots = write_datasets(tmp_path)
    # every fixture transcript has 10 lines, the first 2 positive
    best = evaluate_checkthat19(roots["checkthat19"], lambda t: -np.arange(len(t), dtype=float))
    assert best["map"] == pytest.approx(1.0)
    assert best["transcripts"] == 2 and best["sentences"] == 20 and best["positives"] == 4
    assert set(best["per_transcript"]) == {"c_debate", "d_speech"}
    assert best["p_at_5"] == pytest.approx(0.4)  # 2 positives in the top 5
    # increasing scores put the positives last (ranks 9 and 10 of each transcript):
    # AP = (1/9 + 2/10) / 2 = 0.155555...
    worst = evaluate_checkthat19(roots["checkthat19"], lambda t: np.arange(len(t), dtype=float))
    assert worst["map"] == pytest.approx((1 / 9 + 0.2) / 2)
    assert worst["split"] == "test"
    # CheckThat! 2020: 8 tweets, the first 4 positive, one ranking
    ct20 = evaluate_checkthat20(roots["checkthat20"], lambda t: -np.arange(len(t), dtype=float))
    assert ct20["map"] == pytest.approx(1.0)
    assert (ct20["sentences"], ct20["positives"]) == (8, 4)
    assert ct20["p_at_5"] == pytest.approx(0.8)
    with pytest.raises(ValueError):
        evaluate_checkthat20(roots["checkthat20"], lambda t: np.zeros(3))
