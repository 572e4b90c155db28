"""PTC dev scores of the shipped tagger (its windows, one per sentence, and its span labeller's
sentence contexts) with sentences as cut by ``span_geometry.window_starts`` (a cut after every
. ! ? before a space: what it was trained with, and what it uses) and as cut by the
abbreviation-aware ``span_geometry.sentence_starts`` (issue 17 item 5),
and how many sentence starts differ.

    PYTHONPATH=src python bench/sentence_split_quality.py [--data ../shared/data] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from spinscope.analysis import span_geometry
from spinscope.corpora.ptc import load_ptc
from spinscope.evaluation.run import evaluate_articles

NEW = span_geometry.sentence_starts
OLD = span_geometry.window_starts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args()
    from spinscope.analysis.techniques import TechniqueTagger

    articles = load_ptc(Path(args.data) / "ptc-semeval2020-task11", "dev")[: args.limit]
    moved = sum(len(set(NEW(a.text)) ^ set(OLD(a.text))) for a in articles)
    total = sum(len(OLD(a.text)) for a in articles)
    out = {"articles": len(articles), "sentences": total, "starts_that_differ": moved}
    tagger = TechniqueTagger()
    for name, fn in (("window_starts", OLD), ("sentence_starts", NEW)):
        span_geometry.window_starts = fn
        started = time.perf_counter()
        r = evaluate_articles(tagger, articles, "dev")
        out[name] = {k: round(r[k], 4) for k in ("si_f1", "tc_micro_f1", "full_task_f1")}
        out[name]["seconds"] = round(time.perf_counter() - started, 1)
    span_geometry.window_starts = OLD
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
