"""A real server (uvicorn in a thread, over a fresh store) and Debian's headless Chromium driven
by Playwright. Skipped, saying why, where Chromium or Playwright is absent."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

# SPINSCOPE_CHROMIUM: another Chromium (e.g. a headless build unpacked from a package)
CHROMIUM = os.environ.get("SPINSCOPE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return "browser tests need Chromium (apt-get install chromium)"
    for module, why in (("playwright", "playwright"), ("uvicorn", "the [web] extra")):
        try:
            __import__(module)
        except ImportError:
            return f"browser tests need {why} ({module} is not installed)"
    return None


MISSING = _missing()


def pytest_collection_modifyitems(config, items):
    """Skip every test of this folder, saying why, where something is missing (a skip while
    this file is imported would print a traceback when the folder is named on the command
    line)."""
    if MISSING is None:
        return
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.skip(reason=MISSING))


SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sample-article.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``create_app`` on uvicorn in a background thread; ``url`` once it accepts requests."""

    def __init__(self, store_path: Path | None = None, overrides: dict | None = None) -> None:
        import uvicorn

        from spinscope.api import create_app
        from spinscope.api.connections import server_options
        from spinscope.settings import load_settings

        settings = load_settings(overrides)
        app = create_app(settings, store_path=store_path)
        self.port = free_port()
        # the options `spinscope serve` runs with (its protocol class, limits), so the browser
        # tests go through the same connection handling as users do
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, **server_options(settings))
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    with Server(tmp_path_factory.mktemp("store") / "corpus.duckdb") as s:
        yield s


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(15_000)
        yield context
        context.close()


@pytest.fixture
def page(browser_context):
    """A fresh tab that fails the test on any script error or dialog (an XSS would show so)."""
    tab = browser_context.new_page()
    tab.events = []  # type: ignore[attr-defined]
    tab.on("dialog", lambda d: (tab.events.append(f"dialog: {d.message}"), d.dismiss()))
    tab.on("pageerror", lambda e: tab.events.append(f"page error: {e}"))
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")
