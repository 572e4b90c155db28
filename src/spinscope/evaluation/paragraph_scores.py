"""Scores of the paragraph technique model (``analysis.technique_paragraphs``) on SemEval-2023
ST3 paragraphs as the official templates give them: paragraph micro/macro-F1 (the official ST3
measure), ECE of the findings' calibrated confidences (a finding is right when the paragraph's
gold has its technique) and of every (paragraph, technique) score, and the constant floor chosen
on training rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spinscope.analysis.calibration import ece
from spinscope.corpora.technique_paragraphs import Paragraphs
from spinscope.evaluation.semeval23 import Row, st3_score
from spinscope.evaluation.technique_scores import constant_floor, constant_rows
from spinscope.model.taxonomy import LABELS_2023


def articles_of(par: Paragraphs) -> list[list[int]]:
    """Row indices of ``par`` per article, in order of first appearance."""
    groups: dict[str, list[int]] = {}
    for k, art in enumerate(par.ids):
        groups.setdefault(art, []).append(k)
    return list(groups.values())


def paragraph_probs(model, par: Paragraphs) -> np.ndarray:
    """(paragraphs x 23) calibrated probabilities of every row of ``par``."""
    groups = articles_of(par)
    probs = np.zeros((len(par), len(model.labels)))
    scored = model.score_paragraphs([[par.texts[k] for k in rows] for rows in groups])
    for rows, p in zip(groups, scored, strict=True):
        probs[rows] = p
    return probs


def paragraph_decisions(model, par: Paragraphs) -> tuple[np.ndarray, np.ndarray]:
    """(confidence, is a finding), each paragraphs x 23, of every row of ``par``, as the
    analyser decides them (the paragraph model with the multilingual tagger, where it is on)."""
    groups = articles_of(par)
    conf = np.zeros((len(par), len(model.labels)))
    found = np.zeros((len(par), len(model.labels)), bool)
    decided = model.decide_paragraphs([[par.texts[k] for k in rows] for rows in groups])
    for rows, (c, f) in zip(groups, decided, strict=True):
        conf[rows], found[rows] = c, f
    return conf, found


def gold_of(par: Paragraphs) -> list[Row]:
    return [
        (a, str(n), labels) for a, n, labels in zip(par.ids, par.lines, par.labels, strict=True)
    ]


def score_paragraph_model(
    model,
    par: Paragraphs,
    decided: tuple[np.ndarray, np.ndarray],
    train_rows: Sequence[Row] | None = None,
) -> dict:
    """Scores of ``decided`` (``paragraph_decisions``: confidences and findings)."""
    labels = list(model.labels)
    if labels != list(LABELS_2023):
        raise ValueError("the paragraph model's labels are not the 23 SemEval-2023 techniques")
    probs, found = decided
    pred = [(a, str(n), frozenset(labels[j] for j in np.flatnonzero(found[k])))
            for k, (a, n) in enumerate(zip(par.ids, par.lines, strict=True))]  # fmt: skip
    gold = gold_of(par)
    right = np.array([[label in g for label in labels] for g in par.labels])
    result = {
        "n_articles": len(set(par.ids)),
        "n_paragraphs": len(par),
        **(
            {"rule": {k: model.multilingual.rule[k] for k in ("weight", "threshold")}}
            if model.multilingual
            else {"thresholds": dict(zip(labels, map(float, model.thresholds()), strict=True))}
        ),
        **st3_score(pred, gold, LABELS_2023),
        "findings": int(found.sum()),
        "ece": round(ece(probs[found], right[found]), 4),
        "ece_all_scores": round(ece(probs.ravel(), right.ravel()), 4),
        "share_right": round(float(right[found].mean()), 4) if found.any() else None,
    }
    if train_rows is not None:
        chosen = constant_floor(train_rows)
        floor = st3_score(constant_rows(gold, chosen), gold, LABELS_2023)
        result["constant_floor"] = {"labels": chosen, "micro_f1": floor["micro_f1"]}
    return result
