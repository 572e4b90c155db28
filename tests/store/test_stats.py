"""Trends over a store: counts, rates per 1,000 words and shares, as tables, JSON and charts."""

from __future__ import annotations

import html
import json

import pytest

from spinscope.cli.main import main
from spinscope.errors import ConfigError
from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.model.labels import ArticleLabel, Evidence
from spinscope.store import Store
from spinscope.store.stats import trends


def result(
    n_words: int, outlet: str, date: str, techniques: list[str], narrative=None,
    ran=("techniques", "framing"),
):  # fmt: skip
    text = " ".join(f"w{k}" for k in range(n_words))
    findings = [
        Finding(0, 2, "w0", t, "semeval2023", "c", 0.9, "e", "techniques") for t in techniques
    ] + [Finding(0, 2, "w0", "Loaded_Language", "ptc2020", "c", 0.9, "e", "techniques")]
    labels = (
        [ArticleLabel("narrative", narrative, 0.9, [Evidence(0, 2, "w0", 0.1)])]
        if narrative
        else []
    )
    doc = Document(text, meta={"outlet": outlet, "date": date})
    models = [{"analyzer": name} for name in ran]  # what a batch run records: what ran
    return AnalysisResult(doc=doc, findings=findings, labels=labels, models=models)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([
            result(1000, "<b>Daily</b>", "2024-01-10", ["Loaded_Language", "Doubt"], "URW: A"),
            result(500, "<b>Daily</b>", "2024-02-03", ["Loaded_Language"]),
            result(2000, "Herald", "2024-01-20", [], "URW: A"),
        ])  # fmt: skip
    return path


def test_trends_by_outlet_month_technique_and_narrative(store):
    with Store(store, read_only=True) as s:
        by_outlet = trends(s, "outlet")
        assert (by_outlet["documents"], by_outlet["words"], by_outlet["findings"]) == (3, 3500, 3)
        daily, herald = by_outlet["rows"]
        assert daily == {
            "outlet": "<b>Daily</b>",
            "documents": 2,
            "words": 1500,
            "findings": 3,
            "findings_per_1000_words": 2.0,
            "share_of_documents_with_findings": 1.0,
        }
        assert herald["findings"] == 0 and herald["share_of_documents_with_findings"] == 0.0
        months = [r["month"] for r in trends(s, "month")["rows"]]
        assert months == ["2024-01", "2024-02"]
        tech = {r["technique"]: r for r in trends(s, "technique")["rows"]}
        assert tech["Loaded_Language"]["findings"] == 2 and tech["Doubt"]["documents"] == 1
        assert trends(s, "technique", "ptc2020")["findings"] == 3
        narr = trends(s, "narrative")["rows"]
        assert narr[0] == {"narrative": "URW: A", "documents": 2, "share_of_documents": 0.6667}
        assert narr[-1]["narrative"] == "(none)" and narr[-1]["documents"] == 1
        with pytest.raises(ConfigError, match="Unknown grouping 'site'"):
            trends(s, "site")


def test_an_outlet_named_unknown_is_not_merged_with_documents_without_an_outlet(tmp_path):
    # coalesce(outlet, '(unknown)') counted a real outlet of that name and the documents with no
    # outlet as one
    from spinscope.store import stats

    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([
            result(1000, "(unknown)", "2024-01-10", ["Doubt"], "URW: A"),
            result(500, None, "2024-01-11", []),
            result(300, None, "2024-02-11", ["Doubt"]),
        ])  # fmt: skip
    with Store(path, read_only=True) as s:
        rows = {r["outlet"]: r["documents"] for r in trends(s, "outlet")["rows"]}
        assert rows == {"(unknown)": 1, None: 2}
        assert stats.documents_by_outlet(s) == {"(unknown)": 1, None: 2}
        series = stats.rates_by_outlet_and_month(s, "semeval2023")
        assert series["(unknown)"] == [("2024-01", 1.0, 1)]
        assert series[None] == [("2024-01", 0.0, 1), ("2024-02", 3.333, 1)]
        techniques = stats.technique_rates_by_outlet(s, "semeval2023")
        assert techniques == {None: {"Doubt": 1.25}, "(unknown)": {"Doubt": 1.0}}
        shares = stats.narrative_shares_by_outlet(s)
        assert shares == {None: {"URW: A": 0.0}, "(unknown)": {"URW: A": 1.0}}
    assert main(["stats", "--store", str(path), "--json"]) == 0


