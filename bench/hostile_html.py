"""Seconds to extract (``ingest.from_html``) three hostile HTML shapes: deep ``<div>`` nesting,
many links, many paragraphs. Usage: ``python bench/hostile_html.py SHAPE COUNT`` with SHAPE one
of nest (COUNT blocks, DEPTH deep: a third argument, 200 if left out), links, paras; prints the
size, the time and the outcome (extracted, or refused and why)."""

from __future__ import annotations

import sys
import time


def page(shape: str, count: int, depth: int = 200) -> str:
    """The hostile page: ``count`` nested blocks (``depth`` deep), links or paragraphs."""
    if shape == "nest":
        block = "<div>" * depth + "word " + "</div>" * depth
    elif shape == "links":
        block = '<a href="https://example.org/x">link text</a> '
    else:
        block = "<p>A short paragraph of words.</p>"
    return "<html><body>" + block * count + "</body></html>"


def main() -> None:
    from spinscope.errors import IngestError
    from spinscope.ingest import from_html

    shape, count = sys.argv[1], int(sys.argv[2])
    depth = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    html = page(shape, count, depth)
    started = time.monotonic()
    try:
        from_html(html)
        outcome = "extracted"
    except IngestError as exc:
        outcome = f"refused: {exc}"
    took = time.monotonic() - started
    deep = f" ({depth} deep)" if shape == "nest" else ""
    print(f"{shape} x{count}{deep} ({len(html) / 1e6:.1f} MB): {took:.1f} s, {outcome}")


if __name__ == "__main__":
    main()
