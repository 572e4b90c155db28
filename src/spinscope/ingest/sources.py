"""Corpus sources: folders, globs, JSONL, CSV, RSS/Atom feeds (files or URLs) and WARC files,
read lazily as a stream of items, each a Document or the reason it could not be read.

A bad item never stops the stream: a JSONL line that is not JSON, a CSV row with no text, a feed
entry whose page cannot be fetched, a corrupt WARC record each become an ``Item`` with an error
that names the file and line (or URL, or record offset). Only a source that cannot be read at all
(a missing path, a CSV without the mapped text column, a feed URL that is unreachable or not a
feed) yields a single failed item for the whole source.
"""

from __future__ import annotations

import csv
import glob
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from spinscope.errors import ConfigError, IngestError
from spinscope.ingest._decode import (
    bom_codec,
    decode_bytes,
    lone_surrogate,
    looks_like_html,
    one_line,
    sniff_html_charset,
)
from spinscope.ingest.files import DEFAULT_MAX_BYTES, check_file, read_path
from spinscope.ingest.html import from_html
from spinscope.ingest.item import Item
from spinscope.ingest.jsonl import jsonl_items, record_item, unexpected
from spinscope.ingest.text import from_text
from spinscope.ingest.url import fetch_feed, fetch_url

TEXT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
ALL_SUFFIXES = TEXT_SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES + (".jsonl", ".csv")
FIELDS = ("text", "html", "title", "url", "outlet", "date")


@dataclass(frozen=True)
class ReadOptions:
    """How sources are read: size and time limits, private URLs, and the field mapping
    (spinscope field -> the source's column or key) for JSONL and CSV."""

    max_bytes: int = DEFAULT_MAX_BYTES
    timeout_s: float = 10.0
    allow_private: bool = False
    fields: Mapping[str, str] = field(default_factory=dict)


def parse_fields(pairs: Sequence[str]) -> dict[str, str]:
    """``["text=body", "outlet=source"]`` -> ``{"text": "body", "outlet": "source"}``."""
    out = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or not column or name not in FIELDS:
            raise ConfigError(
                f"Bad --field {pair!r}: expected NAME=COLUMN with NAME one of {', '.join(FIELDS)}."
            )
        out[name] = column
    return out


def expand(inputs: Sequence[str]) -> list[str]:
    """Inputs as a list of files and URLs: folders are walked (files with a known suffix,
    sorted), globs expanded; a path that matches nothing is kept (and fails when read)."""
    out: list[str] = []
    for raw in inputs:
        if _is_url(raw):
            out.append(raw)
        elif os.path.isdir(raw):
            for root, dirs, files in os.walk(raw):
                dirs.sort()
                out += [
                    os.path.join(root, f) for f in sorted(files) if f.lower().endswith(ALL_SUFFIXES)
                ]
        elif glob.has_magic(raw):
            out += sorted(p for p in glob.glob(raw, recursive=True) if os.path.isfile(p))
        else:
            out.append(raw)
    return list(dict.fromkeys(out))


def missing_paths(sources: Sequence[str]) -> list[str]:
    """The local paths among ``sources`` (as ``expand`` returns them) that do not exist."""
    return [s for s in sources if not _is_url(s) and s != "-" and not os.path.exists(s)]


def read_sources(inputs: Sequence[str], options: ReadOptions | None = None) -> Iterator[Item]:
    """Every item of every input, lazily, in order."""
    options = options or ReadOptions()
    for source in expand(inputs):
        yield from read_source(source, options)


def read_source(source: str, options: ReadOptions) -> Iterator[Item]:
    lower = source.lower()
    try:
        if _is_url(source):
            yield from _feed(source, options, url=True)
        elif lower.endswith(".jsonl"):
            yield from _jsonl(source, options)
        elif lower.endswith(".csv"):
            yield from _csv(source, options)
        elif lower.endswith(WARC_SUFFIXES):
            yield from _warc(source, options)
        elif lower.endswith(FEED_SUFFIXES):
            yield from _feed(source, options, url=False)
        else:
            yield Item(source, source, doc=read_path(source, max_bytes=options.max_bytes))
    except IngestError as err:
        yield Item(source, source, error=str(err))
    except Exception as err:  # noqa: BLE001 -- a broken source must not end the corpus run
        # Each reader turns a bad line, row, entry or record into an item itself; this is the
        # last guard, for a source that breaks in a way no reader foresaw.
        yield Item(source, source, error=f"{source}: could not be read ({unexpected(err)}); "
                   "the rest of this source is skipped.")  # fmt: skip


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _jsonl(source: str, options: ReadOptions) -> Iterator[Item]:
    return jsonl_items(source, fields=options.fields, max_bytes=options.max_bytes)


