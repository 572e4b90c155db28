"""The HTML report a fact-checker reads (issue 17, item 3): a summary first, one taxonomy and one
voice at a time, tentative findings hidden, offsets on hover only, collapsible sections, a print
stylesheet, readable colours and provenance. Checked on the parsed page: the switches are CSS
rules, so each test checks both the rule and what the page shows under it (``pages.shown_in``
applies the same rules to the parsed tree)."""

from __future__ import annotations

import re
from itertools import combinations

import pytest

from spinscope.model.claim import Attribution, Claim, Mention
from spinscope.model.definitions import explain
from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.model.labels import ArticleLabel, Evidence
from spinscope.model.language import Language
from spinscope.model.taxonomy import category
from spinscope.report.html import CATEGORY_COLOURS, TEXT_COLOUR, render_html

from . import pages
from .pages import View

PARAGRAPH = (
    "The council's shameful betrayal of every resident is a total disaster for our town. "
    '"This is fake news," Mayor Jane Hill said at the meeting on Tuesday. '
    "Officials said the budget for roads would rise by 12% in 2024, to 3 million euros. "
    "Residents met in the old hall to discuss the plan, its costs and the new bus lanes. "
    "Clean streets, happy streets! Shop owners on the square asked for more time to adapt."
)
TEXT = "Council votes on the square\n\n" + "\n\n".join([PARAGRAPH] * 14)  # about 1,000 words


def spans(text: str, needle: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]


def make(text: str, s: int, e: int, label: str, taxonomy: str = "semeval2023", **kw) -> Finding:
    confidence = kw.pop("confidence", 0.8)
    why = explain(taxonomy, label, text[s:e], confidence)
    cat = category(taxonomy, label)
    return Finding(s, e, text[s:e], label, taxonomy, cat, confidence, why, "techniques.test", **kw)


def heavy_result(text: str = TEXT) -> AnalysisResult:
    """Many findings in both taxonomies, quoted ones, tentative ones, 14 claims, labels."""
    findings = []
    for s, e in spans(text, "shameful betrayal"):
        findings += [make(text, s, e, "Loaded_Language", voice="author"),
                     make(text, s, e, "Loaded_Language", "ptc2020")]  # fmt: skip
    for s, e in spans(text, "a total disaster for our town"):
        findings.append(make(text, s, e, "Exaggeration-Minimisation"))  # voice None: author's
    for s, e in spans(text, "Clean streets, happy streets!"):
        findings.append(make(text, s, e, "Slogans", voice="author"))
    for s, e in spans(text, "fake news"):
        findings.append(make(text, s, e, "Name_Calling-Labeling", voice="quote",
                             speaker="Mayor Jane Hill"))  # fmt: skip
    for s, e in spans(text, "asked for more time")[:3]:
        findings.append(make(text, s, e, "Appeal_to_Values", voice="author", tentative=True))
    for s, e in spans(text, "new bus lanes")[:2]:
        findings.append(make(text, s, e, "Doubt", voice="author", confidence=0.001))
    claims = []
    for i, (s, e) in enumerate(spans(text, "Officials said the budget for roads would rise "
                                           "by 12% in 2024, to 3 million euros.")):  # fmt: skip
        who = Mention(s, s + len("Officials"), "Officials")
        claims.append(Claim(s, e, text[s:e], round(0.95 - i * 0.03, 2), [], [],
                            Attribution("reported", who, who, "said")))  # fmt: skip
    ev = [Evidence(s, e, text[s:e], 0.5) for s, e in spans(text, PARAGRAPH)[:3]]
    labels = [
        ArticleLabel.not_sure("genre", "genre scores sit below 0.70", best="opinion", score=0.61),
        ArticleLabel("frame", "Economic", 0.77, ev),
        ArticleLabel("frame", "Quality_of_life", 0.55, ev),
        ArticleLabel("frame", "Political", 0.52, ev),
    ]
    models = [
        {"analyzer": "techniques", "version": "techniques.span_tagger.v1",
         "model": "spinscope-techniques-minilm-l6", "model_version": "2026-11-27",
         "model_sha256": "7cc1d227", "variant": "int8",
         "settings": {"threshold": 0.35, "decoding": {"max_gap": 4}}},
        {"analyzer": "framing", "version": "framing.linear.v2", "model": "spinscope-framing",
         "model_version": "2026-12-05", "settings": {"min_words": 20},
         "sha256": {"framing.npz": "d2aa090e"}},
    ]  # fmt: skip
    res = AnalysisResult(
        doc=Document(text, title="Council votes on the square",
                     language=Language("en", 0.99, zero_shot=("techniques_paragraphs",))),
        findings=findings, claims=claims, labels=labels, models=models,
        settings={"techniques.threshold": 0.35, "framing.min_words": 20, "roles.enabled": False},
    )  # fmt: skip
    res.check_offsets()
    return res


