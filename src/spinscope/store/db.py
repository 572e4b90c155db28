"""The DuckDB store: transactional writes and reads (its schema and migrations are in
``store.schema``, a document's row in ``store.rows``)."""

from __future__ import annotations

import json
import shlex
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from spinscope.errors import StoreBusy, StoreError
from spinscope.model.document import AnalysisResult
from spinscope.store.rows import document_row, language_code, parse_date
from spinscope.store.rows import now as _now
from spinscope.store.schema import (
    COLUMNS,
    MIGRATIONS,
    SCHEMA_VERSION,
    TABLES,
    check_store_file,
    connect_duckdb,
    one_line,
    os_reason,
)


def _interrupted(exc: BaseException) -> bool:
    """DuckDB turns a Ctrl-C during a statement into ``RuntimeError('Query interrupted')``,
    which the batch run took for a document the store refuses, and went on."""
    return isinstance(exc, RuntimeError) and str(exc) == "Query interrupted"


LOCK_POLL_S = 0.1  # how often an open waiting for another process's lock tries again


class Store:
    """A corpus store in one DuckDB file (created on first use).

    Args:
        path: The ``.duckdb`` file.
        read_only: Open for reading only (stats, exports); the file must exist.
        wait_s: How long to try again while another process has the file open (DuckDB allows
            one writing process, or several reading ones); 0 to give up at once.

    Raises:
        StoreBusy: Another process still has the file open after ``wait_s``.
        StoreError: The file is not a spinscope store or is from a newer spinscope.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, wait_s: float = 0.0) -> None:
        import duckdb

        self.path = Path(path)
        self.run_id = ""
        if read_only and not self.path.exists():
            raise StoreError(
                f"No store at {self.path}; create one with "
                f"`spinscope batch ... --store {self.path}`."
            )
        if self.path.exists() and self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; give a .duckdb file for --store.")
        if str(path) != ":memory:" and self.path.exists():
            check_store_file(self.path)
        self.con = self._connect(read_only, wait_s)
        try:
            self._prepare(read_only)
        except duckdb.Error as exc:
            self._close_quietly()
            raise self._error("open", exc) from None
        except BaseException:
            self._close_quietly()
            raise

    def _connect(self, read_only: bool, wait_s: float):
        """``connect_duckdb``, tried again every ``LOCK_POLL_S`` for up to ``wait_s`` while
        another process holds the file's lock (`spinscope serve` holds it for a request)."""
        import duckdb

        deadline = time.monotonic() + wait_s
        while True:
            try:
                return connect_duckdb(self.path, read_only=read_only)
            except duckdb.Error as exc:
                error = self._error("open", exc, waited_s=wait_s)
                left_s = deadline - time.monotonic()
                if not isinstance(error, StoreBusy) or left_s <= 0:
                    raise error from None
            time.sleep(min(LOCK_POLL_S, left_s))

    # -- errors -----------------------------------------------------------------------------

    def _error(self, doing: str, exc: BaseException, waited_s: float = 0.0) -> StoreError:
        """One line for a DuckDB (or OS) error while ``doing`` ("open", "write", "read") the
        store, naming the cause: a full disk, a truncated file, a lock (``StoreBusy``, saying
        how long it was waited for), ..."""
        cause = os_reason(exc) if isinstance(exc, OSError) else one_line(exc)
        low = cause.lower()
        if "no space left on device" in low:
            hint = "the disk is full; free some space and run the same command again"
        elif "disk quota exceeded" in low:
            hint = "the disk quota is used up; free some space and run the same command again"
        elif "file too large" in low:
            hint = "the file has reached the size limit for files on this system"
        elif "could not read enough bytes" in low or "corrupt" in low:
            hint = "the file looks truncated or damaged; restore it from a copy"
        elif "conflicting lock" in low or "could not set lock" in low:
            hint = "another process has it open; close that process or use another file"
            if waited_s > 0:
                hint += f" (waited {waited_s:g} s; the setting store.lock_wait_s says how long)"
            return StoreBusy(f"Cannot {doing} the store {self.path}: {hint} ({cause}).")
        else:
            hint = ""
        hint = f"{hint} ({cause})" if hint else cause
        return StoreError(f"Cannot {doing} the store {self.path}: {hint}.")

    def _close_quietly(self) -> None:
        try:
            self.con.close()
        except Exception:  # noqa: BLE001 -- closing after a failure: the failure is reported
            pass

    def _rollback(self) -> None:
        """Roll back, ignoring a failing ROLLBACK: after some errors (a full disk) DuckDB has
        already ended the transaction, and the original error is the one to report."""
        try:
            self.con.execute("ROLLBACK")
        except Exception:  # noqa: BLE001 -- the error that caused the rollback is raised
            pass

    @contextmanager
    def transaction(self, doing: str = "write to") -> Iterator[None]:
        """``BEGIN`` ... ``COMMIT``, all or nothing; a DuckDB error becomes one StoreError line
        with its cause, any other error is raised as it is (after the rollback)."""
        import duckdb

        try:
            self.con.execute("BEGIN")
        except duckdb.Error as exc:
            raise self._error(doing, exc) from None
        try:
            yield
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            raise self._error(doing, exc) from exc
        except BaseException as exc:
            self._rollback()
            if _interrupted(exc):
                raise KeyboardInterrupt from None
            raise

    def _fetch(self, sql: str, params: Sequence[Any] = (), *, con=None, one: bool = False):
        """Run a read; a DuckDB error becomes one StoreError line."""
        import duckdb

        try:
            cur = (con or self.con).execute(sql, list(params))
            return cur.fetchone() if one else cur.fetchall()
        except duckdb.Error as exc:
            raise self._error("read", exc) from None
        except RuntimeError as exc:
            if _interrupted(exc):
                raise KeyboardInterrupt from None
            raise

    # -- schema -----------------------------------------------------------------------------

    def _tables(self) -> set[str]:
        rows = self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        return {r[0] for r in rows}

    def _check_columns(self) -> None:
        """Every table and column of the current schema is there (extra ones are allowed)."""
        rows = self.con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
        have: dict[str, set[str]] = {}
        for table, column in rows:
            have.setdefault(table, set()).add(column)
        for table, columns in COLUMNS.items():
            if table not in have:
                raise StoreError(
                    f"{self.path} is not a spinscope store: the table {table} is missing."
                )
            missing = [c for c in columns if c not in have[table]]
            if missing:
                raise StoreError(
                    f"{self.path} is not a spinscope store: the table {table} has no column "
                    f"{', '.join(missing)}."
                )

    def _prepare(self, read_only: bool) -> None:
        tables = self._tables()
        if tables and "meta" not in tables:
            raise StoreError(
                f"{self.path} is not a spinscope store: a DuckDB file without spinscope's tables."
            )
        if not tables:
            if read_only:
                raise StoreError(f"{self.path} is not a spinscope store: it has no tables.")
            with self.transaction("create"):
                self.con.execute(TABLES)
                self.con.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?), ('created', ?)",
                    [str(SCHEMA_VERSION), _now().isoformat()],
                )
            return
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has store schema {version}, newer than this spinscope's "
                f"({SCHEMA_VERSION}); upgrade spinscope to read it."
            )
        if version < SCHEMA_VERSION:
            if read_only:
                raise StoreError(
                    f"{self.path} has the older store schema {version}; migrate it once with "
                    f"`spinscope batch --store {shlex.quote(str(self.path))}` (no inputs: nothing "
                    "is analysed)."
                )
            self.migrate(version)
        self._check_columns()

    def schema_version(self) -> int:
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        try:
            return int(row[0]) if row else 0
        except ValueError as exc:
            raise StoreError(f"{self.path}: unreadable schema version {row[0]!r}.") from exc

    def migrate(self, version: int) -> None:
        """Bring a store from ``version`` to the current schema, one step at a time, in one
        transaction (all or nothing)."""
        with self.transaction("migrate"):
            for v in range(version, SCHEMA_VERSION):
                if v not in MIGRATIONS:
                    raise StoreError(f"{self.path}: no migration from store schema {v}.")
                self.con.execute(MIGRATIONS[v])
            self.con.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)]
            )

    # -- writes -----------------------------------------------------------------------------

    def stored_ids(self, doc_ids: Iterable[str], *, con=None) -> set[str]:
        """Which of ``doc_ids`` are stored (with their results). From another thread, pass
        ``con=store.cursor()`` (a DuckDB connection serves one thread at a time)."""
        ids = list(dict.fromkeys(doc_ids))
        if not ids:
            return set()
        rows = self._fetch(
            "SELECT doc_id FROM results WHERE doc_id IN (SELECT unnest(?))", [ids], con=con
        )
        return {r[0] for r in rows}

    def write(
        self,
        results: Sequence[AnalysisResult],
        *,
        failures: Sequence[tuple[str, str, str, str]] = (),
        run_id: str = "",
        skipped: int | None = None,
        vectors: Mapping[str, bytes] | None = None,
    ) -> int:
        """Store documents with their results, and ``(source, item, stage, reason)`` failure
        records, in one transaction; already stored documents are skipped. The run's row (of
        ``run_id``, else the started run's) counts them in the same transaction (and takes the
        run's ``skipped`` so far), so a run killed later shows what it did. ``vectors``: the
        story vectors of some of them by doc_id (``story_vectors.ingest_vectors``; the caller
        has created the table, ``story_record.ingest_encoder``). Returns how many documents
        were new."""
        stored = self.stored_ids(r.doc.id for r in results)
        new = list({r.doc.id: r for r in results if r.doc.id not in stored}.values())
        if not new and not failures:
            return 0
        now, run_id = _now(), run_id or self.run_id
        with self.transaction():
            if new:
                self._insert(
                    "documents",
                    [[*document_row(r.doc).values(), now, language_code(r.doc)] for r in new],
                )
                self._insert(
                    "results",
                    [[r.doc.id, json.dumps(r.to_dict(), ensure_ascii=False), now] for r in new],
                )
                self._insert_rows(new)
                self._insert_vectors([r.doc.id for r in new], vectors or {})
            if failures:
                self._insert(
                    "failures",
                    [[run_id, *f, now] for f in failures],
                )
            if run_id:
                self.con.execute(
                    "UPDATE runs SET stored = stored + ?, failed = failed + ?, "
                    "skipped = coalesce(?, skipped) WHERE run_id = ?",
                    [len(new), len(failures), skipped, run_id],
                )
        return len(new)

    def _insert_vectors(self, doc_ids: Sequence[str], vectors: Mapping[str, bytes]) -> None:
        rows = [[i, vectors[i]] for i in doc_ids if vectors.get(i) is not None]
        if rows:  # a stray vector of an unstored id would fail the insert, and so the document
            self.con.execute("DELETE FROM story_vectors WHERE doc_id IN (SELECT unnest(?))",
                             [[r[0] for r in rows]])  # fmt: skip
            self._insert("story_vectors", rows)

    def _insert_rows(self, results: Sequence[AnalysisResult]) -> None:
        findings, claims, labels = [], [], []
        for r in results:
            i = r.doc.id
            findings += [
                [i, f.start, f.end, f.text, f.label, f.taxonomy, f.category, f.confidence,
                 f.analyzer, "machine", f.voice, f.speaker] for f in r.findings
            ]  # fmt: skip
            claims += [
                [i, c.start, c.end, c.text, c.checkworthiness, len(c.figures), c.attribution.kind,
                 m.text if (m := c.attribution.entity or c.attribution.speaker) else None]
                for c in r.claims
            ]  # fmt: skip
            labels += [[i, x.task, x.label, x.score, x.analyzer] for x in r.labels]
        if findings:
            self._insert("findings", findings)
        if claims:
            self._insert("claims", claims)
        if labels:
            self._insert("labels", labels)

    def _insert(self, table: str, rows: Sequence[Sequence[Any]], chunk: int = 256) -> None:
        """Insert rows with multi-row statements (DuckDB runs ``executemany`` one row at a
        time, several times slower for the dozens of rows a document brings)."""
        for k in range(0, len(rows), chunk):
            part = rows[k : k + chunk]
            marks = "(" + ", ".join("?" * len(part[0])) + ")"
            sql = f"INSERT INTO {table} VALUES " + ", ".join([marks] * len(part))
            self.con.execute(sql, [value for row in part for value in row])

    def start_run(self, run_id: str, command: str) -> None:
        """Record a run; failures written afterwards carry its id."""
        self.run_id = run_id
        with self.transaction():
            self.con.execute(
                "INSERT INTO runs VALUES (?, ?, NULL, ?, 0, 0, 0)", [run_id, _now(), command]
            )

    def finish_run(
        self, run_id: str, stored: int, skipped: int, failed: int, *, finished: bool = True
    ) -> None:
        """Record a run's counts and, if it ran to the end (``finished``), when it ended; a run
        stopped by an error or Ctrl-C (or killed) keeps ``finished`` empty."""
        with self.transaction():
            self.con.execute(
                "UPDATE runs SET finished = ?, stored = ?, skipped = ?, failed = ? "
                "WHERE run_id = ?",
                [_now() if finished else None, stored, skipped, failed, run_id],
            )

    # -- reads ------------------------------------------------------------------------------

    def count(self, table: str) -> int:
        if table not in {
            "documents",
            "results",
            "findings",
            "claims",
            "labels",
            "failures",
            "runs",
        }:
            raise ValueError(f"unknown table {table!r}")
        return int(self._fetch(f"SELECT count(*) FROM {table}", one=True)[0])

    def results(self, *, batch_size: int = 256) -> Iterator[AnalysisResult]:
        """Every stored result, in the order stored."""
        import duckdb

        try:
            cur = self.con.execute("SELECT result FROM results ORDER BY analyzed_at, doc_id")
            rows = cur.fetchmany(batch_size)
        except duckdb.Error as exc:
            raise self._error("read", exc) from None
        while rows:
            for (data,) in rows:
                yield AnalysisResult.from_dict(json.loads(data))
            try:
                rows = cur.fetchmany(batch_size)
            except duckdb.Error as exc:
                raise self._error("read", exc) from None

    def cursor(self):
        """A connection to the same store for use in another thread."""
        return self.con.cursor()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self._fetch(sql, params)

    def close(self) -> None:
        """Close the store; an error while closing (a full disk at the final checkpoint) is
        one StoreError line."""
        import duckdb

        try:
            self.con.close()
        except duckdb.Error as exc:
            raise self._error("close", exc) from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:  # the error on the way out is the one to report
            self._close_quietly()


__all__ = [
    "SCHEMA_VERSION",
    "Store",
    "check_store_file",
    "connect_duckdb",
    "document_row",
    "language_code",
    "parse_date",
]
