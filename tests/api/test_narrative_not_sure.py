"""A narrative the analyser is not sure of (issue 15: the old top-1 fallback) is "not sure" with
its guess and reason on every surface: JSON, terminal, HTML report and web page."""

from __future__ import annotations

import json

from markupsafe import escape
from rich.console import Console

from spinscope.model.document import AnalysisResult, Document
from spinscope.model.jsonable import dumps
from spinscope.model.labels import ArticleLabel
from spinscope.report.html import render_html
from spinscope.report.terminal import render_terminal

GUESS = "CC: Criticism of climate policies"
REASON = (
    "Not sure of the narrative: the article looks like it carries one, but none reaches the "
    f"threshold 0.45; the likeliest, '{GUESS}', scores 0.31."
)
TEXT = "Farmers said the new carbon rules would raise their costs and cut their harvests."


def narrative_guess() -> ArticleLabel:
    return ArticleLabel.not_sure("narrative", REASON, best=GUESS, score=0.27)


class GuessPipeline:
    def run(self, docs):
        return [AnalysisResult(doc=d, findings=[], labels=[narrative_guess()]) for d in docs]


def result() -> AnalysisResult:
    return AnalysisResult(doc=Document(TEXT), findings=[], labels=[narrative_guess()])


def test_json_carries_not_sure_the_guess_and_the_reason() -> None:
    (label,) = json.loads(dumps(result().to_dict()))["labels"]
    assert label["label"] == "not sure" and label["best"] == GUESS
    assert label["explanation"] == REASON and label["task"] == "narrative"


def test_terminal_and_report_show_a_guess_never_a_finding() -> None:
    console = Console(record=True, width=200, color_system=None)
    render_terminal(result(), console)
    out = " ".join(console.export_text().split())
    assert "Narrative: not sure" in out and "threshold 0.45" in out
    assert f"best guess: {GUESS} (0.27), not a finding" in out
    assert f"Narrative: {GUESS}" not in out
    page = render_html(result())
    assert "Narrative: <strong>not sure</strong>" in page
    assert f"Why not sure: {escape(REASON)}" in page
    assert f"<strong>{escape(GUESS)}</strong>" not in page


def test_the_web_page_shows_not_sure(make_client, tmp_path) -> None:
    client = make_client(store_path=tmp_path / "s.duckdb", pipeline=GuessPipeline())
    answer = client.post("/api/analyze", json={"text": TEXT})
    assert answer.status_code == 200
    (label,) = answer.json()["labels"]
    assert label["label"] == "not sure" and label["best"] == GUESS
    page = client.get(f"/documents/{answer.json()['id']}").text
    assert "Narrative: <strong>not sure</strong>" in page
    assert f"best guess: {escape(GUESS)} (0.27), not a finding" in page
    assert f"<strong>{escape(GUESS)}</strong>" not in page
