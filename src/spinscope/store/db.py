"""The DuckDB store: schema, migrations, transactional writes and reads."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from spinscope.errors import StoreError
from spinscope.model.document import AnalysisResult, Document

# 1: first release; 2: findings.origin ("machine" or "human", for annotation round trips).
SCHEMA_VERSION = 2

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY, title VARCHAR, url VARCHAR, outlet VARCHAR, published DATE,
    source VARCHAR, words INTEGER, text VARCHAR, meta JSON, added_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS results (doc_id VARCHAR PRIMARY KEY, result JSON, analyzed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS findings (
    doc_id VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR, label VARCHAR, taxonomy VARCHAR,
    category VARCHAR, confidence DOUBLE, analyzer VARCHAR, origin VARCHAR DEFAULT 'machine');
CREATE TABLE IF NOT EXISTS claims (
    doc_id VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR, checkworthiness DOUBLE,
    figures INTEGER, attribution VARCHAR, speaker VARCHAR);
CREATE TABLE IF NOT EXISTS labels (
    doc_id VARCHAR, task VARCHAR, label VARCHAR, score DOUBLE, analyzer VARCHAR);
CREATE TABLE IF NOT EXISTS failures (
    run_id VARCHAR, source VARCHAR, item VARCHAR, stage VARCHAR, reason VARCHAR,
    failed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP, command VARCHAR,
    stored INTEGER, skipped INTEGER, failed INTEGER);
"""

