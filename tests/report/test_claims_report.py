"""Claims in the HTML report and the terminal view: ordered, linked to the text, escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from rich.console import Console

from spinscope.model.claim import Attribution, Claim, Figure, Mention, Quantity, TimeRef
from spinscope.model.document import AnalysisResult, Document
from spinscope.report import _view
from spinscope.report.html import render_html
from spinscope.report.terminal import render_terminal

TEXT = (
    "Intro line. Exports grew by 22.3% in 2022 <script>alert(1)</script>. "
    "Smith said the deal is worth $30 billion."
)


def span(text: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return start, start + len(text)


def make_result() -> AnalysisResult:
    s1, e1 = span("Exports grew by 22.3% in 2022 <script>alert(1)</script>.")
    s2, e2 = span("Smith said the deal is worth $30 billion.")
    q1 = Quantity(*span("22.3%"), "22.3%", 22.3, "percent", "%")
    t1 = TimeRef(*span("2022"), "2022", "point", 2022, 2022)
    q2 = Quantity(*span("$30 billion"), "$30 billion", 3e10, "money", "USD")
    smith = Mention(*span("Smith"), "Smith")
    claims = [
        Claim(
            s1,
            e1,
            TEXT[s1:e1],
            0.61,
            [Figure(q1, "change", "increase", t1, None)],
            [t1],
            explanation="<b>why</b>",
        ),  # fmt: skip
        Claim(
            s2,
            e2,
            TEXT[s2:e2],
            0.93,
            [Figure(q2, "level", None, None, None)],
            [],
            Attribution("reported", smith, smith, "said"),
        ),  # fmt: skip
    ]
    res = AnalysisResult(doc=Document(TEXT), findings=[], claims=claims)
    res.check_offsets()
    return res


class ClaimsText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[str, str | None, str | None]] = []
        self.ids: set[str] = set()
        self._depth = 0
        self._role: tuple[str | None, str | None] = (None, None)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "div" and "claims-text" in a.get("class", ""):
            self._depth = 1
        elif self._depth and tag == "span":
            self._role = (a["class"].split()[0], a.get("id"))

    def handle_endtag(self, tag):
        if tag == "span":
            self._role = (None, None)
        elif tag == "div" and self._depth:
            self._depth = 0

    def handle_data(self, data):
        if self._depth:
            self.pieces.append((data, *self._role))


def test_claims_table_is_ordered_and_linked_to_the_text():
    page = render_html(make_result())
    rows = re.findall(r'<tr id="row-(claim-\d+)">.*?href="#(claim-\d+)".*?</tr>', page, re.S)
    assert rows == [("claim-1", "claim-1"), ("claim-2", "claim-2")]
    first = page.index('id="row-claim-1"')
    assert page.index("Smith said", first) < page.index("Exports grew", first)  # 0.93 first
    parser = ClaimsText()
    parser.feed(page)
    assert {"claim-1", "claim-2"} <= parser.ids
    assert "".join(p[0] for p in parser.pieces) == TEXT  # the whole text, nothing lost
    roles = {(t, r) for t, r, _ in parser.pieces if r}
    assert ("22.3%", "figure") in roles and ("2022", "time") in roles
    assert ("Smith", "speaker") in roles and ("$30 billion", "figure") in roles
    anchored = {i: t for t, _, i in parser.pieces if i}
    assert anchored["claim-1"] == "Smith"  # the claim's first piece carries its anchor


def test_figures_and_speaker_in_words():
    page = render_html(make_result())
    assert "&#34;$30 billion&#34; = 30 billion USD (money; level)" in page
    assert "&#34;22.3%&#34; = 22.3% (percent; change; increase; time: 2022)" in page
    assert "Smith: reported speech, &#34;said&#34;" in page


def test_claim_text_is_escaped():
    page = render_html(make_result())
    assert "<script>" not in page and "<b>why</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_terminal_lists_claims_most_checkworthy_first():
    console = Console(record=True, width=200)
    render_terminal(make_result(), console)
    out = console.export_text()
    table = out[out.index("Claims worth checking") :]
    assert table.index("Smith said") < table.index("Exports grew by 22.3%")
    assert '"22.3%" = 22.3% (percent; change; increase; time: 2022)' in out
    assert "<script>alert(1)</script>" in out  # printed as written, not interpreted


def test_dict_round_trip_keeps_claims():
    res = make_result()
    again = AnalysisResult.from_dict(res.to_dict())
    assert again.to_dict() == res.to_dict()
    assert [r.rank for r in _view.claim_rows(again.claims)] == [1, 2]


def test_figure_lines_and_the_summary_speakers_are_bidi_isolated():
    # an Arabic or Hebrew figure line or speaker name reordered the punctuation around it
    page = render_html(make_result())
    assert "<li><bdi>&#34;$30 billion&#34; = 30 billion USD (money; level)</bdi></li>" in page
    summary = page[page.index('<ol class="top-claims">') :]
    summary = summary[: summary.index("</ol>")]
    speakers = re.findall(r"\(\d\.\d\d; (.*?)\)</li>", summary)
    assert speakers and all(s.startswith("<bdi>") and s.endswith("</bdi>") for s in speakers)
