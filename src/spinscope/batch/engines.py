"""Engines: map batches of documents to results, each worker holding one loaded Pipeline.

A worker returns, per document, ``("ok", result_dict)`` or ``("error", reason)``: a batch that
fails is analysed again one document at a time, so one bad document never costs its neighbours.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

Outcome = tuple[str, Any]

_PIPELINE = None


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:500]


def analyse_batch(pipeline, docs: list[dict]) -> list[Outcome]:
    """Results of one batch (document dicts in, outcomes out, in order)."""
    from spinscope.model.document import Document

    parsed = [Document.from_dict(d) for d in docs]
    try:
        return [("ok", r.to_dict()) for r in pipeline.run(parsed)]
    except Exception:  # noqa: BLE001 -- retried one by one below, each failure recorded
        out: list[Outcome] = []
        for doc in parsed:
            try:
                out.append(("ok", pipeline.run([doc])[0].to_dict()))
            except Exception as exc:  # noqa: BLE001 -- a failed document is a stored record
                out.append(("error", _one_line(exc)))
        return out


def _init_worker(settings: dict, threads: int) -> None:
    global _PIPELINE
    os.environ["SPINSCOPE_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    from spinscope.analysis.pipeline import Pipeline

    _PIPELINE = Pipeline(settings)


def _work(docs: list[dict]) -> list[Outcome]:
    return analyse_batch(_PIPELINE, docs)


def local_engine(
    batches: Iterable[list[dict]], settings: dict, *, workers: int = 1
) -> Iterator[list[Outcome]]:
    """In this process (``workers=1``) or in worker processes, results in input order."""
    if workers <= 1:
        from spinscope.analysis.pipeline import Pipeline

        pipeline = Pipeline(settings)
        for docs in batches:
            yield analyse_batch(pipeline, docs)
        return
    import multiprocessing as mp

    threads = max(1, (os.cpu_count() or workers) // workers)
    ctx = mp.get_context("spawn")  # no forked copies of loaded ONNX sessions
    with ctx.Pool(workers, initializer=_init_worker, initargs=(settings, threads)) as pool:
        yield from pool.imap(_work, batches, chunksize=1)


class _RayWorker:
    """A Ray actor holding one Pipeline (models load once per actor)."""

    def __init__(self, settings: dict, threads: int) -> None:
        _init_worker(settings, threads)

    def __call__(self, docs: list[dict]) -> list[Outcome]:
        return _work(docs)


def ray_engine(
    batches: Iterable[list[dict]],
    settings: dict,
    *,
    workers: int = 1,
    address: str | None = None,
    window: int = 8,
) -> Iterator[list[Outcome]]:
    """Ray actors (``workers`` of them, one CPU each), results in input order; at most
    ``window`` batches per actor are in flight, so a corpus streams."""
    import ray
    from ray.util import ActorPool

    started = False
    if not ray.is_initialized():
        ray.init(address=address, num_cpus=None if address else workers,
                 include_dashboard=False, log_to_driver=False, configure_logging=False)  # fmt: skip
        started = True
    try:
        actor = ray.remote(num_cpus=1)(_RayWorker)
        pool = ActorPool([actor.remote(settings, 1) for _ in range(max(1, workers))])
        pending = 0
        it = iter(batches)
        limit = window * max(1, workers)
        for docs in it:
            pool.submit(lambda a, d: a.__call__.remote(d), docs)
            pending += 1
            if pending >= limit:
                yield pool.get_next()
                pending -= 1
        while pending:
            yield pool.get_next()
            pending -= 1
    finally:
        if started:
            ray.shutdown()
