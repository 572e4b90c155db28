"""Connections to a real server, run with ``spinscope serve``'s uvicorn options, over sockets:
a client that trickles its request headers held its connection for ever (slowloris: uvicorn's
keep-alive timeout covers only idle connections), connections were not limited, and request
headers were bounded at 16 KiB only when they arrived in several reads."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

uvicorn = pytest.importorskip("uvicorn", reason="serve needs the [web] extra")

from spinscope.api import create_app  # noqa: E402
from spinscope.api.connections import server_options  # noqa: E402
from spinscope.settings import load_settings  # noqa: E402

from .stand_ins import SlowPipeline  # noqa: E402

GET = b"GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def serve() -> Iterator[Callable[..., int]]:
    """``serve(overrides, pipeline=None)``: the app on uvicorn in a thread; returns its port."""
    servers: list[tuple[Any, threading.Thread]] = []

    def start(overrides: dict[str, Any], pipeline: Any = None) -> int:
        settings = load_settings(overrides)
        app = create_app(settings, pipeline=pipeline or SlowPipeline())
        port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=port, **server_options(settings))
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        end = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < end and thread.is_alive(), "the server did not start"
            time.sleep(0.02)
        return port

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(10)


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def until_closed(sock: socket.socket, limit_s: float) -> tuple[bytes, float | None]:
    """What the server sends until it closes the connection, and after how many seconds (None:
    still open after ``limit_s``)."""
    start, got = time.monotonic(), b""
    sock.settimeout(0.05)
    while time.monotonic() - start < limit_s:
        try:
            data = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return got, time.monotonic() - start
        if not data:
            return got, time.monotonic() - start
        got += data
    return got, None


def trickle(
    sock: socket.socket, data: bytes, every_s: float, limit_s: float
) -> tuple[bytes, float]:
    """Send ``data`` a byte every ``every_s`` until the server closes the connection; what it
    answered and after how many seconds (the test fails if it is still open after ``limit_s``)."""
    start, got = time.monotonic(), b""
    sock.settimeout(0.01)
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
        except OSError:  # closed, and reset by our late bytes
            return got, time.monotonic() - start
        answer, closed_s = until_closed(sock, every_s)
        got += answer
        if closed_s is not None:
            return got, time.monotonic() - start
        assert time.monotonic() - start < limit_s, f"still open after {limit_s} s"
    raise AssertionError("all the bytes were sent and the connection is still open")


def read_response(sock: socket.socket) -> bytes:
    """One whole response (by its Content-Length), leaving the connection open."""
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(65536)
    head, _, body = answer.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?im)^content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def status_and_error(answer: bytes) -> tuple[int, dict[str, Any], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    json_body = b"content-type: application/json" in head.lower()
    return status, json.loads(body)["error"] if json_body else {}, head.lower()


def test_headers_trickled_a_byte_at_a_time_are_cut_off_at_the_deadline(serve) -> None:
    port = serve({"serve.header_timeout_s": 1.0})
    with connect(port) as sock:
        answer, took_s = trickle(sock, GET + b"X-Slow: " + b"a" * 200, 0.3, limit_s=6.0)
    assert 0.9 <= took_s < 3.0
    status, error, head = status_and_error(answer)
    assert status == 408 and error["type"] == "request_timeout"
    assert "1 s" in error["message"] and b"connection: close" in head


def test_a_connection_that_sends_nothing_is_closed_at_the_deadline(serve) -> None:
    port = serve({"serve.header_timeout_s": 1.0})
    with connect(port) as sock:
        answer, closed_s = until_closed(sock, 6.0)
    assert closed_s is not None and 0.9 <= closed_s < 3.0
    assert answer == b""  # nothing was asked: nothing to answer


def test_the_next_request_on_a_kept_alive_connection_has_the_same_deadline(serve) -> None:
    port = serve({"serve.header_timeout_s": 1.0})
    with connect(port) as sock:
        sock.sendall(GET + b"\r\n")
        assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        answer, took_s = trickle(sock, GET + b"X-Slow: " + b"a" * 200, 0.3, limit_s=6.0)
    assert took_s < 3.0 and answer.startswith(b"HTTP/1.1 408 ")


def test_headers_in_time_and_slow_analyses_are_served(serve) -> None:
    port = serve({"serve.header_timeout_s": 1.0}, pipeline=SlowPipeline(delay_s=1.5))
    with connect(port) as sock:
        for piece in (GET[:10], GET[10:], b"\r\n"):  # in pieces, within the deadline
            sock.sendall(piece)
            time.sleep(0.2)
        answer, _ = until_closed(sock, 0.5)
        assert answer.startswith(b"HTTP/1.1 200 ")
    body = json.dumps({"text": "The council said 40 percent agree."}).encode()
    with connect(port) as sock:  # the deadline is the headers', not the analysis's
        sock.sendall(
            b"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        answer, closed_s = until_closed(sock, 10.0)
    assert closed_s is not None and closed_s >= 1.4
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]


def test_past_max_connections_a_request_gets_a_clear_503(serve) -> None:
    port = serve({"serve.max_connections": 3, "serve.header_timeout_s": 10.0})
    idle = [connect(port), connect(port)]
    time.sleep(0.3)  # the server has taken them
    try:
        with connect(port) as sock:  # the third: within the limit
            sock.sendall(GET + b"Connection: close\r\n\r\n")
            answer, _ = until_closed(sock, 5.0)
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
        idle.append(connect(port))
        time.sleep(0.3)
        with connect(port) as sock:  # the fourth
            sock.sendall(GET + b"\r\n")
            answer, closed_s = until_closed(sock, 5.0)
        status, error, head = status_and_error(answer)
        assert status == 503 and error["type"] == "busy" and closed_s is not None
        assert "3 connections" in error["message"] and "serve.max_connections" in error["message"]
        assert b"retry-after: 1" in head and b"connection: close" in head
        idle.pop().close()
        time.sleep(0.3)
        with connect(port) as sock:  # one went: there is room again
            sock.sendall(GET + b"Connection: close\r\n\r\n")
            answer, _ = until_closed(sock, 5.0)
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
    finally:
        for sock in idle:
            sock.close()


@pytest.mark.parametrize("piece_bytes", [None, 4096], ids=["in-one-write", "in-pieces"])
def test_headers_over_16_kib_get_431(serve, piece_bytes: int | None) -> None:
    # in one write (one read on the server) 100 KB of headers were served (h11 bounds only an
    # incomplete head); in pieces they got "400 Invalid HTTP request received."
    port = serve({})
    request = GET + b"X-Big: " + b"a" * 100_000 + b"\r\n\r\n"
    with connect(port) as sock:
        try:
            for start in range(0, len(request), piece_bytes or len(request)):
                sock.sendall(request[start : start + (piece_bytes or len(request))])
        except OSError:  # answered and closed before the rest was sent
            pass
        answer, closed_s = until_closed(sock, 5.0)
    status, error, _ = status_and_error(answer)
    assert status == 431 and error["type"] == "headers_too_large" and closed_s is not None
    assert "16 KiB" in error["message"]


def test_headers_within_16_kib_are_served(serve) -> None:
    port = serve({})
    with connect(port) as sock:
        sock.sendall(GET + b"X-Big: " + b"a" * 12_000 + b"\r\nConnection: close\r\n\r\n")
        answer, _ = until_closed(sock, 5.0)
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
