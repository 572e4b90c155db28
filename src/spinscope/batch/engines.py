"""Engines: map batches of documents to results, each worker holding one loaded Pipeline.

A worker returns, per document, ``("ok", result_dict)`` or ``("error", reason)``: a batch that
fails is analysed again one document at a time, so one bad document never costs its neighbours.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from spinscope.errors import SpinscopeError

Outcome = tuple[str, Any]

_PIPELINE = None


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:500]


def analyse_batch(pipeline, docs: list[dict]) -> list[Outcome]:
    """Results of one batch (document dicts in, outcomes out, in order)."""
    from spinscope.model.document import Document
    from spinscope.model.jsonable import plain

    parsed = [Document.from_dict(d) for d in docs]
    try:
        # plain(): built-in values only (no numpy scalars), as the store's JSON needs them
        return [("ok", plain(r.to_dict())) for r in pipeline.run(parsed)]
    except Exception:  # noqa: BLE001 -- retried one by one below, each failure recorded
        out: list[Outcome] = []
        for doc in parsed:
            try:
                out.append(("ok", plain(pipeline.run([doc])[0].to_dict())))
            except Exception as exc:  # noqa: BLE001 -- a failed document is a stored record
                out.append(("error", _one_line(exc)))
        return out


def _no_process_locks() -> None:
    """Give tqdm a thread lock up front. model2vec's ``encode`` opens a (disabled) tqdm bar,
    and tqdm's first bar makes a multiprocessing RLock, a named semaphore registered with the
    resource tracker; a worker ended by ``Pool.terminate`` (after an error) never unlinks it,
    and the run ends with "resource_tracker: There appear to be N leaked semaphore objects".
    A worker runs one batch at a time, so a thread lock is all tqdm needs there."""
    import threading

    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover -- tqdm comes with model2vec
        return
    tqdm.set_lock(threading.RLock())


def _init_worker(settings: dict, threads: int) -> None:
    global _PIPELINE
    os.environ["SPINSCOPE_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    _no_process_locks()
    from spinscope.analysis.pipeline import Pipeline

    _PIPELINE = Pipeline.for_settings(settings)


def _init_pool_worker(settings: dict, threads: int) -> None:
    """A local worker leaves Ctrl-C to the main process, which stops the pool: a worker that
    died of it first turned the interruption into a "worker ended unexpectedly" error."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _init_worker(settings, threads)


def _work(docs: list[dict]) -> list[Outcome]:
    return analyse_batch(_PIPELINE, docs)


def local_engine(
    batches: Iterable[list[dict]], settings: dict, *, workers: int = 1
) -> Generator[list[Outcome], None, None]:
    """In this process (``workers=1``) or in worker processes, results in input order."""
    if workers <= 1:
        from spinscope.analysis.pipeline import Pipeline

        pipeline = Pipeline.for_settings(settings)
        for docs in batches:
            yield analyse_batch(pipeline, docs)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    threads = max(1, (os.cpu_count() or workers) // workers)
    ctx = mp.get_context("spawn")  # no forked copies of loaded ONNX sessions
    executor = ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_pool_worker, initargs=(settings, threads)
    )
    pending: deque = deque()  # futures in input order, at most 2 per worker: a corpus streams
    try:
        for docs in batches:
            pending.append(executor.submit(_work, docs))
            if len(pending) >= 2 * workers:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())
    finally:
        # Ended in every case (done, an error, the caller closing this generator): batches not
        # started are dropped, and the workers are stopped and joined before the caller goes on
        # (see also _no_process_locks).
        executor.shutdown(wait=True, cancel_futures=True)


def _result(future, poll_s: float = 1.0) -> list[Outcome]:
    """A worker's result, waited for ``poll_s`` at a time. (``multiprocessing.Pool`` replaced a
    worker that died, killed or out of memory, but never returned its batch, and its
    ``terminate`` then blocked on the queue lock the dead worker held: the run hung for ever.
    A plain wait also never woke the main thread for a Ctrl-C that the kernel handed to another
    thread; between waits it runs its signal handlers.)"""
    from concurrent.futures.process import BrokenProcessPool

    while True:
        try:
            return future.result(timeout=poll_s)
        except TimeoutError:
            continue
        except BrokenProcessPool:
            raise SpinscopeError(
                "A batch worker process ended unexpectedly (killed, or out of memory?); the "
                "documents stored so far are kept: run the same command again to go on (with "
                "fewer --workers if memory is short)."
            ) from None


