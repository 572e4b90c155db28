"""Regenerate the README's screenshots in docs/img/, taken with Playwright in headless Chromium:

- report-summary.png: the top of the HTML report (`spinscope analyze --html`) of the bundled
  sample article: the switches and the at-a-glance summary;
- analysis-page.png: the web app's analysis page of the same article, a highlight explained;
- story-page.png: a story page (one story, its outlets side by side) over the test fixtures'
  made-up articles (tests/story_fixtures.py).

    SPINSCOPE_CHROMIUM=/path/to/chromium .venv/bin/python docs/make_screenshot.py

SPINSCOPE_CHROMIUM as for the browser tests (tests/e2e/get_chromium.sh); Debian's chromium when
unset. Starts the app on free loopback ports.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from spinscope.api import create_app
from spinscope.cli.main import main as cli
from spinscope.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
SAMPLE = ROOT / "samples" / "sample-article.txt"
CHROMIUM = os.environ.get("SPINSCOPE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def serve(store: Path | None = None) -> tuple[uvicorn.Server, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(load_settings(), store_path=store)
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def story_store(tmp: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from spinscope.store import Store
    from spinscope.store.stories import cluster_store
    from story_fixtures import KeywordEncoder, story_results

    path = tmp / "stories.duckdb"
    with Store(path) as store:
        store.write(story_results())
        cluster_store(store, KeywordEncoder())
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 860})

        report = tmp / "report.html"
        os.chdir(ROOT)  # the report names its source as given: a relative path
        cli(["analyze", str(SAMPLE.relative_to(ROOT)), "--html", str(report), "--quiet"])
        page.goto(report.as_uri())
        page.screenshot(path=str(OUT / "report-summary.png"))

        server, url = serve()
        page.goto(url + "/")
        page.fill("#text", SAMPLE.read_text(encoding="utf-8"))
        page.click("#analyze-button")
        page.wait_for_selector("#result .article")
        mark = page.locator(".view:not([hidden]) mark:not(.off)").nth(3)
        mark.click()
        mark.evaluate("el => el.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(OUT / "analysis-page.png"))
        server.should_exit = True

        server, url = serve(story_store(tmp))
        page.goto(url + "/stories")
        page.locator("#stories tbody tr").first.locator("a").click()
        page.wait_for_selector("#outlets")
        page.screenshot(path=str(OUT / "story-page.png"))
        server.should_exit = True
        browser.close()
    for png in sorted(OUT.glob("*.png")):
        print(f"{png.relative_to(ROOT)}: {png.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
