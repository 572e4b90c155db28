"""The store: content-hash ids, one transaction per write, migrations, clear errors."""

from __future__ import annotations

import duckdb
import pytest

from spinscope.errors import StoreError
from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.model.labels import ArticleLabel, Evidence
from spinscope.store import SCHEMA_VERSION, Store
from spinscope.store.db import parse_date

TEXT = "Hello world. The enemy is evil and corrupt."


def result(text=TEXT, **meta) -> AnalysisResult:
    doc = Document(text, title="T", meta=meta)
    start = text.index("The enemy")
    finding = Finding(start, len(text), text[start:], "Name_Calling-Labeling", "semeval2023",
                      "Attack on reputation", 0.9, "explained", "techniques")  # fmt: skip
    label = ArticleLabel("genre", "opinion", 0.8, [Evidence(0, 12, text[:12], 0.1)])
    return AnalysisResult(doc=doc, findings=[finding], labels=[label])


def test_a_document_is_stored_once_with_its_rows(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        r = result(url="https://news.example.org/a", date="2024-03-05T10:00:00Z")
        assert store.write([r, r]) == 1 and store.write([r]) == 0
        assert store.count("documents") == store.count("results") == 1
        assert store.count("findings") == 1 and store.count("labels") == 1
        (row,) = store.query("SELECT doc_id, outlet, published, words FROM documents")
        assert row[0] == r.doc.id and row[1] == "news.example.org" and str(row[2]) == "2024-03-05"
        assert list(store.results()) == [r]
        (origin,) = store.query("SELECT origin FROM findings")[0]
        assert origin == "machine"


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    store = Store(tmp_path / "s.duckdb")
    monkeypatch.setattr(store, "_insert_rows", lambda results: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        store.write([result()], failures=[("src", "item", "ingest", "bad")])
    assert store.count("documents") == store.count("results") == store.count("failures") == 0


def older_store(path, version: int, *columns: str) -> None:
    """A store as an older spinscope wrote it: schema ``version``, without ``columns``."""
    with Store(path) as store:
        store.write([result()])
        for column in columns:
            table, name = column.split(".")
            store.con.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
        store.con.execute(f"UPDATE meta SET value = '{version}' WHERE key = 'schema_version'")


def test_an_older_store_is_migrated_in_place(tmp_path):
    path = tmp_path / "old.duckdb"
    older_store(path, 1, "findings.speaker", "findings.voice", "findings.origin",
                "documents.language")  # fmt: skip
    with pytest.raises(StoreError, match="older store schema 1; migrate it once with"):
        Store(path, read_only=True)
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.query("SELECT origin FROM findings") == [("machine",)]
        assert store.query("SELECT language FROM documents") == [(None,)]  # never detected
        assert store.query("SELECT voice, speaker FROM findings") == [(None, None)]


def test_a_newer_store_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    with Store(path) as store:
        store.con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema 99, newer than this spinscope"):
        Store(path)


def test_files_that_are_not_stores(tmp_path):
    with pytest.raises(StoreError, match="No store at"):
        Store(tmp_path / "missing.duckdb", read_only=True)
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a spinscope store"):
        Store(other)
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="is not a spinscope store: it is not a DuckDB file"):
        Store(junk)
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T10:00:00Z", "2024-03-05"),
        ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05"),
        ("Tue, 2024-02-30", None),
        ("March 5", None),
        (None, None),
        # the day the value names, not moved to UTC (23:30 in New York is still January 31)
        ("2024-01-31T23:30:00-05:00", "2024-01-31"),
        ("Wed, 31 Jan 2024 23:30:00 -0500", "2024-01-31"),
        ("1900-01-01", "1900-01-01"),
        ("9999-12-31", "9999-12-31"),
        # a five-digit year, or a day with a digit too many, was read from its last four (or
        # first two) digits: 12345-01-01 was stored as 2345-01-01
        ("12345-01-01", None),
        ("2024-01-011", None),
    ],
)
def test_parse_date(value, expected):
    assert (str(parse_date(value)) if parse_date(value) else None) == expected


def test_the_command_an_older_store_names_migrates_it(tmp_path, capsys):
    # the message named `spinscope batch --store FILE`, which argparse refused (no inputs)
    import shlex

    from spinscope.cli.main import main

    path = tmp_path / "old.duckdb"
    older_store(path, 3, "findings.speaker", "findings.voice")
    with pytest.raises(StoreError) as err:
        Store(path, read_only=True)
    command = str(err.value).split("`")[1]
    assert main(shlex.split(command)[1:]) == 0
    assert capsys.readouterr().err == (
        f"spinscope: the store {path} is ready (store schema {SCHEMA_VERSION}, 1 document); "
        "nothing to analyse: give files, folders or feeds to add documents.\n"
    )
    with Store(path, read_only=True) as store:
        assert store.schema_version() == SCHEMA_VERSION
