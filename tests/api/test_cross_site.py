"""Requests from other sites: a cross-site form that writes (CSRF), and a page whose host name
is re-pointed at a server on loopback (DNS rebinding)."""

from __future__ import annotations

import base64

import pytest

UPLOAD = {"file": ("a.txt", b"The minister said the plan would save every family money.")}
EVIL = "https://evil.example"


def _basic(token: str) -> str:
    return "Basic " + base64.b64encode(f"me:{token}".encode()).decode()


def test_a_cross_site_upload_is_refused_before_it_is_stored(make_client) -> None:
    # A page on another site can POST a multipart form here, with no script: the browser sends
    # it with the HTTP Basic token it kept for this server (serve.protect_reads).
    client = make_client({"serve.api_token": "s3cret", "serve.protect_reads": True})
    headers = {"Authorization": _basic("s3cret"), "Origin": EVIL, "Sec-Fetch-Site": "cross-site"}
    response = client.post("/api/analyze/file", files=UPLOAD, headers=headers)
    assert response.status_code == 403, response.text
    assert "another site" in response.json()["error"]["message"]
    assert client.get("/corpus", headers={"Authorization": _basic("s3cret")}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{"Origin": EVIL}, {"Origin": "null"}, {"Sec-Fetch-Site": "same-site"},
     {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"}],
)  # fmt: skip
def test_writes_from_another_site_are_refused(client, headers: dict[str, str]) -> None:
    response = client.post("/api/analyze", json={"text": "A short text."}, headers=headers)
    assert response.status_code == 403, response.text
    assert response.json()["error"]["type"] == "forbidden"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "http://testserver"}, {"Sec-Fetch-Site": "same-origin", "Origin": EVIL},
     {"Origin": EVIL, "Sec-Fetch-Site": "none"}],
)  # fmt: skip
def test_the_page_itself_and_scripts_may_write(client, headers: dict[str, str]) -> None:
    # the analysis page's fetch is same-origin; curl and Python send neither header
    response = client.post("/api/analyze", json={"text": "A short text."}, headers=headers)
    assert response.status_code == 200, response.text


def test_reads_from_another_site_are_not_refused(client) -> None:
    # a link from another site to a page is fine; only writes are refused
    assert client.get("/", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 200