# version -> SQL that brings a store of that version to the next one
MIGRATIONS = {1: "ALTER TABLE findings ADD COLUMN origin VARCHAR DEFAULT 'machine';"}

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def parse_date(value: Any) -> date | None:
    """The calendar date in an ISO-like value ("2024-03-01", "2024-03-01T10:00Z"), else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE.search(str(value or ""))
    if not m:
        return _rfc2822_date(str(value or ""))
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _rfc2822_date(value: str) -> date | None:
    """The date of an RSS-style value ("Tue, 05 Mar 2024 10:00:00 GMT"), else None."""
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date() if value.strip() else None
    except (TypeError, ValueError, IndexError):
        return None


def document_row(doc: Document) -> dict[str, Any]:
    """The indexed fields of a document: outlet (given, or the site, or the URL's host), date."""
    meta = doc.meta
    url = meta.get("url") or None
    outlet = meta.get("outlet") or meta.get("site") or meta.get("sitename")
    if not outlet and url:
        outlet = urlsplit(str(url)).hostname
    published = parse_date(meta.get("date") or meta.get("published"))
    return {
        "doc_id": doc.id,
        "title": doc.title,
        "url": str(url) if url else None,
        "outlet": str(outlet) if outlet else None,
        "published": published,
        "source": str(meta.get("source")) if meta.get("source") else None,
        "words": len(doc.text.split()),
        "text": doc.text,
        "meta": json.dumps(meta, ensure_ascii=False, default=str),
    }


class Store:
    """A corpus store in one DuckDB file (created on first use).

    Args:
        path: The ``.duckdb`` file.
        read_only: Open for reading only (stats, exports); the file must exist.

    Raises:
        StoreError: The file is not a spinscope store, is from a newer spinscope, or is locked.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
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
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"Cannot open the store {self.path}: {_one_line(exc)}") from exc
        try:
            self._prepare(read_only)
        except Exception:
            self.con.close()
            raise

    # -- schema -----------------------------------------------------------------------------

    def _tables(self) -> set[str]:
        rows = self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        return {r[0] for r in rows}

    def _prepare(self, read_only: bool) -> None:
        tables = self._tables()
        if tables and "meta" not in tables:
            raise StoreError(f"{self.path} is a DuckDB file but not a spinscope store.")
        if not tables:
            if read_only:
                raise StoreError(f"{self.path} is empty, not a spinscope store.")
            self.con.execute("BEGIN")
            self.con.execute(TABLES)
            self.con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?), ('created', ?)",
                [str(SCHEMA_VERSION), _now().isoformat()],
            )
            self.con.execute("COMMIT")
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
                    f"{self.path} has the older store schema {version}; open it once for writing "
                    f"(e.g. `spinscope batch --store {self.path}` with no new input) to migrate it."
                )
            self.migrate(version)

    def schema_version(self) -> int:
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        try:
            return int(row[0]) if row else 0
        except ValueError as exc:
            raise StoreError(f"{self.path}: unreadable schema version {row[0]!r}.") from exc

    def migrate(self, version: int) -> None:
        """Bring a store from ``version`` to the current schema, one step at a time, in one
        transaction (all or nothing)."""
        self.con.execute("BEGIN")
        try:
            for v in range(version, SCHEMA_VERSION):
                if v not in MIGRATIONS:
                    raise StoreError(f"{self.path}: no migration from store schema {v}.")
                self.con.execute(MIGRATIONS[v])
            self.con.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)]
            )
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    # -- writes -----------------------------------------------------------------------------

    def stored_ids(self, doc_ids: Iterable[str], *, con=None) -> set[str]:
        """Which of ``doc_ids`` are stored (with their results). From another thread, pass
        ``con=store.cursor()`` (a DuckDB connection serves one thread at a time)."""
        ids = list(dict.fromkeys(doc_ids))
        if not ids:
            return set()
        rows = (
            (con or self.con)
            .execute("SELECT doc_id FROM results WHERE doc_id IN (SELECT unnest(?))", [ids])
            .fetchall()
        )
        return {r[0] for r in rows}

    def write(
        self,
        results: Sequence[AnalysisResult],
        *,
        failures: Sequence[tuple[str, str, str, str]] = (),
        run_id: str = "",
    ) -> int:
        """Store documents with their results, and ``(source, item, stage, reason)`` failure
        records, in one transaction; already stored documents are skipped. Returns how many
        documents were new."""
        stored = self.stored_ids(r.doc.id for r in results)
        new = list({r.doc.id: r for r in results if r.doc.id not in stored}.values())
        if not new and not failures:
            return 0
        now = _now()
        self.con.execute("BEGIN")
        try:
            if new:
                self._insert(
                    "documents",
                    [[*document_row(r.doc).values(), now] for r in new],
                )
                self._insert(
                    "results",
                    [[r.doc.id, json.dumps(r.to_dict(), ensure_ascii=False), now] for r in new],
                )
                self._insert_rows(new)
            if failures:
                self._insert(
                    "failures",
                    [[run_id or self.run_id, *f, now] for f in failures],
                )
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return len(new)

    def _insert_rows(self, results: Sequence[AnalysisResult]) -> None:
        findings, claims, labels = [], [], []
        for r in results:
            i = r.doc.id
            findings += [
                [i, f.start, f.end, f.text, f.label, f.taxonomy, f.category, f.confidence,
                 f.analyzer, "machine"] for f in r.findings
            ]  # fmt: skip
            claims += [
                [i, c.start, c.end, c.text, c.checkworthiness, len(c.figures), c.attribution.kind,
                 (c.attribution.entity or c.attribution.speaker).text
                 if (c.attribution.entity or c.attribution.speaker) else None]
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
        self.con.execute(
            "INSERT INTO runs VALUES (?, ?, NULL, ?, 0, 0, 0)", [run_id, _now(), command]
        )

    def finish_run(self, run_id: str, stored: int, skipped: int, failed: int) -> None:
        self.con.execute(
            "UPDATE runs SET finished = ?, stored = ?, skipped = ?, failed = ? WHERE run_id = ?",
            [_now(), stored, skipped, failed, run_id],
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
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def results(self, *, batch_size: int = 256) -> Iterator[AnalysisResult]:
        """Every stored result, in the order stored."""
        cur = self.con.execute("SELECT result FROM results ORDER BY analyzed_at, doc_id")
        while rows := cur.fetchmany(batch_size):
            for (data,) in rows:
                yield AnalysisResult.from_dict(json.loads(data))

    def cursor(self):
        """A connection to the same store for use in another thread."""
        return self.con.cursor()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
