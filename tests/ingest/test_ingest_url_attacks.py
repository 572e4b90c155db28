"""A URL given by a user, tried as an attacker would: internal addresses in every spelling,
redirects inward, and servers that answer too slowly to trip a per-read timeout."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from spinscope.ingest.url import ALLOW_PRIVATE_ENV, fetch_page

TEXT = b"The opposition said on Tuesday that the new tax plan would hurt families."


@pytest.fixture(autouse=True)
def _no_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    monkeypatch.delenv("SPINSCOPE_INGEST_ALLOW_PRIVATE_URLS", raising=False)


@pytest.fixture
def server(http_server):
    http_server.routes["/plain"] = (200, {"Content-Type": "text/plain"}, TEXT)
    return http_server


def trickle(header_s: float, body_s: float = 0.0) -> Callable[[BaseHTTPRequestHandler], None]:
    """Headers sent one byte at a time over ``header_s`` (each byte well within any per-read
    timeout), then the body after ``body_s`` more."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Padding: " + b"p" * 40
        head += b"\r\nContent-Length: %d\r\n\r\n" % len(TEXT)
        try:
            for byte in head:
                handler.wfile.write(bytes([byte]))
                time.sleep(header_s / len(head))
            time.sleep(body_s)
            handler.wfile.write(TEXT)
        except OSError:
            pass  # the client gave up, as it should

    return answer


def test_headers_sent_a_byte_at_a_time_are_bounded_by_the_timeout(server, ingest_error) -> None:
    # each byte came well within the read timeout, so the headers could take
    # (16 kB of headers) x timeout_s: 54 s for 1 kB at timeout_s=1
    server.routes["/trickle"] = (200, {}, trickle(header_s=3.0))
    start = time.monotonic()
    with ingest_error("timed out after 0.5 s", server.url("/trickle")):
        fetch_page(server.url("/trickle"), allow_private=True, timeout_s=0.5)
    assert time.monotonic() - start < 1.5


def test_a_stall_after_late_headers_is_bounded_by_the_time_left(server, ingest_error) -> None:
    # headers at 0.8 s, the body 1.1 s later: the body read had a fresh full timeout_s of its
    # own, so the fetch took 1.9 s for timeout_s=1
    server.routes["/stall"] = (200, {}, trickle(header_s=0.8, body_s=1.1))
    start = time.monotonic()
    with ingest_error("timed out after 1 s", server.url("/stall")):
        fetch_page(server.url("/stall"), allow_private=True, timeout_s=1.0)
    assert time.monotonic() - start < 1.6


def test_a_timely_page_is_still_read(server) -> None:
    server.routes["/timely"] = (200, {}, trickle(header_s=0.2))
    page = fetch_page(server.url("/timely"), allow_private=True, timeout_s=5.0)
    assert page.body == TEXT


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory) -> Iterator[int]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate (no CA trusts it)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command makes the test certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def drip_proxy(port: int, every_s: float) -> int:
    """A TCP proxy to ``port`` that passes the server's bytes on one at a time."""
    listener = socket.create_server(("127.0.0.1", 0))

    def pipe(source: socket.socket, sink: socket.socket, delay_s: float) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(1 if delay_s else 65536):
                sink.sendall(data)
                time.sleep(delay_s)

    def serve() -> None:
        client, _ = listener.accept()
        upstream = socket.create_connection(("127.0.0.1", port))
        threading.Thread(target=pipe, args=(client, upstream, 0.0), daemon=True).start()
        pipe(upstream, client, every_s)

    threading.Thread(target=serve, daemon=True).start()
    return int(listener.getsockname()[1])


def test_certificates_are_still_verified(tls_server: int, ingest_error) -> None:
    with ingest_error("Could not fetch", "CERTIFICATE_VERIFY_FAILED"):
        fetch_page(f"https://127.0.0.1:{tls_server}/", allow_private=True, timeout_s=5.0)


def test_a_tls_handshake_sent_a_byte_at_a_time_is_bounded(tls_server: int, ingest_error) -> None:
    port = drip_proxy(tls_server, every_s=0.01)  # a certificate of ~1 kB: 10 s or more
    start = time.monotonic()
    with ingest_error("timed out after 0.5 s"):
        fetch_page(f"https://127.0.0.1:{port}/", allow_private=True, timeout_s=0.5)
    assert time.monotonic() - start < 1.5
