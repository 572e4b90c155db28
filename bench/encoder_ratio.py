"""Whole pipeline ÷ its bare encoder passes, one article at a time and in batches, in one run.

For each mode (one article per ``Pipeline.run`` call, the path of ``analyze`` and ``serve``; and
batches of 8), in its own process: the models are loaded outside the timing, the pipeline runs
over N PTC dev articles while every ONNX call it makes (tagger, span classifier,
check-worthiness) is recorded, then exactly those calls are replayed on the same sessions and
timed alone. The ratio pipeline ÷ encoder-only is what the rest of the pipeline costs on top of
the encoders, in wall time and in this process's CPU time (the one to read on a busy machine);
the padding column is padded ÷ real tokens of the recorded calls. Each ``--src`` (a tree's
``src`` folder) runs both modes, interleaved, best of ``--repeats`` (by CPU time). Usage:

    python bench/encoder_ratio.py [--data ../shared/data] [--articles 20] [--repeats 2]
        [--src OLD/src --src src] [--json]
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

MODES = {"one at a time": 1, "batches of 8": 8}


def _recorder(calls: list):
    """Patch onnxruntime's ``InferenceSession.run`` to note (session, outputs, feed, seconds)."""
    import onnxruntime as ort

    original = ort.InferenceSession.run

    def run(self, output_names, input_feed, run_options=None):
        start = time.perf_counter()
        out = original(self, output_names, input_feed, run_options)
        calls.append((self, output_names, input_feed, time.perf_counter() - start))
        return out

    ort.InferenceSession.run = run
    return original


def worker(batch: int, data: Path, n: int) -> dict:
    import numpy as np

    from spinscope.analysis.pipeline import Pipeline
    from spinscope.corpora.ptc import load_ptc
    from spinscope.ingest import from_text
    from spinscope.settings import load_settings

    docs = [from_text(a.text) for a in load_ptc(data / "ptc-semeval2020-task11", "dev")][:n]
    pipeline = Pipeline(load_settings())
    pipeline.run(docs[:1])  # every model loaded outside the timing
    calls: list = []
    original = _recorder(calls)
    start, cpu = time.perf_counter(), time.process_time()
    for k in range(0, len(docs), batch):
        pipeline.run(docs[k : k + batch])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    import onnxruntime as ort

    ort.InferenceSession.run = original
    start, encoder_cpu = time.perf_counter(), time.process_time()
    for session, names, feed, _ in calls:
        session.run(names, feed)
    encoder, encoder_cpu = time.perf_counter() - start, time.process_time() - encoder_cpu
    real = sum(int(np.asarray(f["attention_mask"]).sum()) for _, _, f, _ in calls)
    padded = sum(int(np.asarray(f["attention_mask"]).size) for _, _, f, _ in calls)
    return {
        "articles": len(docs),
        "batch": batch,
        "seconds": round(seconds, 3),
        "articles_per_s": round(len(docs) / seconds, 2),
        "encoder_s": round(encoder, 3),
        "encoder_in_pipeline_s": round(sum(c[3] for c in calls), 3),
        "pipeline_over_encoder": round(seconds / encoder, 3),
        "cpu_s": round(cpu, 3),
        "articles_per_cpu_s": round(len(docs) / cpu, 2),
        "encoder_cpu_s": round(encoder_cpu, 3),
        "pipeline_over_encoder_cpu": round(cpu / encoder_cpu, 3),
        "encoder_calls": len(calls),
        "tokens": real,
        "padded_over_real": round(padded / max(real, 1), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--src", action="append", default=[], help="a tree's src folder (repeatable)")
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.data, args.articles)))
        return
    if not (args.data / "ptc-semeval2020-task11").is_dir():
        raise SystemExit(f"No PTC data under {args.data}; pass --data.")
    trees = args.src or [""]
    runs: dict[tuple[str, str], list[dict]] = {(t, m): [] for t in trees for m in MODES}
    for _ in range(args.repeats):
        for mode, batch in MODES.items():
            for tree in trees:
                cmd = [sys.executable, __file__, "--worker", str(batch), "--data", str(args.data)]
                cmd += ["--articles", str(args.articles)]
                env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve())} if tree else None
                out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
                runs[(tree, mode)].append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = {k: min(r, key=lambda x: x["cpu_s"]) for k, r in runs.items()}
    rows = [{"src": t, "mode": m, **b} for (t, m), b in best.items()]
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{'src':14s} {'mode':14s} {'art/s':>6s} {'CPU s':>6s} {'enc s':>6s} {'pipe/enc':>8s} "
          f"{'CPU p/e':>7s} {'calls':>6s} {'pad':>5s} {'peak MB':>7s}")  # fmt: skip
    for r in rows:
        print(
            f"{r['src'][-14:]:14s} {r['mode']:14s} {r['articles_per_s']:6.2f} {r['cpu_s']:6.2f} "
            f"{r['encoder_s']:6.2f} {r['pipeline_over_encoder']:8.2f} "
            f"{r['pipeline_over_encoder_cpu']:7.2f} {r['encoder_calls']:6d} "
            f"{r['padded_over_real']:5.2f} {r['peak_rss_mb']:7d}"
        )


if __name__ == "__main__":
    main()
