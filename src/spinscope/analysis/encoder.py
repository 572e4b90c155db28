"""Public: the ONNX encoder's inputs and sessions: tokenizer loading, word pieces with their
character offsets, encoder calls grouped by length, ``input_ids``/``attention_mask`` for windows
of a text, onnxruntime sessions (one shared memory arena, tensors shared between models), and
file checksums for provenance records.

Where a text is cut into windows and how token scores map back onto characters is
``span_geometry``'s.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spinscope.analysis.base import require_file
from spinscope.errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

CLS_ID = 101
SEP_ID = 102
PAD_ID = 0


@dataclass(frozen=True)
class Encoded:
    """A text's word pieces (no special tokens) with their character offsets."""

    ids: np.ndarray  # (n,) int64
    offsets: np.ndarray  # (n, 2) int64, [start, end) into the text


@dataclass(frozen=True)
class Window:
    """A slice ``[lo, hi)`` of an Encoded text, fed to the encoder as ``[CLS] ... [SEP]``."""

    lo: int
    hi: int


@lru_cache(maxsize=8)
def load_tokenizer(path: str) -> Tokenizer:
    """The tokenizer in ``path``, without truncation or padding. Files with the same bytes give
    the same object (the tagger's and the check-worthiness model's are one file copied: 9 MB
    each once loaded), so no caller may change its settings."""

    require_file(path, f"Tokenizer file {path} is missing; reinstall spinscope or retrain.")
    digest = model_sha256(path)
    with _TOKENIZERS_LOCK:
        tok = _TOKENIZERS.get(digest)
        if tok is None:
            tok = read_tokenizer(path)
            tok.no_truncation()
            tok.no_padding()
            _TOKENIZERS[digest] = tok
    return tok


def read_tokenizer(path: str | Path) -> Tokenizer:
    """The tokenizer file at ``path``, or a ModelError naming it: a corrupt file was a
    traceback ("Exception: Model missing. at line 1 column 17") from the tokenizers library."""
    from tokenizers import Tokenizer

    try:
        return Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises a bare Exception for any file it cannot parse
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(
            f"{path} is not a tokenizer file ({reason}); replace the model folder (reinstall "
            "spinscope, or train or build it again)."
        ) from None


_TOKENIZERS: dict[str, Tokenizer] = {}  # by the sha256 of the file's bytes
_TOKENIZERS_LOCK = threading.Lock()


def encode(tokenizer: Tokenizer, text: str) -> Encoded:
    """Word pieces of ``text`` with character offsets into ``text`` (code points)."""
    enc = tokenizer.encode(text, add_special_tokens=False)
    ids = np.asarray(enc.ids, dtype=np.int64)
    offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
    return Encoded(ids, offsets)


BATCH_OVERHEAD_TOKENS = 32  # what one more encoder call costs, in padded tokens' worth of time


def length_batches(
    lengths: list[int], max_rows: int, overhead: int = BATCH_OVERHEAD_TOKENS
) -> list[list[int]]:
    """Indices of sequences of the given lengths (word pieces, specials included) grouped into
    encoder calls of at most ``max_rows`` rows, longest first, so that the padded tokens plus
    ``overhead`` per call are fewest: one article's 37 windows of 10 to 90 word pieces become a
    few calls of like lengths, not 16 + 16 + 5 rows padded to each call's longest.

    The grouping is exact (dynamic programming over the sorted lengths: a call is a run of
    them, costing ``overhead + rows × its longest``). Ties keep their input order."""
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, got {max_rows}")
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    width = [lengths[i] for i in order]
    n = len(order)
    best = [0] + [0] * n
    start = [0] * (n + 1)
    for j in range(1, n + 1):
        best[j], start[j] = min(
            (best[i] + overhead + (j - i) * width[i], i) for i in range(max(0, j - max_rows), j)
        )
    out = []
    j = n
    while j > 0:
        out.append(order[start[j] : j])
        j = start[j]
    return out[::-1]


