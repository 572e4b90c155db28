"""Private: the static sentence embedder (model2vec distilled from all-MiniLM-L6-v2), loaded once
per process and shared by the analysers that need sentence vectors (claims, framing)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from spinscope.analysis.base import load_once, require_file
from spinscope.errors import ModelError

EMBEDDER_ID = "model2vec distilled from all-MiniLM-L6-v2 (256 dims)"


def embedder_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "claims" / "embedder"


class SentenceEmbedder(Protocol):
    """What the analysers call: one vector per sentence (a 1-D vector for a lone string)."""

    def encode(self, sentences: str | Sequence[str]) -> np.ndarray: ...


@load_once
def load_embedder() -> SentenceEmbedder:
    path = embedder_dir()
    require_file(
        path / "model.safetensors",
        f"The sentence embedder is missing from {path}; reinstall spinscope.",
    )
    return read_static_model(path)


def read_static_model(path: Path) -> SentenceEmbedder:
    """The model2vec model in ``path``, read as ``StaticModel.from_pretrained`` reads a local one
    (weights, tokenizer, config), without model2vec's persistence module (huggingface_hub, 0.35 s
    of a cold start). A model without token weights or mapping (the shipped one) is a
    ``StaticEmbedder``; another one a model2vec ``StaticModel``."""
    import json

    from safetensors import safe_open

    from spinscope.analysis.encoder import read_tokenizer

    with safe_open(str(path / "model.safetensors"), framework="numpy") as tensors:
        names = set(tensors.keys())
        rows = (
            None
            if names - {"embeddings"}
            else _safetensor_rows(path / "model.safetensors", "embeddings")
        )
        vectors = tensors.get_tensor("embeddings") if rows is None else None
        weights = tensors.get_tensor("weights") if "weights" in names else None
        mapping = tensors.get_tensor("mapping") if "mapping" in names else None
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    tokenizer = read_tokenizer(path / "tokenizer.json")
    normalize, max_length = config.get("normalize", False), config.get("max_length", 512)
    if rows is not None or (weights is None and mapping is None):
        table = rows if rows is not None else vectors
        return StaticEmbedder(table, tokenizer, normalize=normalize, max_length=max_length)
    from model2vec import StaticModel

    assert vectors is not None  # read above wherever rows is None
    model: SentenceEmbedder = StaticModel(
        vectors=vectors,
        tokenizer=tokenizer,
        config=config,
        normalize=normalize,
        weights=weights,
        token_mapping=mapping,
        max_length=max_length,
    )
    return model


class StaticEmbedder:
    """model2vec's ``StaticModel.encode`` for a model without token weights or mapping, bit for bit
    (tokens, truncation, unknown tokens dropped, mean of the rows by length bucket, unit length;
    the test compares it with model2vec), without importing model2vec: its module imports joblib
    and tqdm (15 MB and 70 ms of a cold start) for multiprocessing and progress bars this never
    uses (one thread, batches of ``BATCH``), and it keeps a deep copy of the tokenizer."""

    BATCH = 1024  # sentences per tokenizer call, as model2vec's ``encode`` batches them

    def __init__(self, vectors: Any, tokenizer: Any, *, normalize: bool, max_length: int):
        """``vectors``: an array, or a ``_model_cache.RowFile`` (the same rows, read as indexed)."""
        vocab = tokenizer.get_vocab()
        if len(vectors) != len(vocab):
            raise ModelError(
                f"The sentence embedder has {len(vectors)} vectors, {len(vocab)} tokens."
            )
        self.embedding, self.tokenizer = vectors, tokenizer
        self.normalize, self.max_length = bool(normalize), int(max_length)
        self.median_token_length = int(np.median([len(token) for token in vocab]))
        padding = tokenizer.padding  # never pad (as model2vec), keeping the pad token
        if padding is not None:
            tokenizer.enable_padding(
                pad_id=padding["pad_id"],
                pad_token=padding["pad_token"],
                pad_type_id=padding["pad_type_id"],
                length=0,
            )
        tokenizer.enable_truncation(self.max_length)
        self.unk_token_id = _unk_token_id(tokenizer)

    @property
    def dim(self) -> int:
        return int(self.embedding.shape[1])

    def encode(self, sentences: str | Sequence[str]) -> np.ndarray:
        single = isinstance(sentences, str)
        chars = self.max_length * self.median_token_length
        texts = [s[:chars] for s in ([sentences] if isinstance(sentences, str) else sentences)]
        batches = [texts[i : i + self.BATCH] for i in range(0, len(texts), self.BATCH)]
        out = np.concatenate([self._encode_batch(batch) for batch in batches], axis=0)
        return out[0] if single else out

    def _encode_batch(self, sentences: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch_fast(sentences, add_special_tokens=False)
        ids = [[t for t in e.ids if t != self.unk_token_id] for e in encodings]
        dtype = np.dtype(np.float32) if self.embedding.dtype == np.int8 else self.embedding.dtype
        out = np.zeros((len(ids), self.dim), dtype=dtype)
        buckets: dict[int, list[int]] = {}
        for i, id_list in enumerate(ids):
            if id_list:
                buckets.setdefault(len(id_list), []).append(i)
        # the distinct rows read in one go (one read of the table, not one a bucket), then looked
        # up: the same rows, so the same means
        distinct = np.unique(np.fromiter((t for row in ids for t in row), dtype=np.int64))
        rows = self.embedding[distinct] if distinct.size else None
        for indices in buckets.values():
            id_matrix = np.array([ids[i] for i in indices], dtype=np.int64)
            assert rows is not None  # a bucket holds a sentence with ids
            out[indices] = rows[np.searchsorted(distinct, id_matrix)].mean(axis=1)
        if not self.normalize:
            return out
        out32 = out.astype(np.float32)
        norm = np.linalg.norm(out32, axis=1, keepdims=True) + 1e-32
        normalised: np.ndarray = (out32 / norm).astype(out.dtype)
        return normalised


_SAFETENSORS_DTYPES = {"I8": "i1", "U8": "u1", "F16": "<f2", "F32": "<f4", "F64": "<f8"}


def _safetensor_rows(path: Path, name: str) -> Any:
    """The rows of the 2-D tensor ``name`` in the safetensors file ``path``, read from the file
    as they are indexed (``_model_cache.RowFile``): a text reads a few hundred of the embedder's
    29,525 rows, so its 7.5 MB table is not held in memory. None where the header does not
    describe a plain 2-D tensor of a known type."""
    import json

    from spinscope.analysis._model_cache import RowFile

    try:
        with open(path, "rb") as fh:
            size = int.from_bytes(fh.read(8), "little")
            info = json.loads(fh.read(size))[name]
        shape, (start, end) = info["shape"], info["data_offsets"]
        dtype = np.dtype(_SAFETENSORS_DTYPES[info["dtype"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if len(shape) != 2 or end - start != shape[0] * shape[1] * dtype.itemsize:
        return None
    return RowFile(path, (int(shape[0]), int(shape[1])), dtype, 8 + size + int(start))


def _unk_token_id(tokenizer: Any) -> int | None:
    """The unknown token's id, which ``encode`` drops (as model2vec: word-level models)."""
    import json

    model = tokenizer.model
    if hasattr(model, "unk_token"):  # WordPiece, BPE, word level
        return None if model.unk_token is None else tokenizer.token_to_id(model.unk_token)
    unk: int | None = json.loads(tokenizer.to_str())["model"].get("unk_id")  # Unigram
    return unk


def embedder_sha256() -> str | None:
    """sha256 of the embedder's weights (for provenance records)."""
    from spinscope.analysis.encoder import checksums

    return checksums(embedder_dir(), "model.safetensors").get("model.safetensors")
