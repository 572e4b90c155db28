"""Engines: map batches of documents to results, each worker holding one loaded Pipeline.

A worker returns, per document, ``("ok", result_dict)`` or ``("error", reason)``: a batch that
fails is analysed again one document at a time, so one bad document never costs its neighbours.
With a story encoder (``story``: its name, decided and prepared by the main process,
``batch.run``), an ok outcome has the document's story vector third, in its stored form (None
for a document that encoder leaves alone).
A local worker process that dies (a crash in a model library, the out-of-memory killer) takes the
batches in flight with it: their documents are analysed again one at a time in a worker of their
own, and one that kills that worker too is an error outcome (``WORKER_DIED``). A batch that
takes longer than the ``batch.document_timeout_s`` setting is handled the same way, its worker
killed: each document is analysed again alone within that limit, and one that takes longer is an
error outcome (``took_too_long``). One worker
(``--workers 1``) is a process too, for the same reason: in the main process such a document
ended the run.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from typing import Any, cast

from spinscope.errors import SpinscopeError
from spinscope.processes import exit_with_parent

Outcome = tuple[Any, ...]  # ("ok", result dict[, story vector or None]) | ("error", reason)

_PIPELINE = None
_STORY: Any = None  # the story encoder of this worker (``story_encoders.load``), if any

WORKER_DIED = (
    "the worker process died while analysing it, in its batch and again alone (a crash in a "
    "model library, or killed: out of memory?)"
)


def took_too_long(timeout_s: float) -> str:
    """The failure reason of a document whose analysis passed the deadline."""
    return (
        f"took longer than {timeout_s:g} s to analyse (batch.document_timeout_s); its worker "
        "process was stopped"
    )


class _Overdue(Exception):
    """A batch's worker is past the deadline (``_result``)."""


# a worker that dies on this many documents in a row, each alone, is not their fault (no memory,
# a broken install): the run ends instead of recording every document as a failure
DEATHS_IN_A_ROW = 3


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:500]


def analyse_batch(pipeline, docs: list[dict], story: Any = None) -> list[Outcome]:
    """Results of one batch (document dicts in, outcomes out, in order), with each document's
    story vector where a ``story`` encoder is given."""
    from spinscope.model.document import Document

    parsed = [Document.from_dict(d) for d in docs]
    try:
        return _outcomes(pipeline.run(parsed), story)
    except Exception:  # noqa: BLE001 -- retried one by one below, each failure recorded
        out: list[Outcome] = []
        for doc in parsed:
            try:
                out += _outcomes(pipeline.run([doc]), story)
            except Exception as exc:  # noqa: BLE001 -- a failed document is a stored record
                out.append(("error", _one_line(exc)))
        return out


def _outcomes(results: list, story: Any) -> list[Outcome]:
    """``("ok", result_dict)`` each, with its story vector third where there is a ``story``
    encoder."""
    from spinscope.model.jsonable import plain

    # plain(): built-in values only (no numpy scalars), as the store's JSON needs them
    if story is None:
        return [("ok", plain(r.to_dict())) for r in results]
    vectors = _story_vectors(results, story)
    return [("ok", plain(r.to_dict()), v) for r, v in zip(results, vectors, strict=True)]


def _story_vectors(results: list, story: Any) -> list[bytes | None]:
    """Each result's story vector as ``spinscope stories`` would compute it from the stored
    document (``story_vectors.ingest_vectors``); None for every one where the encoder fails
    (derived data: `spinscope stories` encodes the documents that have none, and reports the
    error there), never a lost document."""
    from spinscope.store.rows import language_code
    from spinscope.store.story_vectors import ingest_vectors

    encoder, readable = story
    docs = [(r.doc.title, r.doc.text, language_code(r.doc)) for r in results]
    try:
        return ingest_vectors(docs, encoder, readable)
    except Exception:  # noqa: BLE001 -- see the docstring
        return [None] * len(results)


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


