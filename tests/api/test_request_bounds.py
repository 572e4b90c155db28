"""A request body must arrive in bounded time: a client that sends a few bytes and then
trickles or stalls held its connection and the request's coroutine for ever."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from spinscope.api.errors import BodyLimit


async def _reached(scope: Any, receive: Any, send: Any) -> None:
    raise AssertionError("the app was reached")


def _call(receive: Any, timeout_s: float) -> tuple[int, dict[str, Any], float]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "headers": [(b"content-type", b"application/json")]}
    start = time.monotonic()
    asyncio.run(BodyLimit(_reached, max_bytes=1000, timeout_s=timeout_s)(scope, receive, send))
    took_s = time.monotonic() - start
    body = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    assert (b"x-content-type-options", b"nosniff") in sent[0]["headers"]  # as every error
    return sent[0]["status"], body, took_s


def test_a_body_that_stalls_gets_408_at_the_deadline() -> None:
    calls = 0

    async def stalling() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:
            return {"type": "http.request", "body": b'{"te', "more_body": True}
        await asyncio.sleep(30)  # the client never sends the rest
        return {"type": "http.disconnect"}

    status, body, took_s = _call(stalling, timeout_s=0.3)
    assert status == 408 and took_s < 2.0
    assert body["error"]["type"] == "request_timeout"
    assert "0.3 s" in body["error"]["message"] and "\n" not in body["error"]["message"]


def test_a_body_that_trickles_gets_408_at_the_deadline() -> None:
    async def trickling() -> dict[str, Any]:
        await asyncio.sleep(0.05)  # each byte in time, the whole body never
        return {"type": "http.request", "body": b" ", "more_body": True}

    status, _, took_s = _call(trickling, timeout_s=0.3)
    assert status == 408 and took_s < 2.0
