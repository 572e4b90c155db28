"""Analyses in worker processes, so that a deadline really stops one.

A thread cannot be stopped: an analysis past its deadline used to run on, holding its memory,
and its result was stored after the client had been told 504. Here an analysis runs in a process
started with the ``spawn`` context (no forked locks, threads or model sessions). Past the
deadline the process is killed, which stops the work and frees its memory, and a fresh one takes
its place. Nothing is stored here: a lane returns a result, and the caller stores it.

Three lanes answer ``await lane.run(job, deadline)`` with an ``AnalysisResult``, or raise
``DeadlinePassed`` (or the ingest error, or ``AnalysisFailed`` for a bug):

- ``WorkerPool``: ``size`` warm workers, each loads the pipeline once; a job borrows one.
- ``OnDemand``: a worker started at low priority (``os.nice``) for one job and ended after it,
  for large texts, so they neither wait behind nor slow down the warm pool much.
- ``InProcess``: the same on threads in this process, for a pipeline object given in-process
  (a test stand-in); there a deadline stops only the waiting.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from spinscope import errors
from spinscope.ingest.html import DEFAULT_LIMITS, HtmlLimits
from spinscope.model.document import AnalysisResult, Document
from spinscope.processes import exit_with_parent

log = logging.getLogger("spinscope.api")
READY_TIMEOUT_S = 300.0  # loading the models in a fresh worker
WARM_UP = "Warm-up: the council said 40 percent of residents agree."


class DeadlinePassed(Exception):
    """The job did not finish in time; its worker (if any) was killed."""


class AnalysisFailed(Exception):
    """A bug, not the user's input: the worker logged the traceback."""


class TooLargeForLane(Exception):
    """The ingested text is over the lane's ``Job.max_text_bytes`` (a web page or file whose
    article turned out large): ``doc`` goes to the large lane instead."""

    def __init__(self, doc: Document) -> None:
        super().__init__()
        self.doc = doc


@dataclass(frozen=True)
class Job:
    """One document to analyse: ``kind`` is "text" or "html" (a str), "file" (bytes named
    ``name``), "page" (a fetched URL's ``Page``, its article extracted here) or "doc" (an
    already ingested Document). A text over ``max_text_bytes`` once ingested is handed back,
    not analysed (TooLargeForLane)."""

    kind: str
    data: Any
    name: str = ""
    max_text_bytes: int | None = None
    html_limits: HtmlLimits = DEFAULT_LIMITS  # the page shape extraction allows (ingest.*)

    @property
    def size(self) -> int:
        """Bytes of input (UTF-8 for text), which picks the lane."""
        value = self.data.text if isinstance(self.data, Document) else self.data
        value = self.data.body if self.kind == "page" else value
        return len(value.encode("utf-8", "replace") if isinstance(value, str) else value)


def run_job(pipeline: Any, job: Job) -> AnalysisResult:
    """Ingest and analyse one job (in a worker, or in-process)."""
    from spinscope.ingest import from_bytes, from_html, from_text

    if job.kind == "text":
        doc = from_text(job.data)
    elif job.kind == "html":
        doc = from_html(job.data, html_limits=job.html_limits)
    elif job.kind == "file":
        doc = from_bytes(job.data, source=job.name, html_limits=job.html_limits)
    elif job.kind == "page":
        doc = job.data.document(job.html_limits)
    else:
        doc = job.data
    if job.max_text_bytes is not None and Job("doc", doc).size > job.max_text_bytes:
        raise TooLargeForLane(doc)
    return pipeline.run([doc])[0]


def answer(pipeline: Any, job: Job) -> tuple[str, Any]:
    """``run_job`` as a message that pickles: ("ok", result), ("large", doc), ("error", (class,
    message)) for a SpinscopeError, or ("bug", None) after logging the traceback."""
    try:
        return "ok", run_job(pipeline, job)
    except TooLargeForLane as exc:
        return "large", exc.doc
    except errors.SpinscopeError as exc:
        return "error", (type(exc).__name__, str(exc))
    except Exception:
        log.error("analysis failed:\n%s", traceback.format_exc())
        return "bug", None


