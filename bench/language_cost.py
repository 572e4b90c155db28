"""What language detection adds to `spinscope analyze`: a cold run of the sample article with
and without it (another source tree as the baseline, e.g. the commit before it), and, warm, the
pipeline's CPU time per article with detection and with the language given (detection skipped),
interleaved, on PTC dev articles.

    PYTHONPATH=src python bench/language_cost.py --baseline-src /path/to/other/src [--articles 20]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "sample-article.txt"


def cold(src: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `spinscope analyze SAMPLE --json` run with ``src``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "spinscope.cli.main", "analyze", str(SAMPLE), "--json", os.devnull],
        env={**os.environ, "PYTHONPATH": str(src)},
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def warm(n: int) -> None:
    from spinscope.analysis import language
    from spinscope.analysis.pipeline import Pipeline
    from spinscope.corpora.ptc import load_ptc
    from spinscope.ingest import from_text
    from spinscope.settings import load_settings

    arts = load_ptc(REPO.parent / "shared/data/ptc-semeval2020-task11", "dev")[:n]
    docs = [from_text(a.text) for a in arts]
    given = [replace(d, language=language.detect(d.text)) for d in docs]
    pipe = Pipeline(load_settings())
    pipe.run(docs[:2])  # load every model
    cpu = {"detected": 0.0, "given": 0.0}
    for _ in range(2):
        for name, batch in (("detected", docs), ("given", given)):
            t = time.process_time()
            for k in range(0, len(batch), 8):
                pipe.run(batch[k : k + 8])
            cpu[name] += time.process_time() - t
    per = {k: v / (2 * len(docs)) * 1000 for k, v in cpu.items()}
    print(f"warm, {len(docs)} PTC dev articles x2, default analysers: CPU ms/article "
          f"with detection {per['detected']:.0f}, language given {per['given']:.0f}, "
          f"ratio {per['detected'] / per['given']:.3f}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-src", type=Path, required=True)
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    trees = {"baseline": args.baseline_src.resolve(), "this tree": (REPO / "src").resolve()}
    got: dict[str, list[tuple[float, float]]] = {k: [] for k in trees}
    for _ in range(args.runs):
        for name, src in trees.items():
            got[name].append(cold(src))
    for name, runs in got.items():
        walls = sorted(w for w, _ in runs)
        cpus = sorted(c for _, c in runs)
        print(f"cold analyze, {name}: wall median {walls[len(walls) // 2]:.2f} s "
              f"(runs {', '.join(f'{w:.2f}' for w, _ in runs)}), "
              f"CPU median {cpus[len(cpus) // 2]:.2f} s")  # fmt: skip
    warm(args.articles)


if __name__ == "__main__":
    main()
