"""Scores of predicted technique spans against ``SpanDocument`` gold (SemEval-2023 taxonomy).

* Paragraph micro-F1, the official SemEval-2023 ST3 measure: a line gets every technique whose
  predicted span overlaps it; micro-F1 over (article, line, technique) on the lines the gold
  scores (``evaluation.semeval23.st3_score``).
* Span F1: the SemEval-2020 full-task measure (partial-overlap credit, same technique), as
  CheckThat! 2024 Task 3 scores spans (``evaluation.ptc.full_task_score``).
* ECE (10 equal-width bins) of the findings' confidences, a finding being right when it overlaps
  a gold span of its technique (as ``training.calibrate`` defines it).
* A constant floor: one label set given to every line, chosen on training rows only: the most
  frequent techniques taken in frequency order, as many as maximise the training micro-F1.

Predictions are ``(start, end, label, confidence)`` tuples per document, so any model can be
scored the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from spinscope.corpora.technique_spans import SpanDocument
from spinscope.evaluation.ptc import full_task_score
from spinscope.evaluation.semeval23 import Row, st3_score
from spinscope.model.taxonomy import LABELS_2023

Predicted = tuple[int, int, str, float]


def line_bounds(text: str) -> dict[int, tuple[int, int]]:
    """1-based line number -> ``[start, end)`` of every line split on ``\\n``."""
    from spinscope.analysis._paragraphs import line_spans

    return dict(enumerate(line_spans(text), 1))


def paragraph_rows(doc: SpanDocument, spans: Iterable[tuple]) -> list[Row]:
    """ST3 rows for the gold lines of ``doc``: each line with the labels of the spans that
    overlap it (``spans`` are ``(start, end, label, ...)``)."""
    bounds = line_bounds(doc.text)
    spans = list(spans)
    rows = []
    for number in sorted(doc.paragraphs):
        start, end = bounds.get(number, (0, 0))
        labels = frozenset(s[2] for s in spans if s[0] < end and s[1] > start)
        rows.append((doc.id, str(number), labels))
    return rows


def gold_rows(docs: Iterable[SpanDocument]) -> list[Row]:
    return [(d.id, str(n), labels) for d in docs for n, labels in sorted(d.paragraphs.items())]


def constant_floor(train_rows: Sequence[Row], labels: Sequence[str] = LABELS_2023) -> list[str]:
    """The label set to give every line: the top-k training techniques by frequency, k chosen
    to maximise micro-F1 on ``train_rows`` (never on the rows it is then scored on)."""
    counts = Counter(label for _, _, found in train_rows for label in found)
    ranked = [label for label, _ in counts.most_common()]
    best: list[str] = []
    best_f1 = -1.0
    for k in range(1, len(ranked) + 1):
        chosen = frozenset(ranked[:k])
        f1 = st3_score([(a, p, chosen) for a, p, _ in train_rows], list(train_rows), labels)
        if f1["micro_f1"] > best_f1:
            best, best_f1 = ranked[:k], f1["micro_f1"]
    return best


def constant_rows(rows: Sequence[Row], chosen: Iterable[str]) -> list[Row]:
    chosen = frozenset(chosen)
    return [(a, p, chosen) for a, p, _ in rows]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def ece_of_findings(
    docs: Sequence[SpanDocument], predicted: Sequence[Sequence[Predicted]], bins: int = 10
) -> dict:
    """ECE of the predicted spans' confidences; right = overlaps a gold span of its label."""
    from spinscope.analysis.calibration import ece

    conf, right = [], []
    for doc, spans in zip(docs, predicted, strict=True):
        for start, end, label, confidence in spans:
            conf.append(confidence)
            right.append(
                any(
                    g.label == label and _overlaps((start, end), (g.start, g.end))
                    for g in doc.spans
                )
            )
    return {
        "ece": round(ece(conf, right, bins), 4),
        "findings": len(conf),
        "share_right": round(sum(right) / len(right), 4) if right else None,
    }


def score_spans(
    docs: Sequence[SpanDocument],
    predicted: Sequence[Sequence[Predicted]],
    *,
    train_rows: Sequence[Row] | None = None,
    with_spans: bool = True,
) -> dict:
    """Paragraph micro/macro-F1 (and, with ``with_spans``, span F1 and ECE) of ``predicted``
    on ``docs``; with ``train_rows``, the constant floor beside it."""
    gold = gold_rows(docs)
    pred = [row for doc, spans in zip(docs, predicted, strict=True)
            for row in paragraph_rows(doc, spans)]  # fmt: skip
    result: dict = {
        "n_articles": len(docs),
        "n_paragraphs": len(gold),
        **st3_score(pred, gold, LABELS_2023),
    }
    if with_spans:
        span_gold = [(d.id, g.label, g.start, g.end) for d in docs for g in d.spans]
        span_pred = [(d.id, s[2], s[0], s[1])
                     for d, spans in zip(docs, predicted, strict=True) for s in spans]  # fmt: skip
        spans = full_task_score(span_pred, span_gold)
        result["span_f1"] = round(spans["f1"], 4)
        result["span_precision"] = round(spans["precision"], 4)
        result["span_recall"] = round(spans["recall"], 4)
        result.update(ece_of_findings(docs, predicted))
    if train_rows is not None:
        chosen = constant_floor(train_rows)
        floor = st3_score(constant_rows(gold, chosen), gold, LABELS_2023)
        result["constant_floor"] = {"labels": chosen, "micro_f1": floor["micro_f1"]}
    return result
