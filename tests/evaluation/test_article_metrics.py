"""Official article-level metrics on tiny cases computed by hand."""

from __future__ import annotations

import math

import pytest

from spinscope.corpora.semeval23_articles import FRAMES
from spinscope.corpora.semeval25 import EntityMention, NarrativeLabels
from spinscope.evaluation.article_labels import (
    entity_role_scores,
    frames_micro_f1,
    genre_macro_f1,
    narrative_scores,
    samples_f1,
)

approx = pytest.approx


def test_genre_macro_micro_and_missing() -> None:
    gold = {"a": "opinion", "b": "opinion", "c": "reporting", "d": "satire"}
    pred = {"a": "opinion", "b": "reporting", "c": "reporting", "x": "satire"}
    # d has no prediction (a false negative of satire only); x is not in gold (ignored).
    # opinion   tp1 fp0 fn1 -> P 1, R 1/2, F 2/3
    # reporting tp1 fp1 fn0 -> P 1/2, R 1, F 2/3
    # satire    tp0 fp0 fn1 -> F 0
    # macro = (2/3 + 2/3 + 0) / 3 = 4/9; micro tp2 fp1 fn2 -> F 4/7
    r = genre_macro_f1(gold, pred)
    assert r["macro_f1"] == approx(4 / 9)
    assert r["micro_f1"] == approx(4 / 7)
    assert r["per_class"]["opinion"] == approx(
        {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}
    )
    assert r["per_class"]["reporting"]["precision"] == approx(0.5)
    assert r["per_class"]["satire"]["f1"] == 0.0
    assert (r["n"], r["missing"]) == (4, 1)


def test_genre_perfect_and_micro_is_accuracy() -> None:
    gold = {"a": "opinion", "b": "satire", "c": "reporting"}
    assert genre_macro_f1(gold, dict(gold))["macro_f1"] == 1.0
    # all predicted "opinion": accuracy 1/3 == micro-F1; macro = F1(opinion)/3 = (2/4)/3
    r = genre_macro_f1(gold, dict.fromkeys(gold, "opinion"))
    assert r["micro_f1"] == approx(1 / 3)
    assert r["macro_f1"] == approx(0.5 / 3)


def test_frames_micro_macro_with_empty_gold_and_missing() -> None:
    gold = {"a": ["Political", "Morality"], "b": [], "c": ["Economic"]}
    pred = {"a": ["Political"], "b": ["Economic"], "zz": ["Political"]}  # c missing
    # tp: Political 1; fp: Economic 1 (on b); fn: Morality 1, Economic 1 (on c)
    # micro: P 1/2, R 1/3, F 2*1/(2*1+1+2) = 0.4
    # macro: only Political has F 1, the other 13 frames 0 -> 1/14
    r = frames_micro_f1(gold, pred)
    assert r["micro_f1"] == approx(0.4)
    assert r["micro_precision"] == approx(0.5)
    assert r["micro_recall"] == approx(1 / 3)
    assert r["macro_f1"] == approx(1 / 14)
    assert len(r["per_class"]) == len(FRAMES)
    assert r["missing"] == 1


def test_frames_unknown_labels_are_dropped() -> None:
    # "Politics" is not a frame: dropped on both sides, so a/Political is a perfect match.
    r = frames_micro_f1({"a": ["Political"]}, {"a": ["Political", "Politics"]})
    assert r["micro_f1"] == 1.0


def test_samples_f1_per_article_mean_and_std() -> None:
    gold = {"a": {"x", "y"}, "b": {"Other"}, "c": {"Other"}, "d": set(), "e": {"z"}}
    pred = {"a": {"x"}, "b": {"Other"}, "c": {"Other", "x"}, "d": set(), "q": {"z"}}
    # a 2*1/(2+1) = 2/3; b 1 (Other is an ordinary label); c 2*1/(1+2) = 2/3;
    # d both empty -> 1; e missing -> empty prediction -> 0.
    # mean = (2/3 + 1 + 2/3 + 1 + 0) / 5 = 2/3
    # deviations 0, 1/3, 0, 1/3, -2/3 -> variance (1/9 + 1/9 + 4/9) / 5 = 2/15
    r = samples_f1(gold, pred)
    assert r["f1"] == approx(2 / 3)
    assert r["std"] == approx(math.sqrt(2 / 15))
    assert (r["n"], r["missing"]) == (5, 1)
    # both-empty scored 0 instead: (2/3 + 1 + 2/3 + 0 + 0) / 5 = 7/15
    assert samples_f1(gold, pred, empty_f1=0.0)["f1"] == approx(7 / 15)


