"""How ``spinscope serve`` runs uvicorn: its options, and the limits on each connection.

uvicorn closes an idle kept-alive connection (``timeout_keep_alive``), but not one that is still
sending its request's headers: a client that trickled them a byte at a time held a connection
for ever (slowloris), and enough such clients held them all. ``ServeProtocol`` (uvicorn's h11
protocol) adds:

- a deadline for the request line and headers (``serve.header_timeout_s``), from the
  connection's opening or, on a kept-alive connection, from the next request's first byte; then
  the connection is closed, with a 408 if anything arrived;
- a limit on connections (``serve.max_connections``): a request on one more gets the JSON 503
  (uvicorn's ``limit_concurrency`` answered plain text and served one connection fewer than
  its number);
- headers bounded at ``MAX_HEAD_BYTES`` however they arrive, 431 past it (h11 bounds only a
  head that is incomplete after a read: one read takes 256 KiB, and uvicorn answered 400).

A refusal the app does not see (408, 431 from h11) is written here and the connection lingers a
moment, reading and dropping what the client still sends, so that its answer is not lost to a
reset. The h11 protocol is used whether or not httptools is installed, so these hold.
"""

from __future__ import annotations

import asyncio
import http
import json
import logging
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from spinscope.api.errors import SAFE_HEADERS, error_body, error_response

log = logging.getLogger("spinscope.api")

MAX_HEAD_BYTES = 16 * 1024  # h11's own default, pinned: a request line and its headers
LINGER_S = 1.0  # after a refusal the app did not write: how long what the client sends is dropped


def server_options(settings: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``uvicorn.run`` / ``uvicorn.Config`` besides the app, host and
    port, from the ``serve.*`` settings."""
    return {
        "log_level": "warning",
        "http": protocol(settings["serve.header_timeout_s"], settings["serve.max_connections"]),
        "ws": "none",  # the app has no websocket routes; an upgrade is served as plain HTTP
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
    }


def protocol(header_timeout_s: float, max_connections: int) -> type[ServeProtocol]:
    """``ServeProtocol`` with these limits (uvicorn makes one per connection from the class)."""
    limits = {"header_timeout_s": header_timeout_s, "max_connections": max_connections}
    return type("ServeProtocol", (ServeProtocol,), limits)


def raw_error(status: int, message: str) -> bytes:
    """The JSON error as a whole HTTP/1.1 response that closes the connection."""
    body = json.dumps(
        error_body(status, message), separators=(",", ":")
    ).encode()  # as JSONResponse
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body)),
               "Connection": "close", **SAFE_HEADERS}  # fmt: skip
    lines = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def head_bytes(scope: dict[str, Any]) -> int:
    """About the bytes of a request's line and headers."""
    headers = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
    return len(scope["raw_path"]) + len(scope["query_string"]) + headers


class ServeProtocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline, a connection limit and a header bound."""

    header_timeout_s: float = 10.0
    max_connections: int = 64

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.inner_app = self.app
        self.app = self.checked_app  # what handle_events runs for each request
        self.head_timer: asyncio.TimerHandle | None = None
        self.refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_head_timer()

    def data_received(self, data: bytes) -> None:
        if self.refused:  # answered and closing: what more comes is dropped
            return
        if self.head_timer is None and self.conn.their_state is h11.IDLE:
            self._start_head_timer()  # the next request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # its line and headers are in (or h11 failed)
            self._stop_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        """h11 refused the request: headers over its bound get 431 (h11 says so only in a
        hint, and uvicorn answered "Invalid HTTP request received.")."""
        if len(self.conn.trailing_data[0]) > MAX_HEAD_BYTES:
            self.refuse(431, f"The request's headers are over {MAX_HEAD_BYTES // 1024} KiB.")
        else:
            super().send_400_response(msg)

    async def checked_app(self, scope: Any, receive: Any, send: Any) -> None:
        """The app, unless this request is one too many or its headers too large."""
        if len(self.connections) > self.max_connections or len(self.tasks) > self.max_connections:
            log.warning(
                "spinscope: refused a request with 503: %d connections open, the limit is %d "
                "(serve.max_connections)",
                len(self.connections),
                self.max_connections,
            )
            message = (
                f"The server is serving its limit of {self.max_connections} connections "
                "(serve.max_connections); try again in a moment."
            )
            busy = error_response(503, message, {"Retry-After": "1", "Connection": "close"})
            return await busy(scope, receive, send)
        if head_bytes(scope) > MAX_HEAD_BYTES:  # it came in one read: h11 took it whole
            message = f"The request's headers are over {MAX_HEAD_BYTES // 1024} KiB."
            return await error_response(431, message, {"Connection": "close"})(scope, receive, send)
        await self.inner_app(scope, receive, send)

    def refuse(self, status: int, message: str) -> None:
        """Answer the JSON error and close: the writing side at once, the connection after
        ``LINGER_S`` (or when the client closes its side)."""
        self.refused = True
        self._stop_head_timer()
        self.transport.write(raw_error(status, message))
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_S, self.transport.close)

    def _start_head_timer(self) -> None:
        self.head_timer = self.loop.call_later(self.header_timeout_s, self._head_timed_out)

    def _stop_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_timed_out(self) -> None:
        self.head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.conn.trailing_data[0]:  # part of a request: say why it goes unanswered
            deadline = f"{self.header_timeout_s:g} s"
            self.refuse(408, f"The request's headers did not arrive within {deadline}.")
        else:  # nothing asked, nothing to answer
            self.transport.close()
