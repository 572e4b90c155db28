"""Calibrated confidence: the curves, the error measure, and the techniques analyser using them."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from spinscope.analysis import calibration
from spinscope.analysis.calibration import Calibration, Curve, ece
from spinscope.analysis.techniques import TechniqueTagger, shipped_model_dir
from spinscope.model.definitions import in_words
from spinscope.model.document import Document

TEXT = "These shameful traitors betrayed our great nation, and every patriot knows it."


def test_ece_is_zero_when_confidence_matches_the_rate_and_large_when_not():
    probs = np.array([0.2] * 10 + [0.8] * 10)
    right = np.array([1, 1] + [0] * 8 + [1] * 8 + [0] * 2)
    assert ece(probs, right) == pytest.approx(0.0)
    assert ece(np.full(20, 0.9), right) == pytest.approx(0.4)


def test_a_curve_maps_scores_through_its_knots_and_clips():
    cal = Calibration(
        pooled=Curve((0.2, 0.8), (0.1, 0.5)), labels={"X": Curve((0.0, 1.0), (0.0, 0.2))}
    )
    assert cal.confidence("Y", 0.5) == pytest.approx(0.3)
    assert cal.confidence("Y", 0.0) == pytest.approx(0.1) and cal.confidence("Y", 1.0) == 0.5
    assert cal.confidence("X", 0.5) == pytest.approx(0.1)
    assert Calibration.from_dict(json.loads(json.dumps(cal.to_dict()))) == cal


WORDS = [
    (0.68, "about 7 times in 10"),
    (0.1, "about 1 time in 10"),
    (0.02, "less than 1 time"),
    (0.97, "nearly always"),
]


@pytest.mark.parametrize(("p", "words"), WORDS)
def test_in_words(p, words):
    assert words in in_words(p)


def test_the_shipped_calibration_is_applied_and_said_in_words():
    assert calibration.load(str(shipped_model_dir())) is not None
    doc = Document(TEXT)
    calibrated = TechniqueTagger().analyze([doc])[0]
    raw = TechniqueTagger(calibrated=False).analyze([doc])[0]
    assert calibrated and [(f.start, f.end, f.label) for f in calibrated] == [
        (f.start, f.end, f.label) for f in raw
    ]
    assert any(c.confidence != r.confidence for c, r in zip(calibrated, raw, strict=True))
    assert all(0.0 <= f.confidence <= 1.0 for f in calibrated)
    assert all("in 10 at this confidence" in f.explanation or "nearly always" in f.explanation
               or "less than 1 time" in f.explanation for f in calibrated)  # fmt: skip
    assert TechniqueTagger().provenance()["calibrated"] == ["ptc2020", "semeval2023"]


def test_other_settings_or_no_calibration_file_give_raw_scores(tmp_path):
    assert TechniqueTagger(threshold=0.3).provenance()["calibrated"] == []
    folder = tmp_path / "model"
    shutil.copytree(shipped_model_dir(), folder, ignore=shutil.ignore_patterns("calibration.json"))
    shutil.copytree(shipped_model_dir().parent / "shared", tmp_path / "shared")
    tagger = TechniqueTagger(model_dir=str(folder))
    assert tagger.provenance()["calibrated"] == []
    found = tagger.analyze([Document(TEXT)])[0]
    raw = TechniqueTagger(calibrated=False).analyze([Document(TEXT)])[0]
    assert [f.confidence for f in found] == [f.confidence for f in raw]


def test_per_label_and_global_minimum_confidence():
    from spinscope.errors import ConfigError

    doc = Document(TEXT)
    every = TechniqueTagger().analyze([doc])[0]
    label = every[0].label
    cut = max(f.confidence for f in every if f.label == label) + 0.01
    fewer = TechniqueTagger(label_min_confidence=f"{label}={cut:.4f}").analyze([doc])[0]
    assert fewer == [f for f in every if f.label != label]
    assert TechniqueTagger(min_confidence=1.0).analyze([doc])[0] == []
    with pytest.raises(ConfigError, match="Bad per-label threshold 'Doubt'"):
        TechniqueTagger(label_min_confidence="Doubt")


def test_techniques_below_the_precision_floor_are_tentative_or_hidden():
    doc = Document(TEXT + " Is that really true? Nobody knows what they are hiding.")
    tagger = TechniqueTagger(precision_floor=0.25)
    found = tagger.analyze([doc])[0]
    for f in found:
        precision = tagger.calibration[f.taxonomy].reliability[f.label].precision or 0.0
        assert f.tentative == (precision < 0.25)
        assert ("Tentative:" in f.explanation) == f.tentative
    assert any(f.tentative for f in found) and any(not f.tentative for f in found)
    hidden = TechniqueTagger(precision_floor=0.25, below_floor="hide").analyze([doc])[0]
    assert hidden == [f for f in found if not f.tentative]
