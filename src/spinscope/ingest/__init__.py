"""Ingest: the only code that touches bytes, encodings, HTML and HTTP.

Every source (a file, stdin, a URL, a JSONL batch, a string) becomes a normalised ``Document``;
everything a user can get wrong becomes an ``IngestError`` with a one-line message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from spinscope.ingest.files import DEFAULT_MAX_BYTES, from_bytes, read_path, read_stdin
from spinscope.ingest.html import from_html
from spinscope.ingest.jsonl import read_jsonl
from spinscope.ingest.text import from_text, normalize_text
from spinscope.model.document import Document

__all__ = [
    "DEFAULT_MAX_BYTES",
    "fetch_url",
    "from_bytes",
    "from_html",
    "from_text",
    "is_url",
    "load",
    "load_many",
    "normalize_text",
    "read_jsonl",
    "read_path",
    "read_stdin",
]

STDIN = "-"
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def __getattr__(name: str) -> object:
    """``fetch_url``, imported on first use: httpx takes about 0.05 s to import, which reading a
    file never needs."""
    if name == "fetch_url":
        from spinscope.ingest.url import fetch_url

        return fetch_url
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_url(source: str) -> bool:
    """True if ``source`` is meant as a URL (``scheme://...``); fetch_url refuses non-web ones."""
    return _URL_SCHEME.match(source) is not None


def _as_source(source: str | os.PathLike[str]) -> str:
    if isinstance(source, os.PathLike):
        return os.fspath(source)
    if not isinstance(source, str):
        raise TypeError(
            f"Expected a path, a URL or '-' as a str, got {type(source).__name__}; "
            "for many sources call load() once per source, for text use from_text()."
        )
    return source


def load(
    source: str | os.PathLike[str],
    *,
    allow_private: bool = False,
    timeout_s: float = 10.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Read one article from ``"-"`` (stdin), an ``http(s)://`` URL, or a file path.

    Args:
        source: Where the article is.
        allow_private: Let a URL reach loopback/private addresses (see ``fetch_url``).
        timeout_s: Time budget for a URL.
        max_bytes: Largest input accepted, for every kind of source.

    Raises:
        IngestError: The source cannot be read as a news text; the message says why.
    """
    source = _as_source(source)
    if source == STDIN:
        return read_stdin(max_bytes=max_bytes)
    if is_url(source):
        from spinscope.ingest.url import fetch_url

        return fetch_url(
            source, timeout_s=timeout_s, max_bytes=max_bytes, allow_private=allow_private
        )
    return read_path(source, max_bytes=max_bytes)


def load_many(
    source: str | os.PathLike[str],
    *,
    allow_private: bool = False,
    timeout_s: float = 10.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Document]:
    """Yield the articles of ``source``: one per line of a ``.jsonl`` file, else ``load(source)``.

    Lazy: a JSONL error surfaces when its line is reached, after the earlier documents.
    """
    source = _as_source(source)
    if not is_url(source) and source.lower().endswith(".jsonl"):
        yield from read_jsonl(source)
        return
    yield load(source, allow_private=allow_private, timeout_s=timeout_s, max_bytes=max_bytes)
