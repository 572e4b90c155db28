"""Issue #16, items 4 and 7: a file that is not a spinscope store, a damaged store and a full disk
each give one line that names the cause (never a traceback, never a download by DuckDB)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from spinscope.cli.main import main
from spinscope.errors import StoreError
from spinscope.store import Store, db

from .conftest import results


def sqlite_file(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE documents (doc_id TEXT)")
    con.commit()
    con.close()
    return path


def other_duckdb(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    return path


NOT_STORES = {
    "sqlite": (sqlite_file, "SQLite database"),
    "text": (lambda p: p.write_text("hello\n" * 400) and p, "not a DuckDB file"),
    "empty": (lambda p: p.write_bytes(b"") or p, "the file is empty"),
    "duckdb": (other_duckdb, "without spinscope's tables"),
}


def one_line(message: str) -> bool:
    return "\n" not in message.strip() and "Traceback" not in message


@pytest.mark.parametrize("kind", NOT_STORES)
@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_that_is_not_a_store_is_refused_in_one_line(tmp_path, kind, read_only):
    make, what = NOT_STORES[kind]
    path = make(tmp_path / f"{kind}.duckdb")
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        Store(path, read_only=read_only)
    message = str(err.value)
    assert f"{path} is not a spinscope store: " in message and what in message
    assert one_line(message) and "download" not in message.lower()
    assert path.read_bytes() == before  # nothing written into somebody else's file


@pytest.mark.parametrize("kind", NOT_STORES)
@pytest.mark.parametrize("command", ["stats", "batch"])
def test_the_cli_refuses_a_file_that_is_not_a_store(tmp_path, capsys, kind, command):
    make, _ = NOT_STORES[kind]
    path = make(tmp_path / f"{kind}.db")
    (tmp_path / "a.txt").write_text("The minister said the plan would help families.")
    args = {
        "stats": ["stats"],
        "batch": ["batch", str(tmp_path / "a.txt"), "--set", "pipeline.analyzers=framing"],
    }[command]
    assert main([*args, "--store", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("spinscope: error: ") and err.count("\n") == 1
    assert "is not a spinscope store" in err


def test_connections_never_install_or_load_an_extension(tmp_path):
    # The header check is bypassed here: DuckDB itself, given a SQLite file, must not reach for
    # its sqlite scanner (before: "Failed to download extension sqlite_scanner ... http://").
    con = db.connect_duckdb(tmp_path / "x.duckdb")
    settings = dict(
        con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('autoinstall_known_extensions', 'autoload_known_extensions', "
            "'allow_community_extensions', 'lock_configuration')"
        ).fetchall()
    )
    assert settings == {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
        "allow_community_extensions": "false",
        "lock_configuration": "true",
    }
    with pytest.raises(duckdb.Error, match="locked"):
        con.execute("SET autoinstall_known_extensions = true")
    con.close()
    with pytest.raises(duckdb.Error) as err:
        db.connect_duckdb(sqlite_file(tmp_path / "s.db"))
    assert "download" not in str(err.value).lower() and "http" not in str(err.value).lower()


def test_the_store_opens_with_extensions_off(store):
    # the JSON columns and parquet export are built in: nothing to load
    assert store.count("results") == 3 and len(list(store.results())) == 3


def test_a_truncated_store_is_one_line(store_path, tmp_path, capsys):
    big = tmp_path / "big.duckdb"
    with Store(big) as s:
        for k in range(40):
            s.write([_variant(r, k) for r in results()])
    os.truncate(big, big.stat().st_size // 2)
    with pytest.raises(StoreError, match=r"Cannot open the store .*truncated or damaged") as err:
        Store(big, read_only=True)
    assert one_line(str(err.value))
    assert main(["stats", "--store", str(big)]) == 1
    err_out = capsys.readouterr().err
    assert err_out.count("\n") == 1 and "truncated or damaged" in err_out


def _variant(result, k):
    from spinscope.model.document import AnalysisResult, Document

    doc = Document(f"{result.doc.text} ({k})", result.doc.title, result.doc.meta)
    return AnalysisResult(doc, result.findings, models=result.models)


def test_a_store_missing_a_table_or_a_column_is_refused(store_path, tmp_path, capsys):
    con = duckdb.connect(str(store_path))
    con.execute("DROP TABLE claims")
    con.close()
    with pytest.raises(StoreError, match="is not a spinscope store: the table claims is missing"):
        Store(store_path)
    out = tmp_path / "x.jsonl"
    assert main(["export", "--store", str(store_path), "--format", "jsonl", "--out", str(out)]) == 1
    assert "the table claims is missing" in capsys.readouterr().err
    con = duckdb.connect(str(store_path))
    con.execute("CREATE TABLE claims (doc_id VARCHAR)")
    con.close()
    with pytest.raises(StoreError, match="the table claims has no column start, end, text"):
        Store(store_path, read_only=True)


class DiskFull:
    """A connection whose inserts fail as on a full disk, and whose ROLLBACK then fails as
    DuckDB's does after such an error (the transaction is already gone)."""

    def __init__(self, con):
        self.con = con

    def execute(self, sql, *args):
        if sql.startswith("INSERT"):
            raise duckdb.IOException(
                'IO Error: Could not write file "s.duckdb.wal": No space left on device'
            )
        if sql == "ROLLBACK":
            self.con.execute("ROLLBACK")
            raise duckdb.TransactionException(
                "TransactionContext Error: cannot rollback - no transaction is active"
            )
        return self.con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.con, name)


