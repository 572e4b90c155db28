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
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis import encoder, span_geometry
from spinscope.analysis.spans import CHANNELS
from spinscope.corpora.ptc import Article, add_semeval23_layer, load_ptc, read_articles, read_labels
from spinscope.model.taxonomy import PTC2020, SEMEVAL2023
from spinscope.training._common import optimizer_step, save_checkpoint, total_steps, warmup_linear
from spinscope.training.techniques import bucket_by_length, token_labels

LANGUAGES = ("fr", "ge", "it", "po", "ru")  # SemEval-2023 folders besides en (PTC covers en)
SE23_CHANNELS = np.array([c.startswith(f"{SEMEVAL2023}:") for c in CHANNELS])


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


def load_semeval23(root: Path, lang: str, split: str) -> list[Article]:
    """SemEval-2023 ST3 articles of one language and split with their technique spans."""
    folder = Path(root) / lang
    texts = read_articles(folder / f"{split}-articles-subtask-3")
    span_dir = folder / f"{split}-labels-subtask-3-spans"
    out = []
    for art_id, text in texts.items():
        path = span_dir / f"article{art_id}-labels-subtask-3.txt"
        spans = read_labels(path).get(art_id, []) if path.exists() else []
        out.append(Article(f"{lang}{art_id}", text, {SEMEVAL2023: spans}))
    return out


def load_data(data: Path) -> tuple[list[Article], dict[str, list[Article]]]:
    """Training articles (PTC train with the English 2023 layer; FR/DE/IT/PL/RU train) and the
    dev sets by name (PTC dev; each language's 2023 dev)."""
    data = Path(data)
    se23 = data / "semeval2023-task3"
    train = load_ptc(data / "ptc-semeval2020-task11", "train")
    add_semeval23_layer(train, se23 / "en")
    dev = {"ptc": load_ptc(data / "ptc-semeval2020-task11", "dev")}
    for lang in LANGUAGES:
        train += load_semeval23(se23, lang, "train")
        dev[lang] = load_semeval23(se23, lang, "dev")
    return train, dev


def channel_mask(art: Article) -> np.ndarray:
    mask = np.zeros(len(CHANNELS), dtype=np.float32)
    if PTC2020 in art.spans:
        mask[~SE23_CHANNELS] = 1
    if SEMEVAL2023 in art.spans:
        mask[SE23_CHANNELS] = 1
    return mask


def build_windows(articles: list[Article], tokenizer, cfg: MultiConfig) -> list[tuple]:
    """(ids, token labels, channel mask) per sentence window."""
    out = []
    for art in articles:
        enc = encoder.encode(tokenizer, art.text)
        if len(enc.ids) == 0:
            continue
        labels, mask = token_labels(enc, art), channel_mask(art)
        for w in span_geometry.text_windows(
            art.text, enc, cfg.window, cfg.stride, by_sentence=True
        ):
            out.append((enc.ids[w.lo : w.hi], labels[w.lo : w.hi], mask))
    return out


class _Lengths:
    """Adapter so ``techniques.bucket_by_length`` can read window lengths."""

    def __init__(self, windows: list[tuple]) -> None:
        self.windows = windows

    def __getitem__(self, i: int):
        return type("W", (), {"ids": self.windows[i][0]})


def collate(batch: list[tuple], bos: int, eos: int, pad: int):
    import torch

    n = max(len(ids) for ids, _, _ in batch) + 2
    ids = torch.full((len(batch), n), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), n), dtype=torch.long)
    labels = torch.zeros((len(batch), n, len(CHANNELS)))
    channels = torch.zeros((len(batch), len(CHANNELS)))
    for r, (piece_ids, lab, ch) in enumerate(batch):
        k = len(piece_ids)
        ids[r, 0], ids[r, k + 1] = bos, eos
        ids[r, 1 : k + 1] = torch.from_numpy(piece_ids)
        mask[r, : k + 2] = 1
        labels[r, 1 : k + 1] = torch.from_numpy(lab)
        channels[r] = torch.from_numpy(ch)
    return ids, mask, labels, channels


def make_model(encoder: str):
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
    return Tagger()


def _optimizer(model, cfg: MultiConfig):
    import torch

    groups = []
    for is_head in (False, True):
        for decay in (True, False):
            params = [
                p
                for n, p in model.named_parameters()
                if p.requires_grad
                and n.startswith("encoder.") != is_head
                and n.endswith(("bias", "LayerNorm.weight")) != decay
            ]
            lr = cfg.head_lr if is_head else cfg.lr
            groups.append({"params": params, "lr": lr, "weight_decay": 0.01 if decay else 0.0})
    return torch.optim.AdamW(groups)