@pytest.fixture(scope="module")
def result() -> AnalysisResult:
    return heavy_result()


@pytest.fixture(scope="module")
def page(result: AnalysisResult) -> str:
    return render_html(result)


@pytest.fixture(scope="module")
def root(page: str) -> pages.El:
    return pages.parse(page)


def rows(root: pages.El, view: View) -> list[tuple[str, str]]:
    """(technique, whose words) of each findings-table row the view shows."""
    table = root.find("table", cls="findings")
    out = []
    for tr in table.find("tbody").find_all("tr"):
        if pages.shown_in(tr, view):
            cells = tr.find_all("td")
            out.append((cells[0].text(), cells[1].text() if pages.shown_in(cells[1], view) else ""))
    return out


# -- summary -----------------------------------------------------------------------------------


def test_the_summary_comes_first_and_says_what_matters(result, root) -> None:
    main = root.find("main")
    first = next(c for c in main.children if isinstance(c, pages.El))
    assert first.attrs["id"] == "summary"
    glance = {
        dt.text(): " ".join(pages.visible_text(dd, View()).split())
        for dt, dd in zip(first.find_all("dt"), first.find_all("dd"), strict=True)
    }
    assert glance["Language"].startswith("English (en), confidence 0.99")
    assert glance["Genre"].startswith("not sure (genre scores sit below 0.70")
    assert "opinion (0.61)" in glance["Genre"]
    words = len(TEXT.split())
    assert 990 <= words <= 1100
    # the author's reliable SemEval findings: 14 loaded language, 14 exaggeration, 14 slogans
    per_1000 = f"{14 * 1000 / words:.1f}"
    assert (
        f"Loaded language: 14 ({per_1000} per 1,000 words)"
        in glance["Techniques in the author's voice"]
    )
    techniques = glance["Techniques in the author's voice"]
    assert "Name calling" not in techniques  # quoted: not the author's
    assert "14 in quoted or reported speech" in techniques and "5 tentative" in techniques
    assert glance["Frames"] == "Economic (0.77), Quality of life (0.55), Political (0.52)"
    assert glance["Narratives"] == "none"
    top = first.find("ol", cls="top-claims").find_all("li")
    assert [li.find("a").attrs["href"] for li in top] == ["#claim-1", "#claim-2", "#claim-3"]
    assert "(0.95; Officials: reported speech" in top[0].text()
    caveats = glance["Caveats"]
    assert "No narratives" in caveats and "No roles" in caveats and "roles.enabled" in caveats
    assert "zero-shot by techniques_paragraphs" in caveats


def test_the_summary_follows_the_taxonomy_switch(root) -> None:
    summary = root.find("section", id="summary")
    ptc = " ".join(pages.visible_text(summary, View("ptc2020")).split())
    assert "Loaded language: 14" in ptc and "Slogans" not in ptc


def test_without_a_voice_analysis_the_summary_says_quotes_count_as_the_author(result) -> None:
    undecided = [
        Finding(**{**f.to_dict(), "voice": None, "speaker": None}) for f in result.findings
    ]
    res = AnalysisResult(doc=result.doc, findings=undecided, models=result.models)
    summary = pages.parse(render_html(res)).find("section", id="summary").text()
    assert "every finding counts as the author's, quotations included" in summary
    assert (
        "whose voice"
        not in pages.parse(render_html(result)).find("section", id="summary").text().lower()
    )


# -- one taxonomy at a time ---------------------------------------------------------------------


