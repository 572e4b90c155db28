"""serve extracts pasted and uploaded pages with the HTML shape limits of its settings."""

from __future__ import annotations

WORDS = "The minister said on Monday that the plan would save every family a lot of money. " * 8


def nested(depth: int) -> str:
    return ("<html><body>" + "<div>" * depth + f"<article><p>{WORDS}</p></article>"
            + "</div>" * depth + "</body></html>")  # fmt: skip


def test_serve_follows_the_settings(make_client) -> None:
    page = nested(8)
    client = make_client({"ingest.max_html_depth": 5}, workers=False)
    response = client.post("/api/analyze", json={"html": page})
    assert response.status_code == 400, response.text
    assert "ingest.max_html_depth" in response.json()["error"]["message"]
    files = {"file": ("page.html", page.encode(), "text/html")}
    response = client.post("/api/analyze/file", files=files)
    assert response.status_code == 400 and "ingest.max_html_depth" in response.text
    assert make_client(workers=False).post("/api/analyze", json={"html": page}).status_code == 200
