"""The official SemEval-2020 T11 measures, pinned on hand-made cases."""

import pytest

from spinscope.evaluation.ptc import full_task_score, merge_spans, si_score, tc_score


def test_merge_spans_unions_overlaps_only():
    assert merge_spans([(4, 10), (0, 6), (10, 12)]) == [(0, 10), (10, 12)]


def test_si_exact_match_is_perfect():
    r = si_score([("a", 0, 10)], [("a", 0, 10)])
    assert (r["precision"], r["recall"], r["f1"]) == (1.0, 1.0, 1.0)


def test_si_partial_overlap_gets_partial_credit():
    r = si_score([("a", 5, 15)], [("a", 0, 10)])
    assert r["precision"] == pytest.approx(0.5)
    assert r["recall"] == pytest.approx(0.5)


def test_si_one_prediction_covering_two_gold_spans():
    r = si_score([("a", 0, 15)], [("a", 0, 5), ("a", 10, 15)])
    assert r["precision"] == pytest.approx(10 / 15)
    assert r["recall"] == pytest.approx(1.0)
    assert r["f1"] == pytest.approx(2 * (10 / 15) / (10 / 15 + 1))


def test_si_merges_overlapping_predictions_and_gold_per_article():
    r = si_score([("a", 0, 6), ("a", 4, 10)], [("a", 0, 10), ("a", 2, 8)])
    assert (r["n_pred"], r["n_gold"], r["f1"]) == (1, 1, 1.0)


def test_si_does_not_credit_other_articles():
    r = si_score([("b", 0, 10)], [("a", 0, 10)])
    assert r["f1"] == 0.0


def test_si_micro_aggregates_over_articles():
    r = si_score([("a", 0, 10), ("b", 0, 10)], [("a", 0, 10), ("b", 5, 15)])
    assert r["precision"] == pytest.approx((1 + 0.5) / 2)
    assert r["recall"] == pytest.approx((1 + 0.5) / 2)


def test_si_empty_prediction_scores_zero():
    assert si_score([], [("a", 0, 5)])["f1"] == 0.0


def test_tc_multilabel_span_matches_as_multiset():
    gold = [("a", "Doubt", 0, 5), ("a", "Slogans", 0, 5), ("a", "Doubt", 10, 12)]
    pred = [("a", "Slogans", 0, 5), ("a", "Doubt", 0, 5), ("a", "Slogans", 10, 12)]
    r = tc_score(pred, gold)
    assert r["f1"] == pytest.approx(2 / 3)
    assert r["per_label"]["Doubt"]["recall"] == pytest.approx(1 / 2)
    assert r["per_label"]["Slogans"]["precision"] == pytest.approx(1 / 2)


def test_tc_duplicate_prediction_does_not_count_twice():
    r = tc_score([("a", "Doubt", 0, 5), ("a", "Doubt", 0, 5)], [("a", "Doubt", 0, 5)])
    assert r["precision"] == pytest.approx(0.5)
    assert r["recall"] == pytest.approx(1.0)


def test_full_task_needs_the_same_technique():
    gold = [("a", "Doubt", 0, 10)]
    assert full_task_score([("a", "Slogans", 0, 10)], gold)["f1"] == 0.0
    assert full_task_score([("a", "Doubt", 5, 15)], gold)["f1"] == pytest.approx(0.5)


def test_full_task_overlapping_spans_of_different_techniques_are_kept_apart():
    gold = [("a", "Doubt", 0, 10), ("a", "Loaded_Language", 2, 4)]
    pred = [("a", "Doubt", 0, 10), ("a", "Loaded_Language", 2, 4)]
    r = full_task_score(pred, gold)
    assert (r["n_pred"], r["n_gold"], r["f1"]) == (2, 2, 1.0)


def test_repeated_span_gets_its_next_best_technique():
    import numpy as np

    from spinscope.evaluation.tagger import assign_labels

    probs = np.array([[0.1, 0.6, 0.3], [0.1, 0.6, 0.3], [0.5, 0.2, 0.3]])
    spans = [(0, 5), (0, 5), (7, 9)]
    assert assign_labels(probs, spans, ["A", "B", "C"]) == ["B", "C", "A"]
