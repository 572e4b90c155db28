"""Every response carries ``X-Content-Type-Options: nosniff`` and a Content-Security-Policy for
its type: the pages' policy on HTML, ``default-src 'none'; frame-ancestors 'none'`` on the rest.
The JSON errors of the middlewares that answer before the app (cross-site, token, host) and of
the server's last-resort 500 carried neither."""

from __future__ import annotations

import pytest

from spinscope.api.app import CSP, create_app
from spinscope.api.errors import JSON_CSP
from spinscope.settings import load_settings

from .stand_ins import SlowPipeline

EVIL = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}


def assert_headers(response, status: int, csp: str = JSON_CSP) -> None:
    assert response.status_code == status, response.text
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("content-security-policy") == csp


def test_json_errors_carry_nosniff_and_the_json_policy(make_client):
    client = make_client({"serve.max_body_bytes": 1000, "serve.api_token": "s3cret"})
    right = {"Authorization": "Bearer s3cret"}
    assert_headers(client.get("/api/no/such/route"), 404)
    assert_headers(client.get("/no/such/page"), 404, CSP)  # outside /api: an HTML page
    assert_headers(client.get("/api/documents/0123456789abcdef"), 404)
    many = {"file": ("rows.jsonl", b'{"text": "a"}\n')}
    assert_headers(client.post("/api/analyze/file", files=many, headers=right), 400)
    assert_headers(client.post("/api/analyze", json={"text": "x"}, headers=EVIL), 403)
    assert_headers(client.post("/api/analyze", json={"text": "x" * 2000}, headers=right), 413)
    assert_headers(client.put("/api/analyze", json={"text": "x"}, headers=right), 405)
    assert_headers(client.post("/api/analyze", json={}, headers=right), 422)
    assert_headers(client.post("/api/analyze", json={"text": "x"}), 401)


def test_a_host_refusal_and_an_internal_error_carry_them_too(make_client, monkeypatch):
    from fastapi.testclient import TestClient

    app = create_app(load_settings(), pipeline=SlowPipeline(), allowed_hosts=["localhost"])
    with TestClient(app, base_url="http://evil.example") as other:
        assert_headers(other.get("/"), 400)
    boom = make_client(pipeline=SlowPipeline(error=RuntimeError("boom")))
    assert_headers(boom.post("/api/analyze", json={"text": "Any text."}), 500)


def test_pages_keep_their_policy_and_json_gets_the_json_one(client):
    assert_headers(client.get("/"), 200, CSP)
    ok = client.post("/api/analyze", json={"text": "A short text."})
    assert_headers(ok, 200)
    assert_headers(client.get(f"/api/documents/{ok.json()['id']}"), 200)


@pytest.mark.parametrize("path", ["/static/app.js", "/favicon.ico"])
def test_other_files_get_the_strict_policy(client, path):
    assert_headers(client.get(path), 200)
