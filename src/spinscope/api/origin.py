"""Requests from other sites, refused by an ASGI middleware before anything else runs.

Cross-site writes (CSRF): a page on another site can make a visitor's browser POST a form
here, a file upload included, with no script; the browser sends it with the HTTP Basic token it
kept for this server (``serve.protect_reads``), so the token alone does not stop it. A request
that may write (any method but GET, HEAD and OPTIONS) is refused with 403 when the browser says
it comes from elsewhere: ``Sec-Fetch-Site`` is ``cross-site`` or ``same-site`` or, from a browser
that does not send that header, ``Origin`` is not this server (its Host, or the
``X-Forwarded-Host`` a reverse proxy set). Scripts (curl, Python) send neither and are not
affected; nor are reads (a link from elsewhere to a page).

DNS rebinding: with ``hosts`` (``spinscope serve`` on a loopback address), a request whose Host
is none of them is refused with 400: a page whose host name is re-pointed at 127.0.0.1 would
otherwise read and write here as its own origin.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from spinscope.api.errors import error_response

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
READ_METHODS = ("GET", "HEAD", "OPTIONS")


def host_name(host: str) -> str:
    """``"[::1]:8000"`` -> ``"[::1]"``, ``"Example.org:80"`` -> ``"example.org"``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.partition(":")[0]


def from_elsewhere(headers: dict[bytes, bytes]) -> bool:
    """Whether a browser says this request comes from a page of another origin."""
    site = headers.get(b"sec-fetch-site", b"").decode("latin-1").strip().lower()
    if site:
        return site not in ("same-origin", "none")  # "none": typed in, a bookmark
    origin = headers.get(b"origin")
    if origin is None:
        return False
    netloc = urlsplit(origin.decode("latin-1").strip()).netloc.lower()
    ours = {headers.get(name, b"").decode("latin-1").strip().lower()
            for name in (b"host", b"x-forwarded-host")}  # fmt: skip
    return not netloc or netloc not in ours


class CrossSiteCheck:
    """ASGI middleware: 403 for a write from another site; 400 for a Host not in ``hosts``."""

    def __init__(self, app: Any, hosts: Iterable[str] | None = None) -> None:
        self.app = app
        self.hosts = None if hosts is None else {host_name(h) for h in hosts}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1")
        if self.hosts is not None and host_name(host) not in self.hosts:
            shown = host[:100] or "(none)"
            response = error_response(
                400,
                f"This server answers only to {', '.join(sorted(self.hosts))}, not to the "
                f"host name {shown}; behind a reverse proxy that keeps the host name, start it "
                f"with --allow-host {host_name(shown) or 'NAME'}.",
            )
            return await response(scope, receive, send)
        if scope["method"] not in READ_METHODS and from_elsewhere(headers):
            response = error_response(
                403,
                "This request comes from a page on another site, and writes are accepted only "
                "from this server's own pages or from scripts.",
            )
            return await response(scope, receive, send)
        return await self.app(scope, receive, send)
