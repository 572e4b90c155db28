"""The app's state: the analysis lanes, one store connection, and the limits on analyses.

Analyses run in worker processes (``api/workers.py``), so one past its deadline is killed and
its memory freed: ``serve.max_concurrent`` warm workers for normal texts, and one on-demand,
low-priority worker for texts over ``serve.large_bytes``. ``serve.max_queue`` bounds how many
normal analyses may wait. URL fetches run in a thread pool of their own, at most
``serve.max_concurrent + serve.max_queue`` at once (503 beyond): slow pages must not fill the
threads that store every result. A result is stored here, in the server process, only once it has
arrived in time: a 504 means nothing was stored.
DuckDB allows one writing process (or several reading ones), and `spinscope batch` adds documents
to the store while the server runs: the store file is held only while requests need it
(``api/lease.py``). While another process writes to it, a request that needs it gets 503.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import shutil
import tempfile
import threading
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import HTTPException

from spinscope.analysis.pipeline import Pipeline, check_settings
from spinscope.api.errors import BUSY, BUSY_RETRY_S
from spinscope.api.lease import StoreLease
from spinscope.api.workers import (
    AnalysisFailed,
    DeadlinePassed,
    InProcess,
    Job,
    OnDemand,
    TooLargeForLane,
    WorkerPool,
)
from spinscope.errors import StoreBusy
from spinscope.ingest import ReadOptions
from spinscope.ingest.html import HtmlLimits
from spinscope.ingest.url import Page, fetch_page
from spinscope.model.jsonable import plain
from spinscope.store import Store

log = logging.getLogger("spinscope.api")
LARGE_NICE = 10  # the large lane's priority: below the warm workers'
# storing a result waits this long for a reader in another process (`spinscope stats`) to be
# done, as the result is lost (analysed for nothing) if it cannot be stored; a read waits not
WRITE_WAIT_S = 2.0
# how long the store stays open (read-only) after a request, for the next one: a page and its
# charts share one open; `spinscope batch` waits this long at most (store.lock_wait_s: 10 s)
STORE_IDLE_S = 1.0


def analysis_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings without ``serve.*``: they are not analysis settings, and the token must
    never be echoed in a result (nor sent to a worker)."""
    return {k: v for k, v in settings.items() if not k.startswith("serve.")}


def pipeline_for(settings: dict[str, Any]) -> Pipeline:
    """One pipeline per process and analysis settings (models load once)."""
    return Pipeline.for_settings(analysis_settings(settings))


