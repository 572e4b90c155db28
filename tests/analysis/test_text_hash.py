"""Hashed lexical features: the same columns at training and run time, no sklearn needed."""

import numpy as np
import pytest

from spinscope.analysis import _text_hash as th


def test_grams_are_words_and_padded_character_ngrams():
    g = th.grams("Ab c")
    assert "w:ab" in g and "w:c" in g
    assert {"c: a", "c:ab", "c:b ", "c: ab", "c:ab ", "c: ab "} <= set(g)
    assert th.grams("  ... ") == []


def test_buckets_are_stable_across_processes():
    # crc32 is fixed by the standard (Python's hash() is salted per process): a changed value
    # here means every shipped lexical weight reads the wrong column
    assert dict(th.counts("Tu", 1024)) == dict(th.counts("tu", 1024))
    assert sorted(th.counts("x", 1 << 15)) == [176, 13441, 14875, 30611]


def test_rows_are_unit_length_tfidf_and_empty_text_is_empty():
    idf = th.fit_idf(["le peuple ment", "le peuple", "autre chose"], 256)
    idx, val = th.row("le peuple ment ment", idf)
    assert len(idx) == len(set(idx.tolist())) and np.linalg.norm(val) == pytest.approx(1.0)
    idx, val = th.row("...", idf)
    assert len(idx) == 0 and len(val) == 0


def test_sparse_scores_equal_the_dense_product():
    rng = np.random.default_rng(0)
    texts = ["Ce gouvernement ment.", "Der Minister lügt!", ""]
    idf = th.fit_idf(texts, 512)
    w = rng.normal(size=(512, 3))
    dense = np.zeros((3, 512))
    for k, t in enumerate(texts):
        idx, val = th.row(t, idf)
        dense[k, idx] = val
    assert np.allclose(th.scores(texts, idf, w), dense @ w)


def test_training_matrix_has_the_run_time_columns():
    pytest.importorskip("scipy")
    from spinscope.training import techniques_paragraphs_lexical as lx

    texts = ["Ce gouvernement ment au peuple.", "Une autre phrase ici.", "Rien"]
    idf = th.fit_idf(texts, 1024)
    m = lx.matrix(texts, idf).toarray()
    for k, t in enumerate(texts):
        idx, val = th.row(t, idf)
        assert np.allclose(m[k, idx], val) and np.count_nonzero(m[k]) == len(idx)


def test_quantised_heads_keep_their_scores():
    from spinscope.training import techniques_paragraphs_lexical as lx

    w = np.random.default_rng(1).normal(size=(64, 4))
    w8, scale = lx.quantize(w)
    assert w8.dtype == np.int8 and np.abs(w8.astype(float) * scale - w).max() <= scale.max()
