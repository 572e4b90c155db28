"""``spinscope serve``: the web app and HTTP API on uvicorn."""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path
from typing import Any

from spinscope.errors import ConfigError, StoreError


def serve_command(args: Any, settings: dict[str, Any]) -> int:
    """Start the app on ``args.host:args.port`` until interrupted; returns the exit code."""
    try:
        import uvicorn

        from spinscope.api import create_app
        from spinscope.api.connections import server_options
        from spinscope.api.origin import LOOPBACK_NAMES
    except ImportError as exc:
        raise ConfigError(
            f"spinscope serve needs the [web] extra ({exc.name} is missing): "
            "pip install 'spinscope[web]'."
        ) from None
    _check_store(args.store)
    _check_address(args.host, args.port)
    # on loopback (or told which names), answer only to those host names: a page whose own
    # name is re-pointed at this address (DNS rebinding) must not read or write here
    allow_host = getattr(args, "allow_host", None) or []
    own = loopback_names(args.host)
    hosts = [*(own or LOOPBACK_NAMES), *allow_host] if own or allow_host else None
    app = create_app(settings, store_path=args.store, allowed_hosts=hosts)
    print("spinscope: starting the analysis workers (loading the models)...", file=sys.stderr)
    app.state.service.start()  # a model that cannot load: one line, not uvicorn's traceback
    where = f"http://{args.host}:{args.port}/"
    print(f"spinscope: serving on {where} (Ctrl+C to stop)", file=sys.stderr)
    if own is None and not settings["serve.api_token"]:
        print(
            "spinscope: warning: listening beyond this machine with no API token; set "
            "SPINSCOPE_SERVE_API_TOKEN to protect the write endpoints (and "
            "serve.protect_reads=true for every page).",
            file=sys.stderr,
        )
    uvicorn.run(app, host=args.host, port=args.port, **server_options(settings))
    return 0


def loopback_names(host: str) -> list[str] | None:
    """The Host names a server listening on ``host`` answers to, if ``host`` is a loopback
    address (any of 127.0.0.0/8, not only 127.0.0.1) or localhost: the usual names and the
    address itself; None if it listens beyond this machine."""
    from spinscope.api.origin import LOOPBACK_NAMES

    bare = host.strip().strip("[]")
    try:
        ip = ipaddress.ip_address(bare)
    except ValueError:
        return list(LOOPBACK_NAMES) if bare.lower() == "localhost" else None
    if not ip.is_loopback:
        return None
    spelled = [f"[{bare}]", f"[{ip}]"] if ip.version == 6 else [bare]
    return [*LOOPBACK_NAMES, *spelled]


def _check_store(store: str | None) -> None:
    """A --store that does not exist is refused, as by `stats` and `stories`: a mistyped path
    was made into a new, empty store and served without a word."""
    if store is not None and not Path(store).exists():
        raise StoreError(
            f"No store at {store}; create one with `spinscope batch ... --store {store}` (an "
            f"empty one: `spinscope batch --store {store}`), or leave out --store to keep "
            "analyses in memory."
        )


def _check_address(host: str, port: int) -> None:
    """One line, before the models load, for an address uvicorn could not listen on (a port in
    use, a host that does not resolve); uvicorn said so only after "serving on ..."."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            sock.bind(address)
    except OSError as exc:
        raise ConfigError(
            f"Cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port "
            "(or --host)."
        ) from None
