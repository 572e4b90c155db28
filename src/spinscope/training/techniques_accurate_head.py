"""Training the accurate tagger's token head (``training.techniques_accurate``): the frozen
encoder's int8 features of each article, cached by the caller, and a small head trained on them
(LayerNorm, 1,536 -> 384 -> 38 channels) whose best epoch on dev is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from spinscope.training.techniques_accurate import FEATURES, SPECIAL_IDS


def extract(encoder_int8: Path, tokenizer_path: Path, articles: list, *, log=print) -> list[dict]:
    """Per article, the encoder's int8 features of every word piece (float16) and its gold
    channels; windows as the tagger reads them (one a sentence, at most 128 word pieces)."""
    from spinscope.analysis import encoder, span_geometry
    from spinscope.training.techniques_data import token_labels

    session = encoder.session(str(encoder_int8))
    tokenizer = encoder.load_tokenizer(str(tokenizer_path))
    out = []
    for k, art in enumerate(articles):
        enc = encoder.encode(tokenizer, art.text)
        wins = (
            span_geometry.text_windows(art.text, enc, 128, 96, by_sentence=True)
            if len(enc.ids)
            else []
        )
        rows = []
        for b in range(0, len(wins), 16):
            chunk = wins[b : b + 16]
            ids, mask = encoder.batch_inputs(enc, chunk, SPECIAL_IDS)
            feats = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            rows += [feats[r, 1 : w.hi - w.lo + 1] for r, w in enumerate(chunk)]
        merged = (
            span_geometry.merge_windows(rows, wins, len(enc.ids))
            if rows
            else np.zeros((0, FEATURES), np.float32)
        )
        out.append({"f": merged.astype(np.float16), "y": token_labels(enc, art)})
        if k % 25 == 0:
            log(f"features: article {k + 1} of {len(articles)}")
    return out


def _head_epoch(head, opt, sched, x, y, positive, weight, batch: int) -> None:
    """One epoch of the head over shuffled full batches of the frozen features."""
    import torch
    from torch import nn

    head.train()
    order = torch.randperm(len(x))
    for b in range(0, len(x) - batch + 1, batch):
        i = order[b : b + batch]
        loss = nn.functional.binary_cross_entropy_with_logits(
            head(x[i]), y[i], pos_weight=positive, reduction="none"
        )
        opt.zero_grad()
        (loss * weight).sum(1).mean().backward()
        opt.step()
        sched.step()


def _dev_f1(head, xd, yd: np.ndarray) -> list[float]:
    """Dev token F1 at 0.5 of the "any" channel and of the technique channels together."""
    import torch

    head.eval()
    with torch.no_grad():
        pred = torch.sigmoid(head(xd)).numpy() > 0.5
    return [
        float(2 * (p & g).sum() / max(1, p.sum() + g.sum()))
        for p, g in ((pred[:, 0], yd[:, 0]), (pred[:, 1:], yd[:, 1:]))
    ]


def _head_arrays(state: dict) -> dict[str, np.ndarray]:
    """The head's weights under the names the runtime reads (linear layers transposed)."""
    sd = {k: v.numpy() for k, v in state.items()}
    arrays = {
        "ln_w": sd["0.weight"], "ln_b": sd["0.bias"], "w1": sd["2.weight"].T, "b1": sd["2.bias"],
        "w2": sd["5.weight"].T, "b2": sd["5.bias"],
    }  # fmt: skip
    return {k: np.ascontiguousarray(v, np.float32) for k, v in arrays.items()}


def train_head(
    train: list[dict],
    dev: list[dict],
    *,
    hidden: int = 384,
    epochs: int = 8,
    lr: float = 1e-3,
    seed: int = 13,
    log=print,
) -> tuple[dict[str, np.ndarray], list[dict]]:
    """The token head on frozen features: BCE per channel ("any" weighted 3, each technique 0.3,
    positives 2), AdamW with a one-cycle schedule. Returns the epoch with the best dev F1 of the
    "any" channel (the one spans come from) and the history."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    x = torch.from_numpy(np.concatenate([a["f"] for a in train]).astype(np.float32))
    y = torch.from_numpy(np.concatenate([a["y"] for a in train]))
    xd = torch.from_numpy(np.concatenate([a["f"] for a in dev]).astype(np.float32))
    yd = np.concatenate([a["y"] for a in dev]) > 0.5
    channels = y.shape[1]
    head = nn.Sequential(
        nn.LayerNorm(x.shape[1]), nn.Dropout(0.1), nn.Linear(x.shape[1], hidden), nn.GELU(),
        nn.Dropout(0.1), nn.Linear(hidden, channels),
    )  # fmt: skip
    weight = torch.full((channels,), 0.3)
    weight[0] = 3.0
    positive = torch.full((channels,), 2.0)
    batch = 512
    opt = torch.optim.AdamW(head.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=lr, total_steps=epochs * (len(x) // batch), pct_start=0.1
    )
    history: list[dict[str, Any]] = []
    best: tuple[float, Any] = (-1.0, None)
    for epoch in range(1, epochs + 1):
        _head_epoch(head, opt, sched, x, y, positive, weight, batch)
        f1 = _dev_f1(head, xd, yd)
        history.append(
            {"epoch": epoch, "dev_token_f1_any": f1[0], "dev_token_f1_techniques": f1[1]}
        )
        log(f"epoch {epoch}: dev token F1 any {f1[0]:.4f}, techniques {f1[1]:.4f}")
        if f1[0] > best[0]:
            best = (f1[0], {k: v.detach().clone() for k, v in head.state_dict().items()})
    return _head_arrays(best[1]), history
