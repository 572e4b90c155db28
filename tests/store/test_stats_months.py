"""Months without documents, and groups without words, in `spinscope stats` and its charts: a gap
in a time series is a row of its own, and a rate over no words is not a measured zero."""

from __future__ import annotations

import json
import math

import pytest

from spinscope.cli.main import main
from spinscope.model.document import AnalysisResult, Document
from spinscope.store import Store
from spinscope.store.stats import trends

from .test_stats import result

TAGGED = [{"analyzer": "techniques"}]  # the techniques tagger ran on it (and found nothing)


@pytest.fixture
def gappy(tmp_path):
    """Documents in 1900-01, 2024-01, 2024-03 (two) and 2024-06, and one without a date."""
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([
            result(100, "Daily", "1900-01-05", ["Doubt"]),
            result(200, "Daily", "2024-01-10", ["Doubt"]),
            result(300, "Daily", "2024-03-10", []),
            result(400, "Herald", "2024-03-31T23:30:00-05:00", ["Doubt"]),
            result(500, "Herald", "2024-06-01", []),
            result(600, "Herald", "", []),
        ])  # fmt: skip
    return path


def test_months_without_documents_are_rows_of_their_own(gappy, capsys):
    # the months were listed as if they followed each other: 2024-01 then 2024-03, with no sign
    # that February had no document at all; a run of empty months is one row (1900 and 2024 in
    # one store: one row, not 1,488)
    with Store(gappy, read_only=True) as s:
        rows = trends(s, "month")["rows"]
    assert [(r["month"], r["documents"]) for r in rows] == [
        ("(unknown)", 1), ("1900-01", 1), ("1900-02 to 2023-12", 0), ("2024-01", 1),
        ("2024-02", 0), ("2024-03", 2), ("2024-04 to 2024-05", 0), ("2024-06", 1),
    ]  # fmt: skip
    empty = rows[4]
    assert empty == {
        "month": "2024-02", "documents": 0, "words": 0, "findings": 0,
        "findings_per_1000_words": None, "share_of_documents_with_findings": None,
    }  # fmt: skip
    assert main(["stats", "--store", str(gappy), "--by", "month"]) == 0
    out = capsys.readouterr().out
    assert "2024-02" in out and "n/a" in out and "None" not in out
    assert main(["stats", "--store", str(gappy), "--by", "month", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"][4] == empty


def test_a_group_without_words_has_no_rate(tmp_path, capsys):
    # a document stored with no words (the library takes one) made a rate of 0.0 per 1,000 words:
    # a measured zero where nothing could be measured
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        empty = Document("", meta={"outlet": "Z", "date": "2024-01-01"})
        s.write([AnalysisResult(empty, [], models=TAGGED)])
    with Store(path, read_only=True) as s:
        (row,) = trends(s, "outlet")["rows"]
    assert row["words"] == 0 and row["findings_per_1000_words"] is None
    assert main(["stats", "--store", str(path)]) == 0
    assert "n/a" in capsys.readouterr().out


def test_the_rates_chart_shows_empty_months_and_breaks_its_lines_there(gappy, tmp_path):
    # the axis went 2024-01, 2024-03 as if adjacent, and each outlet's line ran across months in
    # which it had no document
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    from spinscope.report.charts import _pyplot, rates_figure
    from spinscope.store import stats

    plt = _pyplot()
    with Store(gappy, read_only=True) as s:
        series = stats.rates_by_outlet_and_month(s, "semeval2023")
    fig = rates_figure(plt, series, "t")
    ax = fig.axes[0]
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["1900-01", "1900-02 to 2023-12", "2024-01", "2024-02", "2024-03",
                     "2024-04 to 2024-05", "2024-06"]  # fmt: skip
    daily = next(line for line in ax.get_lines() if line.get_label() == "Daily")
    ys = [None if math.isnan(y) else y for y in daily.get_ydata()]
    assert ys == [10.0, None, 5.0, None, 0.0, None, None]  # no line from one point to the next
    plt.close(fig)


def test_the_corpus_page_shows_no_rate_as_n_a(tmp_path):
    pytest.importorskip("fastapi", reason="the web app needs the [web] extra")
    from fastapi.testclient import TestClient

    from spinscope.api import create_app
    from spinscope.settings import load_settings

    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        empty = Document("", meta={"outlet": "Z", "date": "2024-01-01"})
        s.write([AnalysisResult(empty, [], models=TAGGED)])
    with TestClient(create_app(load_settings(), path, pipeline=object())) as client:
        page = client.get("/corpus").text
    trends_part = page[page.index("<h3>By outlet") :]
    assert "<td>n/a</td>" in trends_part and "None" not in trends_part


def test_charts_of_many_outlets_say_how_many_they_leave_out(tmp_path):
    # with 40 outlets the charts drew the 6 largest, and nothing said that 34 were left out
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    from spinscope.report.charts import _pyplot, bars_figure, rates_figure
    from spinscope.store import stats

    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([result(100 + k, f"Outlet {k % 40}", "2024-01-10", ["Doubt"]) for k in range(80)])
    plt = _pyplot()
    with Store(path, read_only=True) as s:
        documents = stats.documents_by_outlet(s)
        series = stats.rates_by_outlet_and_month(s, "semeval2023")
        table = stats.technique_rates_by_outlet(s, "semeval2023")
    figures = [
        rates_figure(plt, series, "Rates", outlets=len(documents)),
        bars_figure(plt, table, "rate", "Bars", documents, "nothing"),
    ]
    for fig in figures:
        legend = fig.axes[0].get_legend()
        assert "the 6 largest of 40 outlets" in legend.get_title().get_text()
        assert len(legend.get_texts()) == 6
    few = bars_figure(plt, {"A": {"Doubt": 1.0}}, "rate", "Bars", {"A": 2}, "nothing")
    assert "largest" not in few.axes[0].get_legend().get_title().get_text()
    plt.close("all")


def test_a_rates_chart_of_many_months_stays_readable(tmp_path):
    # ten years by month drew 120 tick labels over each other and 360 "n=" labels over the
    # lines: a black band under the axis and a cloud over the points
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    from spinscope.report.charts import MAX_LABELLED, _pyplot, rates_figure

    months = [f"{2015 + k // 12}-{k % 12 + 1:02d}" for k in range(120)]
    series = {f"Outlet {o}": [(m, 1.0 + o, 2) for m in months] for o in range(3)}
    plt = _pyplot()
    fig = rates_figure(plt, series, "t")
    ax = fig.axes[0]
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert 2 <= len(labels) <= MAX_LABELLED and labels[0] == "2015-01"
    assert not ax.texts  # no n= per point; the legend says where the sample sizes are
    assert "stats --by month" in ax.get_legend().get_title().get_text()
    few = rates_figure(plt, {"A": [("2024-01", 1.0, 3)]}, "t")
    assert [t.get_text() for t in few.axes[0].texts] == ["n=3"]
    plt.close("all")


def test_the_rates_chart_says_how_many_documents_have_no_date(gappy, tmp_path):
    # the chart left out documents without a date and said nothing: with most of a corpus
    # undated, a few dated documents read as the whole
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    from spinscope.report.charts import _pyplot, rates_figure
    from spinscope.store import stats

    plt = _pyplot()
    with Store(gappy, read_only=True) as s:
        series = stats.rates_by_outlet_and_month(s, "semeval2023")
        undated = stats.undated_documents(s)
    assert undated == 1
    fig = rates_figure(plt, series, "t", undated=undated)
    assert "1 document without a date is not drawn." in [t.get_text() for t in fig.texts]
    fig = rates_figure(plt, series, "t")
    assert not fig.texts
    plt.close("all")


def test_names_the_chart_font_cannot_draw_are_one_warning_line(tmp_path):
    # a Hindi or Chinese outlet name printed one Python UserWarning per missing glyph (27 for
    # three outlets), source lines included, from `spinscope stats --charts`
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    import subprocess
    import sys

    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([result(100, "人民日报", "2024-01-10", ["Doubt"]),
                 result(120, "हिन्दुस्तान", "2024-02-10", ["Doubt"])])  # fmt: skip
    command = [sys.executable, "-m", "spinscope.cli.main", "stats", "--store", str(path),
               "--charts", str(tmp_path / "c")]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    warned = [line for line in done.stderr.splitlines() if "arning" in line]
    if not warned:  # a font that draws both scripts is installed: nothing to say
        return
    assert len(warned) == 1 and "UserWarning" not in warned[0], warned
    assert warned[0].startswith("spinscope: warning: no installed font draws the charts' ")
    assert "Devanagari" in warned[0] and "CJK" in warned[0] and "index.html" in warned[0]


def test_the_rates_chart_draws_the_largest_outlets_that_have_dates(tmp_path):
    # the six largest outlets were chosen before the undated documents were left out: an
    # outlet of undated documents took a place and drew nothing, and a dated one was left out
    from spinscope.store import stats

    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        undated = [result(100 + k, "Undated", "", []) for k in range(5)]
        s.write(undated + [result(200 + k, f"Dated {k}", "2024-01-10", []) for k in range(6)])
    with Store(path, read_only=True) as s:
        series = stats.rates_by_outlet_and_month(s, "semeval2023")
    assert sorted(series) == [f"Dated {k}" for k in range(6)]
