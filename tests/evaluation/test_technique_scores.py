"""Paragraph micro-F1, span F1, ECE and the constant floor on hand-made documents."""

from __future__ import annotations

import pytest

from spinscope.corpora.ptc import GoldSpan
from spinscope.corpora.technique_spans import SpanDocument
from spinscope.evaluation import technique_scores as tsc

NC, LL, DOUBT = "Name_Calling-Labeling", "Loaded_Language", "Doubt"
TEXT = "Title\n\nThey are traitors.\nA calm line.\n"  # lines 1, 3, 4 are scored


def _doc(spans, paragraphs, doc_id="1") -> SpanDocument:
    return SpanDocument(doc_id, TEXT, [GoldSpan(*s) for s in spans], paragraphs)


def test_line_bounds():
    bounds = tsc.line_bounds(TEXT)
    assert TEXT[slice(*bounds[3])] == "They are traitors."
    assert bounds[2] == (6, 6)


def test_paragraph_rows_take_every_overlapping_span():
    doc = _doc([], {1: frozenset(), 3: frozenset(), 4: frozenset()})
    # a span from line 3 into line 4 labels both lines; one inside the title labels line 1
    rows = tsc.paragraph_rows(doc, [(16, 30, NC, 0.9), (0, 3, LL, 0.5)])
    assert rows == [("1", "1", {LL}), ("1", "3", {NC}), ("1", "4", {NC})]


def test_score_spans_paragraph_span_and_ece():
    gold = _doc([(16, 24, NC)], {1: frozenset(), 3: frozenset({NC}), 4: frozenset()})
    perfect = tsc.score_spans([gold], [[(16, 24, NC, 1.0)]])
    assert perfect["micro_f1"] == 1.0 and perfect["span_f1"] == 1.0
    assert perfect["ece"] == 0.0 and perfect["findings"] == 1
    # right label, half the span, confidence 0.5: paragraph still right; span P 1, R 0.5
    half = tsc.score_spans([gold], [[(16, 20, NC, 0.5)]])
    assert half["micro_f1"] == 1.0
    assert half["span_precision"] == 1.0 and half["span_recall"] == 0.5
    assert half["ece"] == pytest.approx(0.5)
    wrong = tsc.score_spans([gold], [[(16, 24, DOUBT, 0.8)]])
    assert wrong["micro_f1"] == 0.0 and wrong["span_f1"] == 0.0
    assert wrong["ece"] == pytest.approx(0.8) and wrong["share_right"] == 0.0


def test_constant_floor_is_chosen_on_train_rows():
    train = [("a", "1", frozenset({LL})), ("a", "2", frozenset({LL, NC})),
             ("a", "3", frozenset({LL})), ("a", "4", frozenset())]  # fmt: skip
    # LL alone: tp 3, fp 1, fn 1 -> 0.75; LL+NC: tp 4, fp 5, fn 0 -> 0.615
    assert tsc.constant_floor(train) == [LL]
    gold = _doc([], {1: frozenset(), 3: frozenset({NC}), 4: frozenset()})
    result = tsc.score_spans([gold], [[]], train_rows=train, with_spans=False)
    assert result["constant_floor"] == {"labels": [LL], "micro_f1": 0.0}
    assert "span_f1" not in result and result["micro_f1"] == 0.0


def test_constant_floor_adds_labels_when_they_pay():
    train = [("a", str(k), frozenset({LL, NC})) for k in range(3)]
    assert sorted(tsc.constant_floor(train)) == [LL, NC]
