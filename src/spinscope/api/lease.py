"""The served store file, held only while requests need it (``StoreLease``).

DuckDB allows one writing process, or several reading ones, and `spinscope batch` adds documents
to a store while `spinscope serve` runs on it. Opening the file for each request would let batch in
at any moment, but costs tens of milliseconds a request (a new DuckDB instance, its buffer pool
cold: see "Serve's store per request" in BENCHMARKS.md), and a page's burst of requests (the
corpus page and its charts) would pay it each time. So a read-only connection is kept between
requests and closed once no request has used it for ``idle_s``; a command that meets it waits
(``store.lock_wait_s``) and gets in then. Storing an analysis opens the file read-write for the
moment it takes. One connection at a time: a DuckDB process cannot hold the same file in two
modes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spinscope.store import Store


class StoreLease:
    """``use()`` the store at ``path``, one caller at a time. ``idle_s``: how long the read-only
    connection outlives its last use (0: closed after each)."""

    def __init__(self, path: Path, idle_s: float) -> None:
        self.path = path
        self.idle_s = idle_s
        self.lock = threading.Lock()
        self.store: Store | None = None  # the read-only connection kept between uses
        self.used = 0.0  # when it was last used (time.monotonic)
        self.timer: threading.Timer | None = None

    @contextmanager
    def use(self, *, write: bool = False, wait_s: float = 0.0) -> Iterator[Store]:
        """The store, read-only (kept for ``idle_s`` after) unless ``write`` (opened read-write
        now and closed at the end of the block).

        Raises:
            StoreBusy: Another process has the file open for writing (for ``write``: open at
                all) after ``wait_s``.
        """
        with self.lock:
            if write:
                self._close()
                with Store(self.path, wait_s=wait_s) as store:
                    yield store
                return
            if self.store is None:
                self.store = Store(self.path, read_only=True, wait_s=wait_s)
            try:
                yield self.store
            finally:
                self.used = time.monotonic()
                if self.idle_s > 0:
                    self._arm(self.idle_s)
                else:
                    self._close()

    def release(self) -> None:
        """Close the connection now (the server is stopping)."""
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
            self._close()

    def _arm(self, after_s: float) -> None:
        if self.timer is None:
            self.timer = threading.Timer(after_s, self._expire)
            self.timer.daemon = True
            self.timer.start()

    def _expire(self) -> None:
        """The timer's end: close the connection if it has been idle ``idle_s``, else wait for
        the rest of that time."""
        with self.lock:
            self.timer = None
            left_s = self.used + self.idle_s - time.monotonic()
            if self.store is not None and left_s > 0:
                self._arm(left_s)
            else:
                self._close()

    def _close(self) -> None:
        if self.store is not None:
            store, self.store = self.store, None
            store.close()
