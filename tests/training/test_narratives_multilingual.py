"""What the narrative calibration is fitted on: the labels the rule lists, as the analyser lists
them (issue 15)."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from spinscope.corpora.semeval25 import NarrativeLabels  # noqa: E402
from spinscope.training import narratives_multilingual as nm  # noqa: E402

MODEL = {"narratives": ["A", "B"], "subnarratives": ["A: x", "A: Other", "B: y"]}


def test_listed_records_mark_the_fallback_and_skip_other():
    probs = {
        "gate": np.array([0.9, 0.9, 0.1]),
        "narr": np.array([[0.8, 0.2], [0.3, 0.1], [0.9, 0.9]]),
        "sub": np.array([[0.7, 0.1, 0.1], [0.1, 0.9, 0.1], [0.9, 0.9, 0.9]]),
    }
    gold = [
        NarrativeLabels(("A",), ("A: x",)),
        NarrativeLabels(("B",), ("B: y",)),
        NarrativeLabels(("Other",), ("Other",)),
    ]
    out = nm.listed_records(MODEL, probs, gold, ["", "", ""], "BG", (0.5, 0.5, 0.5))
    # article 1: A above threshold (right), sub A: x (right); article 2: A by fallback (wrong),
    # its sub-narrative "A: Other" is not listed; article 3: below the gate, nothing
    assert out["narrative"] == [("A", 0.8, 1, False), ("A", 0.3, 0, True)]
    assert out["subnarrative"] == [("A: x", 0.7, 1, False)]
