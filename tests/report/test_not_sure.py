"""A "not sure" article label (issue 15): every surface (view data, terminal, HTML report, JSON)
says "not sure" with the reason and marks the best guess as a guess; none crashes on a label
without evidence."""

from __future__ import annotations

import json

from markupsafe import escape
from rich.console import Console

from spinscope.model.document import AnalysisResult, Document
from spinscope.model.jsonable import dumps
from spinscope.model.labels import NOT_SURE, ArticleLabel, Evidence
from spinscope.report import _view
from spinscope.report.html import render_html
from spinscope.report.terminal import render_terminal

TEXT = (
    "Court hears appeal in press pass case\n\n"
    "A federal judge heard arguments on Tuesday in the dispute over a reporter's press pass. "
    "The network said it would appeal if the ruling went against it."
)
REASON = 'genre <script>alert("x")</script> & the mix of this text differs from training'


def unsure_result() -> AnalysisResult:
    genre = ArticleLabel.not_sure("genre", REASON, best="opinion", score=0.41)
    role = ArticleLabel.not_sure(
        "entity_role",
        "its held-out precision at this score is below 0.7",
        best="Antagonist",
        score=0.55,
        analyzer="roles",
        entity={"name": "CNN", "main_role": "Antagonist", "fine_roles": ["Conspirator"],
                "mentions": [[0, 5]]},
    )  # fmt: skip
    s = TEXT.index("The network")
    frame = ArticleLabel(
        "frame", "Legality_Constitutionality_and_jurisprudence", 0.8,
        [Evidence(s, len(TEXT), TEXT[s:], 1.0)],
    )  # fmt: skip
    no_guess = ArticleLabel.not_sure("narrative", "no narrative reaches its threshold")
    return AnalysisResult(doc=Document(TEXT), findings=[], labels=[genre, frame, role, no_guess])


def test_the_view_calls_it_not_sure_with_reason_and_guess() -> None:
    rows = {r.task: r for r in _view.label_rows(unsure_result().labels)}
    genre, role = rows["Genre"], rows["Role"]
    assert genre.unsure and genre.name == NOT_SURE and genre.explanation == REASON
    assert genre.evidence == () and genre.score_text == "–"
    assert genre.best_text == "best guess: opinion (0.41), not a finding"
    assert role.name == "CNN: not sure" and "Antagonist (Conspirator)" in role.best_text
    assert "Antagonist" not in role.name
    frame = rows["Frame"]
    assert not frame.unsure and frame.score_text == "0.80" and frame.best_text == ""
    assert rows["Narrative"].best is None and rows["Narrative"].best_text == ""


def test_the_terminal_says_not_sure_and_why() -> None:
    console = Console(record=True, width=160, color_system=None)
    render_terminal(unsure_result(), console)
    out = " ".join(console.export_text().split())
    assert "Genre: not sure" in out and "Role: CNN: not sure" in out
    assert "Why: genre <script>" in out  # as written, never interpreted as markup
    assert "best guess: opinion (0.41), not a finding" in out
    assert "Genre: opinion" not in out and "CNN: Antagonist" not in out
    assert "Why: no narrative reaches its threshold" in out


def test_the_html_report_says_not_sure_escapes_the_reason() -> None:
    page = render_html(unsure_result())
    assert "<script>alert" not in page
    assert f"Why not sure: {escape(REASON)}" in page
    assert "best guess: opinion (0.41), not a finding" in page
    assert "Genre: <strong>not sure</strong>" in page
    assert "Role: <strong>CNN: not sure</strong>" in page
    assert "<strong>opinion</strong>" not in page and "CNN: Antagonist" not in page


def test_json_keeps_the_label_not_sure_with_reason_and_guess() -> None:
    data = json.loads(dumps(unsure_result().to_dict()))
    genre = next(x for x in data["labels"] if x["task"] == "genre")
    assert genre["label"] == NOT_SURE and genre["best"] == "opinion"
    assert genre["explanation"] == REASON and genre["evidence"] == []
    back = AnalysisResult.from_dict(data)
    assert [x.unsure for x in back.labels] == [x.unsure for x in unsure_result().labels]
    assert _view.label_rows(back.labels) == _view.label_rows(unsure_result().labels)
