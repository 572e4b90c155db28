"""Private: how often a phrase occurs in a long text, without reading the whole text each time.

``Occurrences(text).count(needle)`` equals ``text.count(needle)`` (non-overlapping matches, left
to right). A span's phrase is counted once per span, and ``str.count`` reads the whole text each
time, so that a long text with many spans cost time in the square of its length. Here the
positions of every ``K``-character window of the text are sorted by a hash of the window once;
a count looks up the windows that start like the needle, checks each candidate, and keeps
the non-overlapping ones, as ``str.count`` would. Short texts and short needles use
``str.count`` itself.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

K = 8  # characters hashed per window
SHORT_TEXT = 20_000  # below this many characters, str.count is as fast
_BASE = np.uint64(1_000_003)


def _hashes(codes: np.ndarray, count: int) -> np.ndarray:
    """A hash of each of the ``count`` windows ``codes[i : i + K]`` (wrapping uint64)."""
    out = np.zeros(count, np.uint64)
    with np.errstate(over="ignore"):
        for j in range(K):
            out = out * _BASE + codes[j : j + count]
    return out


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32).astype(np.uint64)


class Occurrences:
    """Counts of phrases in one text (see the module docstring)."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _index(self) -> tuple[np.ndarray, np.ndarray]:
        """Window hashes, sorted, and the window positions in that order (ascending among
        equal hashes)."""
        n = len(self.text) - K + 1
        hashes = _hashes(_codes(self.text), n)
        order = np.argsort(hashes, kind="stable")
        return hashes[order], order

    def count(self, needle: str) -> int:
        """``self.text.count(needle)``."""
        if len(self.text) < SHORT_TEXT or len(needle) < K:
            return self.text.count(needle)
        hashes, order = self._index
        key = _hashes(_codes(needle[:K]), 1)[0]
        lo, hi = np.searchsorted(hashes, key, "left"), np.searchsorted(hashes, key, "right")
        found, end = 0, -1
        for position in order[lo:hi].tolist():  # ascending
            if position >= end and self.text.startswith(needle, position):
                found += 1
                end = position + len(needle)
        return found