def _csv(source: str, options: ReadOptions) -> Iterator[Item]:
    path = check_file(source)
    with open(path, "rb") as fh:
        codec = bom_codec(fh.read(4))
    if codec in ("utf-16", "utf-32"):
        raise IngestError(f"{source} is {codec.upper()} text; CSV files must be UTF-8: convert it "
                          f"first, e.g. `iconv -f {codec.upper()} -t UTF-8`.")  # fmt: skip
    csv.field_size_limit(max(options.max_bytes, 131072))
    # surrogateescape: a bad byte costs its row only (it shows as a lone surrogate, found below)
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        lines = _Counted(fh)
        reader = csv.reader(lines)
        try:
            columns = next(reader, [])
        except csv.Error as err:
            raise IngestError(f"{source}: unreadable CSV header ({one_line(str(err))}).") from None
        if any(lone_surrogate(c) for c in columns):
            raise IngestError(f"{source}: the header is not UTF-8 text; CSV files must be UTF-8.")
        text_col = options.fields.get("text", "text")
        if text_col not in columns and options.fields.get("html", "html") not in columns:
            raise IngestError(
                f"{source}: no '{text_col}' column (columns: {', '.join(columns) or 'none'}); "
                "map the article text with --field text=COLUMN."
            )
        yield from _csv_rows(reader, lines, columns, source, options)


class _Counted:
    """A file's lines, counted as the CSV reader takes them (its ``line_num`` stops at an
    error, this count does not)."""

    def __init__(self, fh: Any) -> None:
        self.fh, self.count = fh, 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> str:
        line = next(self.fh)
        self.count += 1
        return line


def _csv_rows(
    reader: Any, lines: _Counted, columns: list[str], source: str, options: ReadOptions
) -> Iterator[Item]:
    """One item per row, named by the line the row starts on (a quoted field may span lines)."""
    while True:
        before = lines.count
        where = f"{source}, line {before + 1}"
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            stuck = lines.count == before
            yield Item(source, where, error=f"{where}: unreadable CSV row ({one_line(str(err))})"
                       + ("; the rest of the file is skipped." if stuck else "."))  # fmt: skip
            if stuck:
                return
            continue
        if not cells:  # a blank line
            continue
        bad = next((found for c in cells if (found := lone_surrogate(c))), None)
        if bad:
            yield Item(source, where, error=f"{where}: not UTF-8 text (invalid byte "
                       f"0x{ord(bad[1]) - 0xDC00:02x}); CSV files must be UTF-8.")  # fmt: skip
            continue
        record = {k: v for k, v in zip(columns, cells, strict=False) if k and v}
        yield record_item(record, source, where, before + 1, options.fields)


def _feed(source: str, options: ReadOptions, *, url: bool) -> Iterator[Item]:
    import feedparser

    if url:
        data, _ = fetch_feed(
            source, timeout_s=options.timeout_s, max_bytes=options.max_bytes,
            allow_private=options.allow_private,
        )  # fmt: skip
    else:
        data = check_file(source).read_bytes()[: options.max_bytes]
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = f" ({one_line(str(parsed.bozo_exception))})" if parsed.get("bozo") else ""
        raise IngestError(
            f"{source} is not an RSS or Atom feed with entries{reason}; give a feed, or analyse "
            "one page with `spinscope analyze URL`."
        )
    outlet = parsed.feed.get("title")
    for k, entry in enumerate(parsed.entries, start=1):
        try:
            yield _feed_item(entry, k, source, outlet, options)
        except Exception as err:  # noqa: BLE001 -- one entry must never stop the feed
            where = f"{source}, entry {k}"
            yield Item(source, where, error=f"{where}: could not be read ({unexpected(err)}).")