def test_one_taxonomy_is_shown_at_a_time_semeval_by_default(result, page, root) -> None:
    radios = root.find_all("input", name="taxonomy")
    assert [(r.attrs["id"], "checked" in r.attrs) for r in radios] == [
        ("tax-semeval2023", True), ("tax-ptc2020", False)]  # fmt: skip
    style = pages.screen_css(page)
    for tax in ("semeval2023", "ptc2020"):
        assert f"#tax-{tax}:checked ~ * .tx:not(.tax-{tax}) {{ display: none; }}" in style
    for view in (View("semeval2023"), View("ptc2020")):
        shown = {f.taxonomy for f in result.findings if view.taxonomy == f.taxonomy}
        assert shown == {view.taxonomy}
        table = rows(root, view)
        assert table and len(table) == len(
            [f for f in result.findings if f.taxonomy == view.taxonomy and f.voice != "quote"
             and not f.tentative and f.confidence > 0.005])  # fmt: skip
        marks = pages.marks(pages.article(root, view))
        tax_labels = {"semeval2023": "t-slogans", "ptc2020": "t-loaded-language"}
        assert any(tax_labels[view.taxonomy] in c for _, c, _ in marks)
    ptc_marks = pages.marks(pages.article(root, View("ptc2020")))
    assert {t for t, _, _ in ptc_marks} == {"shameful betrayal"}  # no SemEval span listed twice


@pytest.mark.parametrize("taxonomy", ["semeval2023", "ptc2020"])
@pytest.mark.parametrize("all_voices", [False, True])
@pytest.mark.parametrize("show_hidden", [False, True])
def test_every_switch_state_has_a_css_rule_and_exactly_one_text(
    page, root, taxonomy, all_voices, show_hidden
) -> None:
    view = View(taxonomy, all_voices, show_hidden)
    voice = "all" if all_voices else "author"
    hidden = ":checked" if show_hidden else ":not(:checked)"
    rule = (f"#tax-{taxonomy}:checked ~ #voice-{voice}:checked ~ #show-hidden{hidden} ~ main "
            f".state:not(.{view.key}) {{ display: none; }}")  # fmt: skip
    assert rule in pages.screen_css(page)
    text = pages.article(root, view)
    assert "".join(pages.visible_text(text, view)) == TEXT


@pytest.mark.parametrize("view", [View(t, v, h) for t in ("semeval2023", "ptc2020")
                                  for v in (False, True) for h in (False, True)])  # fmt: skip
def test_the_css_rules_hide_exactly_what_the_tests_assume(page, root, view) -> None:
    """``pages.shown_in`` (used by the other tests) against the page's own CSS selectors."""
    hidden = pages.css_hidden(page, root, view)
    assert hidden
    for el in root.find("body").iter():
        by_css = any(id(a) in hidden for a in pages._ancestors(el))
        assert by_css == (not pages.shown_in(el, view)), (el.tag, el.attrs)


# -- voice ------------------------------------------------------------------------------------


def test_the_authors_voice_only_by_default_all_voices_marks_the_speaker(page, root) -> None:
    assert "checked" in root.find("input", id="voice-author").attrs
    style = pages.screen_css(page)
    assert "#voice-author:checked ~ * .other-voice, #voice-author:checked ~ * .voice-col" in style
    author = pages.marks(pages.article(root, View()))
    assert not any("fake news" in t for t, _, _ in author)
    assert "Name calling / labeling" not in {name for name, _ in rows(root, View())}
    everyone = pages.marks(pages.article(root, View(all_voices=True)))
    quoted = [(c, title) for t, c, title in everyone if t == "fake news"]
    assert len(quoted) == 14
    assert all("quoted" in c.split() and "quoted: Mayor Jane Hill" in title for c, title in quoted)
    table = rows(root, View(all_voices=True))
    assert ("Name calling / labeling", "quoted: Mayor Jane Hill") in table
    assert ("Exaggeration / minimisation", "the author") in table  # voice None is the author's


