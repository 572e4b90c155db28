"""The HTML report's size and its estimated printed length, for saved results (JSON files from
`spinscope analyze --json`), rendered by this tree's report and, with --old SRC, by another
tree's (a `src` folder) in a subprocess.

The page count is the estimate of tests/report/pages.py (no browser is used): the text the print
rules leave, wrapped at 90 characters a line and 50 lines an A4 page (10 pt, 15 mm margins),
closed sections counted as open. It bounds the content; it does not measure a rendering.

Usage: python bench/report_pages.py RESULT.json [...] [--old /path/to/old/src]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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
    print("| result | words | findings | tree | bytes | est. A4 pages | render ms |")
    print("|---|---|---|---|---|---|---|")
    for path in args.results:
        data = json.loads(path.read_text(encoding="utf-8"))
        words = len(data["document"]["text"].split())
        n = len(data["findings"])
        t0 = time.perf_counter()
        page = render_html(data)
        ms = (time.perf_counter() - t0) * 1000
        est = pages.printed_pages(page)
        print(f"| {path.name} | {words} | {n} | this | {len(page)} | {est:.1f} | {ms:.0f} |")
        if args.old:
            old = render_with(args.old, path)
            est = pages.printed_pages(old)
            print(f"| {path.name} | {words} | {n} | old | {len(old)} | {est:.1f} | – |")


if __name__ == "__main__":
    main()
