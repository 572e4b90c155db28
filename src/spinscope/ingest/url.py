"""A web page in, a Document out, fetched with care: spinscope may run as a service, and a URL
given by a user must not reach the machine's own network (server-side request forgery).

Guards:

* only ``http`` and ``https``; no proxies or ``.netrc`` from the environment;
* the host is resolved once, every address is checked (loopback, private, link-local,
  multicast, reserved, unspecified and other non-global addresses are refused unless
  ``allow_private`` or ``SPINSCOPE_ALLOW_PRIVATE_URLS=1``; an IPv6 address that carries an IPv4
  one, IPv4-mapped, NAT64 ``64:ff9b::/96`` or 6to4 ``2002::/16``, is judged by that IPv4
  address; local-use NAT64 ``64:ff9b:1::/48`` and Teredo ``2001::/32`` tunnels, whose far
  end cannot be judged, are refused), and the connection goes to a
  checked address, so a DNS answer that changes between check and connect (DNS rebinding)
  cannot redirect it; TLS still verifies the certificate against the host name (SNI);
* redirects are followed by hand, at most ``max_redirects``, each hop checked the same way;
* the body is streamed and refused beyond ``max_bytes``; ``timeout_s`` bounds the whole fetch
  (all hops, headers and body): every connect, read and write waits no longer than the time
  left (``_deadline.py``), so a server that drips its headers a byte at a time cannot hold it;
* a compressed body (one ``gzip`` or ``deflate`` layer; other and stacked encodings are
  refused) is inflated here, never more than ``max_bytes`` at a time: a few kilobytes of
  ``gzip, gzip`` would otherwise have become gigabytes in one step;
* only text content types are accepted.

Name resolution (``socket.getaddrinfo``, which has no timeout of its own) runs in a thread of its
own, waited for no longer than the time left: a slow name server cannot hold a fetch past
``timeout_s`` (its thread ends when the resolver gives up).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import zlib
from dataclasses import dataclass
from typing import Any

import httpx

from spinscope.errors import IngestError
from spinscope.ingest._addresses import ALLOW_PRIVATE_ENV as ALLOW_PRIVATE_ENV  # re-exported
from spinscope.ingest._addresses import blocked_reason, private_urls_allowed
from spinscope.ingest._deadline import Deadline, transport
from spinscope.ingest._decode import decode_bytes, looks_like_html, one_line, sniff_html_charset
from spinscope.ingest.html import DEFAULT_LIMITS, HtmlLimits, from_html
from spinscope.ingest.text import from_text
from spinscope.model.document import Document

# media type -> is it HTML?
TEXT_TYPES = {"text/html": True, "application/xhtml+xml": True, "text/plain": False}
FEED_TYPES = {
    t: False
    for t in ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/rdf+xml", "application/feed+json",
              # older names still served (Debian's mime.types maps .rss to the first)
              "application/x-rss+xml", "application/x-atom+xml")
}  # fmt: skip
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HEADERS = {
    "User-Agent": "spinscope (news persuasion analysis)",
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
    "Accept-Encoding": "gzip, deflate",
}
# Content-Encoding -> zlib's wbits: gzip, or deflate in its zlib wrapper (32: either header)
_ENCODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": 32 + 15}
_FIX_PRIVATE = (
    "private and local addresses are refused to protect the network; if you trust this URL, "
    "use --set ingest.allow_private_urls=true or set SPINSCOPE_INGEST_ALLOW_PRIVATE_URLS=true"
)  # the setting's own variable (SPINSCOPE_<SECTION>_<NAME>, as the README says); the older
# SPINSCOPE_ALLOW_PRIVATE_URLS=1 (ALLOW_PRIVATE_ENV) works too


def _check_url(target: str, *, original: str, redirected: bool = False) -> httpx.URL:
    """Parse ``target`` (the URL given, or a redirect's target) and check its scheme and host."""
    via = f" (redirected to {target})" if redirected else ""
    try:
        url = httpx.URL(target)
        url.host  # noqa: B018 -- decodes the host: a bad "xn--" label raises here
    except (httpx.InvalidURL, TypeError, ValueError) as err:
        reason = one_line(str(err))
        raise IngestError(f"Cannot fetch {original}{via}: not a valid URL ({reason}).") from None
    if not url.scheme:
        raise IngestError(f"Cannot fetch {original}{via}: no scheme; write it as https://...")
    if url.scheme not in ("http", "https"):
        raise IngestError(
            f"Cannot fetch {original}{via}: only http:// and https:// URLs are supported, "
            f"not '{url.scheme}:'."
        )
    if not url.host:
        raise IngestError(f"Cannot fetch {original}{via}: the URL has no host name.")
    return url


def _lookup(host: str, port: int, deadline: Deadline) -> list[Any]:
    """``socket.getaddrinfo`` waited for no longer than the deadline allows."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as err:
            box["error"] = err

    thread = threading.Thread(target=run, name="spinscope-resolve", daemon=True)
    thread.start()
    thread.join(deadline.remaining_s())
    if thread.is_alive():
        raise deadline.error()
    if "error" in box:
        raise box["error"]
    return list(box["infos"])


def _resolve(
    url: httpx.URL,
    *,
    allow_private: bool,
    original: str,
    deadline: Deadline,
    redirected: bool = False,
) -> list[str]:
    """The addresses of ``url``'s host, all checked; raises if any of them is refused.
    ``redirected``: ``url`` is a redirect's target (said in the message; ``url`` differs from
    ``original`` also when only normalised, as ``HTTP://LOCALHOST`` to ``http://localhost``)."""
    host = url.raw_host.decode("ascii")
    try:
        infos = _lookup(host, url.port or 0, deadline)
    except (OSError, UnicodeError) as err:
        raise IngestError(
            f"Cannot fetch {original}: the host {host} could not be resolved "
            f"({one_line(str(err))}); check the URL and the network."
        ) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private:
        for address in addresses:
            reason = blocked_reason(ipaddress.ip_address(address.split("%")[0]))
            if reason:
                via = f" (redirected to {url})" if redirected else ""
                what = address if address == host else f"{host} resolves to {address}, which"
                article = "an" if reason[0].lower() in "aeiou" else "a"
                raise IngestError(
                    f"Refusing to fetch {original}{via}: {what} is {article} {reason} address; "
                    f"{_FIX_PRIVATE}."
                )
    return addresses


def _pinned_request(client: httpx.Client, url: httpx.URL, address: str) -> httpx.Request:
    """A request that connects to ``address`` but speaks to (and verifies TLS for) the host."""
    host = url.raw_host.decode("ascii")
    headers = {"Host": url.netloc.decode("ascii")}
    extensions = {"sni_hostname": host} if url.scheme == "https" else {}
    request = client.build_request("GET", url.copy_with(host=address), headers=headers)
    request.extensions.update(extensions)
    return request


def _open(
    client: httpx.Client, url: httpx.URL, addresses: list[str], deadline: Deadline
) -> httpx.Response:
    """Send the request to the first address that accepts a connection."""
    for index, address in enumerate(addresses):
        request = _pinned_request(client, url, address)
        request.extensions["timeout"] = httpx.Timeout(deadline.remaining_s()).as_dict()
        try:
            return client.send(request, stream=True)
        except httpx.ConnectError:
            if index == len(addresses) - 1:
                raise
    raise AssertionError("unreachable: getaddrinfo returns at least one address")


def _content_type(
    response: httpx.Response, original: str, types: dict[str, bool] = TEXT_TYPES
) -> tuple[bool | None, str | None]:
    """(is HTML, charset) from the Content-Type header; is HTML is None if there is none."""
    media, *params = response.headers.get("content-type", "").split(";")
    media = media.strip().lower()
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    if not media:
        return None, charset
    if media not in types:
        what = "a feed" if types is not TEXT_TYPES else "text"
        raise IngestError(
            f"{original} is not {what}: content type {media}; "
            + ("give the URL of an RSS or Atom feed." if types is not TEXT_TYPES
               else "give the URL of an HTML page or a plain-text file.")
        )  # fmt: skip
    return types[media], charset


def _inflater(response: httpx.Response, original: str) -> Any:
    """A zlib decompressor for the body's Content-Encoding, or None for an uncompressed body.
    One layer at most: each layer multiplies what a few bytes become."""
    header = response.headers.get("content-encoding", "")
    codings = [c.strip().lower() for c in header.split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return None
    if len(codings) > 1 or codings[0] not in _ENCODINGS:
        raise IngestError(
            f"{original} is sent with the content encoding {one_line(header)!r}, which spinscope "
            "does not read (one gzip or deflate layer at most); save the page and analyse the file."
        )
    return zlib.decompressobj(_ENCODINGS[codings[0]])


def _read_body(
    response: httpx.Response, *, max_bytes: int, deadline: Deadline, original: str
) -> bytes:
    """The body, inflated if compressed, refused as soon as it passes ``max_bytes``."""
    too_big = IngestError(
        f"{original} is larger than the limit of {max_bytes:,} bytes; "
        "raise max_bytes or save the article text to a file."
    )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    inflater = _inflater(response, original)
    chunks, total = [], 0
    try:
        for raw in response.iter_raw():
            # max_length: never more than one byte past the limit, however dense the input
            chunk = raw if inflater is None else inflater.decompress(raw, max_bytes - total + 1)
            total += len(chunk)
            if total > max_bytes:
                raise too_big
            deadline.remaining_s()
            chunks.append(chunk)
        chunks.append(inflater.flush() if inflater is not None else b"")
        if total + len(chunks[-1]) > max_bytes:
            raise too_big
    except zlib.error as err:
        raise IngestError(
            f"{original} could not be decompressed ({one_line(str(err))}); check the URL."
        ) from None
    return b"".join(chunks)


def _to_document(
    body: bytes,
    is_html: bool | None,
    charset: str | None,
    *,
    original: str,
    final: str,
    html_limits: HtmlLimits,
) -> Document:
    if is_html is None:
        is_html = looks_like_html(body)
    if is_html and charset is None:
        charset = sniff_html_charset(body)
    text = decode_bytes(body, source=original, charset=charset)
    if is_html:
        return from_html(text, url=final, meta={"source": original}, html_limits=html_limits)
    return from_text(text, meta={"source": original, "url": final})


def _fetch(
    client: httpx.Client,
    original: str,
    *,
    allow_private: bool,
    max_redirects: int,
    max_bytes: int,
    deadline: Deadline,
    types: dict[str, bool] = TEXT_TYPES,
) -> tuple[bytes, bool | None, str | None, str]:
    """(body, is HTML, charset, final URL) of ``original``, redirects checked hop by hop."""
    url = _check_url(original, original=original)
    redirected = False
    for _hop in range(max_redirects + 1):
        addresses = _resolve(
            url, allow_private=allow_private, original=original, deadline=deadline,
            redirected=redirected,
        )  # fmt: skip
        response = _open(client, url, addresses, deadline)
        try:
            if response.status_code in _REDIRECTS and "location" in response.headers:
                target = str(url.join(response.headers["location"]))
                url = _check_url(target, original=original, redirected=True)
                redirected = True
                continue
            if not response.is_success:
                raise IngestError(
                    f"Fetching {original} failed: HTTP {response.status_code} "
                    f"{one_line(response.reason_phrase)}; check the URL."
                )
            is_html, charset = _content_type(response, original, types)
            body = _read_body(response, max_bytes=max_bytes, deadline=deadline, original=original)
        finally:
            response.close()
        return body, is_html, charset, str(url)
    raise IngestError(
        f"Fetching {original} took more than {max_redirects} redirects; "
        "give the final URL of the article."
    )


@dataclass(frozen=True)
class Page:
    """A fetched page before its article is extracted: extraction can take long on a large
    page, so the web app does it in a worker process, under the analysis deadline."""

    body: bytes
    is_html: bool | None
    charset: str | None
    url: str  # as given
    final: str  # after redirects

    def document(self, html_limits: HtmlLimits = DEFAULT_LIMITS) -> Document:
        """The page's article (IngestError if it holds none, or if its HTML is past
        ``html_limits``)."""
        body, is_html, charset, url = self.body, self.is_html, self.charset, self.url
        return _to_document(
            body, is_html, charset, original=url, final=self.final, html_limits=html_limits
        )


def fetch_page(
    url: str,
    *,
    timeout_s: float = 10.0,
    max_bytes: int = 5_000_000,
    max_redirects: int = 5,
    allow_private: bool = False,
) -> Page:
    """``fetch_url`` without the extraction: the page's bytes, with the same limits and errors
    (but for "no article text", which ``Page.document`` raises)."""
    body, is_html, charset, final = _get(
        url, timeout_s=timeout_s, max_bytes=max_bytes, max_redirects=max_redirects,
        allow_private=allow_private, types=TEXT_TYPES,
    )  # fmt: skip
    return Page(body, is_html, charset, url, final)


def fetch_url(
    url: str,
    *,
    timeout_s: float = 10.0,
    max_bytes: int = 5_000_000,
    max_redirects: int = 5,
    allow_private: bool = False,
    html_limits: HtmlLimits = DEFAULT_LIMITS,
) -> Document:
    """Download a news page (HTML or plain text) and return its article as a Document.

    Args:
        url: An ``http://`` or ``https://`` URL.
        timeout_s: Time budget for the whole fetch, redirects and body included.
        max_bytes: Largest body accepted; a larger one is an error, never silently cut.
        max_redirects: How many redirects to follow; each target is checked again.
        allow_private: Allow loopback, private and local addresses (so does the environment
            variable ``SPINSCOPE_ALLOW_PRIVATE_URLS=1``).
        html_limits: The page shape allowed before extraction (``html.check_shape``).

    Raises:
        IngestError: Bad scheme, refused address, HTTP error, timeout, too large, not text, an
            HTML page past ``html_limits``, or no article text in the page; the message names
            the URL.
    """
    return fetch_page(
        url, timeout_s=timeout_s, max_bytes=max_bytes, max_redirects=max_redirects,
        allow_private=allow_private,
    ).document(html_limits)  # fmt: skip


def fetch_feed(
    url: str,
    *,
    timeout_s: float = 10.0,
    max_bytes: int = 5_000_000,
    max_redirects: int = 5,
    allow_private: bool = False,
) -> tuple[bytes, str | None, str]:
    """Download an RSS/Atom feed: its bytes, the charset of its Content-Type header (or None)
    and its final URL, with ``fetch_url``'s safeguards.

    Raises:
        IngestError: As ``fetch_url``; also when the content type is not a feed's (XML).
    """
    body, _, charset, final = _get(
        url, timeout_s=timeout_s, max_bytes=max_bytes, max_redirects=max_redirects,
        allow_private=allow_private, types={**FEED_TYPES, **TEXT_TYPES},
    )  # fmt: skip
    return body, charset, final


def _get(
    url: str,
    *,
    timeout_s: float,
    max_bytes: int,
    max_redirects: int,
    allow_private: bool,
    types: dict[str, bool],
) -> tuple[bytes, bool | None, str | None, str]:
    deadline = Deadline(timeout_s, url)
    _check_url(url, original=url)  # a malformed URL is refused before a client is built
    client = httpx.Client(
        headers=_HEADERS,
        follow_redirects=False,
        trust_env=False,  # an environment proxy would resolve names itself, past our checks
        transport=transport(deadline),  # every socket operation within the time left
    )
    try:
        with client:
            return _fetch(
                client,
                url,
                allow_private=private_urls_allowed(allow_private),
                max_redirects=max_redirects,
                max_bytes=max_bytes,
                deadline=deadline,
                types=types,
            )
    except httpx.TimeoutException:
        raise deadline.error() from None
    except httpx.HTTPError as err:
        raise IngestError(
            f"Could not fetch {url}: {one_line(str(err)) or type(err).__name__}; "
            "check the URL and the network."
        ) from None
