"""Long texts (issue #16, item 6): refused up front past ``pipeline.max_chars``, and the work
after the models grows linearly with the text (no scan of the whole text per span)."""

from __future__ import annotations

import cProfile
import pstats
import random
from pathlib import Path

import numpy as np
import pytest

from spinscope.analysis import encoder, span_geometry
from spinscope.analysis._occurrences import Occurrences
from spinscope.analysis.explain import evidence_clause
from spinscope.analysis.mentions import char_before
from spinscope.analysis.pipeline import Pipeline
from spinscope.analysis.spans import (
    CHANNELS,
    TAXONOMY_LABELS,
    Decoding,
    TextLabeller,
    TokenScores,
    _Intervals,
    decode_labelled,
)
from spinscope.analysis.techniques import shipped_model_dir
from spinscope.cli.main import main
from spinscope.errors import IngestError
from spinscope.model.document import Document
from spinscope.settings import SCHEMA, load_settings

TOKENIZER = shipped_model_dir() / "tokenizer.json"
needs_tokenizer = pytest.mark.skipif(not TOKENIZER.exists(), reason="no shipped tokenizer")


# -- pipeline.max_chars ------------------------------------------------------------------------


class Recorder:
    """A stand-in analyser that records what it was asked to analyse."""

    name, version, produces = "recorder", "recorder.v1", "findings"

    def __init__(self) -> None:
        self.seen: list[int] = []

    def analyze(self, docs):
        self.seen += [len(d.text) for d in docs]
        return [[] for _ in docs]

    def provenance(self):
        return {"analyzer": self.name, "version": self.version}


def recording_pipeline(max_chars: int) -> tuple[Pipeline, Recorder]:
    pipeline = Pipeline(load_settings({"pipeline.max_chars": max_chars}), analyzers=[])
    recorder = Recorder()
    pipeline.analyzers = [recorder]
    return pipeline, recorder


def test_the_default_limit_is_two_hundred_thousand_characters():
    # 200,000 characters took 36 CPU-s (60 s wall on a busy 2-core box); 1,000,000 took 149
    # CPU-s, past the 60 s the issue allows, so the default refuses it up front.
    assert SCHEMA["pipeline.max_chars"].default == 200_000
    assert load_settings()["pipeline.max_chars"] == 200_000


