"""The web page shows the author's voice by default, all voices on request with the speaker,
hides tentative findings until asked, and opens with the report's summary (issue 17, item 3).
The page script runs in node against the fake DOM of tests/api/js/page_harness.js."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spinscope.model.document import AnalysisResult, Finding
from spinscope.model.taxonomy import category
from spinscope.report.html import CATEGORY_COLOURS

from .test_web_page import STATIC, play

TEXT = (
    'The plan is a disaster for families. "They are traitors," said Mayor Jane Hill. '
    "Critics say the scheme will ruin the market."
)
# quoted text, label, confidence, voice, speaker, tentative
SPANS = [
    ("disaster", "Loaded_Language", 0.8, "author", None, False),
    ("traitors", "Name_Calling-Labeling", 0.9, "quote", "Mayor Jane Hill", False),
    ("ruin", "Loaded_Language", 0.7, None, None, False),
    ("scheme", "Doubt", 0.6, "author", None, True),
]


class VoicedPipeline:
    def run(self, docs):
        out = []
        for doc in docs:
            found = []
            for quoted, label, conf, voice, speaker, tentative in SPANS:
                start = doc.text.index(quoted)
                found.append(
                    Finding(start, start + len(quoted), quoted, label, "semeval2023",
                            category("semeval2023", label), conf, f"{label} here", "techniques",
                            tentative=tentative, voice=voice, speaker=speaker)
                )  # fmt: skip
            out.append(AnalysisResult(doc=doc, findings=found))
        return out


@pytest.fixture
def page(make_client) -> str:
    client = make_client(pipeline=VoicedPipeline())
    doc_id = client.post("/api/analyze", json={"text": TEXT}).json()["id"]
    return client.get(f"/documents/{doc_id}").text


def test_the_page_shows_the_authors_voice_then_all_voices_with_the_speaker(page, tmp_path: Path):
    actions = [{"set": ["voice", "all"]}, {"click": 1}, {"set": ["voice", "author"]}]
    findings, states = play(page, actions, tmp_path)
    assert [f["quote"] for f in findings] == ["disaster", "traitors", "scheme", "ruin"]
    author, everyone, clicked, back = states
    # marks in text order: disaster, traitors, scheme, ruin
    assert [c for c, _ in author["marks"]][1] == "off"
    assert author["shown"] == "2 findings shown"  # "ruin" (voice not decided) counts as author
    assert author["rows"] == [True, False, False, True]
    assert everyone["shown"] == "3 findings shown"
    cls, title = everyone["marks"][1]
    assert "quoted" in cls.split() and title.endswith(", quoted: Mayor Jane Hill")
    assert "quoted" not in everyone["marks"][0][0].split()
    assert "Whose words: quoted: Mayor Jane Hill" in clicked["panel"]
    assert back["panel"] == author["panel"]  # the panel forgets the quote it explained


def test_tentative_findings_wait_for_the_checkbox(page, tmp_path: Path):
    _, states = play(page, [{"check": ["show-hidden", True]}], tmp_path)
    hidden, shown = states
    assert hidden["marks"][2][0] == "off" and hidden["rows"][2] is False
    assert shown["marks"][2][0] != "off" and shown["rows"][2] is True


def test_the_server_rendered_page_starts_in_the_default_view(page):
    assert re.search(r'<option value="author" selected>', page)
    assert '<input type="checkbox" id="show-hidden">' in page
    rows = re.findall(r'<tr data-i="(\d)"( hidden)?>', page)
    assert rows == [("0", ""), ("1", " hidden"), ("2", " hidden"), ("3", "")]
    assert "quoted: Mayor Jane Hill" in page  # the voice column of the quoted finding


def test_the_page_opens_with_the_summary(page):
    start = page.index('<section id="summary"')
    assert start < page.index("<h2>Persuasion techniques</h2>")
    summary = page[start : page.index("</section>", start)]
    assert "At a glance" in summary and "Loaded language: 2 (" in summary
    assert "per 1,000 words" in summary and "1 in quoted or reported speech" in summary
    assert "1 tentative" in summary


def test_the_pages_colours_are_the_reports():
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    found = dict(re.findall(r"\.cat-([a-z-]+) \{ background: (#[0-9a-f]{6}); \}", css))
    expected = {re.sub(r"[^a-z0-9]+", "-", k.lower()): v for k, v in CATEGORY_COLOURS.items()}
    assert found == expected


def test_the_page_opens_on_all_voices_when_the_result_was_made_so():
    from spinscope.api.view import page_context
    from spinscope.model.document import Document

    doc = Document(TEXT)
    (result,) = VoicedPipeline().run([doc])
    assert page_context(result)["all_voices"] is False
    result.settings["report.voice"] = "all"
    assert page_context(result)["all_voices"] is True
