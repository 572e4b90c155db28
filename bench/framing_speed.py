"""Seconds per article of the framing analyser with the shipped (multilingual) model against a
model folder given with --old (e.g. the English model2vec one from git history), on the same
articles in one run.

    git show 0190c7f:src/spinscope/models/framing/framing.npz > /tmp/old/framing.npz  (and the
    card.json, narratives.*, calibration.json the same way)
    PYTHONPATH=src python bench/framing_speed.py --old /tmp/old --folder ../shared/data/...
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from spinscope.analysis.framing import FramingAnalyzer
from spinscope.model.document import Document


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, required=True)
    ap.add_argument("--folder", type=Path, required=True)
    ap.add_argument("--n", type=int, default=20)
    a = ap.parse_args()
    paths = sorted(a.folder.glob("*.txt"))[: a.n]
    docs = [Document(p.read_text(encoding="utf-8")) for p in paths]
    out = {}
    for name, folder in (("new", None), ("old", str(a.old))):
        analyzer = FramingAnalyzer(model_dir=folder)
        analyzer.analyze(docs[:1])  # load models
        start = time.perf_counter()
        analyzer.analyze(docs)
        out[name] = (time.perf_counter() - start) / len(docs)
    words = sum(len(d.text.split()) for d in docs) / len(docs)
    print(f"{len(docs)} articles, {words:.0f} words on average")
    ratio = out["new"] / out["old"]
    print(f"s/article: new {out['new']:.3f}, old {out['old']:.3f}, new/old {ratio:.1f}")


if __name__ == "__main__":
    main()
