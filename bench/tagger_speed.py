"""Tagger speed over the PTC dev articles: int8 ONNX vs fp32 ONNX vs torch, in one run.

Each variant runs in its own process (so peak memory is its own), twice, in interleaved order;
the table gives articles per second, the ratio to torch fp32, and peak RSS. Also times a cold
`spinscope analyze` of the bundled sample. Usage:

    python bench/tagger_speed.py [--data ../shared/data] [--model-dir DIR] [--json]

torch needs the [train] extra and the fp32 graph (kept by `spinscope train`, not shipped); a
variant whose files are missing is skipped with a note.
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

ROOT = Path(__file__).resolve().parents[1]


def worker(variant: str, data: Path, model_dir: Path | None, checkpoint: Path | None) -> dict:
    from spinscope.analysis.techniques import TechniqueTagger
    from spinscope.corpora.ptc import load_ptc

    arts = load_ptc(data / "ptc-semeval2020-task11", "dev")
    texts = [a.text for a in arts]
    words = sum(len(t.split()) for t in texts)
    if variant.startswith("torch"):
        import torch

        from spinscope.training._common import base_model_path
        from spinscope.training.export import load_checkpoint

        torch.set_num_threads(os.cpu_count() or 2)
        model = load_checkpoint(checkpoint, base_model_path())
        tagger = TechniqueTagger(model_dir=model_dir)
        tok = tagger._tokenizer
        bf16 = variant == "torch-bf16"
        model.eval()
        start = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            for t in texts:
                torch_forward(model, t, tok, tagger.card)
        seconds = time.perf_counter() - start
    else:
        tagger = TechniqueTagger(model_dir=model_dir, variant=variant)
        tagger.scores([texts[0]])  # load the session outside the timing
        start = time.perf_counter()
        for k in range(0, len(texts), 8):
            tagger.scores(texts[k : k + 8])
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "variant": variant,
        "articles": len(texts),
        "words": words,
        "seconds": seconds,
        "articles_per_s": len(texts) / seconds,
        "peak_rss_mb": round(peak_mb),
    }


def torch_forward(model, text, tok, card):
    """The encoder work of one text in torch: the same windows, in batches of 16."""
    import torch

    from spinscope.analysis import encoder, span_geometry

    enc = encoder.encode(tok, text)
    wins = span_geometry.text_windows(
        text,
        enc,
        card.get("window", 256),
        card.get("stride", 192),
        by_sentence=card.get("windowing") == "sentences",
    )
    with torch.no_grad():
        for b in range(0, len(wins), 16):
            ids, mask = encoder.batch_inputs(enc, wins[b : b + 16])
            model(torch.from_numpy(ids), torch.from_numpy(mask))


def cold_start(sample: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "spinscope.cli.main",
            "analyze",
            str(sample),
            "--quiet",
            "--json",
            os.devnull,
        ],
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--model-dir", type=Path, default=None)
    ap.add_argument("--checkpoint", type=Path, default=None, help="torch checkpoint for torch rows")
    ap.add_argument("--worker", default=None)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--variants", default="int8,fp32,torch-fp32,torch-bf16")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.data, args.model_dir, args.checkpoint)))
        return
    rows: dict[str, list[dict]] = {}
    variants = args.variants.split(",")
    for _ in range(2):
        for variant in variants:
            cmd = [sys.executable, __file__, "--worker", variant, "--data", str(args.data)]
            if args.model_dir:
                cmd += ["--model-dir", str(args.model_dir)]
            if args.checkpoint:
                cmd += ["--checkpoint", str(args.checkpoint)]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode:
                print(
                    f"skipped {variant}: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr
                )
                continue
            rows.setdefault(variant, []).append(json.loads(proc.stdout.strip().splitlines()[-1]))
    best = {v: max(r, key=lambda x: x["articles_per_s"]) for v, r in rows.items()}
    base = best.get("torch-fp32", next(iter(best.values())))["articles_per_s"]
    cold = [cold_start(ROOT / "samples" / "sample-article.txt") for _ in range(2)]
    result = {"rows": best, "cold_start_analyze_s": round(min(cold), 2), "cpus": os.cpu_count()}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(
        f"PTC dev, {next(iter(best.values()))['articles']} articles, "
        f"{os.cpu_count()} CPUs, best of 2 interleaved runs"
    )
    print(f"{'variant':12s} {'articles/s':>10s} {'x torch fp32':>13s} {'peak RSS MB':>12s}")
    for v, r in best.items():
        print(
            f"{v:12s} {r['articles_per_s']:10.2f} {r['articles_per_s'] / base:13.2f} "
            f"{r['peak_rss_mb']:12d}"
        )
    print(f"cold `spinscope analyze` of the sample: {min(cold):.2f} s")


if __name__ == "__main__":
    main()
