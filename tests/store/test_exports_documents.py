"""The csv/parquet exports carry their denominators: a documents file beside the findings, with
every document's words and the analysers that ran on it, so that a rate can be rebuilt."""

from __future__ import annotations

import json

import duckdb
import pytest

from spinscope.cli.main import main
from spinscope.store import Store
from spinscope.store.exports import documents_path, export

from .test_stats import result


@pytest.fixture
def mixed(tmp_path):
    """Two outlets, a document without findings and one never tagged for techniques."""
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([
            result(400, "Daily", "2024-01-10", ["Doubt", "Loaded_Language"]),
            result(600, "Daily", "2024-02-11", []),
            result(700, "Herald", "2024-01-12", ["Doubt"]),
            result(3000, "Herald", "2024-01-13", [], ran=("claims",)),
        ])  # fmt: skip
    return path


def _rebuilt_rates(findings: str, documents: str) -> dict:
    """Findings per 1,000 words by outlet, from the two exported tables alone."""
    sql = f"""
        WITH f AS (SELECT doc_id, count(*) AS n FROM {findings}
                   WHERE taxonomy = 'semeval2023' AND origin = 'machine' GROUP BY doc_id)
        SELECT d.outlet, round(1000.0 * sum(coalesce(f.n, 0)) / sum(d.words), 3)
        FROM {documents} d LEFT JOIN f USING (doc_id) WHERE d.techniques_ran GROUP BY d.outlet
    """
    return dict(duckdb.sql(sql).fetchall())


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_rates_rebuilt_from_an_export_equal_stats_json(mixed, tmp_path, capsys, fmt):
    # the exports had one row per finding and no words: no rate could be rebuilt from them
    out = tmp_path / f"findings.{fmt}"
    assert main(["export", "--store", str(mixed), "--format", fmt, "--out", str(out)]) == 0
    docs = documents_path(out)
    assert docs == tmp_path / f"findings.documents.{fmt}" and docs.is_file()
    assert f"and 4 documents to {docs}" in capsys.readouterr().err
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    rebuilt = _rebuilt_rates(f"{reader}('{out}')", f"{reader}('{docs}')")
    assert main(["stats", "--store", str(mixed), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert rebuilt == {r["outlet"]: r["findings_per_1000_words"] for r in stats["rows"]}
    assert rebuilt == {"Daily": 2.0, "Herald": 1.429}


def test_the_documents_file_lists_documents_without_findings(mixed, tmp_path):
    with Store(mixed, read_only=True) as s:
        export(s, "csv", tmp_path / "f.csv")
    rows = duckdb.sql(f"SELECT * FROM read_csv('{tmp_path / 'f.documents.csv'}')")
    assert rows.columns[-3:] == ["words", "techniques_ran", "framing_ran"]
    assert sorted(r[-3] for r in rows.fetchall()) == [400, 600, 700, 3000]
