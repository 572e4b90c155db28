"""Calibrated check-worthiness: the shipped curves (fitted on the out-of-fold ClaimBuster
scores), applied to the configured head, said in words, and absent where the model has none."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from spinscope.analysis import calibration
from spinscope.analysis.checkworthy import DEFAULT_MODEL_DIR
from spinscope.analysis.claims import HEAD_NAMES, ClaimAnalyzer
from spinscope.model.document import Document

pytest.importorskip("spacy")
TEXT = (
    "This is a checkable sentence about the harbour. "
    "The weather was nice and everyone was happy. "
    "Another checkable statement is here, and it is a long one."
)


class FolderScorer:
    """Fixed scores (0.9 for a sentence with "checkable", else 0.45; 0.2 on the other head) that
    claim to come from ``model_dir``, so that its calibration applies without running the model."""

    card = {"name": "fixed"}
    model_sha256 = None

    def __init__(self, model_dir):
        self.model_dir = model_dir

    def score(self, texts):
        return np.array([[0.9 if "checkable" in t else 0.45, 0.2] for t in texts],
                        np.float32).reshape(-1, 2)  # fmt: skip


def analyze(model_dir=DEFAULT_MODEL_DIR, **kwargs):
    analyzer = ClaimAnalyzer(embeddings=False, also_list=(), **kwargs)
    analyzer.__dict__["scorer"] = FolderScorer(model_dir)
    return analyzer, analyzer.analyze([Document(TEXT)])[0]


def test_every_head_has_a_monotone_curve_within_0_and_1():
    found = calibration.load(str(DEFAULT_MODEL_DIR))
    assert found is not None and set(found) == set(HEAD_NAMES)
    grid = np.linspace(0, 1, 201)
    for head, cal in found.items():
        assert cal.meta["head"] == head
        ys = [cal.confidence("checkworthy", x) for x in grid]
        assert all(0.0 <= y <= 1.0 for y in ys) and np.all(np.diff(ys) >= 0)
        assert ys[0] < 0.2 and ys[-1] > 0.8  # it separates


def test_calibrated_scores_are_applied_the_threshold_reads_them_and_say_it_in_words():
    analyzer, claims = analyze(threshold=0.0)
    raw = analyze(threshold=0.0, calibrated=False)[1]
    assert analyzer.provenance()["calibrated"] == ["checkworthiness"]
    assert [c.text for c in claims] == [c.text for c in raw]
    cal = calibration.load(str(DEFAULT_MODEL_DIR))["mean"]
    for c, r in zip(claims, raw, strict=True):
        assert c.checkworthiness == pytest.approx(cal.confidence("checkworthy", r.checkworthiness),
                                                  abs=0.01)  # fmt: skip
        assert 0.0 <= c.checkworthiness <= 1.0
        assert "at this confidence, on held-out ClaimBuster" in c.explanation
        assert "at this confidence" not in r.explanation
    assert any(c.checkworthiness != r.checkworthiness for c, r in zip(claims, raw, strict=True))
    # the threshold applies to the calibrated score
    cut = (claims[0].checkworthiness + claims[-1].checkworthiness) / 2
    assert len(analyze(threshold=cut)[1]) == sum(c.checkworthiness >= cut for c in claims)


def test_each_head_uses_its_own_curve():
    mean = analyze(threshold=0.0, head="mean")[1]
    ct19 = analyze(threshold=0.0, head="checkthat19")[1]
    assert [c.checkworthiness for c in mean] != [c.checkworthiness for c in ct19]


def test_no_calibration_file_or_a_stand_in_scorer_gives_raw_scores(tmp_path):
    folder = tmp_path / "checkworthy"
    skip = shutil.ignore_patterns("*.onnx", calibration.FILE)
    shutil.copytree(DEFAULT_MODEL_DIR, folder, ignore=skip)
    analyzer, claims = analyze(model_dir=folder, threshold=0.0)
    raw = analyze(threshold=0.0, calibrated=False)[1]
    assert analyzer.provenance()["calibrated"] == []
    assert [c.checkworthiness for c in claims] == [c.checkworthiness for c in raw]
    assert not any("at this confidence" in c.explanation for c in claims)
    other = tmp_path / "other"  # a calibration fitted for another head is not applied
    shutil.copytree(folder, other)
    data = json.loads((DEFAULT_MODEL_DIR / calibration.FILE).read_text())
    data["mean"]["meta"]["head"] = "claimbuster"
    (other / calibration.FILE).write_text(json.dumps(data))
    assert analyze(model_dir=other)[0].provenance()["calibrated"] == []
    assert analyze(model_dir=other, head="claimbuster")[0].provenance()["calibrated"] == [
        "checkworthiness"
    ]


@pytest.mark.slow
def test_the_shipped_model_end_to_end():
    doc = Document(TEXT + " Exports grew by 12% in 2021, the minister said on Monday.")
    calibrated = ClaimAnalyzer(embeddings=False, threshold=0.0).analyze([doc])[0]
    raw = ClaimAnalyzer(embeddings=False, threshold=0.0, calibrated=False).analyze([doc])[0]
    assert ClaimAnalyzer().provenance()["calibrated"] == ["checkworthiness"]
    assert {c.text for c in calibrated} == {c.text for c in raw}
    assert all(0.0 <= c.checkworthiness <= 1.0 for c in calibrated)
    by_text = {c.text: c.checkworthiness for c in raw}
    assert any(c.checkworthiness != by_text[c.text] for c in calibrated)


def test_calibrate_claims_from_out_of_fold_scores(tmp_path):
    pytest.importorskip("sklearn")
    from spinscope.training.calibrate_claims import calibrate_claims

    rng = np.random.default_rng(0)
    rows = ["sentence_id\tlabel\tfold\tp_claimbuster\tp_checkthat19"]
    for i in range(400):
        p = rng.random()
        rows.append(f"{i}\t{int(rng.random() < p)}\t{i % 5}\t{p:.4f}\t{p / 2:.4f}")
    (tmp_path / "oof.tsv").write_text("\n".join(rows) + "\n")
    shipped, report = calibrate_claims(tmp_path / "oof.tsv", tmp_path)
    assert set(shipped) == set(report) == set(HEAD_NAMES)
    assert set(calibration.load(str(tmp_path))) == set(HEAD_NAMES)
    for head, r in report.items():
        assert r["findings"] == 400 and shipped[head].meta["head"] == head
        assert 0.0 <= r["ece_calibrated_crossfit"] <= 1.0
    assert report["checkthat19"]["ece_raw"] > report["checkthat19"]["ece_calibrated_crossfit"]