def unpack(message: tuple[str, Any]) -> AnalysisResult:
    """The result of an ``answer``, or the error it carries, raised again."""
    status, value = message
    if status == "ok":
        return value
    if status == "large":
        raise TooLargeForLane(value)
    if status == "error":
        name, text = value
        cls = getattr(errors, name, None)
        raise (cls if isinstance(cls, type) else errors.SpinscopeError)(text)
    raise AnalysisFailed()


def _thread_lock_for_tqdm() -> None:
    """model2vec (claim embeddings) makes a tqdm bar, even a hidden one, and tqdm's default lock
    is a multiprocessing semaphore: each killed worker would leak one (the resource tracker
    warns of them at exit). This process has no child processes, so a thread lock does."""
    try:
        from tqdm import tqdm
    except ImportError:
        return
    tqdm.set_lock(threading.RLock())


def cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _worker_main(
    conn: Any, settings: dict[str, Any], pipeline: Any, nice: int, threads: int
) -> None:
    """The worker process: load the pipeline once, then answer jobs until the pipe closes (or
    the server is gone: killed, it closes no pipe while this worker is busy)."""
    exit_with_parent()
    if nice:
        os.nice(nice)
    # onnxruntime takes every core by default; workers side by side would fight over them
    os.environ.setdefault("SPINSCOPE_THREADS", str(threads))
    _thread_lock_for_tqdm()
    try:
        if pipeline is None:
            from spinscope.api.service import pipeline_for
            from spinscope.ingest import from_text

            pipeline = pipeline_for(settings)
            pipeline.run([from_text(WARM_UP)])
    except Exception as exc:
        conn.send(("failed", " ".join(str(exc).split())))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the server went away
            return
        conn.send(answer(pipeline, job))


class Worker:
    """One worker process and the pipe to it; its models use ``threads`` threads (unless
    SPINSCOPE_THREADS says otherwise). Blocking calls: run them on a thread."""

    def __init__(
        self, settings: dict[str, Any], pipeline: Any = None, nice: int = 0, threads: int = 1
    ) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main,
            args=(child, settings, pipeline, nice, threads),
            name="spinscope-analysis",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.alive = True
        self._ending = threading.Lock()  # kill() runs once, whichever thread comes first
        self._ended = False

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def wait_ready(self, timeout_s: float) -> None:
        """Until the pipeline is loaded; DeadlinePassed (worker killed) or ModelError."""
        try:
            if not self.conn.poll(max(timeout_s, 0.0)):
                self.kill()
                raise DeadlinePassed()
            status, message = self.conn.recv()
        except (EOFError, OSError):
            status, message = "failed", "the worker process ended while starting"
        if status != "ready":
            self.kill()
            raise errors.ModelError(f"An analysis worker could not start: {message}")

    def call(self, job: Job, timeout_s: float) -> AnalysisResult:
        """Run ``job``; past ``timeout_s`` kill the process and raise DeadlinePassed."""
        try:
            self.conn.send(job)
            if self.conn.poll(max(timeout_s, 0.0)):
                return unpack(self.conn.recv())
        except (EOFError, OSError):  # killed (out of memory?) or closed while working
            self.kill()
            log.error("an analysis worker died while working")
            raise AnalysisFailed() from None
        self.kill()
        raise DeadlinePassed()

    def kill(self) -> None:
        """End the process now (its memory goes back to the system) and reap it. Once only: the
        server closing (the event loop's thread) and a worker failing to start (a pipe thread)
        may both kill one worker, and two closes of its pipe raced to close the descriptor
        twice (EBADF, or another file's descriptor reused in between)."""
        self.alive = False
        with self._ending:
            if self._ended:
                return
            self._ended = True
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)
        self.conn.close()