def _feed_item(entry: Any, k: int, source: str, outlet: Any, options: ReadOptions) -> Item:
    link = entry.get("link")
    where = f"{source}, entry {k}" + (f" ({one_line(link)})" if link else "")
    meta = {"outlet": outlet, "date": entry.get("published") or entry.get("updated"),
            "feed": source}  # fmt: skip
    meta = {key: value for key, value in meta.items() if value}
    if not link:
        return Item(source, where, error=f"{where}: the entry has no link to an article.")
    try:
        doc = fetch_url(
            link, timeout_s=options.timeout_s, max_bytes=options.max_bytes,
            allow_private=options.allow_private,
        )  # fmt: skip
    except IngestError as err:
        return Item(source, where, error=one_line(f"{where}: {err}"))  # the link may hold breaks
    title = doc.title or entry.get("title")
    return Item(source, where, doc=replace(doc, title=title, meta={**doc.meta, **meta}))


def _warc(source: str, options: ReadOptions) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    path = check_file(source)
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        while True:
            offset = records.offset if hasattr(records, "offset") else None
            try:
                record = next(records)
            except StopIteration:
                return
            except (ArchiveLoadFailed, ValueError, OSError, EOFError) as err:
                where = f"{source}, record at byte {offset}"
                reason = f"corrupt WARC record ({one_line(str(err))})"
                yield Item(source, where, error=f"{where}: {reason}; "
                           "the rest of the file is skipped.")  # fmt: skip
                return
            bad_header = not record.rec_headers.get_header("WARC-Type") and (
                record.format != "arc" or ".warc" in source.lower()
            )
            if bad_header:  # warcio reads a damaged header as a record with no type
                where = f"{source}, record at byte {offset}"
                yield Item(source, where, error=f"{where}: corrupt WARC record (no WARC-Type "
                           "header); the rest of the file is skipped.")  # fmt: skip
                return
            if record.rec_type not in ("response", "resource"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source}, {url or 'record'}"
            item = _warc_item(record, source, where, url, options)
            if item is not None:
                yield item


def _warc_item(record, source: str, where: str, url: str | None, options: ReadOptions):
    ctype = ""
    if record.http_headers is not None:
        if record.http_headers.get_statuscode() not in (None, "200"):
            return None
        ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    else:
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
    if ctype and not any(t in ctype for t in ("text/html", "application/xhtml", "text/plain")):
        return None  # images, scripts, style sheets
    try:
        body = record.content_stream().read(options.max_bytes + 1)
        if len(body) > options.max_bytes:
            raise IngestError(f"{where}: longer than {options.max_bytes:,} bytes.")
        is_html = "html" in ctype or looks_like_html(body)
        text = decode_bytes(
            body, source=where, charset=sniff_html_charset(body) if is_html else None
        )
        date = record.rec_headers.get_header("WARC-Date")
        meta = {"source": source, "url": url, "date": date}
        meta = {k: v for k, v in meta.items() if v}
        doc = from_html(text, url=url, meta=meta) if is_html else from_text(text, meta=meta)
        return Item(source, where, doc=doc)
    except IngestError as err:
        return Item(
            source, where, error=str(err) if str(err).startswith(where) else f"{where}: {err}"
        )
    except Exception as err:  # noqa: BLE001 -- one record must never stop the archive
        return Item(source, where, error=f"{where}: could not be read ({unexpected(err)}).")


def count_hint(path: str) -> int | None:
    """A cheap estimate of how many items a file holds (for a progress bar), or None."""
    lower = path.lower()
    if _is_url(path) or not os.path.isfile(path):
        return None if _is_url(path) else 1
    if lower.endswith((".jsonl", ".csv")):
        with open(path, "rb") as fh:
            lines = sum(1 for line in fh if line.strip())
        return max(lines - (1 if lower.endswith(".csv") else 0), 0)
    if lower.endswith(WARC_SUFFIXES + FEED_SUFFIXES):
        return None
    return 1


__all__ = ["Item", "ReadOptions", "count_hint", "expand", "parse_fields", "read_sources"]
