"""The web app in headless Chromium: paste, highlight, explain, filter, download; article text
carrying scripts never runs; the corpus browser over a store."""

from __future__ import annotations

import json
import time

import pytest

pytestmark = pytest.mark.slow

VISIBLE_MARKS = ".view:not([hidden]) mark:not(.off)"
INJECTED = (
    '#result script:not([type="application/json"]), #result [onerror], #result [onload], '
    '#result a[href^="javascript"], #result iframe, #result img'
)
PAYLOAD = (
    "Harbour <script>window.__xss = 1; alert('script')</script> vote\n\n"
    "The mayor said 40 percent of the harbour budget was wasted in 2023. "
    "<img src=x onerror=\"window.__xss = 2; alert('onerror')\"> These reckless traitors will "
    "destroy our town! <a href=\"javascript:window.__xss = 3; alert('link')\">Read more</a> "
    '</textarea><svg onload="window.__xss = 4"> Stand with the harbour. Enough is enough!'
)


def analyse(page, server, text: str, mode: str = "text") -> float:
    """Paste ``text``, press Analyse; the seconds until the highlighted page is shown."""
    page.goto(server.url + "/")
    if mode != "text":
        page.check(f"input[name=mode][value={mode}]")
    page.fill("#text", text)
    start = time.perf_counter()
    page.click("#analyze-button")
    page.wait_for_selector("#result .article", state="visible")
    return time.perf_counter() - start


def no_script_ran(page) -> None:
    assert page.evaluate("window.__xss") is None
    assert page.events == []
    assert page.locator(INJECTED).count() == 0


def test_paste_the_sample_and_see_highlights_within_a_second(page, server, sample_text):
    analyse(page, server, "Warm-up text: the mayor said 40 percent agree.")  # first-use costs
    seconds = analyse(page, server, sample_text)
    print(f"\nbutton press -> rendered analysis: {seconds:.3f} s")
    assert page.locator(VISIBLE_MARKS).count() > 5
    assert page.locator("#claims-table tbody tr").count() >= 1
    assert page.locator("#labels-table tbody tr").count() >= 1
    assert "Harbour Deal" in page.inner_text("h1.title")
    assert seconds < 2.0  # the target is 1 s; the margin is for a loaded test machine
    no_script_ran(page)


def test_click_a_highlight_explains_its_technique(page, server, sample_text):
    analyse(page, server, sample_text)
    mark = page.locator(VISIBLE_MARKS).first
    assert mark.get_attribute("title")  # the hover text
    mark.click()
    names = page.locator("#explain .technique-name").all_inner_texts()
    assert names and names[0] in mark.get_attribute("title")
    assert page.locator("#explain .explanation").first.inner_text().strip()


def test_threshold_slider_and_filters_reduce_the_highlights(page, server, sample_text):
    analyse(page, server, sample_text)
    before = page.locator(VISIBLE_MARKS).count()
    page.focus("#threshold")
    # 0 -> 0.3, as a user moving the slider with the keyboard (the sample's calibrated
    # confidences run from 0.17 to 0.47 since the pooled technique curves: 0.3 keeps some)
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    assert page.input_value("#threshold") == "0.3"
    assert page.inner_text("#threshold-value") == "0.30"
    after = page.locator(VISIBLE_MARKS).count()
    assert 0 < after < before
    page.fill("#threshold", "0")
    page.dispatch_event("#threshold", "input")
    assert page.locator(VISIBLE_MARKS).count() == before

    option = page.locator("#technique option[data-taxonomy]:not([hidden])").first
    label, name = option.get_attribute("value"), option.inner_text()
    page.select_option("#technique", label)
    titles = [m.get_attribute("title") for m in page.locator(VISIBLE_MARKS).all()]
    assert titles and all(t.startswith(name) and ";" not in t for t in titles)
    rows = page.locator("#findings-table tbody tr:not([hidden]) td:first-child").all_inner_texts()
    assert rows and all(r.strip() == name for r in rows)
    page.select_option("#technique", "")

    category = page.locator("#category option").nth(1).get_attribute("value")
    page.select_option("#category", category)
    classes = [m.get_attribute("class") for m in page.locator(VISIBLE_MARKS).all()]
    assert classes and all(c.startswith(f"cat-{category} ") for c in classes)
    assert len(classes) < before


def test_download_the_json_and_the_html_report(page, server, sample_text):
    analyse(page, server, sample_text)
    with page.expect_download() as info:
        page.click("#download-json")
    data = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert data["document"]["text"].startswith("Harbour Deal") and data["findings"]
    with page.expect_download() as info:
        page.click("#download-report")
    report = open(info.value.path(), encoding="utf-8").read()
    assert report.startswith("<!DOCTYPE html>") and "Harbour Deal" in report


