"""The HTML report's size and its estimated printed length, for saved results (JSON files from
`spinscope analyze --json`), rendered by this tree's report and, with --old SRC, by another
tree's (a `src` folder) in a subprocess.

The page count is the estimate of tests/report/pages.py (no browser is used): the text the print
rules leave, wrapped at 90 characters a line and 50 lines an A4 page (10 pt, 15 mm margins),
closed sections counted as open. It bounds the content; it does not measure a rendering.
Where SPINSCOPE_CHROMIUM names a Chromium (see tests/e2e/get_chromium.sh), the page is also
printed to an A4 PDF by that browser (Playwright's page.pdf) and the PDF's pages are counted.

Usage: python bench/report_pages.py RESULT.json [...] [--old /path/to/old/src]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.printing import measure  # noqa: E402
from tests.report import pages  # noqa: E402

from spinscope.report.html import render_html  # noqa: E402


def render_with(src: str, path: Path) -> str:
    """The page as the report code under ``src`` renders it."""
    code = "import json,sys;from spinscope.report.html import render_html;" \
           "sys.stdout.write(render_html(json.load(open(sys.argv[1]))))"  # fmt: skip
    env = {**os.environ, "PYTHONPATH": src}
    return subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, check=True, env=env).stdout  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path)
    parser.add_argument("--old", help="another tree's src folder to compare with")
    args = parser.parse_args()
    chromium = os.environ.get("SPINSCOPE_CHROMIUM")
    rows, pages_to_print = [], []
    tmp = Path(tempfile.mkdtemp(prefix="report-pages-"))
    for path in args.results:
        data = json.loads(path.read_text(encoding="utf-8"))
        words = len(data["document"]["text"].split())
        n = len(data["findings"])
        t0 = time.perf_counter()
        page = render_html(data)
        ms = f"{(time.perf_counter() - t0) * 1000:.0f}"
        trees = [("this", page, ms)]
        if args.old:
            trees.append(("old", render_with(args.old, path), "–"))
        for tree, html, ms in trees:
            rows.append(
                [path.name, words, n, tree, len(html), f"{pages.printed_pages(html):.1f}", ms]
            )
            pages_to_print.append(tmp / f"{len(rows)}.html")
            pages_to_print[-1].write_text(html, encoding="utf-8")
    printed = measure(pages_to_print, chromium) if chromium else ["–"] * len(rows)
    head = (
        "result | words | findings | tree | bytes | est. A4 pages | render ms | Chromium A4 pages"
    )
    print(f"| {head} |")
    print("|---|---|---|---|---|---|---|---|")
    for row, n_pages in zip(rows, printed, strict=True):
        print("| " + " | ".join(str(x) for x in [*row, n_pages]) + " |")


if __name__ == "__main__":
    main()
