"""Files and stdin in, Documents out: the checks that turn a bad path into a clear message."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import BinaryIO

from spinscope.errors import IngestError
from spinscope.ingest._decode import (
    decode_bytes,
    looks_like_html,
    one_line,
    sniff_html_charset,
)
from spinscope.ingest.html import DEFAULT_LIMITS, HtmlLimits, from_html
from spinscope.ingest.paths import FEED_SUFFIXES, WARC_SUFFIXES
from spinscope.ingest.text import from_text
from spinscope.model.document import Document

DEFAULT_MAX_BYTES = 5_000_000
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


def check_file(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a Path if it names a readable file; else raise IngestError."""
    if not os.fspath(path):  # Path("") is ".": it was called a directory
        raise IngestError("No source given (an empty path); give a file, a URL or '-' for stdin.")
    p = Path(path)
    if not p.exists():
        raise IngestError(
            f"File not found: {path}. Check the path; for a web page give the full "
            "http:// or https:// URL, and use '-' to read from stdin."
        )
    if p.is_dir():
        raise IngestError(
            f"{path} is a directory; give one file (a .jsonl file holds many articles)."
        )
    return p


def count_lines(path: str | os.PathLike[str], block: int = 1 << 20) -> int:
    """How many lines of the file hold more than blanks, read in blocks: a line of 1 GB is
    never held whole."""
    count, filled = 0, False
    with open(path, "rb") as fh:
        while data := fh.read(block):
            *ended, last = data.split(b"\n")
            for line in ended:
                count += filled or bool(line.strip())
                filled = False
            filled = filled or bool(last.strip())
    return count + filled


def read_capped(p: Path, *, max_bytes: int) -> bytes:
    """The bytes of ``p``; IngestError, without reading past it, if over ``max_bytes``."""
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise IngestError(_too_big(str(p), size, max_bytes))
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # a pipe or a growing file can exceed its stat size
    except OSError as err:
        raise IngestError(f"Cannot read {p}: {one_line(err.strerror or str(err))}.") from err
    if len(data) > max_bytes:
        raise IngestError(_too_big(str(p), None, max_bytes))
    return data


def _too_big(source: str, size: int | None, max_bytes: int) -> str:
    actual = f"is {size:,} bytes" if size is not None else "is larger than the limit"
    return (
        f"{source} {actual}, over the limit of {max_bytes:,} bytes; "
        "split it into articles (one per line in a .jsonl file) or raise max_bytes."
    )


def from_bytes(
    data: bytes,
    *,
    source: str,
    is_html: bool | None = None,
    html_limits: HtmlLimits = DEFAULT_LIMITS,
) -> Document:
    """Decode bytes read from ``source`` and build a Document, extracting the article from HTML.

    ``is_html=None``: HTML if ``source`` is named like an HTML file (``.html``, ``.htm``,
    ``.xhtml``: a fragment saved as ``.html`` too) or the content starts like one (``<!doctype
    html`` or ``<html``); a page past ``html_limits`` is refused.
    """
    if is_html is None:
        is_html = Path(source).suffix.lower() in HTML_SUFFIXES or looks_like_html(data)
    charset = sniff_html_charset(data) if is_html else None
    text = decode_bytes(data, source=source, charset=charset)
    if is_html:
        return from_html(text, meta={"source": source}, html_limits=html_limits)
    return from_text(text, meta={"source": source})


def read_path(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    html_limits: HtmlLimits = DEFAULT_LIMITS,
) -> Document:
    """Read one article from a text or HTML file (HTML by extension or by content).

    Raises:
        IngestError: The file is missing, a directory, a .json file, a file of many articles
            (CSV, feed, WARC), binary, not UTF-8, empty or too large, or its HTML is past
            ``html_limits``.
    """
    p = check_file(path)
    if p.suffix.lower() == ".json":  # its brackets, keys and quotes were read as the article
        raise IngestError(
            f"{path} is a JSON file; give the articles as a .jsonl file, one JSON object per "
            "line with a 'text' or 'html' field (from a JSON array: "
            f"`jq -c '.[]' {path} > articles.jsonl`)."
        )
    name = p.name.lower()
    many = next((s for s in FEED_SUFFIXES + WARC_SUFFIXES + (".csv",) if name.endswith(s)), None)
    if many:  # its rows, XML or records were analysed as one article's text
        raise IngestError(
            f"{path} is a {many} file of many articles, and this reads one article: analyse "
            f"each of its articles with `spinscope batch {path} --store corpus.duckdb`."
        )
    data = read_capped(p, max_bytes=max_bytes)
    return from_bytes(data, source=str(path), html_limits=html_limits)


def read_stdin(
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stream: BinaryIO | None = None,
    html_limits: HtmlLimits = DEFAULT_LIMITS,
) -> Document:
    """Read one article (text or HTML) from stdin's bytes, with the same checks as a file."""
    stream = stream if stream is not None else sys.stdin.buffer
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise IngestError(_too_big("<stdin>", None, max_bytes))
    if _holds_json(data):  # its keys, quotes and braces were analysed as one article's words
        raise IngestError(
            "<stdin> holds JSON, not the text or HTML of an article; give JSON lines as a file: "
            "`spinscope analyze articles.jsonl` (one JSON object a line)."
        )
    return from_bytes(data, source="<stdin>", html_limits=html_limits)


def _holds_json(data: bytes) -> bool:
    """True if ``data``'s first line, or the whole, reads as a JSON object or array."""
    head = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not head.startswith((b"{", b"[")):
        return False
    for candidate in (head.split(b"\n", 1)[0], head):
        try:
            if isinstance(json.loads(candidate), dict | list):
                return True
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
            continue
    return False
