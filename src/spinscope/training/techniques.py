"""Fine-tune MiniLM-L6 into the technique tagger: one encoder, heads for both taxonomies.

Needs the ``[train]`` extra (torch, transformers). The model has

* a token head with ``1 + 14 + 23`` sigmoid channels: "any technique" (for span identification),
  each PTC-2020 technique and each SemEval-2023 technique. Channels are independent, so
  overlapping spans and several techniques on one span are representable;
* two span heads (PTC-2020: 14-way, SemEval-2023: 23-way) that label a given span from its pooled
  word pieces and how often its text repeats in the article (see ``span_features``).

Training reads whole articles in the same overlapping windows inference uses, evaluates on PTC dev
after every epoch (checkpoint per epoch), and ``export`` writes the int8 ONNX model, the span heads
(NumPy), the tokenizer and a model card.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from spinscope.analysis import encoder
from spinscope.analysis.spans import CHANNELS
from spinscope.corpora.ptc import Article
from spinscope.model.taxonomy import LABELS_2020, LABELS_2023, PTC2020, SEMEVAL2023
from spinscope.training import _common
from spinscope.training._common import optimizer_step, warmup_linear
from spinscope.training.techniques_data import bucket_by_length, build_examples, collate


@dataclass
class TrainConfig:
    seed: int = 13
    epochs: int = 4
    batch_size: int = 16
    lr: float = 5e-5
    head_lr: float = 5e-4
    warmup: float = 0.1
    weight_decay: float = 0.01
    window: int = 128
    stride: int = 96
    by_sentence: bool = True  # one window a sentence (long sentences: overlapping windows)
    length_buckets: bool = True  # batch windows of similar length (less padding)
    si_pos_weight: float = 2.0
    tech_pos_weight: float = 2.0
    si_loss_weight: float = 3.0  # weight of the "any technique" channel's loss
    tech_loss_weight: float = 0.3  # weight of each technique channel's loss (summed)
    span_loss_weight: float = 1.0
    bf16: bool = True
    max_steps: int = 0  # >0: stop early (smoke runs)
    # an int8 model whose word-embedding table to start from and keep frozen, so that the new
    # model can share the shipped models' table (``export.share_word_embeddings``); "" for none
    frozen_embeddings_from: str = ""


def make_model(base_path: str):
    import torch
    from torch import nn
    from transformers import AutoModel

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(base_path, attn_implementation="eager")
            hidden = self.encoder.config.hidden_size
            self.dropout = nn.Dropout(0.1)
            self.token_head = nn.Linear(hidden, len(CHANNELS))
            n_in = 3 * hidden + 3
            self.span_heads = nn.ModuleDict(
                {
                    name: nn.Sequential(
                        nn.Linear(n_in, hidden), nn.GELU(), nn.Dropout(0.1), nn.Linear(hidden, n)
                    )
                    for name, n in (
                        ("ptc2020", len(LABELS_2020)),
                        ("semeval2023", len(LABELS_2023)),
                    )
                }
            )

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            return self.token_head(self.dropout(hidden)), hidden

        def span_logits(self, taxonomy: str, feats):
            return self.span_heads[taxonomy](feats)

    torch.manual_seed(0)  # heads start the same whatever the run's seed (the shipped model did)
    return Tagger()


def pooled(hidden, i: int, j: int):
    """Torch twin of ``spinscope.analysis.spans.pool``: mean, first and last word piece."""
    import torch

    return torch.cat([hidden[i:j].mean(0), hidden[i], hidden[j - 1]])


def freeze_word_embeddings(model, int8_model: Path) -> None:
    """Set the encoder's word-embedding table to ``int8_model``'s (dequantised) and freeze it."""
    import torch

    from spinscope.training.export import int8_word_embeddings

    table = torch.from_numpy(int8_word_embeddings(int8_model))
    weight = model.encoder.embeddings.word_embeddings.weight
    if tuple(table.shape) != tuple(weight.shape):
        raise ValueError(f"{int8_model}: table {tuple(table.shape)}, model {tuple(weight.shape)}")
    with torch.no_grad():
        weight.copy_(table)
    weight.requires_grad_(False)


def _param_groups(model, cfg: TrainConfig) -> list[dict]:
    """AdamW groups: encoder then heads, each with weight decay then without (biases, norms)."""
    no_decay = ("bias", "LayerNorm.weight")
    groups = []
    for is_head in (False, True):
        for decay in (True, False):
            params = [
                p
                for n, p in model.named_parameters()
                if n.startswith("encoder.") != is_head and n.endswith(no_decay) != decay
            ]
            groups.append(
                {
                    "params": params,
                    "lr": cfg.head_lr if is_head else cfg.lr,
                    "weight_decay": cfg.weight_decay if decay else 0.0,
                }
            )
    return groups


class _Losses:
    """The training loss of a batch: the token channels' weighted BCE (summed over channels)
    plus ``span_loss_weight`` times the span heads' cross-entropy."""

    def __init__(self, cfg: TrainConfig) -> None:
        import torch
        from torch import nn

        self.cfg = cfg
        pos_weight = torch.full((len(CHANNELS),), cfg.tech_pos_weight)
        pos_weight[0] = cfg.si_pos_weight
        self.bce = nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")
        self.channel_weights = torch.full((len(CHANNELS),), cfg.tech_loss_weight)
        self.channel_weights[0] = cfg.si_loss_weight
        self.ce = nn.CrossEntropyLoss()

    def __call__(self, model, batch: list):
        """``(loss, token loss, span loss)`` of one batch of windows."""
        import torch

        ids, mask, labels = collate(batch)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.cfg.bf16):
            logits, hidden = model(ids, mask)
        logits = logits.float()
        hidden = hidden.float()
        # Sum over channels (not mean): each sparse channel keeps a single-task gradient.
        per_channel = self.bce(logits, labels) * self.channel_weights
        tok_loss = (per_channel.sum(-1) * mask).sum() / mask.sum()
        span_loss = _span_loss(model, batch, hidden, self.ce)
        return tok_loss + self.cfg.span_loss_weight * span_loss, tok_loss, span_loss


