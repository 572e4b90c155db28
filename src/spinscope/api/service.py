"""The app's state: the analysis lanes, one store connection, and the limits on analyses.

Analyses run in worker processes (``api/workers.py``), so one past its deadline is killed and
its memory freed: ``serve.max_concurrent`` warm workers for normal texts, and one on-demand,
low-priority worker for texts over ``serve.large_bytes``. ``serve.max_queue`` bounds how many
normal analyses may wait. URL fetches run in a thread pool of their own, at most
``serve.max_concurrent + serve.max_queue`` at once (503 beyond): slow pages must not fill the
threads that store every result. A result is stored here, in the server process, only once it has
arrived in time: a 504 means nothing was stored.
DuckDB allows one writer process, so the store is opened once and every use of its connection
holds one lock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import shutil
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import HTTPException

from spinscope.analysis.pipeline import Pipeline, check_settings
from spinscope.api.workers import (
    AnalysisFailed,
    DeadlinePassed,
    InProcess,
    Job,
    OnDemand,
    TooLargeForLane,
    WorkerPool,
)
from spinscope.ingest import ReadOptions
from spinscope.ingest.html import HtmlLimits
from spinscope.ingest.url import Page, fetch_page
from spinscope.model.jsonable import plain
from spinscope.store import Store

log = logging.getLogger("spinscope.api")
LARGE_NICE = 10  # the large lane's priority: below the warm workers'


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
        self.store = Store(store_path or ":memory:")
        self.persistent = store_path is not None
        self.lock = threading.Lock()
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
    def db(self) -> Iterator[Store]:
        with self.lock:
            yield self.store

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
        with self.db() as store:
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
        with self.lock:
            self.store.close()
            if self.charts_dir is not None:
                shutil.rmtree(self.charts_dir, ignore_errors=True)
                self.charts_dir = None
