"""Stand-ins for a local run's worker processes and Ray actors, found by name in the spawned
workers: no models to load (the stub pipeline), and a document containing ``CRASH`` kills its
worker, as a crash in a model library or the out-of-memory killer would; one containing ``SLOW``
holds its worker for ten minutes (past any test's deadline)."""

from __future__ import annotations

import os
import signal
import time

CRASH = "CRASH-THE-WORKER"
SLOW = "HOLD-THE-WORKER"


def init(settings: dict, threads: int, story: str | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as the real workers


def work(docs: list[dict]) -> list:
    from hostile_fixtures import StubPipeline
    from spinscope.batch.engines import analyse_batch

    if any(CRASH in d["text"] for d in docs):
        os.kill(os.getpid(), signal.SIGKILL)
    if any(SLOW in d["text"] for d in docs):
        time.sleep(600)
    return analyse_batch(StubPipeline(), docs)


class RayWorker:
    """A Ray actor as ``engines._RayWorker``, with ``work`` for its analysis."""

    def __init__(self, settings: dict, threads: int, story: str | None = None) -> None:
        pass

    def __call__(self, docs: list[dict]) -> list:
        return work(docs)
