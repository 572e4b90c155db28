"""Token scores -> spans: overlapping spans and several techniques on one span are predicted."""

import numpy as np
import pytest

from spinscope.analysis import encoder
from spinscope.analysis.spans import (
    CHANNELS,
    Decoding,
    TokenScores,
    channel_slice,
    decode_labelled,
    decode_si,
)
from spinscope.model.taxonomy import LABELS_2020, PTC2020

TEXT = "They are shameless corrupt traitors to the nation."


def word_offsets(text):
    out, pos = [], 0
    for word in text.split():
        start = text.index(word, pos)
        out.append((start, start + len(word)))
        pos = start + len(word)
    return np.array(out)


def scores_with(channels: dict[str, list[int]]) -> TokenScores:
    """One 'word piece' per word; the named channels score 0.9 on the given words."""
    offsets = word_offsets(TEXT)
    probs = np.full((len(offsets), len(CHANNELS)), 0.05, np.float32)
    for name, words in channels.items():
        probs[words, CHANNELS.index(name)] = 0.9
    enc = encoder.Encoded(np.arange(len(offsets)), offsets)
    return TokenScores(TEXT, enc, probs, np.zeros((len(offsets), 4), np.float32))


def fixed_head(label_probs):
    def head(taxonomy, feats):
        return np.tile(np.asarray(label_probs, np.float32), (len(feats), 1))

    return head


def test_channels_decoder_predicts_overlapping_spans_of_different_techniques():
    sc = scores_with({"ptc2020:Loaded_Language": [2], "ptc2020:Name_Calling,Labeling": [2, 3, 4]})
    found = decode_labelled(sc, PTC2020, Decoding(), "channels", fixed_head([1 / 14] * 14))
    got = {(TEXT[s.start : s.end], s.label) for s in found}
    assert got == {
        ("shameless", "Loaded_Language"),
        ("shameless corrupt traitors", "Name_Calling,Labeling"),
    }
    # the channels decoder names no span: a model without span heads can use it
    assert decode_labelled(sc, PTC2020, Decoding(), "channels", None) == found
    with pytest.raises(ValueError, match="hybrid decoder needs a span head"):
        decode_labelled(sc, PTC2020, Decoding(), "hybrid", None)


def test_span_head_can_name_two_techniques_for_one_span():
    sc = scores_with({"any": [3, 4]})
    probs = np.zeros(14)
    probs[LABELS_2020.index("Name_Calling,Labeling")] = 0.5
    probs[LABELS_2020.index("Loaded_Language")] = 0.4
    probs[LABELS_2020.index("Doubt")] = 0.1
    found = decode_labelled(
        sc, PTC2020, Decoding(second_label_ratio=0.5), "si+head", fixed_head(probs)
    )
    assert {(TEXT[s.start : s.end], s.label) for s in found} == {
        ("corrupt traitors", "Name_Calling,Labeling"),
        ("corrupt traitors", "Loaded_Language"),
    }


def test_hybrid_adds_channel_spans_the_head_did_not_name():
    sc = scores_with({"any": [3, 4], "ptc2020:Flag-Waving": [6, 7]})
    probs = np.zeros(14)
    probs[LABELS_2020.index("Name_Calling,Labeling")] = 1.0
    found = decode_labelled(sc, PTC2020, Decoding(), "hybrid", fixed_head(probs))
    assert {s.label for s in found} == {"Name_Calling,Labeling", "Flag-Waving"}


def test_si_decoding_bridges_gaps_and_drops_fragments():
    sc = scores_with({"any": [0, 2, 3, 7]})
    # "They" alone is a function word: dropped, as for the technique channels
    assert [TEXT[s.start : s.end] for s in decode_si(sc, Decoding())] == [
        "shameless corrupt",
        "nation",
    ]
    bridged = decode_si(sc, Decoding(max_gap=1, min_tokens=2))
    assert [TEXT[s.start : s.end] for s in bridged] == ["They are shameless corrupt"]


def test_noisy_or_source_uses_the_technique_channels():
    sc = scores_with({f"{PTC2020}:Doubt": [4]})
    assert decode_si(sc, Decoding()) == []
    sc.probs[4, 0] = 0.6
    found = decode_si(sc, Decoding(si_source="mean-noisy-or"))
    assert [TEXT[s.start : s.end] for s in found] == ["traitors"]
    assert channel_slice(PTC2020).stop - channel_slice(PTC2020).start == 14


def test_channel_spans_of_function_words_alone_are_dropped():
    sc = scores_with({"ptc2020:Loaded_Language": [1, 6], "ptc2020:Doubt": [2]})
    found = decode_labelled(sc, PTC2020, Decoding(), "channels", fixed_head([1 / 14] * 14))
    # "are" and "the" alone are noise; "shameless" is kept
    assert [(TEXT[s.start : s.end], s.label) for s in found] == [("shameless", "Doubt")]
