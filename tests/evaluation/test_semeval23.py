"""SemEval-2023 ST3 paragraph-level micro/macro-F1 on hand-made rows."""

import pytest

from spinscope.evaluation.semeval23 import parse_rows, st3_score


def test_parse_rows_reads_empty_technique_lists():
    rows = parse_rows(["1\t1\t", "1\t3\tDoubt,Slogans\r\n", ""])
    assert rows == [("1", "1", frozenset()), ("1", "3", frozenset({"Doubt", "Slogans"}))]


def test_micro_and_macro_f1():
    gold = parse_rows(["1\t1\tDoubt,Slogans", "1\t2\t", "2\t1\tDoubt"])
    pred = parse_rows(["1\t1\tDoubt", "1\t2\tSlogans", "2\t1\tDoubt"])
    r = st3_score(pred, gold, ["Doubt", "Slogans"])
    # tp: Doubt x2; fp: Slogans (1,2); fn: Slogans (1,1)
    assert r["micro_f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1), abs=1e-4)
    assert r["per_label_f1"] == {"Doubt": 1.0, "Slogans": 0.0}
    assert r["macro_f1"] == pytest.approx(0.5)


def test_missing_prediction_rows_count_as_empty():
    gold = parse_rows(["1\t1\tDoubt"])
    assert st3_score([], gold, ["Doubt"])["micro_f1"] == 0.0