def test_the_page_can_open_on_all_voices(result) -> None:
    def opening(page: str) -> tuple[list[str], list[str]]:
        root = pages.parse(page)
        radios = [
            r.attrs["id"] for r in root.find_all("input", name="voice") if "checked" in r.attrs
        ]
        default = [d.attrs["class"] for d in root.find_all("div", cls="default")]
        return radios, default

    radios, default = opening(render_html(result, voice="all"))
    assert radios == ["voice-all"] and all("s-semeval2023-all-reliable" in d for d in default)
    setting = AnalysisResult(doc=result.doc, findings=result.findings,
                             settings={"report.voice": "all"})  # fmt: skip
    assert opening(render_html(setting))[0] == ["voice-all"]
    assert opening(render_html(result))[0] == ["voice-author"]
    with pytest.raises(ValueError, match="voice must be one of author, all, got 'quote'"):
        render_html(result, voice="quote")


def test_a_speaker_is_escaped(result) -> None:
    hostile = [
        Finding(**{**f.to_dict(), "speaker": "<script>alert(1)</script>"})
        if f.voice == "quote" else f
        for f in result.findings
    ]  # fmt: skip
    page = render_html(AnalysisResult(doc=result.doc, findings=hostile))
    assert "<script" not in page and "quoted: &lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- tentative and 0.00 -------------------------------------------------------------------------


def test_tentative_and_zero_confidence_findings_are_hidden_until_asked_for(page, root) -> None:
    assert "checked" not in root.find("input", id="show-hidden").attrs
    assert "#show-hidden:not(:checked) ~ * .below { display: none; }" in pages.screen_css(page)
    names = {name for name, _ in rows(root, View())}
    assert "Appeal to values" not in names and "Casting doubt" not in names
    default = pages.visible_text(pages.article(root, View()), View())
    assert default == TEXT
    marked = {t for t, _, _ in pages.marks(pages.article(root, View()))}
    assert "asked for more time" not in marked and "new bus lanes" not in marked
    every = rows(root, View(show_hidden=True))
    assert sum(n == "Appeal to values" for n, _ in every) == 3
    assert sum(n == "Casting doubt" for n, _ in every) == 2
    titles = [ti for t, _, ti in pages.marks(pages.article(root, View(show_hidden=True)))
              if t == "new bus lanes"]  # fmt: skip
    assert titles and all("(0.00), tentative" in ti for ti in titles)


# -- offsets ----------------------------------------------------------------------------------


def test_offsets_only_on_hover(result, root) -> None:
    for view in (View(), View("ptc2020", True, True)):
        text = pages.visible_text(root.find("body"), view)
        assert not re.search(r"\[\d+:\d+\]", text)
        assert not re.search(r"characters \d+", text)
    titles = [e.attrs["title"] for e in root.iter() if "title" in e.attrs]
    s, e = spans(TEXT, "shameful betrayal")[0]
    assert f"characters {s}\u2013{e}" in titles
    claim = result.claims[0]
    assert f"characters {claim.start}\u2013{claim.end}" in titles


# -- sections collapse ------------------------------------------------------------------------


def test_every_section_collapses(root) -> None:
    sections = root.find("main").find_all("section")
    assert len(sections) >= 7
    opened = {}
    for section in sections:
        details = [c for c in section.children if isinstance(c, pages.El)]
        assert [d.tag for d in details] == ["details"], section.attrs["id"]
        summary = next(c for c in details[0].children if isinstance(c, pages.El))
        assert summary.tag == "summary" and summary.find("h2")
        opened[section.attrs["id"]] = "open" in details[0].attrs
    assert opened["summary"] and opened["text"] and opened["claims"]
    assert not opened["definitions"] and not opened["provenance"]


# -- print ------------------------------------------------------------------------------------


def test_print_fits_a_1000_word_article_on_six_a4_pages(page) -> None:
    """An estimate (no browser here): the text left once the print rules hide controls, hints,
    explanations, definitions and the claims' second copy, wrapped at 90 characters a line and
    50 lines an A4 page, closed sections counted as open."""
    style = pages.print_css(page)
    assert "@page { size: A4" in style
    assert {"noprint", "controls", "hint"} <= pages.hidden_classes(style)
    estimate = pages.printed_pages(page)
    assert estimate <= 6, estimate
    # the estimate can fail: without the print rules the same page needs far more paper
    assert pages.printed_pages(page, honour_print_css=False) > 1.5 * estimate


