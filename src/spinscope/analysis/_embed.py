"""Private: the static sentence embedder (model2vec distilled from all-MiniLM-L6-v2), loaded once
per process and shared by the analysers that need sentence vectors (claims, framing)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spinscope.errors import ModelError

EMBEDDER_ID = "model2vec distilled from all-MiniLM-L6-v2 (256 dims)"


def embedder_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "claims" / "embedder"


@lru_cache(maxsize=1)
def load_embedder():
    path = embedder_dir()
    if not (path / "model.safetensors").exists():
        raise ModelError(f"The sentence embedder is missing from {path}; reinstall spinscope.")
    from model2vec import StaticModel

    return StaticModel.from_pretrained(str(path))


def embedder_sha256() -> str | None:
    """sha256 of the embedder's weights (for provenance records)."""
    from spinscope.analysis._onnx import checksums

    return checksums(embedder_dir(), "model.safetensors").get("model.safetensors")
