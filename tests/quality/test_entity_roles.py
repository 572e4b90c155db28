"""The shipped entity-role model on SemEval-2025 ST1 English dev (given mentions) may not fall
below the pinned floor (it is above the majority class there: 0.802)."""

import json
from pathlib import Path

import pytest

from spinscope.training.entity_roles import evaluate

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "semeval2025-task10"
FLOORS = json.loads((Path(__file__).parent / "baseline.json").read_text())["entity_roles"]


@pytest.mark.skipif(not DATA.is_dir(), reason="no SemEval-2025 Task 10 data in ../shared/data")
def test_english_dev_main_role_accuracy_and_exact_match():
    result = evaluate(DATA, "EN")
    assert result["main_role_accuracy"] >= FLOORS["main_role_accuracy"], result
    assert result["emr"] >= FLOORS["emr"], result
