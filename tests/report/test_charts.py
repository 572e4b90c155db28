"""The corpus trends charts in any script: the HTML page's charts are inline SVG whose text is
text (the browser draws it with its own fonts), escaped; the PNGs fall back to installed fonts
and say once which scripts no font draws."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.store import Store

pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")

HOSTILE = "<script>alert(1)</script> & Co"


def result(outlet: str, date: str = "2024-01-10") -> AnalysisResult:
    text = " ".join(f"w{k}" for k in range(100)) + f" {outlet}"  # one document per outlet
    finding = Finding(0, 2, "w0", "Doubt", "semeval2023", "c", 0.9, "e", "techniques")
    doc = Document(text, meta={"outlet": outlet, "date": date})
    return AnalysisResult(doc=doc, findings=[finding], models=[{"analyzer": "techniques"}])


def write_page(tmp_path, outlets: list[str]) -> str:
    from spinscope.report.charts import write_charts

    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([result(o) for o in outlets])
    with Store(path, read_only=True) as s:
        write_charts(s, tmp_path / "charts")
    return (tmp_path / "charts" / "index.html").read_text(encoding="utf-8")


def svg_texts(page: str) -> list[str]:
    return re.findall(r"<text\b[^>]*>([^<]*)</text>", page)


def test_the_page_draws_a_cjk_outlet_name_as_text(tmp_path):
    # the page inlined the PNGs, where matplotlib's DejaVu font drew 人民日报 as four boxes
    page = write_page(tmp_path, ["人民日报", "हिन्दुस्तान"])
    assert "data:image/png" not in page and page.count("<svg") == 3
    texts = svg_texts(page)
    assert any("人民日报" in t for t in texts) and any("हिन्दुस्तान" in t for t in texts)
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page and "<metadata>" not in page
    assert "http" not in page.replace("http-equiv", "")  # self-contained: nothing to fetch
    csp = re.search(r"Content-Security-Policy' content=\"([^\"]*)\"", page)
    assert csp and "script-src" not in csp[1] and "default-src 'none'" in csp[1]
    assert "<script" not in page and " on" not in re.sub(r"<text\b[^>]*>[^<]*</text>", "", page)
    assert (tmp_path / "charts" / "rates_over_time.png").read_bytes()[:4] == b"\x89PNG"


def test_a_hostile_outlet_name_is_escaped_in_the_inline_svg(tmp_path):
    page = write_page(tmp_path, [HOSTILE])
    assert "<script" not in page
    assert any("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in t for t in svg_texts(page))


def test_a_hostile_chart_title_is_escaped(tmp_path):
    from spinscope.report.charts import _pyplot, _save, bars_figure

    plt = _pyplot()
    fig = bars_figure(plt, {"a": {"Doubt": 1.0}}, "rate", HOSTILE, {"a": 1}, "nothing")
    svg = _save(plt, fig, tmp_path / "c.png", HOSTILE)
    assert svg.startswith("<svg") and "<script" not in svg
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</title>" in svg


def test_the_three_charts_have_ids_of_their_own(tmp_path):
    # three SVGs in one page: an id repeated across them would point into another chart
    page = write_page(tmp_path, ["A", "B"])
    ids = re.findall(r"\bid=\"([^\"]+)\"", page)
    assert ids and len(ids) == len(set(ids))
    refs = re.findall(r"(?:href=\"#|url\(#)([^\")]+)", page)  # markers (xlink:href), clip paths
    assert refs and set(refs) <= set(ids)


def test_the_font_list_falls_back_to_installed_fonts_for_other_scripts():
    from spinscope.report.charts import font_families

    installed = ["DejaVu Sans", "Noto Sans CJK JP", "Lohit Devanagari", "Noto Naskh Arabic",
                 "Liberation Serif", "Noto Sans Georgian", "Noto Sans CJK JP"]  # fmt: skip
    assert font_families(installed) == [
        "DejaVu Sans", "Lohit Devanagari", "Noto Naskh Arabic", "Noto Sans CJK JP",
        "Noto Sans Georgian",
    ]  # fmt: skip
    assert font_families(["DejaVu Sans", "Liberation Serif"]) == ["DejaVu Sans"]  # as before


def test_glyphs_no_font_has_are_one_warning_line(tmp_path, capsys):
    # a character without a Unicode name (private use) was not recognised as a missing glyph:
    # matplotlib's raw UserWarning went through, and the line said "boxes" for the HTML page too
    from spinscope.cli.stats import write_stats_charts

    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([result("\ue000 Private \U0010fffd"), result("\ue001 Other")])
    args = SimpleNamespace(charts=str(tmp_path / "c"), taxonomy="semeval2023")
    with Store(path, read_only=True) as s, pytest.warns() as caught:
        import warnings

        warnings.warn("sentinel", UserWarning, stacklevel=1)  # pytest.warns needs one
        write_stats_charts(s, args)
    assert [str(w.message) for w in caught] == ["sentinel"]
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "spinscope: warning: no installed font draws the charts' private use characters: they "
        "are boxes in the PNG charts; index.html's charts are text, drawn with the browser's "
        "fonts."
    ]