class Service:
    """``pipeline``: an object with ``run(docs)`` to use instead of the configured pipeline (a
    test stand-in). ``workers``: run analyses in worker processes (killed at the deadline);
    by default only for the configured pipeline (a given one must then pickle)."""

    def __init__(
        self,
        settings: dict[str, Any],
        store_path: str | Path | None = None,
        *,
        pipeline: Any = None,
        workers: bool | None = None,
    ) -> None:
        if pipeline is None:  # a settings error (exit 1), before a store or a worker is made
            check_settings(analysis_settings(settings))
        self.settings = settings
        # without --store, analysed documents live in memory for the life of the process
        self.memory = None if store_path is not None else Store(":memory:")
        self.lease = None if store_path is None else StoreLease(Path(store_path), STORE_IDLE_S)
        self.persistent = store_path is not None
        self.lock = threading.Lock()
        if store_path is not None:
            _create_or_migrate(Path(store_path))
        size = settings["serve.max_concurrent"]
        if workers if workers is not None else pipeline is None:
            values = analysis_settings(settings)
            self.lanes: dict[str, Any] = {
                "normal": WorkerPool(values, pipeline, size),
                "large": OnDemand(values, pipeline, LARGE_NICE),
            }
        else:
            pipeline = pipeline if pipeline is not None else pipeline_for(settings)
            self.lanes = {"normal": InProcess(pipeline, size), "large": InProcess(pipeline, 1)}
        self.waiting = 0  # normal analyses running or waiting
        self.fetching = 0  # URL fetches running
        self.fetch_pool = ThreadPoolExecutor(self._limit(), thread_name_prefix="spinscope-fetch")
        self.large_busy = False
        self.charts_dir: Path | None = None  # made on the first chart, removed by close()
        self.charts_docs = -1

    def start(self) -> None:
        """Start the warm workers (they load the models now, not on the first request);
        blocking, and done once (``spinscope serve`` calls it before serving, so that a model
        that cannot load is one line on the terminal)."""
        if isinstance(self.lanes["normal"], WorkerPool):
            self.lanes["normal"].start()

    @contextmanager
    def db(self, *, write: bool = False) -> Iterator[Store]:
        """The store for one unit of work, one at a time: the in-memory one, or the file (read-only
        unless ``write``), held only while requests need it (``StoreLease``), so that another
        process (`spinscope batch`) can open it between them.

        Raises:
            HTTPException: 503 while another process has the file open for writing (for a
                write: open at all, after ``WRITE_WAIT_S``).
        """
        if self.memory is not None:
            with self.lock:
                yield self.memory
            return
        assert self.lease is not None
        try:
            with self.lease.use(write=write, wait_s=WRITE_WAIT_S if write else 0.0) as store:
                yield store
        except StoreBusy:
            busy = f"{BUSY} Nothing was stored." if write else BUSY
            raise HTTPException(503, busy, headers={"Retry-After": str(BUSY_RETRY_S)}) from None

    def _limit(self) -> int:
        return int(self.settings["serve.max_concurrent"] + self.settings["serve.max_queue"])

    async def fetch(self, url: str) -> Page:
        """``fetch_page`` (the ``ingest.*`` limits) in the fetch pool; 503 when it is full. The
        article is extracted by the analysis, in a worker, under its deadline."""
        if self.fetching >= self._limit():
            raise HTTPException(503, "The server is busy fetching other pages; try again later.")
        self.fetching += 1
        try:
            args = ReadOptions.from_settings(self.settings).fetch_args()
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self.fetch_pool, lambda: fetch_page(url, **args))
        finally:
            self.fetching -= 1

    async def analyse(self, job: Job) -> dict[str, Any]:
        """Ingest, analyse and store one document within its lane's deadline (queueing
        included); 503 when the lane is full, 504 (nothing stored) past the deadline.
        A text over ``serve.large_bytes`` goes to the large lane; so does a page or file whose
        article turns out that large once extracted (in the normal lane)."""
        large_bytes = self.settings["serve.large_bytes"]
        job = dataclasses.replace(job, html_limits=HtmlLimits.from_settings(self.settings))
        if job.size > large_bytes and job.kind in ("text", "doc"):
            return await self._large(job)
        if self.waiting >= self._limit():
            raise HTTPException(503, "The server is busy with other analyses; try again later.")
        self.waiting += 1
        try:
            job = dataclasses.replace(job, max_text_bytes=large_bytes)
            return await self._run("normal", job, self.settings["serve.timeout_s"])
        except TooLargeForLane as exc:
            doc = exc.doc
        finally:
            self.waiting -= 1
        return await self._large(Job("doc", doc))

    async def _large(self, job: Job) -> dict[str, Any]:
        over = f"{self.settings['serve.large_bytes']:,}"
        if self.large_busy:
            raise HTTPException(
                503,
                f"Another text over {over} bytes is being analysed, and such texts run one at "
                "a time; try again in a few minutes, or send a shorter text.",
                headers={"Retry-After": "60"},
            )
        self.large_busy = True
        try:
            return await self._run("large", job, self.settings["serve.large_timeout_s"], over)
        finally:
            self.large_busy = False

    async def _run(self, lane: str, job: Job, timeout_s: float, over: str = "") -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        try:
            result = await self.lanes[lane].run(job, loop.time() + timeout_s)
        except DeadlinePassed:
            kind = f"a text over {over} bytes" if over else "a text"
            raise HTTPException(
                504,
                f"The analysis of {kind} took longer than {timeout_s:g} s and was stopped; "
                "nothing was stored. Try a shorter text.",
            ) from None
        except AnalysisFailed:
            raise HTTPException(
                500, "The analysis failed on this text; the log has details."
            ) from None
        await asyncio.to_thread(self._store, result)
        return plain({"id": result.doc.id, **result.to_dict()})

    def _store(self, result: Any) -> None:
        with self.db(write=True) as store:
            store.write([result])

    def result(self, doc_id: str) -> dict[str, Any]:
        with self.db() as store:
            rows = store.query("SELECT result FROM results WHERE doc_id = ?", [doc_id])
        if not rows:
            raise HTTPException(404, f"No document with id {doc_id[:40]!r} in this store.")
        return {"id": doc_id, **json.loads(rows[0][0])}

    def chart(self, name: str) -> Path:
        """A trend chart of ``spinscope stats`` (PNG), redrawn when the store has grown."""
        from spinscope.report.charts import write_charts

        # a name in a script the PNG's font lacks: the page shows the SVG, whose text the
        # browser draws, so matplotlib's warning for each such glyph is only noise in the log
        warnings.filterwarnings("ignore", r"Glyph \d+ .* missing from font", UserWarning)

        with self.db() as store:
            if self.charts_dir is None:
                self.charts_dir = Path(tempfile.mkdtemp(prefix="spinscope-charts-"))
            n = store.count("documents")
            if n != self.charts_docs:
                write_charts(store, self.charts_dir)
                self.charts_docs = n
        return self.charts_dir / name

    def close(self) -> None:
        self.fetch_pool.shutdown(wait=False, cancel_futures=True)
        for lane in self.lanes.values():
            lane.close()
        if self.lease is not None:
            self.lease.release()
        with self.lock:
            if self.memory is not None:
                self.memory.close()
            if self.charts_dir is not None:
                shutil.rmtree(self.charts_dir, ignore_errors=True)
                self.charts_dir = None


def _create_or_migrate(path: Path) -> None:
    """Create the store, or bring an older one to the current schema, before serving (each
    request then opens it read-only). A store another process is writing to is left to it:
    that process (`spinscope batch`) has made it current, and requests get 503 until it is done."""
    try:
        Store(path).close()
    except StoreBusy:
        log.warning("the store %s is open in another process; serving it when that is done", path)
