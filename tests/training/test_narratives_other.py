"""Narratives' evaluation handles "Other" as the SemEval-2025 official scorer does (issue 15):
an article without a narrative is "Other" on the gold side, a prediction with nothing (or only a
"not sure" guess) writes "Other", "Other" for "Other" scores 1, and labels outside the official
lists are dropped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="training needs the [train] extra")

from spinscope.corpora.semeval25 import NarrativeLabels  # noqa: E402
from spinscope.evaluation.article_labels import narrative_scores  # noqa: E402
from spinscope.training.narratives import OTHER, predict_sets  # noqa: E402

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "semeval2025-task10"
MODEL = {
    "narratives": ["CC: A", "CC: B"],
    "subnarratives": ["CC: A: a1", "CC: B: b1"],
    "gate_W": np.array([1.0]), "gate_b": np.array([0.0]),
    "narr_W": np.array([[1.0], [-1.0]]), "narr_b": np.array([0.0, 0.0]),
    "sub_W": np.array([[1.0], [-1.0]]), "sub_b": np.array([0.0, 0.0]),
    "gate_threshold": 0.5, "threshold": 0.9, "subnarrative_threshold": 0.5,
}  # fmt: skip
OTHERS = NarrativeLabels((OTHER,), (OTHER,))


def test_below_the_gate_is_other_and_an_unsure_guess_is_other_without_guesses() -> None:
    x = np.array([[-3.0], [1.0], [5.0]])  # gate fails; gate passes, no narrative >= 0.9; sure
    guessed = predict_sets(MODEL, x)
    plain = predict_sets(MODEL, x, guess=False)
    assert guessed[0] == plain[0] == OTHERS
    assert guessed[1].narratives == ("CC: A",) and plain[1] == OTHERS
    assert plain[2] == guessed[2] and plain[2].narratives == ("CC: A",)


def test_other_for_other_scores_one_and_nothing_is_never_silently_empty() -> None:
    gold = {"a": OTHERS, "b": NarrativeLabels(("CC: A",), ("CC: A: a1",))}
    pred = {"a": OTHERS, "b": OTHERS}
    scores = narrative_scores(gold, pred)
    assert scores["coarse"]["f1"] == scores["fine"]["f1"] == 0.5


@pytest.mark.skipif(not DATA.is_dir(), reason="no ../shared/data/semeval2025-task10")
def test_official_lists_hold_other_so_it_is_scored() -> None:
    from spinscope.corpora.semeval25 import load_taxonomy

    taxonomy = load_taxonomy(DATA)
    assert OTHER in taxonomy.narratives and OTHER in taxonomy.subnarratives
    gold = {"a": NarrativeLabels(("CC: Climate change is beneficial",),
                                 ("CC: Climate change is beneficial: Temperature increase is "
                                  "beneficial",))}  # fmt: skip
    pred = {"a": gold["a"]}
    # that sub-narrative is not in the official list: dropped on both sides, as the scorer does
    assert narrative_scores(gold, pred, taxonomy)["fine"]["f1"] == 1.0