class _RayWorker:
    """A Ray actor holding one Pipeline (models load once per actor)."""

    def __init__(self, settings: dict, threads: int) -> None:
        _init_worker(settings, threads)

    def __call__(self, docs: list[dict]) -> list[Outcome]:
        return _work(docs)


@contextmanager
def _lean_local_head(enabled: bool) -> Iterator[None]:
    """While ``ray.init`` starts a local head: without the autoscaler monitor and the log
    monitor, which a one-machine run does not use (no autoscaling; logs are not sent to the
    driver). Together they held about 160 MB. Ray's ``init`` has no switch for them, so this sets
    the defaults of its (private) node parameters; where those are not as expected, Ray starts
    as usual."""
    try:
        from ray._private.parameter import RayParams
    except ImportError:  # pragma: no cover -- another Ray layout: start it as it is
        enabled = False
    if not enabled:
        yield
        return
    original = RayParams.__init__

    def lean(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if getattr(self, "no_monitor", True) is False:
            self.no_monitor = True
        if getattr(self, "include_log_monitor", False) is None:
            self.include_log_monitor = False

    RayParams.__init__ = lean  # type: ignore[method-assign]  # the patch is the point: see docstring
    try:
        yield
    finally:
        RayParams.__init__ = original  # type: ignore[method-assign]  # undo the patch above


def ray_engine(
    batches: Iterable[list[dict]],
    settings: dict,
    *,
    workers: int = 1,
    address: str | None = None,
    window: int = 8,
    depth: int = 2,
) -> Generator[list[Outcome], None, None]:
    """Ray actors (``workers`` of them, one CPU each), results in input order; at most
    ``window`` batches per actor are in flight, so a corpus streams.

    Each actor has at most ``depth`` batches at a time (one running, one waiting), and gets a new
    one as soon as one finishes; finished results wait in a buffer until those before them are
    done. (Handing out all batches up front, or ``ray.util.ActorPool``, which gives an actor new
    work only once its result has been taken in order, left one actor idle while the other
    worked through its queue: Ray ran 12% behind the local engine.)"""
    import ray

    started = False
    if not ray.is_initialized():
        with _lean_local_head(enabled=address is None):
            ray.init(
                address=address,
                num_cpus=None if address else workers,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
            )
        started = True
    try:
        actor = ray.remote(num_cpus=1)(_RayWorker)
        actors = [actor.remote(settings, 1) for _ in range(max(1, workers))]
        yield from _in_order(ray, actors, batches, depth, limit=window * len(actors))
    finally:
        if started:
            ray.shutdown()


def _in_order(ray, actors: list, batches: Iterable, depth: int, limit: int) -> Iterator:
    """Results of ``actors[k].__call__`` over ``batches``, in input order (see ``ray_engine``);
    at most ``limit`` batches are running or buffered at once."""
    todo = iter(enumerate(batches))
    running: dict = {}  # result ref -> (batch index, actor index)
    load = [0] * len(actors)
    done: dict[int, Any] = {}
    next_out, exhausted = 0, False
    while True:
        while not exhausted and len(running) + len(done) < limit:
            k = min(range(len(actors)), key=load.__getitem__)
            if load[k] >= depth:
                break
            item = next(todo, None)
            if item is None:
                exhausted = True
                break
            running[actors[k].__call__.remote(item[1])] = (item[0], k)
            load[k] += 1
        if not running:
            return
        ready, _ = ray.wait(list(running), num_returns=1)
        for ref in ready:
            i, k = running.pop(ref)
            load[k] -= 1
            done[i] = ray.get(ref)
        while next_out in done:
            yield done.pop(next_out)
            next_out += 1