def story_encoder(name: str | None) -> Any:
    """The story encoder named ``name`` with the languages it reads (what ``analyse_batch``
    takes), or None; its model loads on the first document, once per process."""
    if name is None:
        return None
    from spinscope.analysis.story_encoders import load
    from spinscope.store.story_space import readable_for

    return load(name), readable_for(name)


def _init_worker(settings: dict, threads: int | None, story: str | None = None) -> None:
    """Load this worker's pipeline; ``threads``: the cores its models use (None: the libraries'
    defaults, as in the main process, for a worker that runs alone)."""
    global _PIPELINE, _STORY
    if threads is not None:
        os.environ["SPINSCOPE_THREADS"] = str(threads)
        os.environ["OMP_NUM_THREADS"] = str(threads)
    _no_process_locks()
    from spinscope.analysis.pipeline import Pipeline

    _PIPELINE = Pipeline.for_settings(settings)
    _STORY = story_encoder(story)


def _init_pool_worker(settings: dict, threads: int | None, story: str | None = None) -> None:
    """A local worker leaves Ctrl-C to the main process, which stops the pool: a worker that
    died of it first turned the interruption into a "worker ended unexpectedly" error."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent()
    _init_worker(settings, threads, story)


def _work(docs: list[dict]) -> list[Outcome]:
    return analyse_batch(_PIPELINE, docs, _STORY)


def local_engine(
    batches: Iterable[list[dict]],
    settings: dict,
    *,
    workers: int = 1,
    story: str | None = None,
    in_process: bool = False,
) -> Generator[list[Outcome], None, None]:
    """In ``workers`` worker processes (one at least), results in input order (with story
    vectors of the encoder named ``story``). ``in_process``: in this process instead, for a
    pipeline patched in here (a test's stand-in); a document that crashes the interpreter then
    ends the run."""
    if in_process:
        from spinscope.analysis.pipeline import Pipeline

        pipeline, encoder = Pipeline.for_settings(settings), story_encoder(story)
        for docs in batches:
            yield analyse_batch(pipeline, docs, encoder)
        return
    pool = _Pool(workers, settings, story, settings.get("batch.document_timeout_s"))
    pending: deque = deque()  # (future, docs) in input order, 2 per worker at most: it streams
    try:
        for docs in batches:
            pending.append((pool.submit(docs), docs))
            if len(pending) >= 2 * workers:
                yield from _take(pending, pool)
        while pending:
            yield from _take(pending, pool)
    finally:
        # Ended in every case (done, an error, the caller closing this generator): batches not
        # started are dropped, and the workers are stopped and joined before the caller goes on
        # (see also _no_process_locks).
        pool.shutdown()


def _take(pending: deque, pool: _Pool) -> Iterator[list[Outcome]]:
    """The first batch's outcomes; if its worker died or passed the pool's deadline (then it is
    killed), those of every batch in flight (lost with the pool, unless done before), each
    document analysed again alone."""
    future, docs = pending.popleft()
    try:
        result = _result(future, timeout_s=pool.timeout_s)
    except _Overdue:
        pool.kill()  # its batch, and every other in flight, is then lost as in a worker's death
        result = None
    if result is not None:
        yield result
        return
    lost = [(None, docs)] + [pending.popleft() for _ in range(len(pending))]
    done = [_result(f) for f, _ in lost]  # the broken pool has settled every future
    pool.shutdown()
    for (_, docs), result in zip(lost, done, strict=True):
        yield result if result is not None else pool.alone(docs)
    pool.restart()


def _result(future, poll_s: float = 1.0, timeout_s: float | None = None) -> list[Outcome] | None:
    """A worker's result, or None if its pool broke (a worker died, or the future is None: the
    pool was broken when the batch was given).

    Raises:
        _Overdue: Not done ``timeout_s`` after the wait began (None: no limit).

    Waited for ``poll_s`` at a time:
    ``multiprocessing.Pool`` replaced a worker that died but never returned its batch, and its
    ``terminate`` then blocked on the queue lock the dead worker held (the run hung for ever);
    a plain wait also never woke the main thread for a Ctrl-C that the kernel handed to another
    thread; between waits it runs its signal handlers."""
    import time
    from concurrent.futures.process import BrokenProcessPool

    end = None if timeout_s is None else time.monotonic() + timeout_s
    while future is not None:
        try:
            return future.result(timeout=poll_s)
        except TimeoutError:
            if end is not None and time.monotonic() >= end:
                raise _Overdue from None
            continue
        except BrokenProcessPool:
            return None
    return None


class _Pool:
    """A local run's worker processes (spawned, each loading the models once), started again
    after one dies; ``alone`` analyses documents one at a time in a worker of their own."""

    def __init__(
        self, workers: int, settings: dict, story: str | None = None, timeout_s: float | None = None
    ) -> None:
        self.workers, self.settings, self.story = workers, settings, story
        self.timeout_s = timeout_s  # a batch's deadline (None: none), also each document's alone
        # a worker alone keeps the libraries' defaults, as the main process had them
        self.threads = max(1, (os.cpu_count() or workers) // workers) if workers > 1 else None
        self.main: Any = self._executor(workers)
        self.solo: Any = None  # the worker of ``alone``, kept while batches are analysed again
        self.died_in_a_row = 0

    def _executor(self, workers: int):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp.get_context("spawn")  # no forked copies of loaded ONNX sessions
        return ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_pool_worker,
            initargs=(self.settings, self.threads, self.story),
        )  # fmt: skip

    def submit(self, docs: list[dict]):
        return _submit(self.main, docs)

    def alone(self, docs: list[dict]) -> list[Outcome]:
        """Each document in a worker of its own (a fresh one after one dies or is stopped at
        the deadline).

        Raises:
            SpinscopeError: The worker died on ``DEATHS_IN_A_ROW`` documents in a row."""
        out: list[Outcome] = []
        for doc in docs:
            self.solo = self.solo or self._executor(1)
            try:
                result = _result(_submit(self.solo, [doc]), timeout_s=self.timeout_s)
            except _Overdue:
                # not a death: the document's own fault, so it counts for no deaths in a row
                _kill(self.solo)
                self._stop_solo()
                out.append(("error", took_too_long(cast(float, self.timeout_s))))
                continue
            if result is not None:
                self.died_in_a_row = 0
                out += result
                continue
            self._stop_solo()
            self.died_in_a_row += 1
            if self.died_in_a_row >= DEATHS_IN_A_ROW:
                raise SpinscopeError(
                    f"A batch worker process ended unexpectedly on {DEATHS_IN_A_ROW} documents "
                    "in a row, each analysed alone (killed, or out of memory?); the documents "
                    "stored so far are kept: run the same command again to go on (with fewer "
                    "--workers if memory is short)."
                )
            out.append(("error", WORKER_DIED))
        return out

    def _stop_solo(self) -> None:
        if self.solo is not None:
            self.solo.shutdown(wait=True, cancel_futures=True)
            self.solo = None

    def restart(self) -> None:
        """Fresh workers for the batches to come (the worker of ``alone`` stopped)."""
        self._stop_solo()
        self.main = self._executor(self.workers)

    def kill(self) -> None:
        """Stop the workers at once (one is past the deadline): the pool is then broken."""
        _kill(self.main)

    def shutdown(self) -> None:
        self._stop_solo()
        self.main.shutdown(wait=True, cancel_futures=True)


def _kill(executor) -> None:
    """Kill ``executor``'s worker processes (a ``ProcessPoolExecutor`` has no public way before
    Python 3.14); its futures not done then fail with ``BrokenProcessPool``, as after a crash."""
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        process.kill()


def _submit(executor, docs: list[dict]):
    """The batch's future, or None if the pool is already broken (a worker died)."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return executor.submit(_work, docs)
    except BrokenProcessPool:
        return None


class _RayWorker:
    """A Ray actor holding one Pipeline (models load once per actor)."""

    def __init__(self, settings: dict, threads: int, story: str | None = None) -> None:
        _init_worker(settings, threads, story)

    def __call__(self, docs: list[dict]) -> list[Outcome]:
        return _work(docs)
