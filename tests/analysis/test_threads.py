"""One function decides how many threads the models use (``encoder.model_threads``): the
encoder sessions and the e5 story encoder both read SPINSCOPE_THREADS through it, which the batch
and server workers set to their share of the cores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spinscope.analysis import encoder, story_e5

SRC = Path(encoder.__file__).resolve().parents[1]


@pytest.mark.parametrize("value,threads", [(None, None), ("", None), ("0", None), ("1", 1),
                                           ("3", 3)])  # fmt: skip
def test_spinscope_threads_decides_for_the_sessions_and_e5(monkeypatch, value, threads):
    if value is None:
        monkeypatch.delenv("SPINSCOPE_THREADS", raising=False)
    else:
        monkeypatch.setenv("SPINSCOPE_THREADS", value)
    assert encoder.model_threads() == threads
    # e5 encodes that many texts at once; unset: the cores, at most 4 (unchanged)
    assert story_e5._threads() == (threads or min(os.cpu_count() or 1, 4))


def test_no_other_module_reads_the_variable():
    read = 'environ.get("SPINSCOPE_THREADS"'
    readers = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
               if read in p.read_text(encoding="utf-8")]  # fmt: skip
    assert readers == ["analysis/encoder.py"]
