"""What `spinscope stories` spends on its line about the documents the story encoder cannot read
(``story_space.READABLE``), on a synthetic store (``stories_speed.fill``, with one document in
ten in Hindi): a run that places nothing and runs that place a new batch of ``--batch``
documents, timed as ``cluster_store`` runs them with ``readable`` (a stand-in encoder, no model),
and the store-wide count of ``story_space.unread_counts`` (what every run made before s16, and
what ``GET /api/stories`` still makes) on its own. Medians of ``--repeats``.

    python bench/stories_unread_cost.py [--docs 10000] [--batch 200] [--repeats 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories_speed import EventEncoder, fill  # noqa: E402

from spinscope.store import Store  # noqa: E402
from spinscope.store.stories import cluster_store  # noqa: E402
from spinscope.store.story_space import READABLE, unread_counts  # noqa: E402

HINDI = "UPDATE documents SET language = 'hi' WHERE hash(doc_id) % 10 = 0"


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    events = max(args.docs // 5, 1)
    run = {"readable": READABLE}
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.duckdb") as store:
        fill(store, 0, args.docs, events)
        store.con.execute(HINDI)
        first, s = timed(lambda: cluster_store(store, EventEncoder(), **run))
        print(f"first run: {s['placed']} documents in {first:.2f} s; unread {s['unread']}")
        empty, batch, count = [], [], []
        for r in range(args.repeats):
            empty.append(timed(lambda: cluster_store(store, EventEncoder(), **run))[0])
            fill(store, args.docs + r * args.batch, args.batch, events)
            store.con.execute(HINDI)
            t, s = timed(lambda: cluster_store(store, EventEncoder(), **run))
            batch.append(t)
            count.append(timed(lambda: unread_counts(store))[0])
        print(
            f"store of {args.docs} + up to {args.repeats * args.batch}; medians of "
            f"{args.repeats}: run placing nothing {statistics.median(empty) * 1000:.1f} ms, "
            f"run placing {args.batch} {statistics.median(batch) * 1000:.1f} ms, store-wide "
            f"unread_counts {statistics.median(count) * 1000:.1f} ms; last summary unread "
            f"{s['unread']}"
        )


if __name__ == "__main__":
    main()
