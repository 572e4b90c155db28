"""Issue 14: would "possible" findings help, i.e. the English tagger's spans between a lower
threshold and the shipped 0.5 that overlap no shipped span, shown marked as tentative? How often
such spans overlap a gold PTC span on PTC dev (any technique, and the same technique), beside the
shipped spans' own rates (span-level overlap, PTC-2020 taxonomy).

    python bench/possible_spans.py [--low 0.2] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from spinscope.analysis.spans import decode_labelled
from spinscope.corpora.ptc import load_ptc
from spinscope.model.taxonomy import PTC2020
from spinscope.registry import create_analyzer
from spinscope.settings import load_settings


def rates(spans, gold) -> tuple[int, int, int]:
    """(spans, overlapping any gold span, overlapping a gold span of its technique)."""
    anyo = sum(any(s.start < e and b < s.end for b, e, _ in gold) for s in spans)
    same = sum(any(s.start < e and b < s.end and g == s.label for b, e, g in gold) for s in spans)
    return len(spans), anyo, same


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--low", type=float, default=0.2)
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    arts = load_ptc(args.data / "ptc-semeval2020-task11", "dev")
    tagger = create_analyzer("techniques", load_settings({}))
    head = None if tagger.decoder == "channels" else tagger.labeller
    low = replace(tagger.decoding, threshold=args.low)
    totals = {"shipped": [0, 0, 0], "possible": [0, 0, 0]}
    for k in range(0, len(arts), 8):
        batch = arts[k : k + 8]
        for a, sc in zip(batch, tagger.scores([a.text for a in batch], hidden=True), strict=True):
            gold = [(g.start, g.end, g.label) for g in a.spans[PTC2020]]
            main_spans = tagger.spans(sc, PTC2020)
            lower = decode_labelled(sc, PTC2020, low, tagger.decoder, head,
                                    channel_weight=tagger.channel_weight)  # fmt: skip
            possible = [
                s for s in lower if not any(s.start < m.end and m.start < s.end for m in main_spans)
            ]
            for name, spans in (("shipped", main_spans), ("possible", possible)):
                found = rates(spans, gold)
                totals[name] = [t + r for t, r in zip(totals[name], found, strict=True)]
    for name, (n, anyo, same) in totals.items():
        print(f"{name}: {n} spans, any technique {anyo / max(n, 1):.3f}, "
              f"same technique {same / max(n, 1):.3f}")


if __name__ == "__main__":
    main()
