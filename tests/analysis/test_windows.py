"""Windowing covers every word piece; span helpers keep offsets honest."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from spinscope.analysis import encoder, span_geometry


@given(n=st.integers(1, 3000), window=st.integers(8, 512), overlap=st.integers(0, 6))
def test_windows_cover_every_token(n, window, overlap):
    stride = max(1, window - 2 - overlap)
    wins = span_geometry.windows(n, window, stride)
    covered = np.zeros(n, bool)
    for w in wins:
        assert 0 <= w.lo < w.hi <= n
        assert w.hi - w.lo <= window - 2
        covered[w.lo : w.hi] = True
    assert covered.all()


def test_merge_windows_averages_overlaps():
    wins = [encoder.Window(0, 3), encoder.Window(2, 4)]
    rows = [np.array([[1.0], [1.0], [1.0]]), np.array([[3.0], [3.0]])]
    merged = span_geometry.merge_windows(rows, wins, 4)
    assert merged[:, 0].tolist() == [1.0, 1.0, 2.0, 3.0]


def test_runs_finds_maximal_runs():
    mask = np.array([0, 1, 1, 0, 0, 1, 0, 1], bool)
    assert span_geometry.runs(mask) == [(1, 3), (5, 6), (7, 8)]
    assert span_geometry.runs(mask, max_gap=1) == [(1, 3), (5, 8)]
    assert span_geometry.runs(np.zeros(3, bool)) == []


def test_snap_span_extends_to_words_and_trims_punctuation():
    text = "They are traitors, all of them."
    start = text.index("rait")
    assert span_geometry.snap_span(text, start, start + 4) == (9, 17)
    assert text[9:17] == "traitors"
    assert span_geometry.snap_span(text, 17, 19) is None  # ", " only


@given(st.text(min_size=1, max_size=60), st.integers(0, 59), st.integers(1, 60))
def test_snap_span_stays_in_bounds(text, a, b):
    start, end = min(a, len(text) - 1), min(max(a + 1, b), len(text))
    if start >= end:
        return
    out = span_geometry.snap_span(text, start, end)
    if out:
        assert 0 <= out[0] < out[1] <= len(text)
        assert text[out[0]] not in span_geometry.TRIM and text[out[1] - 1] not in span_geometry.TRIM


def test_token_range_finds_overlapping_pieces():
    offsets = np.array([[0, 4], [5, 8], [8, 12], [13, 15]])
    assert span_geometry.token_range(offsets, 6, 9) == (1, 3)
    assert span_geometry.token_range(offsets, 12, 13) is None


def test_snap_span_keeps_hyphenated_and_apostrophe_words_whole():
    text = "These out-of-touch bureaucrats don't care."
    start = text.index("of-touch")
    s, e = span_geometry.snap_span(text, start, start + 8)
    assert text[s:e] == "out-of-touch"
    s, e = span_geometry.snap_span(text, text.index("n't"), text.index("n't") + 1)
    assert text[s:e] == "don't"


@given(
    st.lists(
        st.sampled_from(["Yes.", "no", "Stop!", "\n", "  ", "a-b", 'He said "go." Then']),
        max_size=80,
    ),
    st.integers(4, 40),
)
def test_sentence_windows_cover_every_token_once_per_sentence(parts, window):
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    text = " ".join(parts)
    tok = Tokenizer(WordLevel({"[UNK]": 0}, unk_token="[UNK]"))
    tok.pre_tokenizer = Whitespace()
    enc = encoder.encode(tok, text)
    wins = span_geometry.text_windows(text, enc, window, max(1, window - 4), by_sentence=True)
    covered = np.zeros(len(enc.ids), int)
    for w in wins:
        assert w.hi - w.lo <= window - 2
        covered[w.lo : w.hi] += 1
    assert (covered >= 1).all()


def test_sentence_windows_split_at_sentence_ends():
    text = "First one here. Second one!\nThird"
    offsets = np.array([[0, 5], [6, 9], [10, 14], [16, 22], [23, 26], [28, 33]])
    enc = encoder.Encoded(np.arange(6), offsets)
    wins = span_geometry.text_windows(text, enc, 64, 48, by_sentence=True)
    assert [(w.lo, w.hi) for w in wins] == [(0, 3), (3, 5), (5, 6)]


def test_runs_never_cross_a_sentence_break():
    mask = np.array([1, 1, 0, 1, 1, 1], bool)
    assert span_geometry.runs(mask, max_gap=2, breaks=np.array([4])) == [(0, 4), (4, 6)]
    assert span_geometry.runs(mask, max_gap=2) == [(0, 6)]
