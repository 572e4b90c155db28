"""One JSON error shape for every failure, and the request body cap.

Every error response is ``{"error": {"status": 413, "type": "too_large", "message": "..."}}``
with a one-line message that never carries a stack trace or a server path; a page (a route that
answers HTML) answers the same status and message as an HTML page instead.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from spinscope.errors import ConfigError, IngestError, SpinscopeError, StoreBusy

log = logging.getLogger("spinscope.api")

TYPES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "too_large",
    415: "not_json",
    422: "invalid_request",
    431: "headers_too_large",
    500: "internal",
    503: "busy",
    504: "timeout",
}
BUSY = "The store is busy (another spinscope process is writing to it); try again shortly."
BUSY_RETRY_S = 5  # the Retry-After of that 503, in seconds
INTERNAL = "The server failed to handle this request; the server log has the details."
NOT_JSON = (
    "Send the body as JSON, with the header Content-Type: application/json (e.g. "
    '{"text": "..."}); upload a file to /api/analyze/file.'
)
# (request, status, message, headers) -> the HTML error page
PageError = Callable[[Request, int, str, dict[str, str] | None], Response]
# the first path segments under which nothing is a page, routed or not: the API and its files
NOT_PAGES = ("/api", "/static")
# the policy for anything that is not a page (JSON, scripts, images): nothing may load or frame it
JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
# the headers every error carries (the middlewares that answer before the app: cross-site, host,
# token, and the connection limits, never reach ``app._security_headers``)
SAFE_HEADERS = {"Content-Security-Policy": JSON_CSP, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer"}  # fmt: skip


def error_body(status: int, message: str) -> dict[str, Any]:
    """``{"error": {"status": ..., "type": ..., "message": ...}}``."""
    return {"error": {"status": status, "type": TYPES.get(status, "error"), "message": message}}


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The JSON error, with the headers every error carries."""
    body = error_body(status, message)
    return JSONResponse(body, status_code=status, headers=SAFE_HEADERS | (headers or {}))


def install_handlers(app: FastAPI, page_error: PageError | None = None) -> None:
    """Map every exception to the JSON error shape; on a page, to ``page_error``'s page (a
    browser was shown the API's JSON for a bad date or id in its address bar)."""

    def answer(
        request: Request, status: int, message: str, headers: dict[str, str] | None = None
    ) -> Response:
        if page_error is not None and is_page(request):
            response = page_error(request, status, message, headers)
        else:
            response = error_response(status, message, headers)
        if request.method == "HEAD":
            # only a 500 is answered as HEAD (Starlette's outermost middleware, past
            # ``app.HeadAsGet``): the GET's headers, Content-Length included, and no body
            response.body = b""
        return response

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        headers = allow_head(getattr(exc, "headers", None))
        return answer(request, exc.status_code, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        whole_body = bool(errors) and tuple(errors[0].get("loc", ())) == ("body",)
        if whole_body and "json" not in request.headers.get("content-type", ""):
            # `curl -d` sends a form: it was "Input should be a valid dictionary or object"
            return error_response(415, NOT_JSON)
        return answer(request, 422, validation_message(errors))

    @app.exception_handler(SpinscopeError)
    async def _spinscope(request: Request, exc: SpinscopeError) -> Response:
        if isinstance(exc, IngestError | ConfigError):  # the user's input: say what was wrong
            return answer(request, 400, " ".join(str(exc).split()))
        if isinstance(exc, StoreBusy):  # `spinscope batch` writing to the served store
            return answer(request, 503, BUSY, {"Retry-After": str(BUSY_RETRY_S)})
        log.error("spinscope error: %s", exc)  # model or store trouble: may name server paths
        return answer(request, 500, INTERNAL)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        # answered outside every middleware: ``page_error`` sets the pages' headers itself
        log.exception("unexpected error on %s", request.url.path)
        return answer(request, 500, INTERNAL)


def is_page(request: Request) -> bool:
    """Whether the request was routed to a page: a route declared to answer HTML, or no route
    at all outside /api and /static (an address mistyped in a browser's address bar)."""
    route = request.scope.get("route")
    if route is None:  # FastAPI names API routes only: a mount (/static) has none either
        top = "/" + request.url.path.split("/")[1]
        return top not in NOT_PAGES
    return getattr(route, "response_class", None) is HTMLResponse


def allow_head(headers: dict[str, str] | None) -> dict[str, str] | None:
    """A 405's ``Allow`` with HEAD wherever it has GET: ``app.HeadAsGet`` answers HEAD as GET,
    but the routes list only the methods they were declared with."""
    allow = (headers or {}).get("Allow")
    methods = allow.split(", ") if allow else []
    if "GET" not in methods or "HEAD" in methods:
        return headers
    return {**(headers or {}), "Allow": ", ".join([*methods, "HEAD"])}


def validation_message(errors: Any) -> str:
    """``body.text: Field required`` for the first problem (the input is never echoed). A
    validator's own message is given as written: pydantic prefixes it with "Value error, "."""
    first = errors[0] if errors else {}
    where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
    what = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
    return f"{where}: {what}" if where else what


class BodyLimit:
    """ASGI middleware: a request body over ``max_bytes`` is refused with 413, whether or not the
    client sent a Content-Length (the body is read up to the cap, then replayed); one that has
    not all arrived within ``timeout_s`` gets 408 (a client that sent a few bytes and then
    stalled or trickled held its connection for ever)."""

    def __init__(self, app: Any, max_bytes: int, timeout_s: float = 30.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        too_large = error_response(
            413, f"The request body is over the limit of {self.max_bytes:,} bytes."
        )
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.max_bytes:
            return await too_large(scope, receive, send)
        body, more = b"", True
        end = time.monotonic() + self.timeout_s
        while more:
            try:
                message = await asyncio.wait_for(receive(), max(end - time.monotonic(), 0.0))
            except TimeoutError:
                too_slow = error_response(
                    408, f"The request body did not arrive within {self.timeout_s:g} s."
                )
                return await too_slow(scope, receive, send)
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                return await too_large(scope, receive, send)
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
