"""Private: the static sentence embedder (model2vec distilled from all-MiniLM-L6-v2), loaded once
per process and shared by the analysers that need sentence vectors (claims, framing)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from spinscope.analysis.base import load_once, require_file

if TYPE_CHECKING:
    from model2vec import StaticModel

EMBEDDER_ID = "model2vec distilled from all-MiniLM-L6-v2 (256 dims)"


def embedder_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "claims" / "embedder"


@load_once
def load_embedder() -> StaticModel:
    path = embedder_dir()
    require_file(
        path / "model.safetensors",
        f"The sentence embedder is missing from {path}; reinstall spinscope.",
    )
    return read_static_model(path)


def read_static_model(path: Path) -> StaticModel:
    """A model2vec ``StaticModel`` read from its folder as ``StaticModel.from_pretrained`` reads a
    local one (weights, tokenizer, config), without importing model2vec's persistence module: that
    pulls in huggingface_hub, 0.35 s of a cold start, for downloads we never make."""
    import json

    from model2vec import StaticModel
    from safetensors import safe_open
    from tokenizers import Tokenizer

    with safe_open(str(path / "model.safetensors"), framework="numpy") as tensors:
        names = set(tensors.keys())
        vectors = tensors.get_tensor("embeddings")
        weights = tensors.get_tensor("weights") if "weights" in names else None
        mapping = tensors.get_tensor("mapping") if "mapping" in names else None
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    return StaticModel(
        vectors=vectors,
        tokenizer=Tokenizer.from_file(str(path / "tokenizer.json")),
        config=config,
        normalize=config.get("normalize", False),
        weights=weights,
        token_mapping=mapping,
        max_length=config.get("max_length", 512),
    )


def embedder_sha256() -> str | None:
    """sha256 of the embedder's weights (for provenance records)."""
    from spinscope.analysis.encoder import checksums

    return checksums(embedder_dir(), "model.safetensors").get("model.safetensors")
