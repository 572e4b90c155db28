"""Speed of `spinscope analyze` (default analysers) on the sample article and on a French
SemEval-2023 dev article, with the multilingual paragraph technique model off (before) and on
(after), interleaved in one process; and the number of findings on the state-media column.

    python bench/paragraph_techniques.py [--data ../shared/data] [--repeats 5]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from spinscope.analysis.pipeline import Pipeline
from spinscope.ingest import from_text
from spinscope.settings import load_settings

HERE = Path(__file__).resolve().parent
BEFORE = {"pipeline.analyzers": "techniques,claims,framing",
          "techniques.taxonomies": "semeval2023,ptc2020"}  # fmt: skip
AFTER: dict = {}  # the defaults


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    texts = {"sample article (EN)": (HERE.parent / "samples" / "sample-article.txt").read_text()}
    fr = sorted((args.data / "semeval2023-task3" / "fr" / "dev-articles-subtask-3").glob("*.txt"))
    if fr:
        texts["FR dev article"] = fr[0].read_text(encoding="utf-8")
    column = (args.data.parent / "examples" / "state-media-column.txt").read_text(encoding="utf-8")
    pipes = {"before": Pipeline(load_settings(BEFORE)), "after": Pipeline(load_settings(AFTER))}
    print("analysers:", {k: [a.name for a in p.analyzers] for k, p in pipes.items()})
    for name, text in texts.items():
        doc = from_text(text)
        times = {k: [] for k in pipes}
        for p in pipes.values():
            p.run([doc])  # models loaded outside the timing
        for _ in range(args.repeats):
            for k, p in pipes.items():
                start = time.perf_counter()
                p.run([doc])
                times[k].append(time.perf_counter() - start)
        best = {k: min(v) for k, v in times.items()}
        print(
            f"{name}: before {best['before']:.3f} s, after {best['after']:.3f} s, "
            f"after/before {best['after'] / best['before']:.2f}x (best of {args.repeats})"
        )
    for k, p in pipes.items():
        found = p.run([from_text(column)])[0].findings
        n23 = sum(f.taxonomy == "semeval2023" for f in found)
        print(f"state-media column, {k}: {len(found)} findings, {n23} in the 2023 taxonomy")


if __name__ == "__main__":
    main()