def test_text_carrying_scripts_is_shown_not_run(page, server):
    analyse(page, server, PAYLOAD)
    text = page.inner_text(".view:not([hidden]) .article")
    assert "<script>window.__xss = 1" in text and 'onerror="window.__xss' in text
    assert 'href="javascript:' in text
    page.locator(".view:not([hidden]) .article").click()
    for mark in page.locator(VISIBLE_MARKS).all()[:5]:
        mark.click()
    page.wait_for_timeout(200)
    no_script_ran(page)


def test_html_carrying_scripts_is_shown_not_run(page, server):
    html = (
        "<html><head><title>&lt;img src=x onerror=alert(1)&gt; Harbour news</title>"
        '<meta name="author" content="&lt;script&gt;alert(2)&lt;/script&gt;"></head><body>'
        "<article><h1>&lt;img src=x onerror=alert(1)&gt; Harbour vote</h1>"
        "<p>The mayor said 40 percent of the budget was wasted "
        'in 2023. <script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> '
        'These reckless traitors will destroy our town!</p><p><a href="javascript:window.__xss'
        ' = 3">Stand with the harbour.</a> Enough is enough! &lt;script&gt;window.__xss = 5'
        "&lt;/script&gt;</p></article></body></html>"
    )
    analyse(page, server, html, mode="html")
    assert "<img src=x onerror=alert(1)>" in page.inner_text("h1.title")
    assert "<script>window.__xss = 5</script>" in page.inner_text(".view:not([hidden]) .article")
    page.click("text=Stand with the harbour.")
    page.wait_for_timeout(200)
    no_script_ran(page)


def test_errors_are_shown_in_one_line(page, server):
    page.goto(server.url + "/")
    page.check("input[name=mode][value=url]")
    page.fill("#url", "http://127.0.0.1:1/secret")
    page.click("#analyze-button")
    status = page.locator("#status")
    status.filter(has_text="HTTP 400").wait_for()
    assert "loopback" in status.inner_text()


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory):
    """A server over a store written with ``Store.write``: two outlets, two narratives."""
    from spinscope.ingest import from_text
    from spinscope.model.document import AnalysisResult, Finding
    from spinscope.model.labels import ArticleLabel, Evidence
    from spinscope.store import Store

    from .conftest import Server

    def result(title, outlet, date, technique, narrative):
        doc = from_text(f"{title}\n\nThey are traitors and liars, all of them. Stand with us!",
                        meta={"outlet": outlet, "date": date})  # fmt: skip
        text = doc.text
        s = text.index("traitors")
        finding = Finding(start=s, end=s + 8, text="traitors", label=technique,
                          taxonomy="semeval2023", category="Manipulative wording",
                          confidence=0.9, explanation="", analyzer="test")  # fmt: skip
        e = text.index("They")
        evidence = Evidence(e, e + 41, text[e : e + 41], 1.0)
        label = ArticleLabel("narrative", narrative, 0.8, [evidence])
        return AnalysisResult(doc=doc, findings=[finding], labels=[label])

    path = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    with Store(path) as store:
        store.write([
            result("Harbour plan <script>window.__xss=1</script>", "Harbour Herald",
                   "2024-03-01", "Loaded_Language", "URW: Discrediting Ukraine"),
            result("Valley vote", "Valley <b>Post</b>", "2024-05-10", "Name_Calling-Labeling",
                   "CC: Criticism of climate policies"),
        ])  # fmt: skip
    with Server(path) as s:
        yield s


def test_corpus_browser_filters_and_opens_a_document(page, corpus_server):
    page.goto(corpus_server.url + "/corpus")
    rows = page.locator("#documents tbody tr")
    assert rows.count() == 2
    page.select_option("select[name=outlet]", "Valley <b>Post</b>")
    page.click("#corpus-form button")
    page.wait_for_url("**outlet=*")
    assert rows.count() == 1 and "Valley vote" in rows.inner_text()
    page.goto(corpus_server.url + "/corpus?narrative=URW:+Discrediting+Ukraine")
    assert rows.count() == 1 and "<script>" in rows.inner_text()
    page.goto(corpus_server.url + "/corpus?technique=Name_Calling-Labeling&since=2024-05-01")
    assert rows.count() == 1 and "Valley" in rows.inner_text()
    page.goto(corpus_server.url + "/corpus?since=2024-06-01")
    assert "No documents match" in rows.inner_text()
    page.goto(corpus_server.url + "/corpus")
    for img in page.locator("figure img").all():  # the charts of `spinscope stats`
        assert img.evaluate("i => i.complete && i.naturalWidth > 0")
    page.click("text=Harbour plan")
    page.wait_for_selector("#result .article")
    assert page.locator(VISIBLE_MARKS).count() == 1
    assert "URW: Discrediting Ukraine" in page.inner_text("#labels-table")
    no_script_ran(page)
