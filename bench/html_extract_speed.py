"""How long trafilatura's extraction (``ingest.html.from_html``, what `spinscope analyze
page.html` runs before the pipeline) takes on synthetic pages just under ``--bytes`` (default:
the default ``ingest.max_bytes``, 5,000,000): shapes ``paragraphs`` (an article of many
paragraphs), ``tables`` (nested tables of three levels, a paragraph per cell), ``divs`` (divs
nested 100 deep, repeated, a paragraph at each level) and ``mixed`` (the three in turn, with
link lists and scripts between). One process, each shape once, in turn.

    python bench/html_extract_speed.py [--bytes 5000000] [--shapes paragraphs tables divs mixed]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from spinscope.ingest.html import from_html  # noqa: E402

WORDS = ("the minister said critics warned of a disaster while families will pay again as "
         "the council met on monday to vote on the harbour plan").split()  # fmt: skip


def para(k: int) -> str:
    words = " ".join(WORDS[(k * 7 + j) % len(WORDS)] for j in range(40))
    return f"<p>{words.capitalize()} (item {k}).</p>"


def block(shape: str, k: int) -> str:
    if shape == "paragraphs":
        return para(k)
    if shape == "tables":
        cell = "".join(f"<td>{para(k + i)}</td>" for i in range(3))
        inner = f"<table><tr>{cell}</tr><tr>{cell}</tr></table>"
        return f"<table><tr><td><table><tr><td>{inner}</td></tr></table></td></tr></table>"
    if shape == "divs":
        return "".join(f"<div class='d{i}'>{para(k + i)}" for i in range(100)) + "</div>" * 100
    links = "<ul>" + "".join(f"<li><a href='/a{k}/{i}'>link {i}</a></li>" for i in range(20))
    script = f"<script>var x{k} = {list(range(50))};</script>"
    return block(("paragraphs", "tables", "divs")[k % 3], k) + links + "</ul>" + script


def page(shape: str, size: int) -> str:
    head = "<html><head><title>A long page</title></head><body><main><article><h1>Title</h1>"
    tail = "</article></main></body></html>"
    parts, total, k = [], len(head) + len(tail), 0
    while True:
        b = block(shape, k)
        if total + len(b.encode()) > size:
            break
        parts.append(b)
        total += len(b.encode())
        k += 1
    return head + "".join(parts) + tail


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bytes", type=int, default=5_000_000)
    ap.add_argument("--shapes", nargs="+", default=["paragraphs", "tables", "divs", "mixed"])
    args = ap.parse_args()
    for shape in args.shapes:
        html = page(shape, args.bytes)
        start = time.perf_counter()
        cpu = time.process_time()
        doc = from_html(html)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"{shape}: {len(html.encode()):,} bytes -> {len(doc.text):,} characters of text "
              f"in {wall:.1f} s ({cpu:.1f} s CPU)", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
