"""CSV exports never hand a spreadsheet a formula: a string cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a CR gets a ``'`` in front (OWASP), in every CSV the store writes (the
``csv`` and ``failures`` exports); numbers stay numbers and the rows keep their order."""

from __future__ import annotations

import csv

import duckdb
import pytest

from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.store import Store
from spinscope.store.csv_cells import FORMULA_STARTS
from spinscope.store.exports import copy_to, export

HOSTILE = '=HYPERLINK("http://evil.example","click") said the mayor.'


def read_rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def hostile_store(tmp_path):
    quoted = HOSTILE[:10]
    finding = Finding(0, 10, quoted, "@Loaded", "semeval2023", "-x", 0.5, "b", "techniques")
    meta = {"outlet": "+cmd|' /C calc'!A0", "url": "-1+2", "source": "\tfeed.jsonl"}
    safe = AnalysisResult(Document("A calm text.", "Plain", {"outlet": "calm"}), [])
    with Store(tmp_path / "hostile.duckdb") as store:
        store.write(
            [AnalysisResult(Document(HOSTILE, "@SUM(A1:A9)", meta), [finding]), safe],
            failures=[("=src.csv", "\rline 3", "ingest", "-boom")],
        )
        yield store


def test_findings_csv_cells_that_start_a_formula_are_quoted(hostile_store, tmp_path):
    out = tmp_path / "f.csv"
    assert export(hostile_store, "csv", out) == 1
    (row,) = read_rows(out)
    assert row["text"] == "'=HYPERLINK" and row["title"] == "'@SUM(A1:A9)"
    assert row["outlet"] == "'+cmd|' /C calc'!A0" and row["url"] == "'-1+2"
    assert row["source"] == "'\tfeed.jsonl"
    assert row["label"] == "'@Loaded" and row["category"] == "'-x"
    assert row["start"] == "0" and row["end"] == "10" and row["confidence"] == "0.5"
    assert row["taxonomy"] == "semeval2023" and row["doc_id"][0] not in FORMULA_STARTS


def test_the_failures_csv_is_guarded_too(hostile_store, tmp_path):
    out = tmp_path / "fail.csv"
    assert export(hostile_store, "failures", out) == 1
    (row,) = read_rows(out)
    assert (row["source"], row["item"], row["stage"], row["reason"]) == (
        "'=src.csv", "'\rline 3", "ingest", "'-boom",
    )  # fmt: skip
    assert row["failed_at"][:2] == "20"  # a timestamp, as before


def test_numbers_stay_numbers_and_only_strings_are_guarded(hostile_store, tmp_path):
    out = tmp_path / "n.csv"
    odd_name = '"odd ""name"""'  # a column name with quotes in it
    select = (
        "SELECT -3 AS n, -0.25::DOUBLE AS x, '-3' AS s, NULL::VARCHAR AS missing, "
        f"'a=b' AS inner_sign, '' AS blank, 'y' AS {odd_name}"
    )
    assert copy_to(hostile_store, select, out, "csv") == 1
    header, line = out.read_text(encoding="utf-8").splitlines()
    # string columns are quoted, their names too; "" is an empty string, nothing is NULL
    assert header == 'n,x,"s","missing","inner_sign","blank","odd ""name"""'
    assert line == '-3,-0.25,"\'-3",,"a=b","","y"'
    read = duckdb.sql(f"SELECT n, x FROM read_csv('{out}')").fetchall()[0]
    assert read == (-3, -0.25)


def test_rows_keep_their_order_and_parquet_is_untouched(store, hostile_store, tmp_path):
    for fmt in ("parquet", "csv"):
        export(store, fmt, tmp_path / f"f.{fmt}")
    keys = 'SELECT doc_id, taxonomy, start, "end", label, text FROM'
    parquet = duckdb.sql(f"{keys} read_parquet('{tmp_path / 'f.parquet'}')").fetchall()
    assert len(parquet) == 12
    assert duckdb.sql(f"{keys} read_csv('{tmp_path / 'f.csv'}')").fetchall() == parquet
    export(hostile_store, "parquet", tmp_path / "h.parquet")
    texts = duckdb.sql(f"SELECT text FROM read_parquet('{tmp_path / 'h.parquet'}')").fetchall()
    assert texts == [("=HYPERLINK",)]  # parquet holds typed values, read by no spreadsheet


class Counting:
    """A connection that counts the statements which run a query (DESCRIBE only binds one)."""

    def __init__(self, con) -> None:
        self.con, self.runs = con, []

    def execute(self, sql, *args):
        if not sql.lstrip().upper().startswith("DESCRIBE"):
            self.runs.append(sql)
        return self.con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.con, name)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_export_runs_its_select_once(hostile_store, tmp_path, monkeypatch, fmt):
    counting = Counting(hostile_store.con)
    monkeypatch.setattr(hostile_store, "con", counting)
    assert copy_to(hostile_store, "SELECT * FROM documents", tmp_path / f"d.{fmt}", fmt) == 2
    assert len(counting.runs) == 1 and counting.runs[0].startswith("COPY")


def test_string_cells_are_wrapped_in_double_quotes(tmp_path):
    # OWASP's CSV-injection advice has three parts: a ' before a cell that starts a formula,
    # double quotes inside doubled, and each cell wrapped in double quotes. The third was
    # missing: "Title;@SUM(A1)" went out bare, and a spreadsheet whose list separator is ';'
    # (German, French, ... Excel) splits a bare cell there and reads "@SUM(A1)" as a formula
    doc = Document("A calm text.", "Title;@SUM(A1)", {"outlet": 'Daily;=HYPERLINK("x")'})
    with Store(tmp_path / "s.duckdb") as store:
        store.write([AnalysisResult(doc, [Finding(0, 1, "A", "L", "semeval2023", "c", 0.5,
                                                  "b", "techniques")])])  # fmt: skip
        export(store, "csv", tmp_path / "f.csv")
    header, line = (tmp_path / "f.csv").read_text(encoding="utf-8").splitlines()
    doc_id = read_rows(tmp_path / "f.csv")[0]["doc_id"]
    assert line == (
        f'"{doc_id}","Title;@SUM(A1)",,"Daily;=HYPERLINK(""x"")",,,,0,1,"A","L",'
        '"semeval2023","c",0.5,"techniques","machine",,'
    )  # numbers bare, NULL empty, every string quoted
    assert header.startswith('"doc_id","title","url","outlet",published,')