class WorkerPool:
    """``size`` warm workers; a job waits for an idle one until its deadline."""

    def __init__(self, settings: dict[str, Any], pipeline: Any, size: int) -> None:
        self.settings, self.pipeline, self.size = settings, pipeline, size
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.workers: set[Worker] = set()
        self.threads = ThreadPoolExecutor(size + 2, "spinscope-worker-pipe")
        self.closed = False

    def _new(self) -> Worker:
        worker = Worker(self.settings, self.pipeline, threads=max(1, cores() // self.size))
        self.workers.add(worker)
        return worker

    def start(self) -> None:
        """Start every worker and wait until each has loaded the pipeline (blocking; once)."""
        if self.workers:
            return
        workers = [self._new() for _ in range(self.size)]  # they load side by side
        try:
            for worker in workers:
                worker.wait_ready(READY_TIMEOUT_S)
        except (DeadlinePassed, errors.ModelError) as exc:
            self.close()
            if isinstance(exc, errors.ModelError):
                raise
            raise errors.ModelError(
                f"The analysis workers did not load the models within {READY_TIMEOUT_S:g} s."
            ) from None
        for worker in workers:
            self.idle.put_nowait(worker)

    async def _ready(self, worker: Worker) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.threads, worker.wait_ready, READY_TIMEOUT_S)

    async def run(self, job: Job, deadline: float) -> AnalysisResult:
        loop = asyncio.get_running_loop()
        try:
            worker = await asyncio.wait_for(self.idle.get(), deadline - loop.time())
        except TimeoutError:
            raise DeadlinePassed() from None
        if deadline <= loop.time():  # no time left to run it: keep the worker, it is fine
            self.idle.put_nowait(worker)
            raise DeadlinePassed()
        future = loop.run_in_executor(self.threads, worker.call, job, deadline - loop.time())
        future.add_done_callback(lambda _: self._release(worker))
        # shielded: a client that goes away does not cancel the call, so the worker comes back
        return await asyncio.shield(future)

    def _release(self, worker: Worker) -> None:
        if worker.alive:
            self.idle.put_nowait(worker)
        else:
            self.workers.discard(worker)
            if not self.closed:
                asyncio.get_running_loop().create_task(self._replace())

    async def _replace(self) -> None:
        """A fresh worker for a killed one (retried while its start fails)."""
        while not self.closed:
            worker = self._new()
            try:
                await self._ready(worker)
            except (DeadlinePassed, errors.ModelError) as exc:
                self.workers.discard(worker)
                log.error("could not replace an analysis worker: %s", exc or "timed out")
                await asyncio.sleep(5)
                continue
            if self.closed:
                worker.kill()
            else:
                self.idle.put_nowait(worker)
            return

    def close(self) -> None:
        self.closed = True
        for worker in list(self.workers):
            worker.kill()
        self.threads.shutdown(wait=False, cancel_futures=True)


class OnDemand:
    """A low-priority worker started for one job and ended after it (its memory with it).
    The caller runs one job at a time."""

    def __init__(self, settings: dict[str, Any], pipeline: Any, nice: int = 10) -> None:
        self.settings, self.pipeline, self.nice = settings, pipeline, nice
        self.pid: int | None = None  # the last worker's, for tests

    async def run(self, job: Job, deadline: float) -> AnalysisResult:
        loop = asyncio.get_running_loop()
        worker = Worker(self.settings, self.pipeline, self.nice, threads=1)
        self.pid = worker.pid
        try:
            await asyncio.to_thread(worker.wait_ready, deadline - loop.time())
            return await asyncio.to_thread(worker.call, job, deadline - loop.time())
        finally:
            worker.kill()

    def close(self) -> None:
        pass


class InProcess:
    """Jobs on ``size`` threads of this process, with a pipeline object (a test stand-in)."""

    def __init__(self, pipeline: Any, size: int) -> None:
        self.pipeline = pipeline
        self.threads = ThreadPoolExecutor(size, "spinscope-analysis")

    async def run(self, job: Job, deadline: float) -> AnalysisResult:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.threads, answer, self.pipeline, job)
        try:
            return unpack(await asyncio.wait_for(future, deadline - loop.time()))
        except TimeoutError:
            raise DeadlinePassed() from None

    def close(self) -> None:
        self.threads.shutdown(wait=False, cancel_futures=True)
