"""How span decoding choices move the PTC dev scores of one trained tagger (no retraining).

Scores every dev article once with the ONNX model, then decodes the cached scores several ways:
the SI score source (the "any technique" channel alone, or combined with the technique
channels), bridging gaps between runs, dropping one-word fragments, and the TC mix of span head
and token channels. Usage:

    python bench/ptc_decoding.py --model-dir DIR [--data ../shared/data] [--variant int8]

These are choices made on dev: BENCHMARKS.md says which one the shipped model uses.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from spinscope.analysis.spans import DECODERS, Decoding
from spinscope.analysis.techniques import TechniqueTagger
from spinscope.corpora.ptc import load_ptc
from spinscope.evaluation.tagger import score_ptc, search_decoding

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--variant", default="int8")
    args = ap.parse_args()
    arts = load_ptc(args.data / "ptc-semeval2020-task11", "dev")
    tagger = TechniqueTagger(model_dir=args.model_dir, variant=args.variant)
    scores = []
    for k in range(0, len(arts), 8):
        scores += tagger.scores([a.text for a in arts[k : k + 8]])
    rows = search_decoding(arts, scores)
    best = Decoding(**{k: rows[0][k] for k in ("threshold", "si_source", "max_gap", "min_tokens")})
    full = score_ptc(arts, scores, tagger.span_head, decoding=best)
    print(
        json.dumps(
            {
                "si_top": rows[:8],
                "si_default": next(
                    r
                    for r in rows
                    if r["si_source"] == "any"
                    and r["threshold"] == 0.5
                    and r["max_gap"] == 0
                    and r["min_tokens"] == 1
                ),
                "tc_f1": round(full["tc"]["f1"], 4),
                "tc_f1_by_channel_weight": full["tc_f1_by_channel_weight"],
                "full_task_f1_with_best": {d: round(full[f"full_{d}"]["f1"], 4) for d in DECODERS},
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
