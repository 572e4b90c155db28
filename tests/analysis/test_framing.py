"""Genre and frames with their evidence: exact score decomposition, offsets, bad input."""

from pathlib import Path

import numpy as np
import pytest

from spinscope.analysis.framing import FramingAnalyzer, shipped_model_dir
from spinscope.analysis.framing_vectors import article_vectors
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
        assert 1 <= len(x.evidence) <= 3 and x.evidence[0].text in TEXT
        if x.unsure:  # a genre below the model's "not sure" floor names its best guess
            assert x.best and x.best in x.explanation and x.explanation.startswith("Not sure")
        else:
            assert x.label.replace("_", " ") in x.explanation and "“" in x.explanation


def test_frame_scores_split_exactly_into_sentence_shares():
    analyzer = FramingAnalyzer()
    (v,) = analyzer.vectors([TEXT], analyzer.card)
    w, b = analyzer.weights["frames_W"], analyzer.weights["frames_b"]
    logits = w @ v.article + b
    shares = v.sentences @ w.T / (len(v.spans) * v.norm)  # (sentences, frames)
    assert np.allclose(shares.sum(0) + b, logits)


def test_frame_threshold_one_leaves_the_genre_and_no_frame():
    """The threshold setting is the frames'; narratives follow their model's own thresholds."""
    tasks = [x.task for x in labels(TEXT, threshold=1.0)]
    assert tasks.count("genre") == 1 and "frame" not in tasks


@pytest.mark.parametrize("text", ["", "   \\n  ", "Hi.", "Товарооборот вырос на 30%."])
def test_odd_input_gives_no_label(text):
    assert labels(text) == []


def test_a_headline_gets_no_article_level_label():
    """The issue: very short texts give empty results. Under ``min_words`` words nothing is
    labelled; the same text is labelled when the limit is lifted, so the limit is what acts."""
    headline = "NATO provoked the war in Ukraine and the West is weak, say officials in Moscow"
    assert len(headline.split()) < 20
    assert labels(headline) == []
    found = labels(headline, min_words=0)
    assert found
    for x in found:
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
    m = analyzer.narratives
    assert m is not None
    assert all(0 < m[k] < 1 for k in ("gate_threshold", "threshold", "subnarrative_threshold"))


WAR = (
    "The West is weak and its sanctions only hurt Europe. NATO provoked the war and Ukraine's "
    "government is a puppet of Washington. Western media lie about the war."
)
CLIMATE = (
    "Climate activists are hypocrites who fly to summits. The so-called climate emergency is a "
    "hoax pushed by globalist elites to control us. Green policies will ruin farmers."
)


def test_narratives_follow_the_training_rule():
    """The analyser lists exactly the narratives and sub-narratives that the training rule (gate,
    per-level thresholds; no top-1 guess, which is 'not sure') predicts from the same vectors."""
    from spinscope.training.narratives import OTHER, predict_sets

    texts = [TEXT, WAR, CLIMATE, "We had a picnic by the lake and the weather was lovely."]
    model = FramingAnalyzer().narratives
    vectors = np.stack([v.article for v in article_vectors(texts)])
    expected = predict_sets(model, vectors, texts=texts, guess=False)  # a guess is no finding
    assert any(e.narratives != (OTHER,) for e in expected)
    for text, want in zip(texts, expected, strict=True):
        found = labels(text)
        narrs = [x.label for x in found if x.task == "narrative" and not x.unsure]
        assert set(narrs) == set(want.narratives) - {OTHER}
        subs = {x.label for x in found if x.task == "subnarrative"}
        # as the official file writes them: a narrative without a listed one gets "<it>: Other"
        subs |= {f"{n}: {OTHER}" for n in narrs if not any(s.startswith(n + ": ") for s in subs)}
        assert subs == set(want.subnarratives) - {OTHER}


def test_narrative_gate_and_the_not_sure_fallback():
    analyzer = FramingAnalyzer()
    model = analyzer.narratives
    (v,) = article_vectors([WAR])
    analyzer.narratives = {**model, "gate_threshold": 1.01}  # the gate says "Other"
    assert not [x for x in analyzer.analyze([Document(WAR)])[0] if x.task == "narrative"]
    analyzer.narratives = {**model, "gate_threshold": 0.0, "threshold": 1.01}
    found = [x for x in analyzer.analyze([Document(WAR)])[0] if x.task == "narrative"]
    likeliest = model["narratives"][int(np.argmax(model["narr_W"] @ v.article + model["narr_b"]))]
    # since framing.linear.v3 the fallback is a guess under "not sure", never a finding
    assert [(x.label, x.best) for x in found] == [("not sure", likeliest)] and found[0].evidence


def test_texts_on_neither_topic_get_no_narrative():
    """The sample (a local harbour row) and a picnic are on neither taxonomy's topic: "Other",
    whatever the model, which has only seen war and climate articles, would say."""
    from spinscope.analysis.framing import on_topic
    from spinscope.training.narratives import OTHER, predict_sets

    picnic = "We had a picnic by the lake and the weather was lovely."
    assert not on_topic(TEXT) and not on_topic(picnic) and on_topic(WAR) and on_topic(CLIMATE)
    for text in (TEXT, picnic):
        assert not [x for x in labels(text) if x.task in ("narrative", "subnarrative")]
    model = FramingAnalyzer().narratives
    vectors = np.stack([v.article for v in article_vectors([TEXT])])
    low = (0.0, 0.0, 0.0)  # every narrative passes, but the text is off topic
    assert predict_sets(model, vectors, low, texts=[TEXT])[0].narratives == (OTHER,)
    assert predict_sets(model, vectors, low)[0].narratives != (OTHER,)


def test_per_label_thresholds_drop_a_label_and_its_sub_narratives():
    found = labels(WAR)
    narratives = [x for x in found if x.task == "narrative"]
    assert narratives and any(x.task == "frame" for x in found)
    frame = next(x for x in found if x.task == "frame")
    gone = narratives[0].label
    setting = f"{frame.label}=1.0; {gone}=1.0"
    kept = FramingAnalyzer(label_min_score=setting).analyze([Document(WAR)])[0]
    assert frame.label not in {x.label for x in kept} and gone not in {x.label for x in kept}
    assert not [x for x in kept if x.task == "subnarrative" and x.label.startswith(gone + ": ")]
    assert [x for x in kept if x.label not in (frame.label, gone)] == [
        x
        for x in found
        if x.label not in (frame.label, gone) and not x.label.startswith(gone + ": ")
    ]


def test_an_unknown_label_in_the_per_label_thresholds_is_refused_naming_the_nearest():
    # a typo was applied to no label, without a word
    from spinscope.errors import ConfigError

    with pytest.raises(ConfigError) as exc:
        FramingAnalyzer(label_min_score="Economic=0.5; Ecnomic=0.7")
    message = str(exc.value)
    assert "framing.label_min_score" in message and "'Ecnomic'" in message
    assert "did you mean Economic?" in message and "\n" not in message
    sub = FramingAnalyzer().narratives["subnarratives"][0]  # every task's labels are known
    assert FramingAnalyzer(label_min_score=f"opinion=0.6; {sub}=0.5").label_min_score
