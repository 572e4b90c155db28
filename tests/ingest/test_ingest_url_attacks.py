"""A URL given by a user, tried as an attacker would: internal addresses in every spelling,
redirects inward, and servers that answer too slowly to trip a per-read timeout."""

from __future__ import annotations

import contextlib
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from spinscope.errors import IngestError
from spinscope.ingest import url as url_module
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


INTERNAL_SPELLINGS = [
    "http://2130706433:{port}/plain",  # decimal
    "http://0x7f.1:{port}/plain",  # hex, short form
    "http://0x7f000001:{port}/plain",
    "http://0177.0.0.1:{port}/plain",  # octal: httpx refuses it as no valid URL
    "http://127.1:{port}/plain",
    "http://0.0.0.0:{port}/plain",
    "http://0:{port}/plain",
    "http://[::]:{port}/plain",
    "http://[::1]:{port}/plain",
    "http://[::ffff:127.0.0.1]:{port}/plain",  # IPv4-mapped
    "http://[::ffff:7f00:1]:{port}/plain",
    "http://[0:0:0:0:0:ffff:127.0.0.1]:{port}/plain",
    "http://[::127.0.0.1]:{port}/plain",  # IPv4-compatible (deprecated)
    "http://localhost:{port}/plain",
    "http://LOCALHOST.:{port}/plain",
    "http://good.example@127.0.0.1:{port}/plain",  # userinfo: the host is 127.0.0.1
    "http://good.example:80@127.0.0.1:{port}/plain",
    "http://127\u30020\u30020\u30021:{port}/plain",  # ideographic full stops
]


@pytest.mark.parametrize("spelling", INTERNAL_SPELLINGS)
def test_every_spelling_of_an_internal_address_is_refused_unsent(server, spelling: str) -> None:
    requests = len(server.hosts)
    with pytest.raises(IngestError) as err:
        fetch_page(spelling.format(port=server.port), timeout_s=2.0)
    assert str(err.value).startswith(("Refusing to fetch", "Cannot fetch")), err.value
    assert len(server.hosts) == requests


def resolve_to(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> None:
    """Every host name resolves to ``addresses`` (the sandbox has no DNS for public names)."""

    def fake_getaddrinfo(host, port, *args, **kwargs):
        family = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [(family[ipaddress.ip_address(a).version], socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]  # fmt: skip

    monkeypatch.setattr(url_module.socket, "getaddrinfo", fake_getaddrinfo)


@pytest.mark.parametrize(
    ("addresses", "reason"),
    [(("169.254.169.254",), "link-local"), (("100.100.100.200",), "non-global"),
     (("100.64.0.1",), "non-global"), (("fe80::1",), "link-local"), (("fc00::1",), "private"),
     (("fd00:ec2::254",), "private"), (("127.0.0.1",), "loopback"),
     # one public address does not vouch for the others
     (("93.184.216.34", "10.0.0.7"), "private")],
)  # fmt: skip
def test_a_name_that_resolves_inside_is_refused(monkeypatch, ingest_error, addresses, reason):
    resolve_to(monkeypatch, *addresses)
    for name in ("metadata.example", "api.localhost"):
        with ingest_error("Refusing", f"{name} resolves to", reason):
            fetch_page(f"http://{name}/latest/meta-data/")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize(
    "target", ["http://127.0.0.1:{port}/plain", "//2130706433:{port}/plain",
               "http://[::ffff:127.0.0.1]:{port}/plain", "http://localhost:{port}/plain"],
)  # fmt: skip
def test_a_redirect_inward_is_refused_unsent(server, monkeypatch, ingest_error, status, target):
    original = url_module._resolve

    def public(url, **kwargs):  # news.example is "public" and served here; nothing else is
        return ["127.0.0.1"] if url.host == "news.example" else original(url, **kwargs)

    monkeypatch.setattr(url_module, "_resolve", public)
    server.routes["/inward"] = (status, {"Location": target.format(port=server.port)}, b"")
    requests = len(server.hosts)
    with ingest_error("Refusing", "redirected to"):
        fetch_page(server.url("/inward", host="news.example"))
    assert len(server.hosts) == requests + 1  # the redirect itself, not its target


def test_a_proxy_in_the_environment_is_not_used(server, monkeypatch, ingest_error) -> None:
    # through a proxy, the proxy resolves the name and the address check means nothing
    proxy = server.url("")
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy)
    monkeypatch.setenv("NO_PROXY", "")
    monkeypatch.setattr(url_module, "_resolve", lambda url, **kwargs: ["127.0.0.1"])
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: a refused connection
    requests = len(server.hosts)
    with closed, ingest_error("Could not fetch"):
        fetch_page(f"http://news.example:{closed.getsockname()[1]}/plain")
    assert len(server.hosts) == requests


def test_feed_entries_that_link_inside_are_refused_unsent(server, tmp_path) -> None:
    from spinscope.ingest.sources import ReadOptions, read

    links = [spelling.format(port=server.port) for spelling in INTERNAL_SPELLINGS[:4]]
    feed = tmp_path / "inward.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Inward</title>'
        + "".join(
            f"<item><title>{k}</title><link>{link}</link></item>" for k, link in enumerate(links)
        )  # fmt: skip
        + "</channel></rss>"
    )
    requests = len(server.hosts)
    got = list(read([str(feed)], ReadOptions()))
    assert len(got) == len(links)
    assert all(item.doc is None and item.error for item in got), got
    assert all("Refusing" in (item.error or "") for item in got[:3]), got  # [3]: not a URL
    assert len(server.hosts) == requests


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


def endless(gzipped: bool) -> Callable[[BaseHTTPRequestHandler], None]:
    """A chunked body that never ends (plain), or a gzip bomb sent without a Content-Length."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.protocol_version = "HTTP/1.1"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        if gzipped:
            handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        packer = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
        block = b"word " * 20_000  # 100 kB: 100 bytes once compressed
        with contextlib.suppress(OSError):
            for _ in range(100_000):  # 10 GB, unless the client stops reading
                data = (
                    packer.compress(block) + packer.flush(zlib.Z_SYNC_FLUSH) if gzipped else block
                )
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    return answer


@pytest.mark.parametrize("gzipped", [False, True])
def test_an_endless_body_is_refused_at_max_bytes(server, ingest_error, gzipped: bool) -> None:
    server.routes["/endless"] = (200, {}, endless(gzipped))
    start = time.monotonic()
    with ingest_error("larger than the limit of 1,000,000 bytes"):
        fetch_page(server.url("/endless"), allow_private=True, max_bytes=1_000_000)
    assert time.monotonic() - start < 5.0


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("data:text/html,<p>hi</p>", "data:"), ("javascript:alert(1)", "javascript:"),
     ("gopher://127.0.0.1:70/", "gopher:"), ("file:///etc/passwd", "file:")],
)  # fmt: skip
def test_other_schemes_are_named_as_written(url: str, scheme: str, ingest_error) -> None:
    # "not 'data://'" named a scheme spelling the URL did not have
    with ingest_error("only http:// and https://", f"not '{scheme}'"):
        fetch_page(url)
