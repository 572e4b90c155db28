"""The corpus page's charts are SVG with their text as text: the browser draws an outlet's name
in any script (the PNGs came out as empty boxes where matplotlib's font has no glyphs)."""

from __future__ import annotations

import re
import warnings

import pytest

pytest.importorskip("fastapi", reason="the web app needs the [web] extra")
pytest.importorskip("matplotlib", reason="charts need matplotlib")

from .test_web_page import TEXT, FixedPipeline  # noqa: E402

OUTLETS = ["人民日报", "दैनिक भास्कर", "<script>alert(1)</script> & Co"]


def test_the_corpus_page_shows_svg_charts_whose_text_is_text(make_client, tmp_path):
    from spinscope.ingest import from_text
    from spinscope.store import Store

    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        docs = [from_text(f"Title {k}\n\n{TEXT}", meta={"outlet": outlet})
                for k, outlet in enumerate(OUTLETS)]  # fmt: skip
        store.write(FixedPipeline().run(docs))  # findings in each, so each outlet is charted
    client = make_client(store_path=path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = client.get("/corpus").text
        client.get("/corpus/charts/rates_over_time.svg")
    # matplotlib warned once a glyph the PNG's font lacks: noise in serve's log, as the page
    # shows the SVG
    assert not [w for w in caught if "missing from font" in str(w.message)]
    sources = re.findall(r'<img src="(/corpus/charts/[^"]+)"', page)
    assert sources and all(src.endswith(".svg") for src in sources)
    svg = client.get("/corpus/charts/techniques_by_outlet.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    csp = svg.headers["content-security-policy"]
    assert "script-src" not in csp and csp.startswith("default-src 'none'")  # nothing runs
    assert "人民日报" in svg.text and "दैनिक भास्कर" in svg.text  # as text, not glyph paths
    assert "<script" not in svg.text and "&lt;script&gt;" in svg.text
    # the PNGs stay, and names outside the charts are still refused
    assert client.get("/corpus/charts/techniques_by_outlet.png").headers["content-type"] == (
        "image/png"
    )
    for name in ("index.html", "techniques_by_outlet.svg.png", "x.svg", "../c.duckdb"):
        assert client.get(f"/corpus/charts/{name}").status_code == 404, name
