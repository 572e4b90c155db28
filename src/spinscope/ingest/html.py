"""HTML in, the article's main text and its metadata out (trafilatura does the extraction).

Boilerplate (menus, footers, reader comments) is dropped, so that the analysers only see the
article. Extraction is quiet (no log lines on stderr) and deterministic: no time-based timeouts,
no deduplication state, and no run-date fields in the metadata. Its time is bounded instead by
the page's shape (``check_shape``): extraction time grows with the number of elements and with
their depth, and a hostile page of a few MB took minutes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spinscope.errors import IngestError
from spinscope.ingest._decode import one_line, refuse_lone_surrogate
from spinscope.ingest.text import from_text
from spinscope.model.document import Document

for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    # Their warnings would reach stderr through a root handler; ours are IngestErrors instead.
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@lru_cache(maxsize=1)
def _config() -> Any:
    """trafilatura's settings, built on first use: importing trafilatura takes about 0.2 s,
    which a plain-text ``analyze`` never needs."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no SIGALRM-based timeouts in library use
    return config


# Past these a page is refused before extraction (the defaults of the settings
# ingest.max_html_elements and ingest.max_html_depth). Measured (BENCHMARKS.md, "Hostile HTML"):
# a page just within them took 4-7 s to extract, 2.2 MB of 200-deep <div> nesting 28 s, 130,000
# links 27 s. News pages have a few thousand elements (Lighthouse flags a DOM over 1,400),
# nested a few dozen deep.
MAX_ELEMENTS = 50_000
MAX_DEPTH = 100


@dataclass(frozen=True)
class HtmlLimits:
    """The page shape ``check_shape`` allows: at most ``max_elements`` elements, nested at
    most ``max_depth`` deep (the settings ``ingest.max_html_elements`` and
    ``ingest.max_html_depth``)."""

    max_elements: int = MAX_ELEMENTS
    max_depth: int = MAX_DEPTH

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> HtmlLimits:
        return cls(settings["ingest.max_html_elements"], settings["ingest.max_html_depth"])


DEFAULT_LIMITS = HtmlLimits()


def check_shape(html: str | bytes, where: str, limits: HtmlLimits = DEFAULT_LIMITS) -> None:
    """Refuse a page with more than ``limits.max_elements`` elements or nested deeper than
    ``limits.max_depth``, counted on the tree trafilatura parses (lxml: a fraction of a second
    even for a hostile page; the count stops at the first limit passed).

    Raises:
        IngestError: The page passes a limit; the message names it and the setting to raise.
    """
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except Exception:  # noqa: BLE001 -- the extraction's own parse says what is wrong
        return
    if tree is None:  # not a page (a fragment): the extraction's own checks see to it
        return
    count, stack = 0, [(tree, 1)]  # (element, its depth): depth first, no recursion
    while stack:
        element, depth = stack.pop()
        count += 1
        if count > limits.max_elements or depth > limits.max_depth:
            raise IngestError(_shape_error(where, limits, too_many=count > limits.max_elements))
        stack.extend((child, depth + 1) for child in element)


def _shape_error(where: str, limits: HtmlLimits, *, too_many: bool) -> str:
    if too_many:
        what, setting = f"has more than {limits.max_elements:,} elements", "max_html_elements"
    else:
        what, setting = f"nests elements more than {limits.max_depth} deep", "max_html_depth"
    return (
        f"The HTML of {where} {what}, more than a news page has, and extracting such a page can "
        "take minutes; save the article itself as plain text or simpler HTML, or raise the "
        f"setting ingest.{setting} (e.g. --set ingest.{setting}=...)."
    )


# trafilatura's field -> our meta key
_META_FIELDS = {"author": "author", "date": "date", "sitename": "site", "url": "url"}


def _extract(html: str | bytes, url: str | None) -> Any:
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            deduplicate=False,
            config=_config(),
        )
    except Exception as err:  # lxml and trafilatura raise many types on broken markup
        raise IngestError(
            f"The HTML of {url or 'the input'} could not be parsed ({one_line(str(err))}); "
            "check that it is an HTML page."
        ) from err


# an <html> or <body> tag: a page, not a fragment (looked for in the first bytes only)
_PAGE = re.compile(r"<\s*(?:html|body)[\s>/]", re.IGNORECASE)
_PAGE_SCAN = 65536


def _is_fragment(html: str | bytes) -> bool:
    head = html[:_PAGE_SCAN]
    return not _PAGE.search(head.decode("latin-1") if isinstance(head, bytes) else head)


def _text(extracted: Any) -> str:
    text = getattr(extracted, "text", None) or ""
    return text if text.strip() else ""


def _as_page(fragment: str | bytes) -> str | bytes:
    """A fragment (``<p>One paragraph.</p>``, with no ``<html>`` or ``<body>``) inside a page's
    body: trafilatura looks for the article in the body, and found nothing in a short fragment
    parsed on its own. The text still comes out of the parsed markup, scripts and styles left
    out, entities decoded, so nothing in it is markup."""
    if isinstance(fragment, bytes):
        return b"<html><body>" + fragment + b"</body></html>"
    return f"<html><body>{fragment}</body></html>"


def from_html(
    html: str | bytes,
    *,
    url: str | None = None,
    meta: Mapping[str, Any] | None = None,
    html_limits: HtmlLimits = DEFAULT_LIMITS,
) -> Document:
    """Extract the article from an HTML page and return it as a Document.

    Args:
        html: The page; bytes are decoded by trafilatura (it reads ``<meta charset>``).
        url: Where the page came from; helps extraction and is kept in ``meta["url"]``.
        meta: Extra metadata (e.g. ``source``); the page's ``author``, ``date``, ``site`` and
            ``url`` are added where found.
        html_limits: The page shape allowed (``check_shape``); a page past it is refused.

    Raises:
        IngestError: The HTML is empty, holds a lone surrogate (a ``str`` that is not Unicode
            text), has more elements or deeper nesting than ``html_limits`` allow, or no
            article text could be extracted from it.
    """
    where = (meta or {}).get("source") or url or "the input"
    if isinstance(url, str):
        refuse_lone_surrogate(url, what=f"The URL of {where}")
    if isinstance(html, str):
        refuse_lone_surrogate(html, what=f"The HTML of {where}")
    if not html.strip():
        raise IngestError(f"The HTML of {where} is empty; give a web page with an article.")
    check_shape(html, where, html_limits)
    extracted = _extract(html, url)
    if not _text(extracted) and _is_fragment(html):
        page = _as_page(html)
        # a one-block fragment is no page to trafilatura: not checked before
        check_shape(page, where, html_limits)
        extracted = _extract(page, url)
    text = _text(extracted)
    if not text:
        raise IngestError(
            f"No article text could be extracted from the HTML of {where}; "
            "check that the page holds the article itself (not a script-rendered shell), "
            "or save the article as plain text."
        )
    found = {key: getattr(extracted, name, None) for name, key in _META_FIELDS.items()}
    merged = {key: value for key, value in found.items() if value}
    if url:
        merged.setdefault("url", url)
    merged.update(meta or {})
    return from_text(text, title=getattr(extracted, "title", None) or None, meta=merged)
