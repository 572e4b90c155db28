"""The HTML report: highlights, counts, definitions, escaping and no external resources."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from spinscope import __version__
from spinscope.model.definitions import definition, example
from spinscope.model.document import SCHEMA_VERSION, AnalysisResult, Document, text_checksum
from spinscope.report import _view
from spinscope.report.html import render_html

from . import pages
from .conftest import finding


def views_of(page: str) -> dict[str, list[tuple[str, str | None, str | None]]]:
    """Per taxonomy, the default view's highlighted text as (text, mark classes, mark title)."""
    root = pages.parse(page)
    out = {}
    for div in root.find_all("div", cls="article"):
        holder = div.parent
        if holder is None or "state" not in holder.classes:
            continue
        taxonomy = holder.attrs["data-taxonomy"]
        if pages.View(taxonomy).key not in holder.classes:
            continue
        out[taxonomy] = [
            (c, None, None)
            if isinstance(c, str)
            else (c.text(), c.attrs["class"], c.attrs["title"])
            for c in div.children
        ]
    return out


def test_every_finding_is_highlighted_with_its_technique(result: AnalysisResult) -> None:
    views = views_of(render_html(result))
    assert set(views) == {"semeval2023", "ptc2020"}
    for taxonomy, pieces in views.items():
        assert "".join(text for text, _, _ in pieces) == result.doc.text
        classes_at: list[set[str]] = []
        for text, classes, _ in pieces:
            classes_at += [set((classes or "").split())] * len(text)
        for f in _view.of_taxonomy(result.findings, taxonomy):
            marked = [f"t-{_view.slug(f.label)}" in classes_at[i] for i in range(f.start, f.end)]
            assert all(marked), (taxonomy, f)
    ptc_marked = "".join(text for text, classes, _ in views["ptc2020"] if classes)
    assert ptc_marked == "shameful betrayal"


def test_overlaps_and_nesting_show_in_classes_and_tooltips(result: AnalysisResult) -> None:
    pieces = views_of(render_html(result))["semeval2023"]
    marks = {text: (classes, title) for text, classes, title in pieces if classes}
    classes, title = marks["betrayal"]  # covered by two overlapping findings
    assert "depth-2" in classes.split()
    assert title == "Exaggeration / minimisation (0.64); Loaded language (0.91)"  # longer first
    classes, title = marks["disaster"]  # nested: the inner finding colours it
    assert "cat-manipulative-wording" in classes.split() and "depth-2" in classes.split()
    assert title.startswith("Appeal to fear / prejudice (0.55); Loaded language (0.42)")
    assert marks["shameful "][1] == "Loaded language (0.91)"
    assert "cat-justification" in marks["a total "][0].split()


def test_finding_texts_appear_escaped_inside_marks(result: AnalysisResult) -> None:
    page = render_html(result)
    assert '">shameful </mark><mark class="' in page
    assert '">disaster</mark>' in page
    assert '">Clean streets, happy streets!</mark>' in page


def count_cells(page: str, name: str) -> list[str]:
    pattern = rf"<tr><td>{re.escape(str(escape(name)))}</td><td>[^<]*</td><td class=\"num\">(\d+)"
    return re.findall(pattern, page)


def test_counts_per_taxonomy(result: AnalysisResult) -> None:
    page = render_html(result)
    assert count_cells(page, "Loaded language") == ["2", "1"]  # semeval2023, then ptc2020
    assert count_cells(page, "Slogans") == ["2"]
    assert count_cells(page, "Exaggeration / minimisation") == ["1"]
    assert '<th class="num">6</th>' in page and '<th class="num">1</th>' in page
    assert "(6 shown of 7)" in page and "(1 shown of 7)" in page


def test_definitions_and_examples_of_found_techniques(result: AnalysisResult) -> None:
    page = render_html(result)
    for f in result.findings:
        assert str(escape(definition(f.taxonomy, f.label))) in page
        assert str(escape(example(f.taxonomy, f.label))) in page
    assert str(escape(definition("semeval2023", "Straw_Man"))) not in page


def test_findings_table_and_explanations(result: AnalysisResult) -> None:
    page = render_html(result)
    for f in result.findings:
        assert str(escape(f.explanation)) in page
    assert "0.91" in page and "ptc2020" in page


def test_metadata_warning_and_footer(result: AnalysisResult) -> None:
    page = render_html(result)
    for value in (
        "Council votes on the market square",
        "A. Writer",
        "2024-05-01",
        "Example Gazette",
        "https://example.org/news/1",
    ):
        assert value in page
    assert "looks like Dutch" in page
    assert f"spinscope {__version__}" in page and f"schema {SCHEMA_VERSION}" in page
    assert text_checksum(result.doc.text) in page
    model_row = pages.parse(page).find("table", cls="models").find("tbody").find("tr")
    cells = [td.text() for td in model_row.find_all("td")]
    assert cells[1:3] == ["spinscope-techniques", "0.3.1"] and "minilm-int8" in cells[4]


def test_taxonomy_switch_defaults_to_semeval2023(result: AnalysisResult) -> None:
    def checked(page: str) -> list[str]:
        radios = pages.parse(page).find_all("input", name="taxonomy")
        assert [r.attrs["id"] for r in radios] and all(r.attrs["type"] == "radio" for r in radios)
        return [r.attrs["id"] for r in radios if "checked" in r.attrs]

    assert checked(render_html(result)) == ["tax-semeval2023"]
    assert checked(render_html(result, taxonomy="ptc2020")) == ["tax-ptc2020"]


def test_a_dict_renders_like_the_result(result: AnalysisResult) -> None:
    assert render_html(result.to_dict()) == render_html(result)


