"""Issue 17 in headless Chromium: the side panel never explains a highlight the slider hid, the
pages fit a 420 px screen without sideways scrolling, and the favicon is served."""

from __future__ import annotations

import math

import pytest

from .test_web import VISIBLE_MARKS, analyse

pytestmark = pytest.mark.slow

MAX_CONFIDENCE = """(selector) => {
  const findings = JSON.parse(document.querySelector("#findings-data").textContent);
  return Array.from(document.querySelectorAll(selector), (mark) =>
    Math.max(...mark.dataset.f.split(" ").map((i) => findings[Number(i)].confidence)));
}"""


def test_the_panel_follows_the_slider(page, server, sample_text):
    analyse(page, server, sample_text)
    tops = page.evaluate(MAX_CONFIDENCE, VISIBLE_MARKS)
    k = min(range(len(tops)), key=tops.__getitem__)
    above = math.floor(tops[k] / 0.05 + 1) * 0.05  # the next slider step above it
    if above > 1:
        pytest.skip("every highlight of the sample is above the slider's last step")
    page.locator(VISIBLE_MARKS).nth(k).click()
    assert page.locator("#explain .technique-name").count() >= 1
    page.fill("#threshold", f"{above:.2f}")
    page.dispatch_event("#threshold", "input")
    assert page.locator("#explain .technique-name").count() == 0
    assert page.locator("mark.selected").count() == 0
    assert "Click a highlight" in page.inner_text("#explain")
    assert page.inner_text("#shown").split()[1] in ("finding", "findings")


@pytest.mark.parametrize("path", ["/", "/corpus", "result"])
def test_a_420_px_screen_does_not_scroll_sideways(page, server, sample_text, path):
    page.set_viewport_size({"width": 420, "height": 900})
    if path == "result":
        analyse(page, server, sample_text)
    else:
        page.goto(server.url + path)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width


def test_the_favicon_is_there(page, server):
    assert page.request.get(server.url + "/favicon.ico").status == 200
    page.goto(server.url + "/")
    assert page.locator("link[rel=icon]").count() >= 1


@pytest.fixture(scope="module")
def low_threshold_server():
    """At threshold 0.2 the long column's quotes carry findings too."""
    from .conftest import Server

    with Server(overrides={"techniques.threshold": 0.2}) as s:
        yield s


def test_the_voice_filter_shows_quoted_findings_only_when_asked(page, low_threshold_server):
    from .test_report import LONG

    analyse(page, low_threshold_server, LONG.read_text(encoding="utf-8"))
    rows = "#findings-table tbody tr:not([hidden])"
    quoted = "() => JSON.parse(document.querySelector('#findings-data').textContent)" \
             ".filter((f) => !f.author).length"  # fmt: skip
    if page.evaluate(quoted) == 0:
        pytest.skip("no finding in quoted or reported speech")
    assert page.input_value("#voice") == "author"  # the default
    before = page.locator(rows).count()
    assert page.locator(f"{VISIBLE_MARKS}.quoted").count() == 0
    page.select_option("#voice", "all")
    assert page.locator(rows).count() > before
    assert page.locator(f"{VISIBLE_MARKS}.quoted").count() >= 1
    page.select_option("#voice", "author")
    assert page.locator(rows).count() == before
    assert page.events == []
