"""The view's "figures that differ" on same-event article pairs, scored against a hand-read
annotation (issue 20 item 2: precision >= 0.8 on 50 story pairs; own gold,
bench/gold/stories_figure_pairs.tsv).

The pairs: every two English articles of one event of the story gold
(bench/gold/stories_gold.tsv; 61 pairs in 17 events, each article its own outlet). The
articles are analysed with the full pipeline into a store (``stories_figures.build_store``;
``--store`` keeps it), and each pair is compared as a two-outlet story with the code of the
side-by-side view (``store.story_view._column``, ``figure_groups``, ``figure_differences``).

    python bench/stories_figure_pairs.py --store PATH [--data ../shared/data] [--list]
        [--annotation bench/gold/stories_figure_pairs.tsv]
        [--articles bench/gold/stories_figure_events.tsv --half look|score|fresh|fresh2|fresh3]

``--articles`` takes the pairs from another events file (the story gold's columns; s12: story
threads whose figures change, annotated in bench/gold/stories_figure_diffs.tsv); ``--half``
keeps one half of it. An annotation row is scored when it matches what the code does now
(``score``), so one file holds the rows of several versions.

Without ``--list`` it prints, per pair, each quantity compared (flagged or agreeing) and scores
the annotation: precision = flagged differences labelled ``differ`` / flagged; recall =
flagged ``differ`` / all ``differ`` rows (flagged or ``missed``, i.e. found by reading the two
articles' extracted figures); and how many agreeing quantities are the same quantity (``same``)
or no quantity at all (``not_a_quantity``, counted as ``agreed_odd``: a clock time, a phone
number, an ordinal). ``--list`` prints every figure each article of a pair gives (text, value,
unit, about, statement, time), for reading.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from stories_figures import build_store  # noqa: E402
from stories_gold_eval import read_gold  # noqa: E402

ANNOTATION = Path(__file__).with_name("gold") / "stories_figure_pairs.tsv"


def gold_pairs(gold) -> list[tuple[str, str, str]]:
    """(event, file id, file id) for every two English articles of one gold event."""
    by_event: dict[str, list[str]] = defaultdict(list)
    for a in gold:
        if a.language == "en" and not a.event.startswith("x-"):
            by_event[a.event].append(a.file_id)
    return [(e, x, y) for e, ids in by_event.items() for x, y in combinations(ids, 2)]


def columns_by_outlet(store_path: Path) -> dict[str, dict]:
    """Each article's side-by-side column (its outlet is its file id)."""
    from spinscope.model.document import AnalysisResult
    from spinscope.store import Store
    from spinscope.store.story_view import _column

    out = {}
    with Store(store_path, read_only=True) as store:
        rows = store.query("SELECT d.doc_id, d.outlet, r.result FROM documents d "
                           "JOIN results r USING (doc_id)")  # fmt: skip
    for doc_id, outlet, blob in rows:
        doc = {"id": doc_id, "outlet": outlet, "words": None, "language": "en"}
        out[outlet] = _column(outlet, [(doc, AnalysisResult.from_dict(json.loads(blob)))])
    return out


def compare(cols: dict[str, dict], a: str, b: str) -> list[dict]:
    """Each quantity both articles give: about key, unit, values per article, flagged."""
    from spinscope.store.story_view import figure_differences, figure_groups

    pair = [cols[a], cols[b]]
    flagged = {(d["about"], d["unit"]) for d in figure_differences(pair)}
    out = []
    for (about, unit, statement, time), per in figure_groups(pair).items():
        out.append({"about": about, "unit": unit or "", "statement": statement, "time": time,
                    "values": {o: [f["text"] for f in fs] for o, fs in per.items()},
                    "flagged": (about, unit) in flagged})  # fmt: skip
    return out


def read_annotation(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def score(rows: list[dict], found: dict[tuple, bool]) -> dict[str, float | int]:
    """Precision and recall of the flags against the annotation rows (``found``: (a, b, about,
    unit) -> flagged now). A row is scored when it matches what the code does now (the same
    quantity, flagged or agreeing as its ``kind`` says), so one file can hold the rows of
    several versions; ``unannotated`` counts quantities compared now that no row covers."""
    live = [r for r in rows if r["kind"] != "missed"
            and found.get((r["a"], r["b"], r["about"], r["unit"])) == (r["kind"] == "flagged")]
    covered = {(r["a"], r["b"], r["about"], r["unit"]) for r in live}
    flagged = [r for r in live if r["kind"] == "flagged"]
    real = [r for r in live + [r for r in rows if r["kind"] == "missed"] if r["label"] == "differ"]
    tp = sum(r["label"] == "differ" for r in flagged)
    agreed = [r for r in live if r["kind"] == "agreed"]
    return {"flagged": len(flagged), "flagged_differ": tp, "differ": len(real),
            "precision": tp / len(flagged) if flagged else float("nan"),
            "recall": tp / len(real) if real else float("nan"),
            "other_version_rows": len(rows) - len(live), "unannotated": len(set(found) - covered),
            "agreed": len(agreed), "agreed_same": sum(r["label"] == "same" for r in agreed),
            "agreed_odd": sum(r["label"] == "not_a_quantity" for r in agreed),
            "flagged_labels": dict(Counter(r["label"] for r in flagged))}  # fmt: skip


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--store", required=True)
    ap.add_argument("--articles", default=None,
                    help="events file (stories_gold.tsv's columns; default: the story gold)")
    ap.add_argument("--half", default=None, help="only the events of this half")
    ap.add_argument("--annotation", default=str(ANNOTATION))
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args(argv)
    store_path = Path(a.store)
    gold = [g for g in (read_gold(Path(a.articles)) if a.articles else read_gold())
            if g.language == "en" and not g.event.startswith("x-")]  # fmt: skip
    if not store_path.exists():
        build_store(store_path, Path(a.data), gold)
    cols = columns_by_outlet(store_path)
    pairs = gold_pairs([g for g in gold if a.half in (None, g.half)])
    found: dict[tuple, bool] = {}
    compared = 0
    for event, x, y in pairs:
        print(f"\n## {event}: {x} | {y}")
        if a.list:
            for o in (x, y):
                for f in cols[o]["figures"]:
                    print(
                        f"  {o}: {f['text']!r} = {f['value']} {f['unit'] or ''} about "
                        f"{f['about']!r} [{f['statement']}, {f['time']}]"
                    )
        for q in compare(cols, x, y):
            compared += 1
            found[(x, y, q["about"], q["unit"])] = q["flagged"]
            tag = "FLAGGED" if q["flagged"] else "agree  "
            print(f"  {tag} {q['about']!r} {q['unit']!r}: {q['values']}")
    flagged = sum(found.values())
    print(
        f"\n{len(pairs)} pairs, {compared} quantities compared, {flagged} flagged", file=sys.stderr
    )
    if Path(a.annotation).exists():
        keep = {(x, y) for _, x, y in pairs}
        rows = [r for r in read_annotation(Path(a.annotation)) if (r["a"], r["b"]) in keep]
        s = score(rows, found)
        print(json.dumps(s), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
