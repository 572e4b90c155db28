"""The API token, checked by an ASGI middleware before anything else runs (so before a body is
read or parsed: malformed JSON without the token is 401, not 422).

With ``serve.api_token`` set, every request that may write (any method but GET, HEAD and
OPTIONS) needs the token; with ``serve.protect_reads`` every request does: pages, documents,
reports, charts, static files and the OpenAPI schema. The token is accepted as
``Authorization: Bearer <token>`` (scripts) or as the password of HTTP Basic auth (a browser
asks for it; any user name), compared in constant time.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Any

from spinscope.api.errors import error_response

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def token_matches(header: str, token: str) -> bool:
    """Whether an Authorization header carries ``token`` (Bearer, or Basic's password)."""
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        value = decoded.partition(":")[2]
    elif scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(value.encode("utf-8", "replace"), token.encode("utf-8"))


class TokenCheck:
    """ASGI middleware: 401 unless the request carries the token, where one is needed."""

    def __init__(self, app: Any, token: str, protect_reads: bool) -> None:
        self.app = app
        self.token = token
        self.protect_reads = protect_reads

    def needed(self, scope: Any) -> bool:
        if not self.token or scope["type"] not in ("http", "websocket"):
            return False
        return self.protect_reads or scope.get("method", "GET") not in READ_METHODS

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if not self.needed(scope):
            return await self.app(scope, receive, send)
        header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        if token_matches(header, self.token):
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        response = error_response(
            401,
            "This server needs an API token: send 'Authorization: Bearer <token>' (or, in a "
            "browser, give the token as the password).",
        )
        response.raw_headers += [
            (b"www-authenticate", b'Bearer realm="spinscope"'),
            (b"www-authenticate", b'Basic realm="spinscope", charset="UTF-8"'),
        ]
        await response(scope, receive, send)
