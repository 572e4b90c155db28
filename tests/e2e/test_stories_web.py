"""The story pages in headless Chromium: the list links to a story whose side-by-side table has
one column per outlet, and article text carrying markup is shown as text, never run."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

HOSTILE = '<img src=x onerror="window.__xss=1">'


@pytest.fixture(scope="module")
def story_server(tmp_path_factory):
    from spinscope.store import Store
    from spinscope.store.stories import cluster_store
    from story_fixtures import KeywordEncoder, result, story_results

    from .conftest import Server

    path = tmp_path_factory.mktemp("stories") / "s.duckdb"
    hostile = result(f"The dam broke. {HOSTILE}", f"Dam {HOSTILE}", "Daily", "2024-06-07")
    with Store(path) as store:
        store.write([*story_results(), hostile])
        cluster_store(store, KeywordEncoder())
    with Server(path) as s:
        yield s


def test_story_list_and_side_by_side(page, story_server):
    page.goto(story_server.url + "/stories")
    assert page.locator("#stories tbody tr").count() == 3
    page.locator("#stories tbody tr").first.locator("a").click()
    page.wait_for_selector("#outlets")
    heads = page.locator("#outlets thead th").all_inner_texts()
    assert {"Wire", "Pravda-like", "Daily"} <= set(heads)
    assert HOSTILE in page.inner_text("#story-documents")  # shown as text
    assert page.evaluate("window.__xss") is None
    assert page.locator("#story-documents img").count() == 0
    assert page.events == []


def test_the_side_by_side_table_names_techniques_and_frames_readably(page, story_server):
    page.goto(story_server.url + "/stories")
    page.locator("#stories tbody tr").first.locator("a").click()
    table = page.inner_text("#outlets")
    assert "_" not in table  # no raw label such as "Loaded_Language" or "Security_and_defense"
    rates = [line for line in table.splitlines() if ": " in line and line[-1].isdigit()]
    assert rates and all(len(r.rsplit(".", 1)[-1]) == 1 for r in rates if "." in r), rates


def test_unknown_story_is_a_clear_404(page, story_server):
    response = page.goto(story_server.url + "/api/stories/999")
    assert response.status == 404 and "No story 999" in page.inner_text("body")


CHAR_BOXES = """(sel) => {
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        out.push([node.data[i], range.getBoundingClientRect().left]);
      }
    }
  }
  return out;
}"""
EVIL = "A \u202eEvil"  # a right-to-left override its outlet name never closes


def reads_in_order(boxes: list, word: str) -> bool:
    """``word`` (after the override) is drawn left to right, as written."""
    text = "".join(c for c, _ in boxes)
    at = text.rindex(word)
    lefts = [left for _, left in boxes[at : at + len(word)]]
    return lefts == sorted(lefts)


@pytest.fixture(scope="module")
def bidi_server(tmp_path_factory):
    from spinscope.store import Store
    from spinscope.store.stories import cluster_store
    from story_fixtures import DAM_EN, DAM_RU, RATE, KeywordEncoder, result

    from .conftest import Server

    path = tmp_path_factory.mktemp("bidi-stories") / "s.duckdb"
    with Store(path) as store:
        store.write([
            result(DAM_EN, "Dam collapses", EVIL, "2024-06-06",
                   figures=(("40", 40.0, "villages"),)),
            result(DAM_RU, "Плотина", "Wire", "2024-06-07", lang="ru",
                   figures=(("25", 25.0, "villages"),)),
            result(RATE, "Rates up", EVIL, "2024-06-07"),
            result(RATE + " Markets fell.", "Rates up again", EVIL, "2024-06-08"),
        ])  # fmt: skip
        cluster_store(store, KeywordEncoder())
    with Server(path) as s:
        yield s


def test_an_outlet_name_with_a_bidi_override_stays_inside_its_name(page, bidi_server):
    # the override ran on into the page's own words after the name: "Wire 25" in the figures
    # that differ, and the rest of the one-outlet note, were drawn reversed
    page.goto(bidi_server.url + "/stories/1")
    assert reads_in_order(page.evaluate(CHAR_BOXES, "#figure-differences li"), "Wire")
    assert reads_in_order(page.evaluate(CHAR_BOXES, "#only-in-one-outlet > li"), "compare")
    page.goto(bidi_server.url + "/stories/2")
    assert reads_in_order(page.evaluate(CHAR_BOXES, "p.note"), "columns")


@pytest.fixture(scope="module")
def long_names_server(tmp_path_factory):
    from spinscope.store import Store
    from spinscope.store.stories import cluster_store
    from story_fixtures import DAM_EN, DAM_RU, KeywordEncoder, result

    from .conftest import Server

    long = "Dam" + "x" * 600  # an outlet, a title and a word with no place to break a line
    path = tmp_path_factory.mktemp("long-stories") / "s.duckdb"
    with Store(path) as store:
        store.write([
            result(f"{DAM_EN} {long}.", long, f"Outlet {long}", "2024-06-06",
                   figures=(("40", 40.0, "villages"),)),
            result(f"{DAM_RU} {long}.", "Плотина", "Wire", "2024-06-07", lang="ru",
                   figures=(("25", 25.0, "villages"),)),
            result(f"{DAM_EN} Markets fell {long} today.", "Dam again", "Wire", "2024-06-07"),
        ])  # fmt: skip
        cluster_store(store, KeywordEncoder())
    with Server(path) as s:
        yield s


@pytest.mark.parametrize("width", [420, 1280])
def test_long_names_do_not_make_the_story_pages_scroll_sideways(page, long_names_server, width):
    # an outlet name with no place to break ran past the page in "Sentences in one outlet
    # only" (and could in the figures that differ and the notes): the page scrolled sideways
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/stories", "/stories/1"):
        page.goto(long_names_server.url + path)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, (path, scroll, inner)
