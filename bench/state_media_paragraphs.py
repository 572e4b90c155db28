"""The SemEval-2023 findings on the state-media column (``../shared/examples/
state-media-column.txt``) against the s3-para helper's OWN paragraph-level annotation
(``bench/annotations/state-media-column-paragraphs.tsv``; one reader, the 23 definitions at hand,
not official gold), for the English tagger's 2023 spans and the multilingual paragraph model.

A paragraph gets every technique of the findings that overlap it; precision and recall are over
(paragraph, technique) pairs.

    python bench/state_media_paragraphs.py [--set techniques_paragraphs.threshold=0.3 ...]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import spinscope
from spinscope.ingest import from_text

HERE = Path(__file__).parent
TEXT = HERE.parent.parent / "shared" / "examples" / "state-media-column.txt"


def load_gold() -> set[tuple[int, str]]:
    with open(HERE / "annotations" / "state-media-column-paragraphs.tsv", encoding="utf-8") as fh:
        rows = [r for r in fh if not r.startswith("#")]
    gold = set()
    for row in csv.DictReader(rows, delimiter="\t"):
        gold |= {(int(row["line"]), t) for t in row["techniques"].split(",") if t}
    return gold


def pairs(text: str, findings) -> set[tuple[int, str]]:
    out, pos = set(), 0
    for number, line in enumerate(text.split("\n"), 1):
        start, end = pos, pos + len(line)
        pos = end + 1
        out |= {(number, f.label) for f in findings if f.start < end and f.end > start}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=Path, default=TEXT)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    doc = from_text(args.text.read_text(encoding="utf-8"))
    gold = load_gold()
    print(f"annotated (paragraph, technique) pairs: {len(gold)}")
    overrides = dict(item.split("=", 1) for item in args.set)
    runs = {
        "English tagger, 2023 taxonomy": {"pipeline.analyzers": "techniques",
                                          "techniques.taxonomies": "semeval2023"},
        "paragraph model, English on": {
            "pipeline.analyzers": "techniques_paragraphs",
            "techniques_paragraphs.languages": "en,fr,de,it,pl,ru",
        },
    }  # fmt: skip
    for name, settings in runs.items():
        result = spinscope.analyze(doc, settings={**settings, **overrides})
        found = [f for f in result.findings if f.taxonomy == "semeval2023"]
        pred = pairs(doc.text, found)
        right = len(pred & gold)
        p = right / len(pred) if pred else 0.0
        r = right / len(gold) if gold else 0.0
        print(f"{name}: {len(found)} findings, {len(pred)} pairs, P {p:.3f} R {r:.3f}")
        for line, label in sorted(pred):
            print(f"    {line:3d} {label:34s} {'right' if (line, label) in gold else ''}")


if __name__ == "__main__":
    main()
