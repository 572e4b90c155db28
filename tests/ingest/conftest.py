"""Shared fixtures for the ingest tests: a one-line-error checker and a local HTTP server."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from spinscope.errors import IngestError

# tests/ itself, for the fixtures shared with other areas (hostile_fixtures); the test folders
# with an __init__.py (batch, cli) get it from pytest's rootdir handling
_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.append(_TESTS)

ARTICLE_HTML = """<!doctype html>
<html><head><title>Minister Defends Tax Plan | Daily Example</title>
<meta name="author" content="Jane Doe">
<meta property="og:site_name" content="Daily Example">
<meta name="date" content="2024-03-05"></head>
<body><nav>Home | World | Sport</nav>
<article><h1>Minister Defends Tax Plan</h1>
<p>The minister said on Monday that the plan would save every family money and that the
critics were simply wrong, as they always have been about everything.</p>
<p>Opponents called the plan a disaster in the making and warned of chaos across the whole
country unless parliament acts at once.</p></article>
<footer>Copyright 2024 Daily Example. All rights reserved.</footer></body></html>
"""


@pytest.fixture
def article_html() -> str:
    """A small news page: boilerplate around one article, with author, date and site name."""
    return ARTICLE_HTML


@pytest.fixture
def ingest_error() -> Callable[..., AbstractContextManager[Any]]:
    """``with ingest_error("empty", path): ...`` expects a one-line IngestError naming each part."""

    @contextmanager
    def check(*mentions: str) -> Iterator[Any]:
        with pytest.raises(IngestError) as info:
            yield info
        message = str(info.value)
        assert message and "\n" not in message and message == message.strip(), message
        for part in mentions:
            assert part in message, (part, message)

    return check


@dataclass
class Server:
    """A tiny HTTP server on 127.0.0.1 with routes: path -> (status, headers, body or callable)."""

    port: int
    routes: dict[str, Any] = field(default_factory=dict)
    hosts: list[str] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            server.hosts.append(self.headers.get("Host", ""))
            route = server.routes.get(self.path)
            if route is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
            else:
                status, headers, body = route
            if callable(body):
                body(self)
                return
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

    return Handler


@pytest.fixture(scope="module")
def http_server() -> Iterator[Server]:
    """One server per test module; tests add routes to ``server.routes``."""
    server = Server(port=0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield server
    httpd.shutdown()
    httpd.server_close()