def test_documents_without_an_outlet_are_labelled_where_shown(tmp_path, capsys):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([result(1000, "(unknown)", "2024-01-10", ["Doubt"]), result(500, None, "", [])])
    assert main(["stats", "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("(unknown") == 2 and "None" not in out  # "(unknown outlet)" may wrap
    assert main(["stats", "--store", str(path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert sorted(r["outlet"] or "" for r in rows) == ["", "(unknown)"]
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    charts = tmp_path / "charts"
    assert main(["stats", "--store", str(path), "--charts", str(charts)]) == 0
    page = (charts / "index.html").read_text()
    assert "<td>(unknown outlet)</td>" in page and "<td>(unknown)</td>" in page


def test_an_outlet_named_like_the_missing_outlet_label_is_told_apart_where_shown(
    tmp_path, capsys
):
    # an outlet called "(unknown outlet)" and the documents without an outlet were two rows
    # both named "(unknown outlet)" in the table, the charts page and the corpus page
    from spinscope.store.stats import UNKNOWN_OUTLET

    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([result(1000, UNKNOWN_OUTLET, "2024-01-10", ["Doubt"]),
                 result(500, None, "2024-01-11", [])])  # fmt: skip
    assert main(["stats", "--store", str(path)]) == 0
    out = " ".join(capsys.readouterr().out.replace("│", " ").split())
    assert out.count("(none given)") == 1, out  # the label may wrap
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    charts = tmp_path / "charts"
    assert main(["stats", "--store", str(path), "--charts", str(charts)]) == 0
    page = (charts / "index.html").read_text()
    assert "<td>(unknown outlet)</td>" in page and "<td>(unknown outlet) (none given)</td>" in page


def add_human_copies(path) -> None:
    """A human copy of every finding, as `import-annotations --store` of an accepted export
    keeps corrected spans beside the machine's (origin 'human')."""
    with Store(path) as s:
        s.con.execute(
            'INSERT INTO findings (doc_id, start, "end", text, label, taxonomy, category, '
            'confidence, analyzer, origin) SELECT doc_id, start, "end", text, label, '
            "taxonomy, category, 1.0, 'brat', 'human' FROM findings"
        )


def test_human_findings_from_import_annotations_are_not_counted_twice(store, tmp_path):
    # `import-annotations --store` keeps corrected spans beside the machine's as origin='human':
    # stats added them to the machine's, doubling every rate of an accepted export
    add_human_copies(store)
    with Store(store, read_only=True) as s:
        assert trends(s, "outlet")["findings"] == 3
        assert trends(s, "outlet")["rows"][0]["findings_per_1000_words"] == 2.0
        tech = {r["technique"]: r["findings"] for r in trends(s, "technique")["rows"]}
        assert tech == {"Loaded_Language": 2, "Doubt": 1}
        from spinscope.store.stats import technique_rates_by_outlet

        assert technique_rates_by_outlet(s, "semeval2023")["<b>Daily</b>"]["Doubt"] == 0.667


def test_the_corpus_page_counts_the_machine_findings_only(store):
    # the web corpus page's findings column counted imported corrections (origin 'human') too
    from spinscope.api.corpus import search

    with Store(store, read_only=True) as s:
        before = {r["id"]: r["findings"] for r in search(s, {})}
    add_human_copies(store)
    with Store(store, read_only=True) as s:
        assert {r["id"]: r["findings"] for r in search(s, {})} == before
    assert sum(before.values()) > 0


def test_the_machine_findings_condition_is_written_once():
    # stats and the corpus page each wrote it: a change to one would count differently
    from pathlib import Path

    import spinscope

    src = Path(spinscope.__file__).parent
    places = [p.name for p in src.rglob("*.py") if "origin = 'machine'" in p.read_text("utf-8")]
    assert places == ["schema.py"]


def test_the_stats_command_prints_json_and_writes_escaped_charts(store, tmp_path, capsys):
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    charts = tmp_path / "charts"
    assert (
        main(["stats", "--store", str(store), "--by", "month", "--json", "--charts", str(charts)])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["documents"] == 3 and data["findings"] == 3 and data["by"] == "month"
    names = sorted(p.name for p in charts.iterdir())
    assert names == ["index.html", "narrative_shares.png", "narrative_shares.svg",
                     "rates_over_time.png", "rates_over_time.svg", "techniques_by_outlet.png",
                     "techniques_by_outlet.svg"]  # fmt: skip
    page = (charts / "index.html").read_text()
    assert "&lt;b&gt;Daily&lt;/b&gt;" in page and "<b>Daily" not in page
    assert "http" not in page.replace("http-equiv", "")  # self-contained: no fetches
    for png in charts.glob("*.png"):
        assert png.read_bytes()[:4] == b"\x89PNG"


def test_stats_on_a_missing_store_is_one_clear_line(tmp_path, capsys):
    assert main(["stats", "--store", str(tmp_path / "none.duckdb")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No store at" in err


def test_charts_have_titles_and_captions_above_them(store, tmp_path):
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    from PIL import Image

    from spinscope.report.charts import CHARTS, write_charts

    with Store(store, read_only=True) as s:
        write_charts(s, tmp_path)
    for name, title in CHARTS.items():
        assert Image.open(tmp_path / name).text["Title"] == title
    page = (tmp_path / "index.html").read_text()
    # each caption comes before its image, so it cannot read as the next chart's title
    for title in CHARTS.values():
        caption = page.index(f"<figcaption>{html.escape(title)}</figcaption>")
        assert page.index("<svg", caption) < page.index("</figure>", caption)
    assert "<figcaption>" not in page[page.index("<svg") : page.index("</figure>")]
    assert "3 documents, 3500 words, 3 technique findings (semeval2023" in page


def test_each_point_shows_its_sample_size(store):
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    from spinscope.report.charts import _pyplot, bars_figure, rates_figure
    from spinscope.store import stats

    plt = _pyplot()
    with Store(store, read_only=True) as s:
        series = stats.rates_by_outlet_and_month(s, "semeval2023")
        documents = stats.documents_by_outlet(s)
        table = stats.technique_rates_by_outlet(s, "semeval2023")
    # one document each: the January and February points of Daily, January of Herald
    assert series["<b>Daily</b>"] == [("2024-01", 2.0, 1), ("2024-02", 2.0, 1)]
    fig = rates_figure(plt, series, "Rates")
    (ax,) = fig.axes
    assert ax.get_title(loc="left") == "Rates"
    assert sorted(t.get_text() for t in ax.texts) == ["n=1", "n=1", "n=1"]
    fig = bars_figure(plt, table, "rate", "Bars", documents, "nothing")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["<b>Daily</b> (n=2)", "Herald (n=1)"]
    plt.close("all")


def test_an_empty_chart_says_no_data_instead_of_blank_axes():
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    from spinscope.report.charts import _pyplot, bars_figure, rates_figure

    plt = _pyplot()
    for fig in (
        rates_figure(plt, {}, "Rates"),
        bars_figure(plt, {"Daily": {}}, "share", "Narratives", {"Daily": 2}, "no narrative"),
    ):
        (ax,) = fig.axes
        assert not ax.axison  # no empty axes
        assert [t.get_text() for t in ax.texts][0].startswith("No data: ")
        assert ax.get_title(loc="left") in ("Rates", "Narratives")
    plt.close("all")


def test_one_document_and_one_finding_are_counted_in_the_singular(tmp_path, capsys):
    path = tmp_path / "one.duckdb"
    with Store(path) as s:
        s.write([result(10, "Daily", "2024-01-10", [])])
    out = tmp_path / "f.csv"
    assert main(["stats", "--store", str(path), "--by", "outlet"]) == 0
    title = capsys.readouterr().out
    assert "1 document, 10 words, 0 findings (semeval2023)" in title
    assert main(["export", "--store", str(path), "--format", "csv", "--out", str(out),
                 "--taxonomy", "ptc2020"]) == 0  # fmt: skip
    assert "exported 1 row as csv" in capsys.readouterr().err


def test_charts_into_a_file_is_one_clear_line(store, tmp_path, capsys):
    pytest.importorskip("matplotlib", reason="charts need matplotlib")
    # --charts naming a file was a FileExistsError traceback
    taken = tmp_path / "report.html"
    taken.write_text("mine")
    assert main(["stats", "--store", str(store), "--charts", str(taken)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"spinscope: error: Cannot write the charts to {taken}: {taken} is a file, not a "
        "folder; give a writable --charts folder."
    ]
    assert taken.read_text() == "mine"


def test_charts_into_a_missing_folder_create_no_tree(store, tmp_path, capsys):
    pytest.importorskip("matplotlib", reason="charts need matplotlib")
    # a typo made the whole path, as exports refuse to
    typo = tmp_path / "reprots" / "2024" / "charts"
    assert main(["stats", "--store", str(store), "--charts", str(typo)]) == 1
    assert "the folder" in capsys.readouterr().err and not typo.parent.parent.exists()
    assert main(["stats", "--store", str(store), "--charts", str(tmp_path / "charts")]) == 0


def test_an_outlet_name_with_dollar_signs_is_drawn_as_written(tmp_path, capsys):
    # matplotlib read "$...$" in a label as a formula: a corpus record's outlet "$\frac{$" was a
    # ValueError traceback from `spinscope stats --charts` (and a 500 from the web app's chart)
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([result(100, "$\\frac{$ Times", "2024-01-10", ["Doubt"]),
                 result(101, "Daily $x^{10^{10}}$", "2024-01-11", ["Doubt"])])  # fmt: skip
    charts = tmp_path / "charts"
    assert main(["stats", "--store", str(path), "--json", "--charts", str(charts)]) == 0
    assert "$\\frac{$ Times" in (charts / "index.html").read_text()
    assert all(png.read_bytes()[:4] == b"\x89PNG" for png in charts.glob("*.png"))


def test_the_months_of_the_rates_chart_run_in_time_order():
    # a categorical axis takes the months in the order the outlets' lines first name them:
    # an outlet with only 2024-03 before one with 2024-01 gave an axis 2024-03, 2024-01
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    from spinscope.report.charts import _pyplot, rates_figure

    plt = _pyplot()
    series = {"A": [("2024-03", 1.0, 1), ("2024-04", 2.0, 1)], "B": [("2024-01", 3.0, 2)]}
    fig = rates_figure(plt, series, "t")
    ax = fig.axes[0]
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["2024-01", "2024-02", "2024-03", "2024-04"]  # February: no document
    b_line = next(line for line in ax.get_lines() if line.get_label() == "B")
    assert [x for x, y in zip(b_line.get_xdata(), b_line.get_ydata(), strict=True) if y == y] == [0]
    plt.close(fig)


def test_control_characters_in_an_outlet_name_are_not_drawn_or_printed(tmp_path, capfd, recwarn):
    # an outlet "Bad\x1b[31m..." drew empty boxes, and matplotlib's "Glyph 27 missing" warnings
    # wrote the raw escape characters to the terminal
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([result(100, "Bad\x1b[31mRED\x07 outlet", "2024-01-10", ["Doubt"])])
    assert main(["stats", "--store", str(path), "--charts", str(tmp_path / "c")]) == 0
    err = capfd.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert not [w for w in recwarn if "Glyph" in str(w.message)]


@pytest.mark.parametrize("by", ["outlet", "month", "technique", "narrative"])
def test_an_empty_store_says_so_in_one_line(tmp_path, capsys, by):
    # it printed a table of one column, its title wrapped into a ten-character-wide column
    path = tmp_path / "s.duckdb"
    Store(path).close()
    assert main(["stats", "--store", str(path), "--by", by]) == 0
    out = capsys.readouterr().out
    assert out == (
        f"0 documents, 0 words, 0 findings (semeval2023), by {by}: no documents in the store "
        "yet (add some with `spinscope batch`).\n"
    )


def test_a_store_without_findings_says_so_by_technique(tmp_path, capsys):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([result(100, "Herald", "2024-01-10", [])])
    assert main(["stats", "--store", str(path), "--by", "technique"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("by technique: no semeval2023 technique findings.\n")


def test_the_narrative_chart_does_not_draw_not_sure_as_a_narrative(tmp_path):
    # an article whose narrative the analyser could not decide is stored as the label
    # "not sure": the chart drew it as a narrative that the outlet's documents carry (in a
    # corpus where the analyser abstains often, the tallest bar)
    from spinscope.model.labels import ArticleLabel
    from spinscope.store import stats

    path = tmp_path / "s.duckdb"
    unsure = result(100, "Daily", "2024-01-10", [])
    unsure.labels.append(ArticleLabel.not_sure("narrative", "none reaches the threshold"))
    with Store(path) as s:
        s.write([unsure, result(200, "Daily", "2024-01-11", [], "URW: A")])
    with Store(path, read_only=True) as s:
        assert stats.narrative_shares_by_outlet(s) == {"Daily": {"URW: A": 0.5}}
        rows = {r["narrative"]: r["documents"] for r in trends(s, "narrative")["rows"]}
    assert rows == {"URW: A": 1, "not sure": 1, "(none)": 0}  # the table keeps it, named


def test_long_outlet_and_technique_names_are_not_cut_in_the_table(tmp_path, capsys):
    # at 80 columns (output to a file) a name with no space was cut with "…": the Appeal_to_...
    # techniques, or two outlets' URLs, could not be told apart
    path = tmp_path / "s.duckdb"
    outlet = "https://www.example-news-site.com/section/world-news"
    with Store(path) as s:
        s.write([result(100, outlet, "2024-01-10", ["Appeal_to_Fear-Prejudice"])])
    for by in ("outlet", "technique"):
        assert main(["stats", "--store", str(path), "--by", by]) == 0
        out = capsys.readouterr().out
        assert "…" not in out
        cells = "".join(line.split("│")[1].strip() for line in out.splitlines() if "│" in line)
        assert (outlet if by == "outlet" else "Appeal_to_Fear-Prejudice") in cells


def test_documents_an_analyser_never_ran_on_are_left_out_of_its_rates_and_shares(tmp_path):
    # a document batched without framing counted as narrative "(none)", and one never tagged
    # for techniques added its words to every rate per 1,000 words
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([
            result(400, "Daily", "2024-01-10", ["Doubt"], "URW: A"),
            result(600, "Daily", "2024-01-11", [], None),
            result(3000, "Daily", "2024-01-12", [], None, ran=("claims",)),
            result(5000, "Herald", "2024-01-13", [], None, ran=("framing",)),
        ])  # fmt: skip
    with Store(path, read_only=True) as s:
        head = trends(s, "outlet")
        assert (head["documents"], head["words"], head["findings"]) == (2, 1000, 1)
        assert head["documents_not_tagged"] == 2
        assert [r["outlet"] for r in head["rows"]] == ["Daily"]
        assert head["rows"][0]["findings_per_1000_words"] == 1.0
        tech = trends(s, "technique")["rows"]
        assert tech[0]["findings_per_1000_words"] == 1.0 and tech[0]["share_of_documents"] == 0.5
        narr = {r["narrative"]: r for r in trends(s, "narrative")["rows"]}
        assert narr["URW: A"]["share_of_documents"] == round(1 / 3, 4)
        assert narr["(none)"]["documents"] == 2  # the Daily's second and the Herald's


def test_results_stored_without_a_models_record_still_count_where_they_have_findings(tmp_path):
    # a library caller's AnalysisResult names no model: its findings were counted over no
    # documents (the corpus page and `stats --by technique` failed with a division by zero)
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([
            result(1000, "Daily", "2024-01-10", ["Doubt"], "URW: A", ran=()),
            result(500, "Daily", "2024-02-03", [], ran=()),  # nothing shows that anything ran
        ])  # fmt: skip
    with Store(path, read_only=True) as s:
        by_technique = trends(s, "technique")
        by_narrative = trends(s, "narrative")
    # both carry a machine finding (the helper gives each a PTC-2020 one): both were tagged
    assert {r["technique"]: r["share_of_documents"] for r in by_technique["rows"]} == {"Doubt": 0.5}
    assert by_narrative["rows"][0]["narrative"] == "URW: A"
