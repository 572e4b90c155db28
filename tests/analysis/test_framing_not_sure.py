"""Narratives (issue 15): where the gate says an article carries a narrative but none reaches its
threshold, the analyser answers "not sure" with the likeliest narrative as its guess and the
reason (score and threshold), never a low-score narrative as a finding."""

from __future__ import annotations

import pytest

from spinscope.analysis.framing import VERSION, FramingAnalyzer, shipped_model_dir
from spinscope.model.document import AnalysisResult, Document

pytestmark = pytest.mark.skipif(
    not (shipped_model_dir() / "narratives.json").exists(), reason="no shipped narratives model"
)
# written for this test: on the climate topic, long enough for article-level labels
TEXT = (
    "Climate activists blocked a motorway on Monday to demand an end to fossil fuel subsidies. "
    "The government said the protest put drivers at risk and that its carbon targets were "
    "already the strictest in Europe. Farmers complained that green rules raise their costs. "
    "Scientists said emissions must fall faster to limit warming."
)


def analyzer_with(**thresholds) -> FramingAnalyzer:
    analyzer = FramingAnalyzer()
    analyzer.__dict__["narratives"] = {**analyzer.narratives, **thresholds}
    return analyzer


def narrative_labels(analyzer: FramingAnalyzer):
    doc = Document(TEXT)
    found = analyzer.analyze([doc])[0]
    AnalysisResult(doc=doc, findings=[], labels=found).check_offsets()
    return [x for x in found if x.task in ("narrative", "subnarrative")]


def test_no_narrative_over_its_threshold_is_not_sure_with_guess_and_reason() -> None:
    found = narrative_labels(analyzer_with(gate_threshold=0.0, threshold=1.01))
    assert len(found) == 1, "one not-sure answer, no sub-narratives under a guess"
    (x,) = found
    assert x.unsure and x.task == "narrative" and x.best
    assert x.best in FramingAnalyzer().narratives["narratives"]
    assert "threshold 1.01" in x.explanation and x.best in x.explanation
    assert x.explanation.startswith("Not sure of the narrative")
    assert x.to_dict()["label"] == "not sure" and x.to_dict()["best"] == x.best


def test_a_narrative_over_its_threshold_is_still_a_finding() -> None:
    found = narrative_labels(analyzer_with(gate_threshold=0.0, threshold=0.0))
    assert found and not any(x.unsure for x in found)
    assert {x.task for x in found} <= {"narrative", "subnarrative"}


def test_shipped_thresholds_never_give_a_finding_under_the_threshold() -> None:
    analyzer = FramingAnalyzer(calibrated=False)
    threshold = analyzer.narratives["threshold"]
    for x in narrative_labels(analyzer):
        assert x.unsure or x.task != "narrative" or x.score >= threshold


def test_the_output_version_says_the_rule_changed() -> None:
    assert VERSION == "framing.linear.v3"
