"""How far does a fine-tuned MiniLM-L6 (all-MiniLM-L6-v2) get on three English article-level tasks?
A measurement only; nothing is saved but the scores.

    PYTHONUNBUFFERED=1 python3 bench/finetune_probe/probe.py --budget 330   # GPU, ~5.5 min
    .venv/bin/python bench/finetune_probe/probe.py --smoke                  # CPU, 1 step each

Needs runs/finetune_probe/data.json and runs/finetune_probe/minilm/ (from prep.py; carry that
folder to the GPU machine), torch, transformers, scikit-learn.
The metrics are the repo's own (src/ is put on sys.path; those modules need only the stdlib).

a. genre (SemEval-2023 T3 ST1): 5-fold StratifiedKFold CV on 433 articles, macro-F1 of the pooled
   out-of-fold predictions; ours 0.508.
b. roles (SemEval-2025 T10 ST1): main role of a marked mention in a ~250-token window; accuracy on
   EN dev (91 mentions; ours 0.813, always-Antagonist 0.802) and 5-fold GroupKFold CV on train.
c. narratives (SemEval-2025 T10 ST2): multi-label BCE with a gate; samples-F1 on EN dev (41);
   ours fine 0.404, coarse 0.493.

One run per setting with the linear schedule set for its largest epoch count; the scores "after
epoch k" are read during that run (so at k < max the learning rate has not decayed to 0 yet).
Core settings run first; extras (lr 3e-5, head+tail input, more CV splits) only while the
predicted end stays inside --budget seconds. Results go to $OUT/probe.json after every setting.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.model_selection import GroupKFold, StratifiedKFold
from torch import nn

REPO = Path(__file__).resolve().parents[2]
WORK = REPO / "runs" / "finetune_probe"
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import transformers  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402

from spinscope.corpora.semeval25 import NarrativeLabels  # noqa: E402
from spinscope.evaluation.article_labels import genre_macro_f1, narrative_scores  # noqa: E402

MODEL = WORK / "minilm"
GENRES = ("opinion", "reporting", "satire")
ROLES = ("Antagonist", "Protagonist", "Innocent")
OTHER = "Other"
HEAD_LR = 1e-3  # the linear head starts from scratch; the encoder gets --lr
DEV = torch.device("cuda" if torch.cuda.is_available() else "cpu")
T0 = time.perf_counter()


def log(*a):
    print(f"[{time.perf_counter() - T0:6.1f}s]", *a, flush=True)


def set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def autocast():
    if DEV.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


class Net(nn.Module):
    """Encoder + linear head on the mask-aware mean of the last layer ("mean"), or on
    [start-marker state; mean of the mention's states] ("marker")."""

    def __init__(self, base: nn.Module, n_out: int, pool: str = "mean", bias=None):
        super().__init__()
        self.enc, self.pool = copy.deepcopy(base), pool
        h = base.config.hidden_size * (2 if pool == "marker" else 1)
        self.drop, self.head = nn.Dropout(0.1), nn.Linear(h, n_out)
        nn.init.normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)
        if bias is not None:
            self.head.bias.data.copy_(torch.as_tensor(bias, dtype=torch.float32))

    def forward(self, ids, mask, marker=None, span=None):
        hs = self.enc(input_ids=ids, attention_mask=mask).last_hidden_state.float()
        if self.pool == "mean":
            m = mask.unsqueeze(-1).float()
            x = (hs * m).sum(1) / m.sum(1).clamp(min=1)
        else:
            s = span.unsqueeze(-1).float()
            x = torch.cat([hs[torch.arange(len(hs), device=hs.device), marker],
                           (hs * s).sum(1) / s.sum(1).clamp(min=1)], -1)  # fmt: skip
        return self.head(self.drop(x))


def collate(exs: list[dict]) -> dict:
    n = max(len(e["ids"]) for e in exs)
    ids = torch.zeros(len(exs), n, dtype=torch.long)
    mask = torch.zeros(len(exs), n, dtype=torch.long)
    for k, e in enumerate(exs):
        ids[k, : len(e["ids"])] = torch.tensor(e["ids"])
        mask[k, : len(e["ids"])] = 1
    out = {"ids": ids, "mask": mask}
    if "marker" in exs[0]:
        out["marker"] = torch.tensor([e["marker"] for e in exs])
        span = torch.zeros(len(exs), n)
        for k, e in enumerate(exs):
            span[k, e["span"][0] : e["span"][1]] = 1
        out["span"] = span
    return {k: v.to(DEV, non_blocking=True) for k, v in out.items()}


