"""Genre and frames with their evidence: exact score decomposition, offsets, bad input."""

from pathlib import Path

import numpy as np
import pytest

from spinscope.analysis.framing import FramingAnalyzer, article_vectors, shipped_model_dir
from spinscope.errors import ModelError
from spinscope.model.document import AnalysisResult, Document

pytestmark = pytest.mark.skipif(
    not (shipped_model_dir() / "card.json").exists(), reason="no shipped framing model"
)
ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "samples" / "sample-article.txt").read_text(encoding="utf-8")


def labels(text, **kwargs):
    doc = Document(text)
    found = FramingAnalyzer(**kwargs).analyze([doc])[0]
    AnalysisResult(doc=doc, findings=[], labels=found).check_offsets()
    return found


def test_one_genre_and_some_frames_each_with_evidence():
    found = labels(TEXT)
    assert [x.task for x in found].count("genre") == 1
    assert any(x.task == "frame" for x in found)
    for x in found:
        assert 1 <= len(x.evidence) <= 3 and x.label in x.explanation.replace(" ", "_")
        assert x.evidence[0].text in TEXT and "“" in x.explanation


def test_frame_scores_split_exactly_into_sentence_shares():
    analyzer = FramingAnalyzer()
    (v,) = article_vectors([TEXT])
    w, b = analyzer.weights["frames_W"], analyzer.weights["frames_b"]
    logits = w @ v.article + b
    shares = v.sentences @ w.T / (len(v.spans) * v.norm)  # (sentences, frames)
    assert np.allclose(shares.sum(0) + b, logits)


def test_threshold_one_leaves_only_the_genre():
    assert {x.task for x in labels(TEXT, threshold=1.0)} == {"genre"}


@pytest.mark.parametrize("text", ["", "   \\n  ", "Hi.", "Товарооборот вырос на 30%."])
def test_odd_input(text):
    for x in labels(text):
        assert x.evidence


def test_missing_model(tmp_path):
    with pytest.raises(ModelError, match="card.json"):
        FramingAnalyzer(model_dir=str(tmp_path)).analyze([Document("Some text here.")])


def test_sub_narratives_sit_under_listed_narratives():
    text = (
        "The West is weak and its sanctions only hurt Europe. NATO provoked the war and Ukraine's "
        "government is a puppet of Washington. Russian soldiers liberated the town. Europe's "
        "economy is collapsing because of the sanctions. Western media lie about the war."
    )
    found = labels(text, threshold=0.99)
    narratives = {x.label for x in found if x.task == "narrative"}
    for x in found:
        if x.task == "subnarrative":
            assert any(x.label.startswith(n + ": ") for n in narratives), x.label
    analyzer = FramingAnalyzer()
    assert analyzer.narratives is not None and 0 < analyzer.narratives["threshold"] < 1
