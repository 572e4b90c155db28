"""Requests from other sites: a cross-site form that writes (CSRF), and a page whose host name
is re-pointed at a server on loopback (DNS rebinding)."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from spinscope.cli import serve

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


def _served_app(monkeypatch: pytest.MonkeyPatch, argv: list[str]):
    """The app ``spinscope serve`` would run (uvicorn and the socket check stood in for)."""
    import uvicorn

    from spinscope.cli.main import main

    served = {}
    monkeypatch.setattr(serve, "_check_address", lambda host, port: None)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: served.update(app=app))
    monkeypatch.setattr("spinscope.api.service.Service.start", lambda self: None)
    assert main(["serve", *argv]) == 0
    return served["app"]


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"])
def test_a_loopback_server_answers_loopback_names(monkeypatch, host: str) -> None:
    with TestClient(_served_app(monkeypatch, []), base_url=f"http://{host}") as client:
        assert client.get("/").status_code == 200


def test_a_loopback_server_refuses_other_host_names(monkeypatch) -> None:
    # DNS rebinding: evil.example re-pointed to 127.0.0.1 makes this server its same origin
    app = _served_app(monkeypatch, [])
    with TestClient(app, base_url="http://evil.example:8000") as client:
        response = client.get("/api/stories")
        assert response.status_code == 400
        message = response.json()["error"]["message"]
        assert "evil.example" in message and "--allow-host" in message


def test_allow_host_lets_a_reverse_proxy_name_in(monkeypatch) -> None:
    app = _served_app(monkeypatch, ["--allow-host", "news.example.org"])
    with TestClient(app, base_url="https://news.example.org") as client:
        assert client.get("/").status_code == 200
    with TestClient(app, base_url="https://evil.example") as client:
        assert client.get("/").status_code == 400


@pytest.mark.parametrize("address", ["127.0.0.2", "127.8.9.10", "0:0:0:0:0:0:0:1"])
def test_any_loopback_address_gets_the_host_check(monkeypatch, address: str) -> None:
    # only 127.0.0.1, ::1 and localhost did: a server on 127.0.0.2 answered any host name
    app = _served_app(monkeypatch, ["--host", address])
    with TestClient(app, base_url="http://evil.example:8000") as client:
        assert client.get("/").status_code == 400
    name = f"[{address}]" if ":" in address else address
    with TestClient(app, base_url=f"http://{name}:8000") as client:
        assert client.get("/").status_code == 200
