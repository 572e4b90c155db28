"""Ingest: the only code that touches bytes, encodings, HTML and HTTP.

Every source (a file, stdin, a URL, a JSONL batch, a string) becomes a normalised ``Document``;
everything a user can get wrong becomes an ``IngestError`` with a one-line message. ``read`` is
the one way in for many sources (``ingest.sources``); ``load`` reads one article.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from spinscope.errors import IngestError
from spinscope.ingest.files import DEFAULT_MAX_BYTES, from_bytes, read_path, read_stdin
from spinscope.ingest.html import DEFAULT_LIMITS, HtmlLimits, from_html
from spinscope.ingest.item import Item
from spinscope.ingest.jsonl import read_jsonl
from spinscope.ingest.sources import STDIN, ReadOptions, is_url, read
from spinscope.ingest.text import from_text, normalize_text
from spinscope.model.document import Document

if TYPE_CHECKING:  # imported on first use at run time: see __getattr__
    from spinscope.ingest.url import fetch_url

__all__ = [
    "DEFAULT_MAX_BYTES",
    "HtmlLimits",
    "Item",
    "ReadOptions",
    "fetch_url",
    "from_bytes",
    "from_html",
    "from_text",
    "is_url",
    "load",
    "load_many",
    "normalize_text",
    "read",
    "read_jsonl",
    "read_path",
    "read_stdin",
]


def __getattr__(name: str) -> object:
    """``fetch_url``, imported on first use: httpx takes about 0.05 s to import, which reading a
    file never needs."""
    if name == "fetch_url":
        from spinscope.ingest.url import fetch_url

        return fetch_url
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    html_limits: HtmlLimits = DEFAULT_LIMITS,
) -> Document:
    """Read one article from ``"-"`` (stdin), an ``http(s)://`` URL, or a file path.

    Args:
        source: Where the article is.
        allow_private: Let a URL reach loopback/private addresses (see ``fetch_url``).
        timeout_s: Time budget for a URL.
        max_bytes: Largest input accepted, for every kind of source.
        html_limits: The shape of an HTML page allowed before extraction (``check_shape``).

    Raises:
        IngestError: The source cannot be read as a news text; the message says why.
    """
    source = _as_source(source)
    if source == STDIN:
        return read_stdin(max_bytes=max_bytes, html_limits=html_limits)
    if is_url(source):
        from spinscope.ingest.url import fetch_url

        return fetch_url(
            source, timeout_s=timeout_s, max_bytes=max_bytes, allow_private=allow_private,
            html_limits=html_limits,
        )  # fmt: skip
    return read_path(source, max_bytes=max_bytes, html_limits=html_limits)


def load_many(
    source: str | os.PathLike[str],
    *,
    allow_private: bool = False,
    timeout_s: float = 10.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    html_limits: HtmlLimits = DEFAULT_LIMITS,
) -> Iterator[Document]:
    """Yield the articles of ``source``: one per line of a ``.jsonl`` file, else ``load(source)``
    (``read`` with ``one_article``, its first failure raised).

    Lazy: a JSONL error surfaces when its line is reached, after the earlier documents.
    """
    options = ReadOptions(
        max_bytes=max_bytes, timeout_s=timeout_s, allow_private=allow_private,
        html_limits=html_limits, fields=None, one_article=True,
    )  # fmt: skip
    for item in read(_as_source(source), options):
        if item.doc is None or item.error is not None:
            raise IngestError(item.error or f"{item.ref}: no document.")
        yield item.doc
