"""Article vectors for training the article-level heads, from the multilingual passage encoder,
read from a cache where one was built (``bench/multilingual_features.py``: one ``.npz`` per corpus,
keyed by the sha1 of the article text) and encoded otherwise (about a second per article on 2
busy cores)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def load_cache(cache: Path | None) -> dict[str, np.ndarray]:
    """Article vector by text key, from every ``.npz`` in ``cache`` (empty without one)."""
    out: dict[str, np.ndarray] = {}
    if cache is None or not Path(cache).is_dir():
        return out
    for path in sorted(Path(cache).glob("*.npz")):
        with np.load(path) as data:
            out.update(zip(data["keys"].tolist(), data["x"].astype(np.float64), strict=True))
    return out


def vectors(texts: Sequence[str], cache: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """(n, d) unit article vectors of ``texts``: cached ones looked up, the others encoded."""
    from spinscope.analysis._multilingual import article_vectors

    cache = cache if cache is not None else {}
    missing = [t for t in dict.fromkeys(texts) if text_key(t) not in cache]
    for t, v in zip(missing, article_vectors(missing), strict=True):
        cache[text_key(t)] = v.article
    return np.stack([cache[text_key(t)] for t in texts])
