"""``spinscope serve`` runs uvicorn with the connection limits of ``api/connections.py`` (their
tests run a server with ``server_options``; this pins that the command uses them)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from spinscope.cli.main import main


def test_serve_runs_uvicorn_with_the_connection_limits(monkeypatch, capsys) -> None:
    uvicorn = pytest.importorskip("uvicorn", reason="serve needs the [web] extra")
    import spinscope.api
    from spinscope.api.connections import MAX_HEAD_BYTES, ServeProtocol

    app = SimpleNamespace(state=SimpleNamespace(service=SimpleNamespace(start=lambda: None)))
    monkeypatch.setattr(spinscope.api, "create_app", lambda *args, **kwargs: app)
    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: ran.update(kwargs))
    argv = ["serve", "--port", "0", "--set", "serve.header_timeout_s=2.5"]
    assert main([*argv, "--set", "serve.max_connections=7"]) == 0
    protocol = ran["http"]
    assert issubclass(protocol, ServeProtocol)
    assert (protocol.header_timeout_s, protocol.max_connections) == (2.5, 7)
    assert ran["h11_max_incomplete_event_size"] == MAX_HEAD_BYTES and ran["ws"] == "none"
