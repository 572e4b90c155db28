"""Sentences in one outlet only, for a large story: fast, and the same as comparing every pair
of sentences."""

from __future__ import annotations

import random
import time
from types import SimpleNamespace

from spinscope.store.story_sentences import ONLY_JACCARD, ONLY_MAX, only_in_one_outlet


def outlets(n_outlets: int, docs: int, sentences: int, vocabulary: int, seed: int = 0) -> dict:
    """``by_outlet`` of random nine-word sentences; a few copied from another outlet, half
    reworded, so that some sentences are shared."""
    rng = random.Random(seed)
    words = [f"w{k}" for k in range(vocabulary)]
    pool: list[str] = []
    out: dict = {}
    for o in range(n_outlets):
        items = []
        for _ in range(docs):
            sents = []
            for _ in range(sentences):
                if pool and rng.random() < 0.2:
                    old = rng.choice(pool).rstrip(".").split()
                    old[: rng.randint(0, 6)] = rng.sample(words, 3)
                    sents.append(" ".join(old) + ".")
                else:
                    sents.append(" ".join(rng.choice(words) for _ in range(9)) + ".")
            pool += sents
            text = " ".join(sents)
            items.append(
                (
                    {"language": "en" if o % 5 else "fr"},
                    SimpleNamespace(doc=SimpleNamespace(text=text)),
                )
            )
        out[f"Outlet {o}"] = items
    return out


def every_pair(by_outlet: dict) -> dict[str, list[str]]:
    """The sentences in one outlet only, by comparing every pair (what the view means)."""
    import re

    def sents(text):
        found = [m.group() for m in re.finditer(r"[^.!?\n]+[.!?]*", text)]
        pairs = [(s.strip(), frozenset(re.findall(r"\w+", s.lower()))) for s in found]
        return [(s, w) for s, w in pairs if len(w) >= 5]

    langs = {o: {d["language"] for d, _ in items} for o, items in by_outlet.items()}
    all_sents = {
        o: [x for _, r in items for x in sents(r.doc.text)] for o, items in by_outlet.items()
    }
    out = {}
    for o in by_outlet:
        others = [v for p in by_outlet if p != o and langs[p] & langs[o] for _, v in all_sents[p]]
        out[o] = [t for t, w in all_sents[o]
                  if all(len(w & v) / len(w | v) < ONLY_JACCARD for v in others)]  # fmt: skip
    return out


def test_sentences_in_one_outlet_only_are_those_of_every_pair():
    kept = 0
    for seed in range(4):
        by_outlet = outlets(6, 2, 4, 40, seed)  # a small vocabulary: many near matches
        expected = every_pair(by_outlet)
        for o in only_in_one_outlet(by_outlet):
            assert o["sentences"] == expected[o["outlet"]][:ONLY_MAX]
            assert o["more"] == max(len(expected[o["outlet"]]) - ONLY_MAX, 0)
            kept += len(expected[o["outlet"]])
    assert 0 < kept < 6 * 2 * 4 * 4  # some sentences are shared, some not


def test_a_story_of_many_outlets_is_compared_in_seconds():
    # every sentence was compared with every sentence of the other outlets: a story of 300
    # documents from 30 outlets took over a minute to show (GET /api/stories/{id})
    by_outlet = outlets(40, 5, 30, 3000)
    start = time.perf_counter()
    only_in_one_outlet(by_outlet)
    assert time.perf_counter() - start < 5.0
