"""Property: what a format's ``write`` writes, its ``read`` reads back, span for span, on texts
drawn from the characters that break offsets (outside the BMP, joiners, combining marks, every
line break brat cuts at, a BOM inside the text). brat cannot show line breaks, so a span there
is its first fragment's start to its last one's end (``brat_fragments``)."""

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinscope.interchange import reader, writer
from spinscope.interchange.annotated import Span, TaskDoc, resolve
from spinscope.interchange.brat import brat_fragments
from spinscope.model.document import text_checksum

LABELS = ["Doubt", "Slogans", "Loaded_Language", "Name_Calling-Labeling"]
CHARS = [*"ab c\n\r\t.,\u2028\x85\u00e9\u00a0\u0301\u200d\ufeff", "\U0001f642", "\U0001d401"]
BRAT_ONLY = ["\x0b", "\x1c"]  # XML cannot carry them: INCEpTION's export leaves such texts out
OUT = {"label-studio": "tasks.json", "brat": "brat", "inception": "xmi"}


@st.composite
def annotated_text(draw, chars):
    text = draw(st.text(st.sampled_from(chars), min_size=1, max_size=30))
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(Span(start, end, text[start:end], draw(st.sampled_from(LABELS)), 0.5))
    return text, spans


def _expected(fmt, text, spans):
    out = set()
    for s in spans:
        frags = brat_fragments(text, s.start, s.end) if fmt == "brat" else [(s.start, s.end)]
        if frags:  # a span of line breaks alone: brat cannot show it
            out.add((text, frags[0][0], frags[-1][1], s.label))
    return out


def _round_trip(fmt, docs):
    tasks = [TaskDoc(text_checksum(t)[:16], t, {}, {}, [], s, "m", True) for t, s in docs]
    root = Path(tempfile.mkdtemp())
    try:
        writer(fmt)(tasks, root / OUT[fmt], "semeval2023")
        got = resolve(reader(fmt)(root / OUT[fmt]), taxonomy="semeval2023")
    finally:
        shutil.rmtree(root)
    assert sorted(d.text for d in got) == sorted(t for t, _ in docs)
    spans = {(d.text, s.start, s.end, s.label) for d in got for s in d.spans}
    assert spans == set().union(*(_expected(fmt, t, s) for t, s in docs))


@pytest.mark.parametrize("fmt", list(OUT))
def test_read_takes_back_what_write_wrote(fmt):
    chars = CHARS + (BRAT_ONLY if fmt != "inception" else [])
    docs = st.lists(annotated_text(chars), min_size=1, max_size=3, unique_by=lambda d: d[0])

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(docs)
    def check(docs):
        _round_trip(fmt, docs)

    check()