def test_a_full_disk_is_named_not_hidden_behind_the_failed_rollback(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    real = store.con
    store.con = DiskFull(real)
    with pytest.raises(StoreError) as err:
        store.write(results(), failures=[("src", "item", "ingest", "bad")])
    message = str(err.value)
    path = tmp_path / "s.duckdb"
    assert message.startswith(f"Cannot write to the store {path}: the disk is full")
    assert "No space left on device" in message and "cannot rollback" not in message
    assert one_line(message)
    store.con = real
    assert store.count("documents") == store.count("failures") == 0  # all or nothing
    store.close()


def test_a_full_disk_during_a_batch_is_one_line(tmp_path, capsys, monkeypatch):
    def full(self, table, rows, chunk=256):
        raise duckdb.IOException('IO Error: Could not write file "x": No space left on device')

    monkeypatch.setattr(Store, "_insert", full)
    (tmp_path / "a.txt").write_text("The minister said the plan would help families.")
    store = tmp_path / "s.duckdb"
    args = ["batch", str(tmp_path / "a.txt"), "--store", str(store)]
    assert main([*args, "--set", "pipeline.analyzers=framing"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the disk is full" in err and "No space left" in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE is Linux's")
def test_a_real_write_error_keeps_its_cause(tmp_path):
    # A file size limit makes DuckDB's own write fail for real (EFBIG, like ENOSPC): DuckDB
    # then ends the transaction itself, and before the fix the ROLLBACK that followed raised
    # "cannot rollback - no transaction is active", hiding the cause.
    script = textwrap.dedent(
        """
        import random, resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        from spinscope.errors import StoreError
        from spinscope.model.document import AnalysisResult, Document
        from spinscope.store import Store
        store = Store(sys.argv[1])
        resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))
        rnd = random.Random(1)
        docs = [Document(" ".join(str(rnd.random()) for _ in range(20000)), "T") for _ in range(10)]
        try:
            store.write([AnalysisResult(d, []) for d in docs])
        except StoreError as exc:
            print(exc)
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "s.duckdb")],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "Cannot write to the store" in out.stdout and "File too large" in out.stdout
    assert "cannot rollback" not in out.stdout and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("fmt", "out", "expected"),
    [
        ("csv", "afile/x.csv", "afile is a file, not a folder"),
        ("jsonl", "afile/x.jsonl", "afile is a file, not a folder"),
        ("brat", "afile", "afile is a file, not a folder"),
        ("jsonl", "folder", "it is a folder, and this export is one file"),
        ("parquet", "folder", "it is a folder, and this export is one file"),  # "File exists"
        ("csv", "folder", "give a file name, e.g. --out"),
        ("failures", "folder", "failures.csv"),
    ],
)
def test_an_export_to_a_bad_path_is_one_line(store_path, tmp_path, capsys, fmt, out, expected):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "folder").mkdir()
    args = ["export", "--store", str(store_path), "--format", fmt, "--out", str(tmp_path / out)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"spinscope: error: Cannot write the {fmt} export to {tmp_path / out}")
    assert err.count("\n") == 1 and expected in err


class Interrupted(DiskFull):
    """DuckDB turns a Ctrl-C during a statement into RuntimeError('Query interrupted')."""

    def execute(self, sql, *args):
        if sql.startswith("INSERT"):
            raise RuntimeError("Query interrupted")
        return self.con.execute(sql, *args)


def test_a_ctrl_c_during_a_write_is_a_keyboard_interrupt_not_a_store_failure(tmp_path):
    # as a RuntimeError it was taken for a document the store refuses: the batch was stored
    # again one document at a time and the run went on, ignoring the Ctrl-C
    store = Store(tmp_path / "s.duckdb")
    real = store.con
    store.con = Interrupted(real)
    with pytest.raises(KeyboardInterrupt):
        store.write(results())
    store.con = real
    assert store.count("documents") == 0
    store.close()
