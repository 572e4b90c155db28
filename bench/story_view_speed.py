"""What one story's side-by-side view and the stories-jsonl export cost (s19-qastories).

``--docs`` documents about one event from ``--outlets`` outlets, each ``--sentences`` random
nine-word sentences (a 3,000-word vocabulary) and one figure, are stored with a stand-in
encoder (tests/story_fixtures.py: no model runs) and grouped into one story; the view
(``story_view``, what ``GET /api/stories/{id}`` answers) is timed. With ``--store``, the
stories-jsonl export of that existing store (``iter_story_views``) is timed instead.

    python bench/story_view_speed.py [--docs 300] [--outlets 30] [--sentences 20]
    python bench/story_view_speed.py --store corpus.duckdb
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from spinscope.store import Store  # noqa: E402
from spinscope.store.stories import cluster_store  # noqa: E402
from spinscope.store.story_view import iter_story_views, story_view  # noqa: E402
from story_fixtures import KeywordEncoder, result  # noqa: E402


def one_story(path: Path, docs: int, outlets: int, sentences: int) -> None:
    rng = random.Random(0)
    words = [f"w{k}" for k in range(3000)]
    lead = "The dam collapsed and 40 villages were flooded, officials said. "
    with Store(path) as store:
        store.write([
            result(lead + " ".join(" ".join(rng.choices(words, k=9)) + "." for _ in
                                   range(sentences)),
                   f"Dam {k}", f"Outlet {k % outlets}", "2024-06-06",
                   figures=(("40", 40.0, "villages"),))
            for k in range(docs)
        ])  # fmt: skip
        cluster_store(store, KeywordEncoder())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--outlets", type=int, default=30)
    ap.add_argument("--sentences", type=int, default=20)
    ap.add_argument("--store", type=Path, help="time the stories-jsonl export of this store")
    args = ap.parse_args()
    if args.store:
        with Store(args.store, read_only=True) as store:
            start = time.perf_counter()
            n = sum(1 for _ in iter_story_views(store))
        print(f"{n} story views (stories-jsonl) in {time.perf_counter() - start:.2f} s")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.duckdb"
        one_story(path, args.docs, args.outlets, args.sentences)
        with Store(path, read_only=True) as store:
            start = time.perf_counter()
            view = story_view(store, 1)
        took = time.perf_counter() - start
    print(f"one story of {len(view['documents'])} documents from {len(view['outlets'])} "
          f"outlets: its view in {took:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
