"""Private: hashed lexical features of a short text (character n-grams inside words and whole
words), TF-IDF weighted and unit length, with no dependency beyond numpy and the standard
library. Training and run time call these same functions, so the columns are identical by
construction (no sklearn at run time).

A text becomes a sparse row: (bucket indices, values). Buckets are ``zlib.crc32`` of the UTF-8
n-gram (prefixed by its kind) modulo a power of two.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np

CHAR_SIZES = (2, 3, 4)  # character n-gram lengths, inside space-padded lower-case words
_WORD = re.compile(r"\w+", re.UNICODE)


def grams(text: str) -> list[str]:
    """The text's n-grams: ``w:word`` for each word and ``c:gram`` for each character n-gram of
    each space-padded word (as sklearn's ``char_wb``)."""
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        out.append("w:" + word)
        padded = f" {word} "
        for n in CHAR_SIZES:
            out.extend("c:" + padded[k : k + n] for k in range(len(padded) - n + 1))
    return out


def counts(text: str, buckets: int) -> Counter[int]:
    """Bucket -> count of the text's n-grams (``buckets``: a power of two)."""
    mask = buckets - 1
    return Counter(zlib.crc32(g.encode("utf-8")) & mask for g in grams(text))


def row(text: str, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(bucket indices, values): sublinear term frequency times ``idf``, scaled to unit length;
    empty arrays for a text without words."""
    c = counts(text, len(idf))
    if not c:
        return np.zeros(0, np.int64), np.zeros(0)
    idx = np.fromiter(c.keys(), np.int64, len(c))
    val = (1.0 + np.log(np.fromiter(c.values(), np.float64, len(c)))) * idf[idx]
    return idx, val / max(float(np.linalg.norm(val)), 1e-12)


def fit_idf(texts: Sequence[str], buckets: int) -> np.ndarray:
    """Smoothed inverse document frequency per bucket (sklearn's: ln((1 + n) / (1 + df)) + 1)."""
    df = np.zeros(buckets)
    for t in texts:
        df[list(counts(t, buckets))] += 1
    out: np.ndarray = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
    return out


def scores(texts: Sequence[str], idf: np.ndarray, w: np.ndarray) -> np.ndarray:
    """(texts x labels) linear scores ``row(text) @ w`` without forming dense rows."""
    out = np.zeros((len(texts), w.shape[1]))
    for k, t in enumerate(texts):
        idx, val = row(t, idf)
        if len(idx):
            out[k] = val @ w[idx]
    return out
