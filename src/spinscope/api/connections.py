"""How ``spinscope serve`` runs uvicorn: the options of its server."""

from __future__ import annotations

from typing import Any


def server_options(settings: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``uvicorn.run`` / ``uvicorn.Config`` besides the app, host and
    port, from the ``serve.*`` settings."""
    return {"log_level": "warning"}
