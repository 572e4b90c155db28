"""The app's state: one pipeline, one store connection, and the limits on analyses.

Analyses run on a thread pool of ``serve.max_concurrent`` workers, so no more run at once even
when a timed-out one is still finishing; ``serve.max_queue`` bounds how many may wait.
DuckDB allows one writer process, so the store is opened once and every use of its connection
holds one lock.
"""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import HTTPException

from spinscope.analysis.pipeline import Pipeline
from spinscope.errors import SpinscopeError
from spinscope.ingest import from_text
from spinscope.model.document import Document
from spinscope.store import Store

log = logging.getLogger("spinscope.api")
_PIPELINES: dict[str, Pipeline] = {}
_PIPELINES_LOCK = threading.Lock()


def pipeline_for(settings: dict[str, Any]) -> Pipeline:
    """One pipeline per process and analysis settings (models load once). The ``serve.*``
    settings are left out: they are not analysis settings, and the token must never be echoed
    in a result."""
    values = {k: v for k, v in settings.items() if not k.startswith("serve.")}
    key = repr(sorted(values.items()))
    with _PIPELINES_LOCK:
        if key not in _PIPELINES:
            _PIPELINES[key] = Pipeline(values)
        return _PIPELINES[key]


class Service:
    def __init__(self, settings: dict[str, Any], store_path: str | Path | None = None) -> None:
        self.settings = settings
        self.pipeline = pipeline_for(settings)
        # without --store, analysed documents live in memory for the life of the process
        self.store = Store(store_path or ":memory:")
        self.persistent = store_path is not None
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(settings["serve.max_concurrent"], "spinscope-analysis")
        self.waiting = 0
        self.waiting_lock = threading.Lock()
        self.charts_dir = Path(tempfile.mkdtemp(prefix="spinscope-charts-"))
        self.charts_docs = -1

    def warm_up(self) -> None:
        """Load the models now, not on the first user's request."""
        self.pipeline.run([from_text("Warm-up: the council said 40 percent of residents agree.")])

    @contextmanager
    def db(self) -> Iterator[Store]:
        with self.lock:
            yield self.store

    def _analyse(self, make_doc: Callable[[], Document]) -> dict[str, Any]:
        try:
            result = self.pipeline.run([make_doc()])[0]
        except SpinscopeError:
            raise
        except Exception as exc:  # a bug, not the user's input: log it, answer in one line
            log.exception("analysis failed")
            raise HTTPException(
                500, "The analysis failed on this text; the log has details."
            ) from exc
        with self.db() as store:
            store.write([result])
        return {"id": result.doc.id, **result.to_dict()}

    async def analyse(self, make_doc: Callable[[], Document]) -> dict[str, Any]:
        """Ingest, analyse and store one document on the pool, within ``serve.timeout_s``
        (queueing included)."""
        limit = self.settings["serve.max_concurrent"] + self.settings["serve.max_queue"]
        with self.waiting_lock:
            if self.waiting >= limit:
                raise HTTPException(503, "The server is busy with other analyses; try again later.")
            self.waiting += 1
        future = self.pool.submit(self._analyse, make_doc)
        future.add_done_callback(lambda _: self._done())
        timeout_s = self.settings["serve.timeout_s"]
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout_s)
        except TimeoutError:
            future.cancel()  # if it has not started; a running one finishes in its worker
            raise HTTPException(
                504, f"The analysis took longer than {timeout_s:g} s; try a shorter text."
            ) from None

    def _done(self) -> None:
        with self.waiting_lock:
            self.waiting -= 1

    def result(self, doc_id: str) -> dict[str, Any]:
        with self.db() as store:
            rows = store.query("SELECT result FROM results WHERE doc_id = ?", [doc_id])
        if not rows:
            raise HTTPException(404, f"No document with id {doc_id[:40]!r} in this store.")
        return {"id": doc_id, **json.loads(rows[0][0])}

    def chart(self, name: str) -> Path:
        """A trend chart of ``spinscope stats`` (PNG), redrawn when the store has grown."""
        from spinscope.store.charts import write_charts

        with self.db() as store:
            n = store.count("documents")
            if n != self.charts_docs:
                write_charts(store, self.charts_dir)
                self.charts_docs = n
        return self.charts_dir / name

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        with self.lock:
            self.store.close()
