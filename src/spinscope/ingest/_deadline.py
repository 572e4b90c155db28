"""One time budget for a whole fetch, enforced on every socket operation.

A per-read timeout bounds only the wait for the next bytes: a server that sends its headers one
byte at a time, each within the timeout, held a fetch for (header bytes) x ``timeout_s``. Here
every connect, TLS handshake, read and write waits no longer than the time left on the fetch's
``Deadline``, so the whole fetch ends by it (CPython bounds one ``sendall`` or one TLS
handshake as a whole by its socket timeout, not per packet).
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from spinscope.errors import IngestError


class Deadline:
    """One time budget for the whole fetch: every hop, every socket operation and every body
    read draw from it."""

    def __init__(self, timeout_s: float, url: str) -> None:
        self.timeout_s, self.url = timeout_s, url
        self.end = time.monotonic() + timeout_s

    def error(self) -> IngestError:
        return IngestError(
            f"Fetching {self.url} timed out after {self.timeout_s:g} s; "
            "check the URL or try again with a larger timeout_s."
        )

    def remaining_s(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.error()
        return left

    def bound(self, timeout: float | None, expired: type[Exception]) -> float:
        """``timeout`` cut to the time left; ``expired`` (an httpcore timeout, which httpx
        reports as its own) once none is left."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise expired(f"the fetch's {self.timeout_s:g} s are spent")
        return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    """A connection whose every operation waits no longer than the deadline allows."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
        self.stream, self.deadline = stream, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, self.deadline.bound(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, self.deadline.bound(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        limit = self.deadline.bound(timeout, httpcore.ConnectTimeout)
        return _Stream(self.stream.start_tls(ssl_context, server_hostname, limit), self.deadline)

    def get_extra_info(self, info: str) -> Any:
        return self.stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """httpcore's own sockets, wrapped in ``_Stream``."""

    def __init__(self, deadline: Deadline) -> None:
        self.sync, self.deadline = httpcore.SyncBackend(), deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        limit = self.deadline.bound(timeout, httpcore.ConnectTimeout)
        stream = self.sync.connect_tcp(host, port, limit, local_address, socket_options)
        return _Stream(stream, self.deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("a fetch never connects to a Unix socket")

    def sleep(self, seconds: float) -> None:
        self.sync.sleep(min(seconds, max(self.deadline.end - time.monotonic(), 0.0)))


def transport(deadline: Deadline) -> httpx.HTTPTransport:
    """httpx's transport, its connections bounded by ``deadline``. No environment: no proxy
    (one would resolve names itself, past the address checks) and no ``SSL_CERT_FILE``."""
    context = httpx.create_ssl_context(trust_env=False)
    bounded = httpx.HTTPTransport(verify=context, trust_env=False)
    # httpx has no public hook for the network backend; its pool is the one place to set it
    bounded._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=_Backend(deadline))
    return bounded