@torch.no_grad()
def predict(net: Net, exs: list[dict], bs: int) -> np.ndarray:
    net.eval()
    order = sorted(range(len(exs)), key=lambda i: len(exs[i]["ids"]))
    out = [None] * len(exs)
    for k in range(0, len(order), bs):
        idx = order[k : k + bs]
        with autocast():
            logits = net(**collate([exs[i] for i in idx])).float().cpu().numpy()
        for i, row in zip(idx, logits, strict=True):
            out[i] = row
    net.train()
    return np.stack(out)


def fit(ctx, train, evals, n_out, loss_fn, epochs, eval_at, lr, seed, bs, pool="mean", bias=None):
    """Fine-tune on ``train``; at each epoch in ``eval_at`` the logits of every set in ``evals``."""
    set_seed(seed)
    net = Net(ctx.base, n_out, pool, bias).to(DEV)
    per_epoch = 1 if ctx.smoke else math.ceil(len(train) / bs)
    steps, warm = epochs * per_epoch, max(1, round(0.1 * epochs * per_epoch))
    opt = torch.optim.AdamW([{"params": net.enc.parameters(), "lr": lr},
                             {"params": net.head.parameters(), "lr": HEAD_LR}],
                            weight_decay=0.01)  # fmt: skip
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    gen = torch.Generator().manual_seed(seed)
    out = {}
    for ep in range(1, epochs + 1):
        for idx in torch.randperm(len(train), generator=gen).split(bs)[:per_epoch]:
            batch = collate([train[i] for i in idx.tolist()])
            y = torch.as_tensor(np.stack([train[i]["y"] for i in idx.tolist()])).to(DEV)
            with autocast():
                logits = net(**batch)
            loss = loss_fn(logits.float(), y)
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
        if ep in eval_at:
            out[ep] = [predict(net, ex, 2 * bs) for ex in evals]
    return out


def balanced(y: np.ndarray, k: int) -> torch.Tensor:
    counts = np.bincount(y, minlength=k).astype(float)
    w = np.where(counts > 0, len(y) / (k * np.maximum(counts, 1)), 0.0)
    return torch.tensor(w, dtype=torch.float32, device=DEV)


def tokens(ctx, texts: list[str], offsets: bool = False):
    enc = ctx.tok(texts, add_special_tokens=False, return_offsets_mapping=offsets)
    return (enc["input_ids"], enc["offset_mapping"]) if offsets else enc["input_ids"]


