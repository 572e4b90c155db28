"""`spinscope analyze` speed with all analysers on, and what each analyser costs, in one run.

Runs the PTC dev articles (75 news articles) through the pipeline in seven configurations, each in
its own process (so its peak memory is its own), twice in interleaved order, and prints articles
per second, the ratio to the techniques-only pipeline, and peak RSS. Usage:

    python bench/analyze_speed.py [--data ../shared/data] [--json] [--articles N]
"""

from __future__ import annotations

import argparse
import json
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
}


def worker(config: str, data: Path, n: int) -> dict:
    from spinscope.analysis.pipeline import Pipeline
    from spinscope.corpora.ptc import load_ptc
    from spinscope.ingest import from_text
    from spinscope.settings import load_settings

    docs = [from_text(a.text) for a in load_ptc(data / "ptc-semeval2020-task11", "dev")][:n]
    overrides = {"pipeline.analyzers": CONFIGS[config]}
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
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.data, args.articles)))
        return
    runs: dict[str, list[dict]] = {c: [] for c in CONFIGS}
    for _ in range(2):
        for config in CONFIGS:
            cmd = [sys.executable, __file__, "--worker", config, "--data", str(args.data)]
            cmd += ["--articles", str(args.articles)]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            runs[config].append(json.loads(out.strip().splitlines()[-1]))
    best = {c: max(r, key=lambda x: x["articles_per_s"]) for c, r in runs.items()}
    base = best["techniques"]["articles_per_s"]
    rows = [{**b, "x_techniques_only": round(b["articles_per_s"] / base, 2)} for b in best.values()]
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{'configuration':28s} {'art/s':>7s} {'x tech':>7s} {'peak MB':>8s} {'claims':>7s}")
    for r in rows:
        print(
            f"{r['config']:28s} {r['articles_per_s']:7.2f} {r['x_techniques_only']:7.2f} "
            f"{r['peak_rss_mb']:8d} {r['claims']:7d}"
        )


if __name__ == "__main__":
    main()
