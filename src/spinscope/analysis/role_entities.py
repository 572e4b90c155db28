"""The entities a roles model reads, and their mentions' vectors (issue 15): the names from the
shared mention finder (``spinscope.analysis.mentions``, which the claims analyser's speaker
linking uses too), grouped by their last word and named by their fullest form; each mention's
sentence; the headline's span; and the static vectors (model2vec) of a mention and its sentence.
``spinscope.analysis.roles`` scores them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from spinscope.analysis import mentions
from spinscope.analysis._embed import load_embedder
from spinscope.analysis.span_geometry import sentence_starts

if TYPE_CHECKING:
    from spinscope.analysis._embed import SentenceEmbedder


def sentence_of(
    text: str, start: int, end: int, starts: list[int] | None = None
) -> tuple[int, int]:
    """The sentence span around ``[start, end)`` (trimmed); ``starts`` are the text's sentence
    starts followed by ``len(text)`` (computed when not given)."""
    if starts is None:
        starts = [*sentence_starts(text), len(text)]
    k = max(int(np.searchsorted(starts, start, side="right")) - 1, 0)
    lo, hi = int(starts[k]), max(int(starts[min(k + 1, len(starts) - 1)]), end)
    while lo < start and text[lo].isspace():
        lo += 1
    while hi > end and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def mention_features(
    items: Sequence[tuple[str, int, int]],
    features: str = "sentence+mention",
    embedder: SentenceEmbedder | None = None,
) -> np.ndarray:
    """Unit vectors of each mention ``(text, start, end)``: its sentence and/or itself."""
    if not items:
        return np.zeros((0, 512 if features == "sentence+mention" else 256))
    names = [t[s:e] for t, s, e in items]
    sents = []
    if features != "mention":
        starts: dict[int, list[int]] = {}  # per text (by id), computed once
        for t, s, e in items:
            cut = starts.setdefault(id(t), [*sentence_starts(t), len(t)])
            sents.append(t[slice(*sentence_of(t, s, e, cut))] or t[s:e])
    wanted = {"sentence+mention": sents + names, "mention": names, "sentence": sents}[features]
    vecs = np.asarray((embedder or load_embedder()).encode(wanted), dtype=np.float64)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    if features == "sentence+mention":
        return np.hstack([vecs[: len(items)], vecs[len(items) :]])
    return vecs


@dataclass(frozen=True)
class Entity:
    name: str  # its fullest form in the text
    mentions: tuple[tuple[int, int], ...]
    kind: str | None = None  # person, organisation, place, group (spaCy's entity recogniser)
    described: str = ""  # what an apposition calls it: "spokesman of Trump"


def find_entities(
    text: str,
    min_mentions: int = 2,
    limit: int = 5,
    entities: list[tuple[int, int, str]] | None = None,
) -> list[Entity]:
    """The most mentioned names in ``text``, from the shared mention finder
    (``spinscope.analysis.mentions``, which the claims analyser's speaker linking uses too):
    grouped by their last word, named by their fullest form. ``entities``: spaCy's entities
    (``mentions.ner_entities``) for each mention's kind, or None."""
    groups: dict[str, list[mentions.NameMention]] = {}
    for m in mentions.find(text, entities):
        groups.setdefault(m.key, []).append(m)
    out = []
    for items in groups.values():
        if len(items) < min_mentions:
            continue
        full = mentions.fullest(items)
        kinds = [m.kind for m in items if m.kind]
        kind = max(set(kinds), key=kinds.count) if kinds else None
        described = next((m.described for m in items if m.described), "")
        out.append(Entity(full.text, tuple((m.start, m.end) for m in items), kind, described))
    out.sort(key=lambda e: (-len(e.mentions), e.mentions[0][0]))
    return out[:limit]


def headline_span(text: str, title: str | None = None) -> tuple[int, int] | None:
    """Where the text's headline is: its first line when a blank line or the document's title
    follows it and it has no final full stop, else None."""
    first = text.split("\n", 1)[0]
    rest = text[len(first) : len(first) + 3]
    if title and first.strip() == title.strip():
        return 0, len(first)
    if first.strip() and "\n" in rest and len(first) <= 300 and not first.rstrip().endswith("."):
        return 0, len(first)
    return None