def article_ids(ctx, toks: list[int], mode: str) -> list[int]:
    n = ctx.max_len - 2
    if mode == "headtail" and len(toks) > n:
        toks = toks[: n // 2] + toks[len(toks) - (n - n // 2) :]
    return [ctx.tok.cls_token_id, *toks[:n], ctx.tok.sep_token_id]


# ---------------------------------------------------------------- a. genre


def genre(ctx, mode: str, lr: float, split_seed: int = 0) -> dict:
    d = ctx.data["genre"]
    y = np.array([GENRES.index(g) for g in d["labels"]])
    exs = [
        {"ids": article_ids(ctx, t, mode), "y": int(c)}
        for t, c in zip(ctx.genre_toks, y, strict=True)
    ]
    eval_at = ctx.ep((3, 5, 8))
    oof = {ep: np.zeros(len(exs), dtype=int) for ep in eval_at}
    folds = StratifiedKFold(5, shuffle=True, random_state=split_seed).split(np.zeros(len(y)), y)
    for f, (tr, te) in enumerate(folds):
        w = balanced(y[tr], 3)
        res = fit(ctx, [exs[i] for i in tr], [[exs[i] for i in te]], 3,
                  lambda lo, t, w=w: F.cross_entropy(lo, t, weight=w),
                  max(eval_at), eval_at, lr, seed=f, bs=16)  # fmt: skip
        for ep, (logits,) in res.items():
            oof[ep][te] = logits.argmax(1)
    gold = {i: g for i, g in zip(d["ids"], d["labels"], strict=True)}
    out = {}
    for ep in eval_at:
        s = genre_macro_f1(gold, {i: GENRES[c] for i, c in zip(d["ids"], oof[ep], strict=True)})
        out[ep] = {"macro_f1": round(s["macro_f1"], 4), "accuracy": round(s["micro_f1"], 4),
                   **{f"f1_{g}": round(s["per_class"][g]["f1"], 4) for g in GENRES}}  # fmt: skip
        log(f"  genre {mode} lr={lr:g} split={split_seed} epoch {ep}: {out[ep]}")
    return out


# ---------------------------------------------------------------- b. roles


def role_examples(ctx, split: str) -> list[dict]:
    d = ctx.data["roles"][split]
    names = list(d["docs"])
    all_ids, all_offs = tokens(ctx, [d["docs"][n] for n in names], offsets=True)
    toks = {n: (i, o) for n, i, o in zip(names, all_ids, all_offs, strict=True)}
    m0, m1 = ctx.tok.convert_tokens_to_ids(["[unused0]", "[unused1]"])
    budget = ctx.window
    out = []
    for doc, start, end, role, _ in d["mentions"]:
        ids, offs = toks[doc]
        a = next((k for k, (s, e) in enumerate(offs) if e > start), len(ids) - 1)
        b = next((k for k, (s, e) in enumerate(offs) if s >= end), len(ids))
        b = min(max(b, a + 1), a + 30)  # at least one, at most 30 mention tokens
        room = budget - (b - a)
        left = max(room // 2, room - (len(ids) - b))  # give unused right room to the left
        lo = max(0, a - left)
        hi = min(len(ids), b + room - (a - lo))
        cls, sep = ctx.tok.cls_token_id, ctx.tok.sep_token_id
        seq = [cls, *ids[lo:a], m0, *ids[a:b], m1, *ids[b:hi], sep]
        marker = 1 + a - lo
        out.append({"ids": seq, "marker": marker, "span": (marker + 1, marker + 1 + b - a),
                    "y": ROLES.index(role), "doc": doc})  # fmt: skip
    return out


def roles(ctx, lr: float) -> dict:
    train, dev = ctx.roles_train, ctx.roles_dev
    y = np.array([e["y"] for e in train])
    ydev = np.array([e["y"] for e in dev])
    eval_at = ctx.ep(range(1, 9))

    def run(tr, evals, seed):
        w = balanced(np.array([e["y"] for e in tr]), 3)
        return fit(ctx, tr, evals, 3, lambda lo, t: F.cross_entropy(lo, t, weight=w),
                   max(eval_at), eval_at, lr, seed, bs=32, pool="marker")  # fmt: skip

    out = {"dev_always_antagonist": round(float((ydev == 0).mean()), 4),
           "cv_always_antagonist": round(float((y == 0).mean()), 4), "dev": {}}  # fmt: skip
    for seed in ctx.seeds:
        res = run(train, [dev], seed)
        out["dev"][seed] = {ep: round(float((lo.argmax(1) == ydev).mean()), 4)
                            for ep, (lo,) in res.items()}  # fmt: skip
        log(f"  roles lr={lr:g} seed {seed} DEV accuracy by epoch: {out['dev'][seed]}")
    out["dev_mean"] = {ep: round(float(np.mean([out["dev"][s][ep] for s in ctx.seeds])), 4)
                       for ep in eval_at}  # fmt: skip
    log(f"  roles lr={lr:g} DEV accuracy, mean of {len(ctx.seeds)} seeds: {out['dev_mean']}")
    oof = {ep: np.zeros(len(train), dtype=int) for ep in eval_at}
    groups = [e["doc"] for e in train]
    for tr, te in GroupKFold(5).split(np.zeros(len(y)), y, groups):
        res = run([train[i] for i in tr], [[train[i] for i in te]], 0)
        for ep, (lo,) in res.items():
            oof[ep][te] = lo.argmax(1)
    out["cv_train"] = {ep: round(float((oof[ep] == y).mean()), 4) for ep in eval_at}
    log(f"  roles lr={lr:g} 5-fold GroupKFold CV accuracy on TRAIN by epoch: {out['cv_train']}")
    return out


# ---------------------------------------------------------------- c. narratives


def decide(pg: float, pn, ps, narrs, subs, t: float) -> NarrativeLabels:
    """The repo's rule (spinscope.training.narratives._decide) with gate 0.5 and threshold t."""
    if pg < 0.5 or not narrs:
        return NarrativeLabels((OTHER,), (OTHER,))
    chosen = [n for n, p in zip(narrs, pn, strict=True) if p >= t] or [narrs[int(np.argmax(pn))]]
    out = []
    for n in chosen:
        mine = [s for s, p in zip(subs, ps, strict=True) if p >= t and s.startswith(n + ": ")]
        out += mine or [f"{n}: {OTHER}"]
    return NarrativeLabels(tuple(chosen), tuple(out))


def narratives(ctx, lr: float) -> dict:
    tr, dv = ctx.data["narratives"]["train"], ctx.data["narratives"]["dev"]

    def names(sets):  # labels with >= 2 training articles, as ours
        counts = {}
        for s in sets:
            for x in set(s) - {OTHER}:
                counts[x] = counts.get(x, 0) + 1
        return sorted(x for x, c in counts.items() if c >= 2)

    narrs, subs = names(tr["narratives"]), names(tr["subnarratives"])

    def target(n, s):
        return np.array([n != [OTHER], *[x in n for x in narrs], *[x in s for x in subs]],
                        dtype=np.float32)  # fmt: skip

    train = [
        {"ids": article_ids(ctx, t, "head"), "y": target(n, s)}
        for t, n, s in zip(
            ctx.narr_toks["train"], tr["narratives"], tr["subnarratives"], strict=True
        )
    ]
    dev = [{"ids": article_ids(ctx, t, "head")} for t in ctx.narr_toks["dev"]]
    prior = np.clip(np.stack([e["y"] for e in train]).mean(0), 1e-3, 1 - 1e-3)
    gold = {
        i: NarrativeLabels(tuple(n), tuple(s))
        for i, n, s in zip(dv["ids"], dv["narratives"], dv["subnarratives"], strict=True)
    }
    eval_at = ctx.ep((5, 10, 15, 20))
    out = {"labels": {"narratives": len(narrs), "subnarratives": len(subs)}, "dev": {}}
    for seed in ctx.seeds:
        res = fit(ctx, train, [dev], 1 + len(narrs) + len(subs),
                  lambda lo, t: F.binary_cross_entropy_with_logits(lo, t), max(eval_at),
                  eval_at, lr, seed, bs=16, bias=np.log(prior / (1 - prior)))  # fmt: skip
        out["dev"][seed] = {}
        for ep, (lo,) in res.items():
            p = 1 / (1 + np.exp(-lo))
            row = {}
            for t in (0.5, 0.3):
                pred = {i: decide(q[0], q[1 : 1 + len(narrs)], q[1 + len(narrs) :], narrs, subs, t)
                        for i, q in zip(dv["ids"], p, strict=True)}  # fmt: skip
                s = narrative_scores(gold, pred)
                row[f"t{t}"] = {"fine": round(s["fine"]["f1"], 4),
                                "coarse": round(s["coarse"]["f1"], 4)}  # fmt: skip
            out["dev"][seed][ep] = row
            log(f"  narratives lr={lr:g} seed {seed} epoch {ep} DEV samples-F1: {row}")
    out["dev_mean"] = {
        ep: {t: {lv: round(float(np.mean([out["dev"][s][ep][t][lv] for s in ctx.seeds])), 4)
                 for lv in ("fine", "coarse")} for t in ("t0.5", "t0.3")}
        for ep in eval_at}  # fmt: skip
    log(f"  narratives lr={lr:g} DEV mean of {len(ctx.seeds)} seeds: {out['dev_mean']}")
    return out


# ---------------------------------------------------------------- driver


class Ctx:
    def __init__(self, args):
        self.smoke, self.max_len = args.smoke, 128 if args.smoke else 512
        self.window = 60 if args.smoke else 250
        self.seeds = [0] if args.smoke else [0, 1, 2]
        self.data = json.loads((WORK / "data.json").read_text(encoding="utf-8"))
        if self.smoke:
            self._shrink()
        transformers.logging.set_verbosity_error()
        self.tok = AutoTokenizer.from_pretrained(MODEL)
        # the weights are stored in fp16; train in fp32 master weights with bf16 autocast
        self.base = AutoModel.from_pretrained(MODEL, add_pooling_layer=False).float()
        self.genre_toks = tokens(self, self.data["genre"]["texts"])
        self.narr_toks = {s: tokens(self, self.data["narratives"][s]["texts"])
                          for s in ("train", "dev")}  # fmt: skip
        self.roles_train, self.roles_dev = role_examples(self, "train"), role_examples(self, "dev")

    def ep(self, epochs):
        return (1,) if self.smoke else tuple(epochs)

    def _shrink(self):
        g = self.data["genre"]
        keep = [k for c in GENRES for k in [i for i, x in enumerate(g["labels"]) if x == c][:5]]
        self.data["genre"] = {k: [v[i] for i in keep] for k, v in g.items()}
        for s, n in (("train", 12), ("dev", 6)):
            d = self.data["narratives"][s]
            self.data["narratives"][s] = {k: v[:n] for k, v in d.items()}
            r = self.data["roles"][s]
            docs = list(r["docs"])[: 6 if s == "train" else 2]
            r["mentions"] = [m for d in docs for m in [x for x in r["mentions"] if x[0] == d][:4]]
            r["docs"] = {d: r["docs"][d] for d in docs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true", help="CPU check: few examples, 1 step")
    ap.add_argument("--budget", type=float, default=390, help="no extra starts past this (s)")
    args = ap.parse_args()
    if args.smoke:
        torch.set_num_threads(1)
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    out_dir = Path(os.environ.get("OUT") or WORK / "out")
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = Ctx(args)
    dev_name = torch.cuda.get_device_name() if DEV.type == "cuda" else "cpu"
    results = {"env": {"device": dev_name, "torch": torch.__version__,
                       "transformers": transformers.__version__, "smoke": args.smoke,
                       "head_lr": HEAD_LR, "max_len": ctx.max_len, "role_window": ctx.window},
               "ours": {"genre_macro_f1": 0.508, "roles_dev_acc": 0.813,
                        "narratives_dev": {"fine": 0.404, "coarse": 0.493}},
               "genre": {}, "roles": {}, "narratives": {},
               "seconds": {}, "skipped": []}  # fmt: skip
    log(
        f"device {dev_name}; genre {len(ctx.genre_toks)} articles, roles {len(ctx.roles_train)} "
        f"train / {len(ctx.roles_dev)} dev mentions, narratives {len(ctx.narr_toks['train'])} "
        f"train / {len(ctx.narr_toks['dev'])} dev"
    )

    def save():
        (out_dir / "probe.json").write_text(json.dumps(results, indent=1) + "\n")

    def job(task, key, fn, *a, like=None):
        est = results["seconds"].get(like, 0.0)
        if like and time.perf_counter() - T0 + est > args.budget:
            results["skipped"].append(f"{task}/{key}")
            log(f"SKIP {task}/{key} (would pass the {args.budget:.0f}s budget)")
            return
        log(f"== {task} {key}")
        t = time.perf_counter()
        results[task][key] = fn(ctx, *a)
        results["seconds"][f"{task}/{key}"] = round(time.perf_counter() - t, 1)
        log(f"== {task} {key} done in {time.perf_counter() - t:.1f}s")
        save()

    # core settings
    job("genre", "head512_lr5e-05_split0", genre, "head", 5e-5, 0)
    job("roles", "lr5e-05", roles, 5e-5)
    job("narratives", "lr5e-05", narratives, 5e-5)
    # extras, while time allows (estimated by the matching core setting)
    g = "genre/head512_lr5e-05_split0"
    job("genre", "headtail_lr5e-05_split0", genre, "headtail", 5e-5, 0, like=g)
    job("genre", "head512_lr3e-05_split0", genre, "head", 3e-5, 0, like=g)
    job("narratives", "lr3e-05", narratives, 3e-5, like="narratives/lr5e-05")
    job("roles", "lr3e-05", roles, 3e-5, like="roles/lr5e-05")
    for split in (1, 2, 3, 4):  # more CV splits (ours is a mean over 5)
        for mode in ("head", "headtail"):
            name = "head512" if mode == "head" else mode
            job("genre", f"{name}_lr5e-05_split{split}", genre, mode, 5e-5, split, like=g)
    results["seconds"]["total"] = round(time.perf_counter() - T0, 1)
    save()
    log(f"all done; results in {out_dir / 'probe.json'}")


if __name__ == "__main__":
    main()
