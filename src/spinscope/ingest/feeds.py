"""RSS and Atom feeds (files or URLs): each entry becomes an item, its linked article fetched
with the same limits and private-address guard as a page given to ``spinscope analyze``; an
entry with no link, its article's text in the feed, is read from that text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from html import unescape
from typing import TYPE_CHECKING, Any

from spinscope.errors import IngestError
from spinscope.ingest._decode import bom_codec, known_codec, one_line
from spinscope.ingest.files import check_file, read_capped
from spinscope.ingest.html import from_html
from spinscope.ingest.item import Item
from spinscope.ingest.jsonl import unexpected
from spinscope.ingest.paths import is_web_url
from spinscope.ingest.text import from_text

if TYPE_CHECKING:
    from spinscope.ingest.sources import ReadOptions

# an entry with no link is read from its own text when it holds this many words: fewer is a
# teaser (a line or two of description), not the article
MIN_INLINE_WORDS = 50
_TAG = re.compile(r"<[^<>]*>")


def read_feed(source: str, options: ReadOptions, *, url: bool) -> Iterator[Item]:
    """The items of an RSS or Atom feed, a file or (``url``) a URL: one per entry, its linked
    article fetched with ``options``' limits, up to ``options.max_feed_entries`` entries (then
    one failed item for the rest); a source that is no feed is one IngestError."""
    import feedparser

    from spinscope.ingest.url import fetch_feed

    headers: dict[str, str] = {}
    if url:
        data, charset, final = fetch_feed(source, **options.fetch_args())
        # relative entry links resolve against the final feed URL
        headers = {"content-location": final, **_charset_header(data, charset)}
    else:
        data = read_capped(check_file(source), max_bytes=options.max_bytes)  # not read whole
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.entries and parsed.get("version") and not parsed.get("bozo"):
        raise IngestError(f"{source} is an RSS or Atom feed with no entries.")
    if not parsed.entries:
        reason = f" ({one_line(str(parsed.bozo_exception))})" if parsed.get("bozo") else ""
        raise IngestError(
            f"{source} is not an RSS or Atom feed with entries{reason}; give a feed, or analyse "
            "one page with `spinscope analyze URL`."
        )
    outlet = _plain_title(parsed.feed)
    cap = options.max_feed_entries
    for k, entry in enumerate(parsed.entries[:cap], start=1):
        try:
            yield _feed_item(entry, k, source, outlet, options)
        except Exception as err:  # noqa: BLE001 -- one entry must never stop the feed
            where = f"{source}, entry {k}"
            yield Item(source, where, error=f"{where}: could not be read ({unexpected(err)}).")
    if len(parsed.entries) > cap:  # each entry may be a fetch: a huge feed is days of fetching
        where = f"{source}, entries {cap + 1:,} to {len(parsed.entries):,}"
        yield Item(source, where, error=f"{source}: the feed has {len(parsed.entries):,} "
                   f"entries; only the first {cap:,} were read (raise ingest.max_feed_entries "
                   "to read more).")  # fmt: skip


def _charset_header(data: bytes, charset: str | None) -> dict[str, str]:
    """The Content-Type that makes feedparser decode by the HTTP charset: a byte order mark
    outranks it, and it outranks the XML declaration, which feedparser reads itself (as it reads
    the mark). Not the server's own type: feedparser takes a text/xml without a charset to be
    US-ASCII (RFC 3023), where the declaration should decide. An unknown charset is ignored."""
    codec = known_codec(charset)
    if codec is None or bom_codec(data):
        return {}
    return {"content-type": f"application/xml; charset={codec}"}


def _plain_title(node: Any) -> str | None:
    """The title of a feed or an entry as text: feedparser hands over one it takes for HTML
    (Atom ``type="html"``, an RSS title with escaped markup or entities) as HTML."""
    title = node.get("title")
    if not isinstance(title, str):
        return None
    if "html" in str((node.get("title_detail") or {}).get("type") or ""):
        title = unescape(_TAG.sub("", title))
    return " ".join(title.split()) or None


def _entry_link(entry: Any) -> str | None:
    """The entry's link to its article. feedparser gives an entry with no ``<link>`` its id as
    ``link`` (Atom's required ``<id>``, an RSS ``<guid>``): an id that is no web URL
    (``urn:uuid:...``, ``tag:...``) is no link, and the entry is read from its own text."""
    link: str | None = entry.get("link")
    if link and entry.get("guidislink") and not entry.get("links") and not is_web_url(link):
        return None
    return link


def _feed_item(entry: Any, k: int, source: str, outlet: Any, options: ReadOptions) -> Item:
    link = _entry_link(entry)
    where = f"{source}, entry {k}" + (f" ({one_line(link)})" if link else "")
    meta = {"outlet": outlet, "date": entry.get("published") or entry.get("updated"),
            "feed": source}  # fmt: skip
    meta = {key: value for key, value in meta.items() if value}
    if not link:
        return _inline_item(entry, source, where, meta, options)
    from spinscope.ingest import url

    try:
        doc = url.fetch_url(link, **options.fetch_args(), html_limits=options.html_limits)
    except IngestError as err:
        return Item(source, where, error=one_line(f"{where}: {err}"))  # the link may hold breaks
    title = doc.title or _plain_title(entry)
    return Item(source, where, doc=replace(doc, title=title, meta={**doc.meta, **meta}))


def _inline_item(
    entry: Any, source: str, where: str, meta: dict[str, Any], options: ReadOptions
) -> Item:
    """An entry with no link: its own text (RSS ``content:encoded`` or ``description``, Atom
    ``content`` or ``summary``), with its title and date, if it is an article, not a teaser."""
    content = [c for c in entry.get("content") or [] if c.get("value")]
    best = max(content, key=lambda c: len(c["value"]), default=None)
    if best is None and entry.get("summary"):
        best = {"value": entry["summary"], "type": entry.get("summary_detail", {}).get("type")}
    if best is None:
        return Item(source, where, error=f"{where}: the entry has no link to an article.")
    try:
        if "html" in str(best.get("type") or "text/html"):
            doc = from_html(best["value"], meta={"source": where}, html_limits=options.html_limits)
        else:
            doc = from_text(best["value"], meta={"source": where})
    except IngestError as err:
        return Item(source, where, error=one_line(f"{where}: {err}"))
    words = len(doc.text.split())
    if words < MIN_INLINE_WORDS:
        return Item(source, where, error=f"{where}: the entry has no link to an article, and "
                    f"its text ({words} words) is too short to be one.")  # fmt: skip
    title = _plain_title(entry) or doc.title
    return Item(source, where, doc=replace(doc, title=title, meta={**doc.meta, **meta}))
