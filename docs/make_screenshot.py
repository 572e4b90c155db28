"""Regenerate docs/analysis-page.png: the analysis page of the bundled sample article.

    .venv/bin/python docs/make_screenshot.py

Starts the app on a free loopback port, pastes samples/sample-article.txt in headless Chromium
(Debian's /usr/bin/chromium, driven by Playwright), clicks the first highlight and saves the
top of the result.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from spinscope.api import create_app
from spinscope.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(load_settings()), port=port,
                                           log_level="warning"))  # fmt: skip
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", args=ARGS, headless=True,
            viewport={"width": 1280, "height": 1000},
        )  # fmt: skip
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.fill("#text", (ROOT / "samples" / "sample-article.txt").read_text(encoding="utf-8"))
        page.click("#analyze-button")
        page.wait_for_selector("#result .article")
        page.locator(".view:not([hidden]) mark:not(.off)").nth(3).click()
        page.locator("#result").evaluate("el => el.scrollIntoView()")
        page.screenshot(path=str(ROOT / "docs" / "analysis-page.png"))
        context.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