def test_a_million_characters_are_refused_up_front_by_default(tmp_path, capsys):
    path = tmp_path / "long.txt"
    path.write_text("Exports fell 12% in 2023, the minister said. " * 22_300, encoding="utf-8")
    code = main(["analyze", str(path), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1 and "pipeline.max_chars (200,000)" in err


def test_a_text_over_the_limit_is_refused_before_any_work_in_one_line():
    pipeline, recorder = recording_pipeline(100)
    assert len(pipeline.run([Document("x" * 100)])) == 1  # at the limit: analysed
    with pytest.raises(IngestError) as caught:
        pipeline.run([Document("short"), Document("y" * 101)])
    message = str(caught.value)
    assert "pipeline.max_chars" in message and "101" in message and "\n" not in message
    assert recorder.seen == [100]  # the batch with the long text was not started


def test_a_hundred_thousand_short_paragraphs_are_refused_at_once_by_default():
    text = "\n\n".join(f"Item {k} is here." for k in range(100_000))
    with pytest.raises(IngestError, match="pipeline.max_chars"):
        Pipeline(load_settings()).run([Document(text)])  # no model is even loaded


def test_the_cli_refuses_a_long_file_with_one_line_and_exit_1(tmp_path, capsys):
    path = tmp_path / "long.txt"
    path.write_text("The minister said exports fell. " * 10, encoding="utf-8")
    code = main(["analyze", str(path), "--quiet", "--set", "pipeline.max_chars=50"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1 and "pipeline.max_chars" in err and "Traceback" not in err


# -- no whole-text scan per span -----------------------------------------------------------------


class CountingOffsets(np.ndarray):
    """Offsets that count the element-wise comparisons made on them (a scan of every word
    piece is one)."""

    comparisons = 0

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc.__name__ in ("less", "greater", "less_equal", "greater_equal"):
            CountingOffsets.comparisons += 1
        args = [np.asarray(x) if isinstance(x, CountingOffsets) else x for x in inputs]
        return getattr(ufunc, method)(*args, **kwargs)


def test_token_range_bisects_instead_of_scanning():
    starts = np.arange(0, 50_000, 5)
    offsets = np.stack([starts, starts + 4], axis=1).view(CountingOffsets)
    CountingOffsets.comparisons = 0
    for k in range(1_000):
        assert span_geometry.token_range(offsets, 5 * k + 1, 5 * k + 12) == (k, k + 3)
    assert CountingOffsets.comparisons <= 2  # the one check that the offsets are in order


def test_token_range_matches_a_scan_of_every_word_piece():
    rng = random.Random(7)
    ends = np.cumsum([rng.randint(0, 4) for _ in range(300)])
    in_order = np.stack([ends - np.minimum(ends, 2), ends], axis=1)
    shuffled = in_order[rng.sample(range(300), 300)]
    for offsets in (in_order, shuffled, in_order[:0]):
        for _ in range(500):
            start = rng.randint(0, int(ends[-1]) + 2)
            end = start + rng.randint(1, 30)
            hit = np.nonzero((offsets[:, 0] < end) & (offsets[:, 1] > start))[0]
            expected = (int(hit[0]), int(hit[-1]) + 1) if hit.size else None
            assert span_geometry.token_range(offsets, start, end) == expected


def test_interval_index_answers_as_all_pairs_would():
    rng = random.Random(3)
    for _ in range(200):
        index, spans = _Intervals(), []
        for _ in range(rng.randint(1, 50)):
            q0 = rng.randint(0, 300)
            query = (q0, q0 + rng.randint(1, 40))
            assert index.overlaps(*query) == any(s < query[1] and query[0] < e for s, e in spans)
            a = rng.randint(0, 300)
            spans.append((a, a + rng.randint(1, 40)))
            index.add(*spans[-1])


def test_char_before_is_the_last_non_space_before_a_position():
    text = 'He said: "  Putin\n\n  (Moscow)  \t It'
    for i in range(len(text) + 1):
        assert char_before(text, i) == text[:i].rstrip()[-1:]
        assert char_before(text, i, ' \t"(') == text[:i].rstrip(' \t"(')[-1:]


# -- decoding and explanations do work in proportion to the text --------------------------------


class OneLabelClassifier:
    """A stand-in span classifier: every span is the first technique of each taxonomy."""

    def classify_all(self, text, spans):
        return self.classify_many([(text, spans)])[0]

    def classify_many(self, items):
        out = []
        for _, spans in items:
            out.append(
                {
                    tax: np.eye(len(labels), dtype=np.float32)[np.zeros(len(spans), int)]
                    for tax, labels in TAXONOMY_LABELS.items()
                }
            )
        return out


def synthetic_scores(sentences: int) -> TokenScores:
    """A text of ``sentences`` sentences whose loaded words score high on the propaganda channel
    and on the first technique's channel of each taxonomy (so that hybrid decoding checks many
    overlaps)."""
    text = "The corrupt elites lied again to the honest people of this town. " * sentences
    enc = encoder.encode(encoder.load_tokenizer(str(TOKENIZER)), text)
    probs = np.zeros((len(enc.ids), len(CHANNELS)), np.float32)
    loaded = np.asarray([text[a:b] in ("corrupt", "elites", "lied") for a, b in enc.offsets])
    columns = [0] + [CHANNELS.index(f"{t}:{labels[0]}") for t, labels in TAXONOMY_LABELS.items()]
    probs[np.ix_(loaded, columns)] = 0.9
    return TokenScores(text, enc, probs, np.zeros((len(enc.ids), 0), np.float32))


def calls_to_decode_and_explain(scores: TokenScores) -> int:
    """Python function calls made decoding both taxonomies and explaining every span."""
    head = TextLabeller(OneLabelClassifier())
    profile = cProfile.Profile()
    profile.enable()
    found = 0
    for tax, labels in TAXONOMY_LABELS.items():
        for span in decode_labelled(scores, tax, Decoding(), "hybrid", head):
            evidence_clause(scores, span.start, span.end, tax, labels[0])
            found += 1
    profile.disable()
    assert found >= scores.text.count("corrupt")  # there was work to do
    return pstats.Stats(profile).total_calls


@needs_tokenizer
def test_decoding_and_explaining_grow_linearly_with_the_text():
    small, large = synthetic_scores(150), synthetic_scores(600)
    ratio = calls_to_decode_and_explain(large) / calls_to_decode_and_explain(small)
    # 4x the text: 4.0x the calls; the all-pairs overlap check it replaced made 7.9x
    assert ratio < 6, ratio


def test_the_readme_states_the_limit():
    readme = Path(__file__).resolve().parents[2] / "README.md"
    assert "pipeline.max_chars" in readme.read_text(encoding="utf-8")


class NoFullCount(str):
    """A text that refuses to be counted in whole (``str.count`` reads every character)."""

    def count(self, *args):
        raise AssertionError("str.count read the whole text")


def test_occurrences_count_as_str_count_without_reading_the_whole_text():
    rng = random.Random(11)
    words = ["they", "are", "traitors", "stand", "with", "us", "ab", "abab", "é", "\U0001f600"]
    plain_text = " ".join(rng.choice(words) for _ in range(20_000)) + " abababababab"
    occurrences = Occurrences(NoFullCount(plain_text))
    starts = rng.sample(range(len(plain_text) - 40), 300)
    needles = [plain_text[a : a + rng.randint(8, 40)] for a in starts]
    needles += ["abababab", "babababa", "traitors stand with us", "not in the text at all"]
    for needle in needles:
        assert occurrences.count(needle) == plain_text.count(needle), needle
    short = Occurrences("they are traitors, traitors")  # short texts and needles: str.count
    assert short.count("traitors") == 2 and short.count("x") == 0
