"""Speaker accuracy of the voice step on spinscope's own gold (``bench/gold/speakers_gold.jsonl``).

For every gold sentence, the voice step says who speaks (``spinscope.analysis.voice.speakers``:
the claims analyser's attribution of the sentence, or for a quote without a speech verb of its
own, the speaker of the quote it goes on from); that speaker is compared with the
hand-annotated one:

- strict: the same name once lower-cased, without a leading article or a possessive "'s";
- same speaker (the reported accuracy): strict, or the same last word ("Kelly" for "Timothy
  Kelly", "Justice Department" for "the Department"), which is how spinscope groups mentions
  of one entity (``analysis.mentions.key``).

Usage: python bench/speakers.py [--data ../shared/data] [--errors]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from spinscope.analysis import voice

GOLD = Path(__file__).parent / "gold" / "speakers_gold.jsonl"


def norm(name: str | None) -> str:
    if not name:
        return ""
    name = re.sub(r"[’']s\b", "", name.lower())
    name = re.sub(r"^(the|a|an)\s+", "", name.strip())
    return " ".join(name.split())


def same(pred: str | None, gold: str) -> tuple[bool, bool]:
    p, g = norm(pred), norm(gold)
    strict = bool(p) and p == g
    return strict, strict or (bool(p) and p.split()[-1] == g.split()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path,
                    default=Path(os.environ.get("SPINSCOPE_DATA", "../shared/data")))  # fmt: skip
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--errors", action="store_true", help="print each miss (article text!)")
    args = ap.parse_args()
    rows = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines()]
    by_article = defaultdict(list)
    for r in rows:
        by_article[(r["dataset"], r["article_id"])].append(r)
    strict = lenient = none = 0
    per_split: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    t0 = time.perf_counter()
    for (dataset, article_id), gold in sorted(by_article.items()):
        path = args.data / dataset / f"article{article_id}.txt"
        if not path.exists():
            print(f"speakers: {path} not found; pass --data FOLDER or set SPINSCOPE_DATA.")
            return 3
        with open(path, encoding="utf-8", newline="") as fh:
            text = fh.read()
        found = voice.speakers(text, [(r["start"], r["end"]) for r in gold])
        for r, who in zip(gold, found, strict=True):
            s, ok = same(who, r["speaker"])
            strict += s
            lenient += ok
            none += who is None
            per_split[r.get("split", "all")][0] += ok
            per_split[r.get("split", "all")][1] += 1
            if args.errors and not ok:
                print(f"{article_id} [{r['start']}:{r['end']}] gold={r['speaker']!r} "
                      f"got={who!r} | {text[r['start'] : r['end']][:140]}")  # fmt: skip
    n = len(rows)
    print(f"sentences {n}, articles {len(by_article)}, {time.perf_counter() - t0:.1f} s")
    print(f"speaker accuracy (same speaker): {lenient / n:.3f} ({lenient}/{n})")
    print(f"speaker accuracy (strict name):  {strict / n:.3f} ({strict}/{n})")
    print(f"no speaker given: {none}")
    for split, (ok, total) in sorted(per_split.items()):
        print(f"  {split}: {ok / total:.3f} ({ok}/{total})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
