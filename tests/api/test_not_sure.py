"""The web page shows a "not sure" article label as "not sure", with its reason (escaped) and
its best guess marked as a guess, and never as a confident label (issue 15)."""

from __future__ import annotations

from markupsafe import escape

from spinscope.model.document import AnalysisResult
from spinscope.model.labels import ArticleLabel

REASON = "the text is a <b>recipe</b> & not news"


class UnsurePipeline:
    """Labels every text "not sure" of its genre (best guess opinion) and of one entity's role."""

    def run(self, docs):
        genre = ArticleLabel.not_sure("genre", REASON, best="opinion", score=0.38)
        role = ArticleLabel.not_sure(
            "entity_role", "only the headline speaks for it", best="Antagonist", score=0.77,
            analyzer="roles",
            entity={"name": "CNN", "main_role": "Antagonist", "fine_roles": [], "mentions": []},
        )  # fmt: skip
        return [AnalysisResult(doc=d, findings=[], labels=[genre, role]) for d in docs]


def test_the_page_and_the_json_say_not_sure(make_client, tmp_path) -> None:
    client = make_client(store_path=tmp_path / "s.duckdb", pipeline=UnsurePipeline())
    answer = client.post("/api/analyze", json={"text": "Whisk two eggs with sugar."})
    assert answer.status_code == 200
    labels = {x["task"]: x for x in answer.json()["labels"]}
    assert labels["genre"]["label"] == "not sure" and labels["genre"]["best"] == "opinion"
    assert labels["genre"]["explanation"] == REASON
    doc_id = answer.json()["id"]
    page = client.get(f"/documents/{doc_id}").text
    assert "<b>recipe</b>" not in page
    assert f"Why not sure: {escape(REASON)}" in page
    assert "best guess: opinion (0.38), not a finding" in page
    assert "Genre: <strong>not sure</strong>" in page and "<strong>opinion</strong>" not in page
    assert "Role: <strong>CNN: not sure</strong>" in page
    assert "Why not sure: only the headline speaks for it" in page
    report = client.get(f"/documents/{doc_id}/report.html").text
    assert f"Why not sure: {escape(REASON)}" in report and "<b>recipe</b>" not in report
