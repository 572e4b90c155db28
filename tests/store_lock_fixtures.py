"""Another process holding a store's lock, as `spinscope batch` does while `spinscope serve`
runs on the same file: ``holding(path)`` opens the store for writing in a child process and
keeps it open until the block ends (or for ``seconds``), so the lock is DuckDB's own, between
processes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import spinscope

SRC = Path(spinscope.__file__).resolve().parents[1]
# opens the store for writing, says so, then waits for a line on stdin (or ``seconds``)
HOLD = """
import sys, time
from spinscope.store import Store
store = Store(sys.argv[1])
print("ready", flush=True)
if sys.argv[2] == "-":
    sys.stdin.readline()
else:
    time.sleep(float(sys.argv[2]))
store.close()
"""


def child(script: str, *args: str, **kw) -> subprocess.Popen:
    """A Python child process running ``script`` on this tree's spinscope."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], env=env, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw,
    )  # fmt: skip


@contextmanager
def holding(path: Path, seconds: float | None = None) -> Iterator[subprocess.Popen]:
    """The store at ``path`` open for writing in another process while the block runs (for
    ``seconds`` only, if given: the block may then outlast the lock)."""
    proc = child(HOLD, str(path), "-" if seconds is None else str(seconds))
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "ready", proc.stderr.read() if proc.stderr else line
        yield proc
    finally:
        if proc.poll() is None and seconds is None:
            proc.communicate("go\n", timeout=30)
        proc.wait(timeout=30)
