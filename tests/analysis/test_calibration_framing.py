"""Calibrated article labels: the shipped curves (fitted on the out-of-fold scores of the training
cross-validations) change the reported score of genre, frames, narratives and sub-narratives,
never which labels are listed, and are said in words."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from spinscope.analysis import calibration
from spinscope.analysis.framing import FramingAnalyzer, shipped_model_dir
from spinscope.model.document import Document

pytestmark = pytest.mark.skipif(
    not (shipped_model_dir() / calibration.FILE).exists(), reason="no shipped framing calibration"
)
TASKS = ["frame", "genre", "narrative", "subnarrative"]
SAMPLE = (Path(__file__).resolve().parents[2] / "samples" / "sample-article.txt").read_text()
WAR = (
    "The West is weak and its sanctions only hurt Europe. NATO provoked the war and Ukraine's "
    "government is a puppet of Washington. Russian soldiers liberated the town. Europe's "
    "economy is collapsing because of the sanctions. Western media lie about the war."
)


def both(**kwargs):
    docs = [Document(SAMPLE), Document(WAR)]
    calibrated = FramingAnalyzer(**kwargs).analyze(docs)
    raw = FramingAnalyzer(calibrated=False).analyze(docs)
    return [x for d in calibrated for x in d], [x for d in raw for x in d]


def test_each_task_has_a_monotone_curve_for_this_model():
    found = calibration.load(str(shipped_model_dir()))
    assert sorted(found) == sorted([*TASKS, "genre_routed"])  # genre's second curve (s10-genre)
    assert FramingAnalyzer().provenance()["calibrated"] == TASKS
    grid = np.linspace(0, 1, 201)
    for cal in found.values():
        ys = [cal.confidence("any", x) for x in grid]
        assert all(0.0 <= y <= 1.0 for y in ys) and np.all(np.diff(ys) >= 0)


def test_scores_are_calibrated_the_labels_are_not_and_it_is_said_in_words():
    calibrated, raw = both()
    assert [(x.task, x.label) for x in calibrated] == [(x.task, x.label) for x in raw]
    assert {"genre", "frame", "narrative"} <= {x.task for x in calibrated}
    cals = calibration.load(str(shipped_model_dir()))
    for c, r in zip(calibrated, raw, strict=True):
        assert 0.0 <= c.score <= 1.0
        assert c.score == pytest.approx(cals[c.task].confidence(c.label, r.score), abs=0.01)
        if c.unsure:  # "not sure" says why instead (tests/analysis/test_framing_multilingual.py)
            assert c.explanation.startswith("Not sure") and c.best == r.best
            continue
        assert "at this confidence, on held-out training articles" in c.explanation
        assert "at this confidence" not in r.explanation
        assert c.evidence == r.evidence
    assert any(c.score != r.score for c, r in zip(calibrated, raw, strict=True))


def test_no_calibration_file_or_one_for_another_model_gives_raw_scores(tmp_path):
    folder = tmp_path / "framing"
    shutil.copytree(shipped_model_dir(), folder, ignore=shutil.ignore_patterns(calibration.FILE))
    analyzer = FramingAnalyzer(model_dir=str(folder))
    assert analyzer.provenance()["calibrated"] == []
    calibrated, raw = both(model_dir=str(folder))
    assert [(x.label, x.score) for x in calibrated] == [(x.label, x.score) for x in raw]
    # a "not sure" explanation names the score its floor was read on: the calibrated one where
    # the model folder has a calibration (``raw`` here reads the shipped folder), else the raw one
    assert [x.explanation for x in calibrated if not x.unsure] == [
        x.explanation for x in raw if not x.unsure
    ]
    other = tmp_path / "other"
    shutil.copytree(folder, other)
    data = json.loads((shipped_model_dir() / calibration.FILE).read_text())
    data["genre"]["meta"]["model"] = "another model"
    (other / calibration.FILE).write_text(json.dumps(data))
    assert FramingAnalyzer(model_dir=str(other)).provenance()["calibrated"] == [
        "frame", "narrative", "subnarrative"
    ]  # fmt: skip
    assert FramingAnalyzer(calibrated=False).provenance()["calibrated"] == []