def test_samples_f1_label_restriction_and_empty_gold_set() -> None:
    # With labels {x, Other}, y is dropped from a's gold: {x} vs {x} -> 1.
    assert samples_f1({"a": {"x", "y"}}, {"a": {"x"}}, labels={"x", "Other"})["f1"] == 1.0
    # Empty gold set with a non-empty prediction -> 0; no gold at all -> 0 over 0 articles.
    assert samples_f1({"a": set()}, {"a": {"x"}})["f1"] == 0.0
    assert samples_f1({}, {"a": {"x"}}) == {"f1": 0.0, "std": 0.0, "n": 0, "missing": 0}


def test_narrative_scores_fine_and_coarse() -> None:
    gold = {
        "d1": NarrativeLabels(("CC: A",), ("CC: A: x", "CC: A: y")),
        "d2": NarrativeLabels(("Other",), ("Other",)),
    }
    pred = {
        "d1": NarrativeLabels(("CC: A",), ("CC: A: x",)),
        "d2": NarrativeLabels(("CC: A",), ("CC: A: x",)),
    }
    # fine: d1 2*1/(2+1) = 2/3, d2 0 -> mean 1/3, std 1/3
    # coarse: d1 1, d2 0 -> mean 1/2, std 1/2
    r = narrative_scores(gold, pred)
    assert (r["fine"]["f1"], r["fine"]["std"]) == (approx(1 / 3), approx(1 / 3))
    assert (r["coarse"]["f1"], r["coarse"]["std"]) == (approx(0.5), approx(0.5))
    # A missing article scores 0 on both levels.
    r = narrative_scores(gold, {"d2": gold["d2"]})
    assert r["fine"]["f1"] == approx(0.5) and r["coarse"]["missing"] == 1


def test_entity_role_scores() -> None:
    gold = [
        EntityMention("doc", "Gates", 0, 5, "Antagonist", ("Deceiver", "Corrupt")),
        EntityMention("doc", "BBC", 10, 13, "Protagonist", ("Guardian",)),
        EntityMention("doc", "Kyiv", 20, 24, "Innocent", ("Victim",), aligned=False),
    ]
    pred = {
        ("doc", 0, 5): ("Antagonist", ["Deceiver"]),
        ("doc", 10, 13): ("Protagonist", ["Guardian"]),
        ("doc", 99, 100): ("Innocent", ["Victim"]),  # no such gold mention: ignored
    }
    # third mention missing -> ("", ()).
    # EMR: only BBC has the exact set -> 1/3; main role right for Gates and BBC -> 2/3.
    # fine-role pairs: tp 2 (Deceiver, Guardian), predicted 2, gold 4 -> P 1, R 1/2, F 2/3
    r = entity_role_scores(gold, pred)
    assert r["emr"] == approx(1 / 3)
    assert r["main_role_accuracy"] == approx(2 / 3)
    assert (r["precision"], r["recall"], r["f1"]) == (approx(1.0), approx(0.5), approx(2 / 3))
    assert (r["n"], r["missing"]) == (3, 1)


def test_entity_role_scores_empty_inputs() -> None:
    r = entity_role_scores([], {})
    assert r["emr"] == 0.0 and r["f1"] == 0.0 and r["n"] == 0
    perfect = {
        (m.doc_id, m.start, m.end_exclusive): (m.main_role, m.fine_roles)
        for m in [EntityMention("d", "X", 0, 1, "Innocent", ("Victim",))]
    }
    r = entity_role_scores([EntityMention("d", "X", 0, 1, "Innocent", ("Victim",))], perfect)
    assert (r["emr"], r["main_role_accuracy"], r["f1"]) == (1.0, 1.0, 1.0)