def test_rejects_what_is_not_a_result() -> None:
    with pytest.raises(TypeError, match="Expected an AnalysisResult or the dict"):
        render_html("just a text")  # type: ignore[arg-type]


def test_empty_findings(empty: AnalysisResult) -> None:
    page = render_html(empty)
    assert "A calm, factual sentence." in page
    assert "No persuasion techniques were found in this text." in page
    assert "<input" not in page  # one taxonomy shown: no switch
    assert views_of(page) == {"semeval2023": [("A calm, factual sentence.", None, None)]}


HOSTILE_TEXT = (
    "Intro. <script>alert(1)</script> middle <img src=x onerror=alert(1)> and "
    "[bold]markup[/bold] & </mark></div> end."
)
HOSTILE_TITLE = '"><script>alert("t")</script>'


@pytest.fixture
def hostile() -> AnalysisResult:
    doc = Document(
        HOSTILE_TEXT,
        title=HOSTILE_TITLE,
        meta={
            "author": "<script>alert('a')</script>",
            "source": "javascript:alert(1)",
            "site": '<img src="https://evil.example/x.png">',
            "<b>key</b>": "value",
        },
    )
    findings = [
        finding("<script>alert(1)</script>", "Loaded_Language", doc_text=HOSTILE_TEXT),
        finding("<img src=x onerror=alert(1)>", "Doubt", doc_text=HOSTILE_TEXT),
        finding("alert(1)</script> middle <img", "Slogans", "ptc2020", doc_text=HOSTILE_TEXT),
    ]
    return AnalysisResult(
        doc=doc,
        findings=findings,
        models=[{"name": "<script>m</script>", "version": '"><img src=x>'}],
        warnings=["<script>alert('w')</script>"],
    )


def test_article_text_and_metadata_are_escaped(hostile: AnalysisResult) -> None:
    page = render_html(hostile)
    for raw in ("<script", "<img", '"><script>', "</script>", "<b>key", "</mark></div> end"):
        assert raw not in page, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&#34;&gt;&lt;script&gt;" in page  # the title, escaped
    # the escaped text still round-trips exactly through an HTML parser
    views = views_of(page)
    assert "".join(t for t, _, _ in views["semeval2023"]) == HOSTILE_TEXT
    assert "".join(t for t, _, _ in views["ptc2020"]) == HOSTILE_TEXT


EXTERNAL = [
    r"""\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""",
    r"@import",
    r"""url\(\s*["']?\s*(?:https?:)?//""",
    r"<(?:script|link|iframe|object|embed|img|base)\b",
]


@pytest.mark.parametrize("fixture", ["result", "hostile", "empty"])
def test_no_external_resources(fixture: str, request: pytest.FixtureRequest) -> None:
    page = render_html(request.getfixturevalue(fixture))
    for pattern in EXTERNAL:
        assert not re.search(pattern, page, re.IGNORECASE), pattern
    assert "javascript:alert(1)" not in re.findall(r'href="([^"]*)"', page)


def test_the_report_says_why_there_are_no_article_labels() -> None:
    framing = {"analyzer": "framing", "settings": {"min_words": 20}}
    short = AnalysisResult(doc=Document("Markets fell."), findings=[], models=[framing])
    assert "the text has fewer than 20 words" in render_html(short)


def test_empty_when_the_analysers_did_not_run(empty: AnalysisResult) -> None:
    # was "No persuasion techniques were found in this text." (and the same for claims) with
    # pipeline.analyzers=framing, where nothing had looked for them
    framing_only = AnalysisResult(doc=empty.doc, findings=[], models=[{"analyzer": "framing"}])
    page = render_html(framing_only)
    assert "No persuasion techniques: the technique analysers did not run." in page
    assert "No check-worthy claims: the claims analyser did not run." in page
    assert "were found in this text" not in page


def test_the_page_forbids_scripts_and_loads_before_any_article_text(result: AnalysisResult) -> None:
    # a report opened from disk has no server to send a Content-Security-Policy header: the page
    # says it itself, before the title (the first article text), so a payload that ever slipped
    # past the escaping could run nothing and fetch nothing
    page = render_html(result)
    csp = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    assert csp + "style-src 'unsafe-inline'\">" in page
    assert page.index(csp) < page.index("<title>")


def test_article_text_cannot_reorder_the_report_around_it() -> None:
    # where Chromium draws each character is measured in tests/e2e/test_report.py; this checks
    # the markup that keeps it so where no browser is installed
    text = "They say the \u202eexperts lie\u202c to us, always."
    f = finding("the \u202eexperts lie", "Loaded_Language", doc_text=text)
    page = render_html(AnalysisResult(doc=Document(text), findings=[f]))
    assert "&ldquo;<bdi>the \u202eexperts lie\u202c</bdi>&rdquo;" in page  # closed, isolated
    assert re.search(r"\.article \{[^}]*unicode-bidi: plaintext;", page)  # Arabic reads RTL


def test_the_article_text_carries_its_detected_language() -> None:
    # <html lang="en"> held for Arabic and Chinese articles too: screen readers and fonts
    # treated them as English
    from spinscope.model.language import Language

    text = "قال الوزير إن الخطة كارثة."
    doc = Document(text, language=Language("ar", 0.99))
    page = render_html(AnalysisResult(doc=doc, findings=[]))
    assert '<html lang="en">' in page  # the report's own words are English
    assert page.count('<div class="article" lang="ar">') >= 1
    assert '<div class="article">' not in page
    unknown = render_html(AnalysisResult(doc=Document(text), findings=[]))
    assert '<div class="article">' in unknown and 'lang="ar"' not in unknown