def test_print_shows_only_the_chosen_view(page, root) -> None:
    style = pages.print_css(page)
    assert ".view" not in style and ".state" not in style  # no rule unhides the other copies
    shown = [d for d in root.find_all("div", cls="state") if pages.shown_in(d, View())]
    assert len(shown) == 2  # the text and the counts of the default view
    notes = [p.text() for p in root.find_all("p", cls="print-only") if pages.shown_in(p, View())]
    assert (
        "Printed view: SemEval-2023 (23 techniques); the author's voice only; tentative "
        "findings left out." in notes
    )
    all_voices = View("ptc2020", all_voices=True)
    notes = [
        p.text() for p in root.find_all("p", cls="print-only") if pages.shown_in(p, all_voices)
    ]
    assert any(
        n.startswith("Printed view: PTC / SemEval-2020") and "all voices" in n for n in notes
    )


# -- colours ----------------------------------------------------------------------------------


def category_rules(page: str) -> dict[str, str]:
    return dict(re.findall(r"\.cat-([a-z-]+) \{ background: (#[0-9a-f]{6}); \}", page))


def test_category_colours_pass_wcag_aa_and_differ(page) -> None:
    rules = category_rules(pages.screen_css(page))
    assert len(rules) == len(CATEGORY_COLOURS) == 7
    body = re.search(r"body \{[^}]*color: (#[0-9a-f]{6})", pages.css(page)).group(1)
    assert body == TEXT_COLOUR
    for slug, colour in rules.items():
        assert pages.contrast(TEXT_COLOUR, colour) >= 4.5, (slug, colour)
    for (a, ca), (b, cb) in combinations(rules.items(), 2):
        assert pages.delta_e(ca, cb) >= 20, (a, b, pages.delta_e(ca, cb))
    # the pair the issue names, which were near twins
    assert pages.delta_e(rules["call"], rules["manipulative-wording"]) >= 20


def test_every_text_colour_in_the_stylesheet_passes_wcag_aa(page) -> None:
    """Each rule's text colour against its own background, else the page's (#fafafa) and
    white tables (#fff); the switch labels are checked in both states."""
    checked = 0
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", pages.css(page)):
        fg = re.search(r"(?<![-\w])color:\s*(#[0-9a-f]{3,6})", body)
        if not fg:
            continue
        bg = re.search(r"background(?:-color)?:\s*(#[0-9a-f]{3,6})", body)
        backgrounds = [bg.group(1)] if bg else ["#fafafa", "#ffffff"]
        for b in backgrounds:
            assert pages.contrast(fg.group(1), b) >= 4.5, (selectors.strip(), fg.group(1), b)
            checked += 1
    assert checked >= 8


# -- provenance --------------------------------------------------------------------------------


def test_provenance_is_a_table_of_models_and_changed_settings_in_words(root) -> None:
    section = root.find("section", id="provenance")
    text = section.text()
    assert "{'" not in text and "':" not in text and "settings=" not in text
    models = section.find("table", cls="models")
    cells = [[td.text() for td in tr.find_all("td")] for tr in models.find("tbody").find_all("tr")]
    assert cells[0][:4] == ["techniques", "spinscope-techniques-minilm-l6",
                            "techniques.span_tagger.v1", "2026-11-27"]  # fmt: skip
    assert cells[1][0] == "framing" and cells[1][3] == "2026-12-05"
    settings = section.find("table", cls="settings")
    rows_ = [
        [td.text() for td in tr.find_all("td")] for tr in settings.find("tbody").find_all("tr")
    ]
    assert [r[:3] for r in rows_] == [["techniques.threshold", "0.35", "0.5"]]
    assert rows_[0][3].startswith("Minimum token score")
    assert "7cc1d227" in section.find("details", cls="checksums").text()
    footer = root.find("footer").text()
    assert "{" not in footer and "Input sha256" in footer


def test_all_default_settings_say_so() -> None:
    res = AnalysisResult(doc=Document("A calm, factual sentence."), findings=[],
                         settings={"techniques.threshold": 0.5})  # fmt: skip
    assert "Every setting was at its default." in render_html(res)
