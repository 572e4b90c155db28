"""Speed of the restored, pruned multilingual-e5-small vs the shipped MiniLM tagger, in one run.

Two measures, each as a ratio between the two models measured in the same process, interleaved,
best of ``--rounds``:

- inference: int8 ONNX encoder alone (``DIR/onnx/encoder.int8.onnx``) vs the shipped tagger
  graph (``models/techniques/tagger.int8.onnx``, encoder plus its small heads) over PTC dev
  articles, each tokenised by its own tokenizer into 256-token windows, batches of 8;
- training: seconds per AdamW step of a token-classification head (fp32, batch 16 x 128
  tokens) on the pruned e5 vs MiniLM-L6.

Usage::

    python bench/e5_speed.py --artifacts /work/e5-artifacts [--data ../shared/data] [--articles 30]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
WINDOW = 256


def windows(tokenizer, text: str, cls: int, sep: int) -> list[list[int]]:
    ids = tokenizer.encode(text, add_special_tokens=False).ids
    step = WINDOW - 2
    return [[cls] + ids[k : k + step] + [sep] for k in range(0, max(1, len(ids)), step)]


def run_session(sess, batches, output: str) -> float:
    start = time.perf_counter()
    for ids, mask in batches:
        sess.run([output], {"input_ids": ids, "attention_mask": mask})
    return time.perf_counter() - start


def make_batches(wins: list[list[int]], pad: int) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for k in range(0, len(wins), 8):
        chunk = wins[k : k + 8]
        width = max(len(w) for w in chunk)
        ids = np.full((len(chunk), width), pad, dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, w in enumerate(chunk):
            ids[i, : len(w)], mask[i, : len(w)] = w, 1
        out.append((ids, mask))
    return out


def inference(artifacts: Path, texts: list[str], rounds: int) -> dict:
    from tokenizers import Tokenizer

    from spinscope.analysis import encoder
    from spinscope.training.multilingual_encoder import TOKENIZER
    from spinscope.training.multilingual_encoder_export import ONNX_INT8

    shipped = ROOT / "src/spinscope/models/techniques"
    models = {
        "shipped_tagger": (
            encoder.session(str(shipped / "tagger.int8.onnx")),
            Tokenizer.from_file(str(shipped / "tokenizer.json")),
            (encoder.CLS_ID, encoder.SEP_ID, encoder.PAD_ID),
            "probs",
        ),
        "e5_pruned": (
            encoder.session(str(artifacts / "onnx" / ONNX_INT8)),
            Tokenizer.from_file(str(artifacts / "onnx" / TOKENIZER)),
            None,
            "hidden",
        ),
    }
    rows = {}
    for name, (sess, tok, specials, output) in models.items():
        tok.no_padding()
        tok.no_truncation()
        if specials is None:
            specials = (tok.token_to_id("<s>"), tok.token_to_id("</s>"), tok.token_to_id("<pad>"))
        wins = [w for t in texts for w in windows(tok, t, specials[0], specials[1])]
        batches = make_batches(wins, specials[2])
        run_session(sess, batches[:1], output)
        rows[name] = {"sess": sess, "batches": batches, "output": output, "seconds": [],
                      "tokens": sum(len(w) for w in wins)}  # fmt: skip
    for _ in range(rounds):
        for row in rows.values():
            row["seconds"].append(run_session(row["sess"], row["batches"], row["output"]))
    out = {
        name: {"tokens": r["tokens"], "articles_per_s": len(texts) / min(r["seconds"])}
        for name, r in rows.items()
    }
    out["e5_speed_vs_shipped"] = (
        out["e5_pruned"]["articles_per_s"] / out["shipped_tagger"]["articles_per_s"]
    )
    return out


def training(artifacts: Path, rounds: int, steps: int = 4) -> dict:
    import torch
    from transformers import AutoModelForTokenClassification

    from spinscope.training._common import base_model_path

    torch.manual_seed(0)
    paths = {"minilm": base_model_path(), "e5_pruned": str(artifacts / "pruned")}
    setups = {}
    for name, path in paths.items():
        model = AutoModelForTokenClassification.from_pretrained(path, num_labels=2)
        model.train()
        opt = torch.optim.AdamW(model.parameters(), lr=5e-5)
        vocab = model.config.vocab_size
        ids = torch.randint(5, vocab, (16, 128))
        labels = torch.randint(0, 2, (16, 128))
        setups[name] = (model, opt, ids, labels, [])

    def step(model, opt, ids, labels) -> None:
        loss = model(input_ids=ids, attention_mask=torch.ones_like(ids), labels=labels).loss
        loss.backward()
        opt.step()
        opt.zero_grad()

    for model, opt, ids, labels, _ in setups.values():
        step(model, opt, ids, labels)  # warm-up
    for _ in range(rounds):
        for model, opt, ids, labels, times in setups.values():
            start = time.perf_counter()
            for _ in range(steps):
                step(model, opt, ids, labels)
            times.append((time.perf_counter() - start) / steps)
    out = {name: {"s_per_step": min(s[4])} for name, s in setups.items()}
    out["e5_step_time_vs_minilm"] = out["e5_pruned"]["s_per_step"] / out["minilm"]["s_per_step"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--artifacts", type=Path, default=Path("/work/e5-artifacts"))
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--articles", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--skip-training", action="store_true")
    args = ap.parse_args()

    from spinscope.corpora.ptc import load_ptc
    from spinscope.model.jsonable import dumps
    from spinscope.training.multilingual_encoder_export import ONNX_INT8

    texts = [a.text for a in load_ptc(args.data / "ptc-semeval2020-task11", "dev")]
    texts = texts[: args.articles]
    int8 = args.artifacts / "onnx" / ONNX_INT8
    report = {
        "cpus": os.cpu_count(),
        "articles": len(texts),
        "e5_int8_onnx_mb": int8.stat().st_size / 1e6,
        "shipped_tagger_int8_onnx_mb": (ROOT / "src/spinscope/models/techniques/tagger.int8.onnx")
        .stat()
        .st_size
        / 1e6,
        "inference": inference(args.artifacts, texts, args.rounds),
    }
    if not args.skip_training:
        report["training"] = training(args.artifacts, args.rounds)
    print(dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