def _span_loss(model, batch: list, hidden, ce):
    """The span heads' cross-entropy over the batch's gold spans, summed over both taxonomies."""
    import torch

    span_loss = torch.zeros(())
    for tax in (PTC2020, SEMEVAL2023):
        feats, targets = [], []
        for r, ex in enumerate(batch):
            for i, j, t, label, extras in ex.spans:
                if t == tax:
                    pool = pooled(hidden[r], i + 1, j + 1)
                    feats.append(torch.cat([pool, torch.from_numpy(extras)]))
                    targets.append(label)
        if feats:
            out = model.span_logits(tax, torch.stack(feats))
            span_loss = span_loss + ce(out, torch.tensor(targets))
    return span_loss


def _epoch(model, opt, sched, losses, examples, rng, where: tuple[int, int, int],
           cfg: TrainConfig, log) -> int:  # fmt: skip
    """One epoch over shuffled (length-bucketed) windows; ``where`` is (epoch, step so far,
    total steps); returns the step reached (early where ``cfg.max_steps`` says so)."""
    epoch, step, total = where
    model.train()
    order = list(range(len(examples)))
    rng.shuffle(order)
    if cfg.length_buckets:
        order = bucket_by_length(order, examples, cfg.batch_size, rng)
    t0 = time.time()
    for b in range(0, len(order), cfg.batch_size):
        batch = [examples[i] for i in order[b : b + cfg.batch_size]]
        loss, tok_loss, span_loss = losses(model, batch)
        optimizer_step(model, opt, sched, loss)
        step += 1
        if step % 20 == 0:
            rate = (b + len(batch)) / (time.time() - t0)
            log(
                f"epoch {epoch} step {step}/{total} loss {loss.item():.4f} "
                f"(tok {tok_loss.item():.4f}, span {span_loss.item():.4f}) {rate:.1f} win/s"
            )
        if cfg.max_steps and step >= cfg.max_steps:
            break
    return step


def train(
    train_articles: list[Article],
    dev_articles: list[Article] | None,
    out_dir: Path,
    cfg: TrainConfig,
    base_path: str,
    log=print,
    extra: list | None = None,
) -> dict:
    """Fine-tune, evaluate on dev after every epoch, checkpoint every epoch; return the history.
    ``extra``: more training windows (``techniques_distill.soft_examples``: soft targets)."""
    import torch

    from spinscope.training.evaluate import evaluate_torch

    _common.seed_everything(cfg.seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = encoder.load_tokenizer(str(Path(base_path) / "tokenizer.json"))
    examples = build_examples(train_articles, tokenizer, cfg) + list(extra or [])
    model = make_model(base_path)
    if cfg.frozen_embeddings_from:
        freeze_word_embeddings(model, Path(cfg.frozen_embeddings_from))
    opt = torch.optim.AdamW(_param_groups(model, cfg))
    total = _common.total_steps(len(examples), cfg)
    sched = warmup_linear(opt, total, cfg.warmup)
    losses = _Losses(cfg)
    log(f"{len(train_articles)} articles, {len(examples)} windows ({len(extra or [])} soft)")
    history = []
    step = 0
    rng = random.Random(cfg.seed)
    for epoch in range(1, cfg.epochs + 1):
        t0 = time.time()
        step = _epoch(model, opt, sched, losses, examples, rng, (epoch, step, total), cfg, log)
        _common.save_checkpoint(model, out_dir, epoch)
        record: dict[str, Any] = {"epoch": epoch, "step": step}
        record["train_s"] = round(time.time() - t0, 1)
        if dev_articles:
            record["dev"] = evaluate_torch(model, dev_articles, tokenizer, cfg)
        history.append(record)
        log(json.dumps(record))
        _common.write_history(out_dir, cfg, history)
        if cfg.max_steps and step >= cfg.max_steps:
            break
    return {"config": asdict(cfg), "history": history}
