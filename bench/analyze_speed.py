"""`spinscope analyze` speed with all analysers on, and what each analyser costs, in one run.

Runs the PTC dev articles (75 news articles) through the pipeline in seven configurations, each in
its own process (so its peak memory is its own), twice in interleaved order, and prints articles
per second, the ratio to the techniques-only pipeline, and peak RSS. Usage:

    python bench/analyze_speed.py [--data ../shared/data] [--json] [--articles N]
        [--only techniques,defaults] [--src OLD/src --src src]
``--only`` keeps the configurations whose names start with one of the given words; each ``--src``
(a tree's ``src`` folder) runs every configuration with that tree, interleaved, so that trees
compare within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

CONFIGS = {
    "techniques": "techniques",
    "techniques, span heads": "techniques",
    "claims": "claims",
    "claims, no embeddings": "claims",
    "framing": "framing",
    "roles": "roles",
    "all (techniques, claims, framing, roles)": "techniques,claims,framing,roles",
    "defaults (pipeline.analyzers as shipped)": "",
}


def worker(config: str, data: Path, n: int) -> dict:
    from spinscope.analysis.pipeline import Pipeline
    from spinscope.corpora.ptc import load_ptc
    from spinscope.ingest import from_text
    from spinscope.settings import load_settings

    docs = [from_text(a.text) for a in load_ptc(data / "ptc-semeval2020-task11", "dev")][:n]
    overrides = {"pipeline.analyzers": CONFIGS[config]} if CONFIGS[config] else {}
    if config == "claims, no embeddings":
        overrides["claims.embeddings"] = False
    if config == "techniques, span heads":
        overrides["techniques.span_labeller"] = "heads"
    pipeline = Pipeline(load_settings(overrides))
    pipeline.run(docs[:1])  # load every model outside the timing
    start = time.perf_counter()
    claims = findings = 0
    for k in range(0, len(docs), 8):
        for r in pipeline.run(docs[k : k + 8]):
            claims += len(r.claims)
            findings += len(r.findings)
    seconds = time.perf_counter() - start
    return {
        "config": config,
        "articles": len(docs),
        "words": sum(len(d.text.split()) for d in docs),
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(docs) / seconds, 2),
        "claims": claims,
        "findings": findings,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--articles", type=int, default=75)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated configuration name prefixes")
    ap.add_argument("--src", action="append", default=[], help="a tree's src folder (repeatable)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.data, args.articles)))
        return
    prefixes = [p.strip() for p in args.only.split(",") if p.strip()]
    configs = [c for c in CONFIGS if not prefixes or any(c.startswith(p) for p in prefixes)]
    trees = args.src or [""]
    runs: dict[tuple[str, str], list[dict]] = {(t, c): [] for t in trees for c in configs}
    for _ in range(2):
        for config in configs:
            for tree in trees:
                cmd = [sys.executable, __file__, "--worker", config, "--data", str(args.data)]
                cmd += ["--articles", str(args.articles)]
                env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve())} if tree else None
                out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
                runs[(tree, config)].append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = {k: max(r, key=lambda x: x["articles_per_s"]) for k, r in runs.items()}
    rows = []
    for (tree, config), b in best.items():
        base = best.get((tree, "techniques"), best[(trees[0], configs[0])])["articles_per_s"]
        first = best[(trees[0], config)]["articles_per_s"]
        rows.append({**b, "src": tree, "x_techniques_only": round(b["articles_per_s"] / base, 2),
                     "x_first_src": round(b["articles_per_s"] / first, 2)})  # fmt: skip
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{'src':12s} {'configuration':28s} {'art/s':>7s} {'x tech':>7s} {'x src1':>7s} "
          f"{'peak MB':>8s} {'claims':>7s}")  # fmt: skip
    for r in rows:
        print(
            f"{r['src'][-12:]:12s} {r['config'][:28]:28s} {r['articles_per_s']:7.2f} "
            f"{r['x_techniques_only']:7.2f} {r['x_first_src']:7.2f} {r['peak_rss_mb']:8d} "
            f"{r['claims']:7d}"
        )


if __name__ == "__main__":
    main()
