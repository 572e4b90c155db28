"""The corpus page's Outlet filter offers the documents without an outlet, "(unknown outlet)"."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web app needs the [web] extra")

from spinscope.model.document import AnalysisResult  # noqa: E402 -- after the skip
from spinscope.store.stats import UNKNOWN_OUTLET  # noqa: E402

from .test_web_page import TEXT, _submitted  # noqa: E402


def test_documents_without_an_outlet_can_be_picked(make_client, tmp_path):
    # the trend table showed "(unknown outlet)", but the Outlet filter listed only named outlets
    from spinscope.ingest import from_text
    from spinscope.store import Store

    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        store.write([
            AnalysisResult(from_text(f"Title {k}\n\n{TEXT}", meta=meta), [])
            for k, meta in enumerate([{"outlet": "Daily"}, {}, {}])
        ])  # fmt: skip
    client = make_client(store_path=path)
    assert _submitted(client.get("/corpus").text, "outlet") == ["", "Daily", UNKNOWN_OUTLET]
    chosen = client.get("/corpus", params={"outlet": UNKNOWN_OUTLET}).text
    assert chosen.count('href="/documents/') == 2 and ">Title 0</a>" not in chosen
    assert f'<option value="{UNKNOWN_OUTLET}" selected>' in chosen
    daily = client.get("/corpus", params={"outlet": "Daily"}).text
    assert daily.count('href="/documents/') == 1 and ">Title 0</a>" in daily


def test_an_outlet_named_like_the_missing_outlet_option_is_its_own_choice(make_client, tmp_path):
    # an outlet literally called "(unknown outlet)" was offered twice under one value, and
    # choosing either picked only the documents without an outlet: its own were out of reach
    from spinscope.ingest import from_text
    from spinscope.store import Store

    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        store.write([
            AnalysisResult(from_text(f"Title {k}\n\n{TEXT}", meta=meta), [])
            for k, meta in enumerate([{"outlet": UNKNOWN_OUTLET}, {}, {}])
        ])  # fmt: skip
    client = make_client(store_path=path)
    values = _submitted(client.get("/corpus").text, "outlet")
    assert len(values) == len(set(values)) == 3 and UNKNOWN_OUTLET in values
    (missing,) = set(values) - {"", UNKNOWN_OUTLET}
    named = client.get("/corpus", params={"outlet": UNKNOWN_OUTLET}).text
    assert named.count('href="/documents/') == 1 and ">Title 0</a>" in named
    unnamed = client.get("/corpus", params={"outlet": missing}).text
    assert unnamed.count('href="/documents/') == 2 and ">Title 0</a>" not in unnamed
    assert f'<option value="{missing}" selected>' in unnamed


def test_the_trend_table_tells_the_outlet_from_the_documents_without_one(make_client, tmp_path):
    # both rows of the outlet table read "(unknown outlet)"
    from spinscope.store import Store
    from story_fixtures import DAM_EN, RATE, result

    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        store.write([result(DAM_EN, "Dam", UNKNOWN_OUTLET, "2024-06-06"),
                     result(RATE, "Rate", None, "2024-06-06")])  # fmt: skip
    page = make_client(store_path=path).get("/corpus").text
    assert f"<td>{UNKNOWN_OUTLET}</td>" in page
    assert f"<td>{UNKNOWN_OUTLET} (none given)</td>" in page
