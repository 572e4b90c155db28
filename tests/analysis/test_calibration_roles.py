"""Calibrated entity roles: the shipped curve (fitted on the out-of-fold main-role probabilities
of the training cross-validation) gives each role label's score, said in words; min_score reads
the reported score."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from spinscope.analysis import calibration
from spinscope.analysis.roles import CALIBRATION_KEY, RoleAnalyzer, shipped_model_dir
from spinscope.model.document import Document

pytestmark = pytest.mark.skipif(
    not (shipped_model_dir() / calibration.FILE).exists(), reason="no shipped roles calibration"
)
TEXT = (
    "Moscow accused Kyiv of shelling civilians. President Vladimir Putin said Russia would "
    "protect the people of Donbas. Putin warned NATO that any expansion would be met with force. "
    "However, NATO officials rejected the claim, and NATO said it would keep supporting Ukraine. "
    "Civilians in Ukraine were killed in the attack on a school. Ukraine's army held the line."
)


def test_the_curve_is_monotone_and_within_0_and_1():
    cal = calibration.load(str(shipped_model_dir()))[CALIBRATION_KEY]
    ys = [cal.confidence("Antagonist", x) for x in np.linspace(0, 1, 201)]
    assert all(0.0 <= y <= 1.0 for y in ys) and np.all(np.diff(ys) >= 0)
    assert set(cal.reliability) == {"Protagonist", "Antagonist", "Innocent"}


def test_role_scores_are_calibrated_and_said_in_words():
    analyzer = RoleAnalyzer(min_score=0.0)
    assert analyzer.provenance()["calibrated"] == [CALIBRATION_KEY]
    calibrated = analyzer.analyze([Document(TEXT)])[0]
    raw = RoleAnalyzer(min_score=0.0, calibrated=False).analyze([Document(TEXT)])[0]
    assert calibrated and [x.label for x in calibrated] == [x.label for x in raw]
    cal = analyzer.calibration
    for c, r in zip(calibrated, raw, strict=True):
        assert 0.0 <= c.score <= 1.0
        assert c.score == pytest.approx(cal.confidence(c.entity["main_role"], r.score), abs=0.01)
        assert "at this confidence, on held-out training mentions" in c.explanation
        assert f"{r.score:.2f}" in c.explanation  # the model's probability is still given
        assert "at this confidence" not in r.explanation
    assert any(c.score != r.score for c, r in zip(calibrated, raw, strict=True))


def test_no_calibration_file_or_one_for_another_model_gives_raw_scores(tmp_path):
    folder = tmp_path / "roles"
    shutil.copytree(shipped_model_dir(), folder, ignore=shutil.ignore_patterns(calibration.FILE))
    analyzer = RoleAnalyzer(model_dir=str(folder), min_score=0.0)
    assert analyzer.provenance()["calibrated"] == []
    found = analyzer.analyze([Document(TEXT)])[0]
    raw = RoleAnalyzer(min_score=0.0, calibrated=False).analyze([Document(TEXT)])[0]
    assert [(x.label, x.score, x.explanation) for x in found] == [
        (x.label, x.score, x.explanation) for x in raw
    ]
    other = tmp_path / "other"
    shutil.copytree(folder, other)
    data = json.loads((shipped_model_dir() / calibration.FILE).read_text())
    data[CALIBRATION_KEY]["meta"]["model"] = "another model"
    (other / calibration.FILE).write_text(json.dumps(data))
    assert RoleAnalyzer(model_dir=str(other)).provenance()["calibrated"] == []
