"""Fixtures of the batch tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def in_process(monkeypatch) -> None:
    """Every local batch run analyses in this process (``local_engine(in_process=True)``), so
    that a stand-in patched in here is the one used, also by runs through the CLI: a worker
    process (``--workers 1`` included) imports the real modules afresh."""
    from spinscope.batch import engines

    real = engines.local_engine
    monkeypatch.setattr(
        engines, "local_engine", lambda *args, **kw: real(*args, **{**kw, "in_process": True})
    )