def batch_inputs(
    enc: Encoded, wins: list[Window], special_ids: dict[str, int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``input_ids`` and ``attention_mask`` (batch, max_len) for windows of one text;
    ``special_ids`` overrides BERT's ``cls``, ``sep`` and ``pad`` ids (MPNet: 0, 2, 1)."""
    special = {"cls": CLS_ID, "sep": SEP_ID, "pad": PAD_ID, **(special_ids or {})}
    max_len = max(w.hi - w.lo for w in wins) + 2
    ids = np.full((len(wins), max_len), special["pad"], dtype=np.int64)
    mask = np.zeros((len(wins), max_len), dtype=np.int64)
    for row, w in enumerate(wins):
        n = w.hi - w.lo
        ids[row, 0] = special["cls"]
        ids[row, 1 : n + 1] = enc.ids[w.lo : w.hi]
        ids[row, n + 1] = special["sep"]
        mask[row, : n + 2] = 1
    return ids, mask


SHARED_SUFFIX = ".shared.json"


def shared_sidecar(path: str | Path) -> Path:
    """Where a model names the tensors it shares with other models:
    ``tagger.int8.onnx`` -> ``tagger.int8.shared.json``."""
    return Path(path).with_suffix(SHARED_SUFFIX)


@lru_cache(maxsize=4)
def _shared_tensor(path: str, sha256: str) -> np.ndarray:
    """A tensor stored once for several models (read once per process, checked by sha256)."""
    require_file(path, f"Shared model file {path} is missing; reinstall spinscope.")
    if model_sha256(path) != sha256:
        raise ModelError(
            f"Shared model file {path} does not match the models that use it; reinstall spinscope."
        )
    tensor: np.ndarray = np.load(path, allow_pickle=False)
    return tensor


_ARENA_REGISTERED = False


def _shared_arena(ort: Any) -> None:  # ort: the onnxruntime module (no stubs)
    """One CPU memory arena for all of this process's sessions, registered once.

    Each session would otherwise keep its own arena, grown to its largest input; sharing one
    cut a process's peak memory from 750 to 534 MB at the same speed (``bench/ort_arena.py``).
    """
    global _ARENA_REGISTERED
    if _ARENA_REGISTERED:
        return
    info = ort.OrtMemoryInfo(
        "Cpu", ort.OrtAllocatorType.ORT_ARENA_ALLOCATOR, 0, ort.OrtMemType.DEFAULT
    )
    try:
        ort.create_and_register_allocator(info, ort.OrtArenaCfg(0, 0, -1, -1))
    except Exception:  # noqa: BLE001 -- already registered (by the embedding application)
        pass
    _ARENA_REGISTERED = True


def model_threads() -> int | None:
    """The threads this process's models may use: ``SPINSCOPE_THREADS`` where set to a number
    over 0 (batch and server workers set it to their share of the cores), else None: the
    libraries' defaults (onnxruntime: every core; e5: ``story_e5._threads``). The one reader of
    the variable."""
    return int(os.environ.get("SPINSCOPE_THREADS", "") or 0) or None


def session(path: str) -> Any:  # an onnxruntime.InferenceSession (onnxruntime has no stubs)
    """An onnxruntime session on ``path`` using the configured number of threads.

    All sessions of a process share one memory arena (``_shared_arena``). Idle threads do not
    spin (``SPINSCOPE_ONNX_SPIN=1`` lets them, as onnxruntime does by default).

    Where the model has a sidecar (``shared_sidecar``), the tensors it lists are not inside the
    ONNX file but in files shared by several models (the shipped models share one word-embedding
    table, which keeps the models within their size budget); they are supplied here.
    """
    import onnxruntime as ort

    require_file(path, f"Model file {path} is missing; reinstall spinscope or retrain.")
    opts = ort.SessionOptions()
    threads = model_threads()
    if threads:
        opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    _shared_arena(ort)
    opts.add_session_config_entry("session.use_env_allocators", "1")
    if os.environ.get("SPINSCOPE_ONNX_SPIN", "0") != "1":
        # idle onnxruntime threads sleep instead of spinning between calls: the spinning took
        # the CPU that the Python work between encoder calls, the pipeline's loading thread and
        # other worker processes need (2 cores: x1.2 cold, x1.7-2 warm, bench/encoder_ratio.py)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    shared = []
    sidecar = shared_sidecar(path)
    if sidecar.exists():
        try:
            spec = json.loads(sidecar.read_text(encoding="utf-8"))["initializers"]
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{sidecar} is unreadable: {exc}") from exc
        names = sorted(spec)
        shared = [
            ort.OrtValue.ortvalue_from_numpy(
                # resolved, so that models in different folders get the one copy (read once)
                _shared_tensor(str((sidecar.parent / spec[n]["file"]).resolve()), spec[n]["sha256"])
            )
            for n in names
        ]
        opts.add_external_initializers(names, shared)
    sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    sess.spinscope_shared = shared  # onnxruntime reads these buffers: keep them alive
    return sess


def checksums(folder: str | Path, *names: str) -> dict[str, str]:
    """sha256 of the named files in ``folder`` that exist (for provenance records)."""
    out = {}
    for name in names:
        path = Path(folder) / name
        if path.exists():
            # resolved, so one file reached by two routes (techniques/../shared, checkworthy/..)
            # is hashed once
            out[name] = model_sha256(path)
    return out


@lru_cache(maxsize=64)
def _cached_sha256(path: str, mtime_ns: int, size: int) -> str:
    from spinscope.analysis import _model_cache

    return _model_cache.file_digest(Path(path), file_sha256)


def model_sha256(path: str | Path) -> str:
    """``file_sha256`` of a model file, hashed once per file version (kept for the process and in
    the model cache, keyed by the resolved path, size and modification time)."""
    stat = os.stat(path)
    return _cached_sha256(str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's bytes, read in 1 MB blocks (the models are 20+ MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
