"""SemEval-2023 spans are carried over to the PTC text across formatting changes."""

from pathlib import Path

import pytest

from spinscope.corpora.ptc import add_semeval23_layer, align_offsets, load_ptc, map_span

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_align_ignores_whitespace_changes():
    src = "Title\n\nOne sentence. Two sentence."
    dst = "Title\n\nOne sentence.\nTwo  sentence."
    mapping = align_offsets(src, dst)
    s, e = src.index("Two"), src.index("Two") + len("Two sentence")
    start, end = map_span(mapping, s, e)
    assert dst[start:end] == "Two  sentence"


def test_align_survives_changed_characters():
    src = "He said \u201cno\u201d and left."
    dst = 'He said "no" and left.'
    mapping = align_offsets(src, dst)
    s = src.index("and")
    assert dst[slice(*map_span(mapping, s, s + 8))] == "and left"


@pytest.mark.skipif(
    not (DATA / "ptc-semeval2020-task11").is_dir(), reason="PTC is not at ../shared/data"
)
def test_semeval23_layer_lands_on_the_same_words():
    arts = load_ptc(DATA / "ptc-semeval2020-task11", "dev")[:10]
    add_semeval23_layer(arts, DATA / "semeval2023-task3" / "en")
    ptc = {(a.id, a.text[s.start : s.end]) for a in arts for s in a.spans["ptc2020"]}
    se23 = [(a.id, a.text[s.start : s.end]) for a in arts for s in a.spans["semeval2023"]]
    assert se23
    assert sum(x in ptc for x in se23) / len(se23) > 0.9