def epoch_order(n: int, epoch: int, cfg: MultiConfig, windows: list[tuple]) -> list[int]:
    rng = random.Random(cfg.seed * 1000 + epoch)
    order = list(range(n))
    rng.shuffle(order)
    return bucket_by_length(order, _Lengths(windows), cfg.batch_size, rng)


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
    model = make_model(cfg.encoder)
    if cfg.freeze_embeddings:
        model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    opt = _optimizer(model, cfg)
    per_epoch = math.ceil(len(windows) / cfg.batch_size)
    total = total_steps(len(windows), cfg)
    sched = warmup_linear(opt, total, cfg.warmup)
    step, history = 0, []
    if resume and (out / "last.pt").exists():
        state = torch.load(out / "last.pt", map_location="cpu", weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step, history = state["step"], state["history"]
        log(f"resumed at step {step}")
    pos_weight = torch.full((len(CHANNELS),), cfg.tech_pos_weight)
    pos_weight[0] = cfg.si_pos_weight
    weights = torch.full((len(CHANNELS),), cfg.tech_loss_weight)
    weights[0] = cfg.si_loss_weight
    bce = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")
    log(
        f"{len(train_arts)} articles, {len(windows)} windows, "
        f"{per_epoch} steps/epoch, {total} steps"
    )

    def save(path: Path, payload) -> None:
        tmp = path.with_suffix(".tmp")
        torch.save(payload, tmp)
        tmp.replace(path)

    def progress(**extra) -> None:
        record = {"step": step, "total": total, "time": time.strftime("%H:%M:%S"), **extra}
        (out / "progress.json").write_text(json.dumps(record) + "\n")

    model.train()
    t0, losses = time.time(), []
    for epoch in range(step // per_epoch + 1, cfg.epochs + 1):
        order = epoch_order(len(windows), epoch, cfg, windows)
        first = step - (epoch - 1) * per_epoch
        for b in range(first, per_epoch):
            batch = [windows[i] for i in order[b * cfg.batch_size : (b + 1) * cfg.batch_size]]
            ids, mask, labels, channels = collate(batch, *special)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
                logits, _ = model(ids, mask)
            per = bce(logits.float(), labels) * weights * channels[:, None, :]
            loss = (per.sum(-1) * mask).sum() / mask.sum()
            optimizer_step(model, opt, sched, loss)
            step += 1
            losses.append(loss.item())
            if step % 10 == 0:
                rate = (time.time() - t0) / len(losses)
                progress(epoch=epoch, loss=round(float(np.mean(losses[-50:])), 4),
                         s_per_step=round(rate, 2))  # fmt: skip
            if step % cfg.checkpoint_every == 0:
                save(out / "last.pt", _state(model, opt, sched, step, history, cfg))
                log(f"step {step}/{total} loss {np.mean(losses[-50:]):.4f} (checkpoint)")
            if cfg.max_steps and step >= cfg.max_steps:
                break
        record = {
            "epoch": epoch,
            "step": step,
            "dev": dev_scores(model, dev_sets, tokenizer, cfg, special),
        }
        history.append(record)
        log(json.dumps(record))
        save_checkpoint(model, out, epoch)
        save(out / "last.pt", _state(model, opt, sched, step, history, cfg))
        if cfg.max_steps and step >= cfg.max_steps:
            break
    result = {"config": asdict(cfg), "history": history, "steps": step, "out": str(out)}
    (out / "history.json").write_text(json.dumps(result, indent=1) + "\n")
    return result


def _cached_windows(path: Path, articles: list[Article], tokenizer, cfg: MultiConfig) -> list:
    """The training windows, cached beside the checkpoints (a resume skips ~2 minutes of
    tokenising); the cache is used only for the same encoder, window and articles."""
    import pickle

    key = (cfg.encoder, cfg.window, cfg.stride, len(articles), sum(len(a.text) for a in articles))
    if path.exists():
        with open(path, "rb") as fh:
            cached = pickle.load(fh)
        if cached["key"] == key:
            return cached["windows"]
    windows = build_windows(articles, tokenizer, cfg)
    with open(path, "wb") as fh:
        pickle.dump({"key": key, "windows": windows}, fh)
    return windows


def _state(model, opt, sched, step: int, history: list, cfg: MultiConfig) -> dict:
    return {
        "model": model.state_dict(),
        "opt": opt.state_dict(),
        "sched": sched.state_dict(),
        "step": step,
        "history": history,
        "config": asdict(cfg),
    }
