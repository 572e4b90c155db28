"""PTC dev scores of the shipped tagger with the abbreviation-aware sentence splitter and with
the previous one (a cut after every . ! ? before a space), and how many sentence starts differ.

    PYTHONPATH=src python bench/sentence_split_quality.py [--data ../shared/data]

The tagger reads one window a sentence, so the splitter can move its scores (issue 17 item 5).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from spinscope.analysis import _onnx
from spinscope.corpora.ptc import load_ptc
from spinscope.evaluation.run import evaluate_articles

NEW = _onnx.sentence_starts


def old_starts(text: str) -> np.ndarray:
    """The splitter before issue 17: every match of SENTENCE_END starts a sentence."""
    return np.asarray([0] + [m.end() for m in _onnx.SENTENCE_END.finditer(text)], dtype=np.int64)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    args = parser.parse_args()
    from spinscope.analysis.techniques import TechniqueTagger

    articles = load_ptc(Path(args.data) / "ptc-semeval2020-task11", "dev")
    moved = sum(len(set(NEW(a.text)) ^ set(old_starts(a.text))) for a in articles)
    total = sum(len(old_starts(a.text)) for a in articles)
    out = {"articles": len(articles), "old_sentence_starts": total, "starts_removed": moved}
    tagger = TechniqueTagger()
    for name, fn in (("old", old_starts), ("new", NEW)):
        _onnx.sentence_starts = fn
        started = time.perf_counter()
        r = evaluate_articles(tagger, articles, "dev")
        out[name] = {k: round(r[k], 4) for k in ("si_f1", "tc_micro_f1", "full_task_f1")}
        out[name]["seconds"] = round(time.perf_counter() - started, 1)
    _onnx.sentence_starts = NEW
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
