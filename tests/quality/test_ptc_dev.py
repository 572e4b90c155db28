"""The shipped tagger's PTC dev scores may not fall below the pinned baseline.

A retrained model replaces the shipped one only when it scores better; after such a change, raise
the floors in baseline.json (never lower them without saying why in the commit).
"""

import json
from pathlib import Path

import pytest

from spinscope.analysis.techniques import TechniqueTagger, shipped_model_dir
from spinscope.evaluation.run import evaluate_ptc

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ptc-semeval2020-task11"
BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text())


@pytest.mark.slow
@pytest.mark.skipif(not DATA.is_dir(), reason="PTC is not at ../shared/data")
@pytest.mark.skipif(not (shipped_model_dir() / "card.json").exists(), reason="no shipped model")
def test_shipped_tagger_holds_its_dev_scores():
    result = evaluate_ptc(TechniqueTagger(), DATA, "dev")
    for metric, floor in BASELINE["ptc_dev"].items():
        assert result[metric] >= floor - 0.002, (metric, result[metric], floor)


@pytest.mark.slow
@pytest.mark.skipif(not (DATA.parent / "semeval2023-task3").is_dir(), reason="no SemEval-2023 data")
@pytest.mark.skipif(not (shipped_model_dir() / "card.json").exists(), reason="no shipped model")
def test_shipped_tagger_holds_its_semeval23_paragraph_score():
    from spinscope.evaluation.run import evaluate_semeval23_st3

    result = evaluate_semeval23_st3(TechniqueTagger(), DATA.parent)
    for metric, floor in BASELINE["semeval23_st3"].items():
        assert result[metric] >= floor - 0.002, (metric, result[metric], floor)
