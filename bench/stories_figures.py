"""The side-by-side view's "figures that differ" on real same-event stories (own check).

Takes the gold events of bench/gold/stories_gold.tsv (read from ../shared/data, nothing
copied), analyses their articles with the full pipeline (`spinscope batch` on a JSONL written
to a temporary folder; each article is its own outlet, named by its file id, since the datasets
name no outlets), makes one story per gold event (the gold grouping, not the clustering, so
that the figure logic is checked on its own) and prints each story's ``figure_differences``
with the figures behind them, for reading by hand.

    python bench/stories_figures.py [--data ../shared/data] [--events EVENT ...]
        [--languages en] [--store PATH] [--json]

``--store`` keeps the analysed store (reused when it exists: analysis is the slow part).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from stories_gold_eval import article_path, read_gold  # noqa: E402


def build_store(store_path: Path, data: Path, gold) -> None:
    from spinscope.cli.main import main
    from spinscope.ingest.files import read_path

    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "gold.jsonl"
        with open(jsonl, "w", encoding="utf-8") as f:
            for a in gold:
                doc = read_path(article_path(data, a))
                rec = {"text": doc.text, "title": doc.title, "outlet": a.file_id,
                       "gold_event": a.event}  # fmt: skip
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        rc = main(["batch", str(jsonl), "--store", str(store_path)])
        if rc != 0:
            raise SystemExit(f"stories_figures: spinscope batch exited {rc}")


def gold_stories(store_path: Path) -> dict[int, str]:
    """Write one story per gold event into the store's story tables; story id -> event."""
    import numpy as np

    from spinscope.store import Store
    from spinscope.store.stories import DIMS, ensure_tables

    with Store(store_path) as store:
        ensure_tables(store)
        rows = store.query("SELECT doc_id, json_extract_string(meta, '$.gold_event') "
                           "FROM documents ORDER BY doc_id")  # fmt: skip
        by_event: dict[str, list[str]] = defaultdict(list)
        for doc_id, event in rows:
            by_event[event].append(doc_id)
        names = {}
        with store.transaction():
            store.con.execute("DELETE FROM stories; DELETE FROM story_members;")
            zero = np.zeros(DIMS, dtype=np.float32).tobytes()
            for k, (event, ids) in enumerate(sorted(by_event.items()), start=1):
                names[k] = event
                store.con.execute("INSERT INTO stories VALUES (?, NULL, NULL, ?, ?, false)",
                                  [k, len(ids), zero])  # fmt: skip
                for i in ids:
                    store.con.execute("INSERT INTO story_members VALUES (?, ?, 1.0)", [i, k])
    return names


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--events", nargs="*")
    ap.add_argument("--languages", nargs="*", default=["en"])
    ap.add_argument("--store", default=None)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    from spinscope.store import Store
    from spinscope.store.story_view import figure_groups, story_view

    gold = [g for g in read_gold() if not g.event.startswith("x-")
            and g.language in a.languages and (not a.events or g.event in a.events)]  # fmt: skip
    tmp = tempfile.TemporaryDirectory()
    store_path = Path(a.store) if a.store else Path(tmp.name) / "figures.duckdb"
    if not store_path.exists():
        build_store(store_path, Path(a.data), gold)
    names = gold_stories(store_path)
    total = compared = 0
    with Store(store_path, read_only=True) as store:
        for sid, event in names.items():
            view = story_view(store, sid)
            diffs = view["figure_differences"]
            groups = figure_groups(view["outlets"])
            total += len(diffs)
            compared += len(groups)
            if a.json:
                print(json.dumps({"event": event, "figure_differences": diffs}, ensure_ascii=False))
                continue
            print(f"\n## {event}: {len(view['outlets'])} outlets, {len(groups)} quantities "
                  f"given by 2+ outlets, {len(diffs)} flagged")
            for key, per in groups.items():
                vals = {o: [f["text"] for f in fs] for o, fs in per.items()}
                print(f"  COMPARED {key}: {vals}")
            for d in diffs:
                print(f"  DIFFERS about={d['about']!r} unit={d['unit']!r} values={d['values']}")
                for col in view["outlets"]:
                    for f in col["figures"]:
                        if f["about"] and d["about"] in " ".join(f["about"].lower().split()):
                            print(f"    {col['outlet']}: {f['text']!r} = {f['value']} "
                                  f"[{f['kind']}] about {f['about']!r} | {f['claim'][:140]!r}")
    print(f"\n{compared} quantities compared across outlets, {total} flagged as differing, "
          f"in {len(names)} stories", file=sys.stderr)
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
