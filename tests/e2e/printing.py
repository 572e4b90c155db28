"""The printed length of a page in a real browser: Chromium prints it to an A4 PDF and the PDF's
page objects are counted (no PDF library needed)."""

from __future__ import annotations

import re
from pathlib import Path

PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def pdf_page_count(pdf: bytes) -> int:
    """The number of ``/Type /Page`` objects (``/Pages``, the page tree, is not counted)."""
    return len(PAGE_OBJECT.findall(pdf))


def print_pages(page, html_path: Path) -> int:
    """Open ``html_path`` in the Playwright ``page`` and count the pages of its A4 print."""
    page.goto(Path(html_path).resolve().as_uri())
    page.emulate_media(media="print")
    return pdf_page_count(page.pdf(format="A4"))


def measure(html_paths: list[Path], chromium: str) -> list[int]:
    """The A4 page count of each HTML file, in one headless Chromium at ``chromium``."""
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        try:
            tab = browser.new_page()
            return [print_pages(tab, path) for path in html_paths]
        finally:
            browser.close()
