"""`spinscope stats --csv`: the trends rows as CSV on standard output, with the store's formula
guard and quoting (``store.csv_cells``); and `--charts -` refused in one line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from spinscope.cli.main import main
from spinscope.store import Store

from .test_stats import result


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([
            result(1000, "=HYPERLINK(\"x\")", "2024-01-10", ["Doubt"]),
            result(500, "Le Monde, \"Paris\"", "2024-02-03", []),
            result(400, None, "2024-02-04", ["Doubt"]),
        ])  # fmt: skip
    return path


def test_stats_csv_has_the_json_rows_guarded_and_quoted(hostile, capsys):
    # stats offered a table, JSON and charts, but no CSV for a spreadsheet
    assert main(["stats", "--store", str(hostile), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert main(["stats", "--store", str(hostile), "--csv"]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0] == ('"outlet","documents","words","findings","findings_per_1000_words",'
                        '"share_of_documents_with_findings"')  # fmt: skip
    assert '"\'=HYPERLINK(""x"")",1,1000,1,1.0,1.0' in lines
    assert ",1,400,1,2.5,1.0" in lines  # no outlet: an empty cell, as null in JSON
    read = list(csv.DictReader(io.StringIO(text)))
    assert [r["outlet"] or None for r in read] == [
        "'" + r["outlet"] if r["outlet"] and r["outlet"].startswith("=") else r["outlet"]
        for r in rows
    ]  # the JSON's rows, in the same order
    assert [r["findings_per_1000_words"] for r in read] == [
        str(r["findings_per_1000_words"]) for r in rows
    ]


def test_stats_csv_and_json_together_are_refused_by_the_parser(hostile, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["stats", "--store", str(hostile), "--csv", "--json"])
    assert exc.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_stats_charts_to_standard_output_is_refused_in_one_line(hostile, tmp_path, capsys,
                                                                 monkeypatch):  # fmt: skip
    # `--charts -` made a folder named "-"
    monkeypatch.chdir(tmp_path)
    assert main(["stats", "--store", str(hostile), "--charts", "-"]) == 1  # bad input
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Cannot write the charts to -" in err
    assert not (tmp_path / "-").exists()


def test_stats_csv_by_story_is_refused_in_one_line(hostile, capsys):
    assert main(["stats", "--store", str(hostile), "--by", "story", "--csv"]) == 1
    assert capsys.readouterr().err == (
        "spinscope: error: --csv is for --by outlet, month, technique or narrative; use --json "
        "for --by story.\n"
    )
