"""Evaluate a torch tagger on PTC articles with the same windows and decoders as inference."""

from __future__ import annotations

import numpy as np

from spinscope.analysis import encoder, span_geometry
from spinscope.analysis.spans import TokenScores
from spinscope.corpora.ptc import Article
from spinscope.evaluation.tagger import score_ptc


def torch_scores(
    model, text: str, tokenizer, window: int, stride: int, by_sentence: bool = False
) -> TokenScores:
    import torch

    enc = encoder.encode(tokenizer, text)
    if len(enc.ids) == 0:
        return TokenScores(
            text,
            enc,
            np.zeros((0, model.token_head.out_features), np.float32),
            np.zeros((0, model.token_head.in_features), np.float32),
        )
    wins = span_geometry.text_windows(text, enc, window, stride, by_sentence=by_sentence)
    ids, mask = encoder.batch_inputs(enc, wins)
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        logits, hidden = model(torch.from_numpy(ids), torch.from_numpy(mask))
    logits = logits.float().numpy()
    hidden = hidden.float().numpy()
    probs = 1 / (1 + np.exp(-logits))
    p_rows = [probs[r, 1 : w.hi - w.lo + 1] for r, w in enumerate(wins)]
    h_rows = [hidden[r, 1 : w.hi - w.lo + 1] for r, w in enumerate(wins)]
    n = len(enc.ids)
    return TokenScores(
        text,
        enc,
        span_geometry.merge_windows(p_rows, wins, n),
        span_geometry.merge_windows(h_rows, wins, n),
    )


def torch_head(model):
    import torch

    def head(taxonomy: str, feats: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            out = model.span_logits(taxonomy, torch.from_numpy(feats.astype(np.float32)))
        return torch.softmax(out, -1).numpy()

    return head


def evaluate_torch(model, articles: list[Article], tokenizer, cfg) -> dict:
    was_training = model.training
    model.eval()
    scores = [
        torch_scores(model, a.text, tokenizer, cfg.window, cfg.stride, cfg.by_sentence)
        for a in articles
    ]
    result = score_ptc(articles, scores, torch_head(model))
    if was_training:
        model.train()
    return compact(result)


def compact(result: dict) -> dict:
    """Drop per-label detail for the epoch log."""
    out = {k: v for k, v in result.items() if k != "tc" and not k.startswith("full_")}
    out.update(
        {
            k: {m: v[m] for m in ("precision", "recall", "f1")}
            for k, v in result.items()
            if k.startswith("full_")
        }
    )
    out["tc"] = {k: v for k, v in result["tc"].items() if k != "per_label"}
    return out
