"""The store's schema: its tables, version and migrations, and how a DuckDB file is checked
and opened (every DuckDB connection in spinscope is made here)."""

from __future__ import annotations

import errno
import re
from pathlib import Path

from spinscope.errors import StoreError

# 1: first release; 2: findings.origin ("machine" or "human", for annotation round trips);
# 3: documents.language (the detected ISO 639-1 code, or "unknown"); 4: findings.voice
# ("author", "quote" or "reported"; NULL for human findings and older results) and
# findings.speaker (who is quoted or reported, where known).
SCHEMA_VERSION = 4

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY, title VARCHAR, url VARCHAR, outlet VARCHAR, published DATE,
    source VARCHAR, words INTEGER, text VARCHAR, meta JSON, added_at TIMESTAMP,
    language VARCHAR);
CREATE TABLE IF NOT EXISTS results (doc_id VARCHAR PRIMARY KEY, result JSON, analyzed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS findings (
    doc_id VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR, label VARCHAR, taxonomy VARCHAR,
    category VARCHAR, confidence DOUBLE, analyzer VARCHAR, origin VARCHAR DEFAULT 'machine',
    voice VARCHAR, speaker VARCHAR);
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

# The machine's findings only, as a condition on the findings table (``f.{MACHINE_FINDINGS}``
# where it is joined as ``f``): `import-annotations --store` keeps corrected spans beside them
# (origin 'human'), and counting both doubled the rates of every document annotated.
MACHINE_FINDINGS = "origin = 'machine'"

# version -> SQL that brings a store of that version to the next one
MIGRATIONS = {
    1: "ALTER TABLE findings ADD COLUMN origin VARCHAR DEFAULT 'machine';",
    # added last, as ALTER TABLE does, so that new and migrated stores have one column order
    2: "ALTER TABLE documents ADD COLUMN language VARCHAR;",
    3: "ALTER TABLE findings ADD COLUMN voice VARCHAR; "
    "ALTER TABLE findings ADD COLUMN speaker VARCHAR;",
}

# A DuckDB database file carries this magic at byte 8 (after an 8-byte checksum).
DUCKDB_MAGIC, DUCKDB_MAGIC_AT = b"DUCK", 8
# Extension loading switched off on every connection: a store is plain tables, and a file that
# is not a DuckDB store (a SQLite file, say) must not make DuckDB fetch a scanner from the web.
DUCKDB_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}


def _expected_columns(sql: str) -> dict[str, list[str]]:
    """Table -> column names of the ``CREATE TABLE`` statements in ``sql``."""
    out = {}
    for name, body in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\);", sql, re.S):
        out[name] = [part.split()[0].strip('"') for part in body.split(",")]
    return out


COLUMNS = _expected_columns(TABLES)


def connect_duckdb(path: str | Path, *, read_only: bool = False):
    """A DuckDB connection that never installs or loads an extension (no network access), with
    its configuration locked. Every DuckDB connection in spinscope is made here."""
    import duckdb

    con = duckdb.connect(str(path), read_only=read_only, config=dict(DUCKDB_CONFIG))
    try:
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def check_store_file(path: Path) -> None:
    """Refuse, before DuckDB opens it, a file that is not a DuckDB database (by its header).

    Raises:
        StoreError: ``"<path> is not a spinscope store: ..."``, saying what the file is.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError as exc:
        raise StoreError(f"Cannot open the store {path}: {os_reason(exc)}.") from None
    what = None
    if not head:
        what = "the file is empty"
    elif head.startswith(b"SQLite format 3\x00"):
        what = "it is a SQLite database, not a DuckDB file"
    elif head[DUCKDB_MAGIC_AT : DUCKDB_MAGIC_AT + 4] != DUCKDB_MAGIC:
        what = "it is not a DuckDB file"
    if what:
        raise StoreError(
            f"{path} is not a spinscope store: {what}; give a .duckdb file made by spinscope "
            "(or a new file name to create one) for --store."
        )


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def os_reason(exc: OSError) -> str:
    """``"No space left on device"``, ``"Permission denied"``, ...: the OS's words."""
    if exc.errno == errno.ENOSPC:
        return "No space left on device"
    return exc.strerror or one_line(exc)
