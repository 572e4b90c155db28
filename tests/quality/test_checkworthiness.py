"""The shipped check-worthiness model's CheckThat! test MAP may not fall below the pinned floors.

The ClaimBuster figure is a cross-validation of the training recipe (it trains five models), so
it is not re-run here; `spinscope eval claimbuster` reproduces it.
"""

import json
from pathlib import Path

import pytest

from spinscope.analysis.checkworthy import DEFAULT_MODEL_DIR, CheckworthinessScorer
from spinscope.evaluation.checkworthy import evaluate_checkthat19, evaluate_checkthat20

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FLOORS = json.loads((Path(__file__).parent / "baseline.json").read_text())["checkworthiness"]

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "card.json").exists(), reason="no shipped check-worthiness model"
)


def checkthat19_head(texts):
    return CheckworthinessScorer().score(texts)[:, 1]


@pytest.mark.skipif(not (DATA / "checkthat2019-task1-en").is_dir(), reason="no CheckThat! 2019")
def test_checkthat19_test_map():
    result = evaluate_checkthat19(DATA / "checkthat2019-task1-en", checkthat19_head)
    assert result["map"] >= FLOORS["checkthat19_test_map"] - 0.002, result["map"]


@pytest.mark.skipif(not (DATA / "checkthat2020-task1-en").is_dir(), reason="no CheckThat! 2020")
def test_checkthat20_test_map():
    result = evaluate_checkthat20(DATA / "checkthat2020-task1-en", checkthat19_head)
    assert result["map"] >= FLOORS["checkthat20_test_map"] - 0.002, result["map"]
