"""How the technique findings compare with our own careful annotation of the state-media column
(``../shared/examples/state-media-column.txt``). The annotation (``bench/annotations/
state-media-column.tsv``: technique, start, end, quote) is ours, made by one reader with the 23
SemEval-2023 definitions at hand, not official gold: read it as a sanity check on new text.

A finding is right when it overlaps an annotated span of the same technique; an annotated span is
found when a finding of its technique overlaps it. "any technique" drops the label.

    python bench/state_media_column.py [--text PATH] [--set techniques.threshold=0.3 ...]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

import spinscope
from spinscope.ingest import from_text

HERE = Path(__file__).parent
TEXT = HERE.parent.parent / "shared" / "examples" / "state-media-column.txt"


def load_gold(text: str) -> list[tuple[str, int, int]]:
    gold = []
    with open(HERE / "annotations" / "state-media-column.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            start, end = int(row["start"]), int(row["end"])
            if text[start:end] != row["quote"]:
                raise SystemExit(f"annotation does not match the text at {start}: {row['quote']!r}")
            gold.append((row["technique"], start, end))
    return gold


def overlaps(a: tuple[str, int, int], b: tuple[str, int, int], same_label: bool) -> bool:
    return (not same_label or a[0] == b[0]) and a[1] < b[2] and b[1] < a[2]


def score(pred, gold, same_label: bool) -> dict[str, float]:
    right = sum(any(overlaps(p, g, same_label) for g in gold) for p in pred)
    found = sum(any(overlaps(p, g, same_label) for p in pred) for g in gold)
    precision = right / len(pred) if pred else 0.0
    recall = found / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=Path, default=TEXT)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    raw = args.text.read_text(encoding="utf-8")
    doc = from_text(raw)
    if doc.text != raw:
        raise SystemExit("the normalised text differs from the file: offsets would not match")
    overrides = dict(item.split("=", 1) for item in args.set)
    overrides.setdefault("pipeline.analyzers", "techniques")
    result = spinscope.analyze(doc, settings=overrides)
    gold = load_gold(doc.text)
    pred = [(f.label, f.start, f.end) for f in result.findings if f.taxonomy == "semeval2023"]
    print(f"annotated spans: {len(gold)} ({len(Counter(g[0] for g in gold))} techniques)")
    print(f"findings (SemEval-2023 taxonomy): {len(pred)}")
    for name, same in (("same technique", True), ("any technique", False)):
        s = score(pred, gold, same)
        print(f"  {name:15s} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    for label, start, end in pred:
        print(f"    {label:34s} {doc.text[start:end][:70]!r}")


if __name__ == "__main__":
    main()
