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
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from spinscope.errors import ConfigError, IngestError
from spinscope.ingest._decode import decode_bytes, looks_like_html, one_line, sniff_html_charset
from spinscope.ingest.files import DEFAULT_MAX_BYTES, check_file, read_path
from spinscope.ingest.html import from_html
from spinscope.ingest.jsonl import _record_to_doc
from spinscope.ingest.text import from_text
from spinscope.ingest.url import fetch_feed, fetch_url
from spinscope.model.document import Document

TEXT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
ALL_SUFFIXES = TEXT_SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES + (".jsonl", ".csv")
FIELDS = ("text", "html", "title", "url", "outlet", "date")


@dataclass(frozen=True)
class Item:
    """One document of a corpus source, or why it could not be read (``error``)."""

    source: str  # the input it came from (path or URL)
    ref: str  # where in it: "file", "file, line 7", "url", "file, record at byte 1024"
    doc: Document | None = None
    error: str | None = None


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


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _apply_fields(record: dict[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    """A record with the mapped columns renamed to spinscope's field names."""
    out = dict(record)
    for name, column in fields.items():
        if column in record:
            out[name] = out.pop(column)
    return out


def _jsonl(source: str, options: ReadOptions) -> Iterator[Item]:
    path = check_file(source)
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if raw.strip():
                yield _jsonl_item(raw, source, number, options)


def _jsonl_item(raw: bytes, source: str, number: int, options: ReadOptions) -> Item:
    where = f"{source}, line {number}"
    if len(raw) > options.max_bytes:
        return Item(source, where, error=f"{where}: longer than {options.max_bytes:,} bytes.")
    try:
        record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
    except UnicodeDecodeError:
        return Item(source, where, error=f"{where}: not UTF-8 text.")
    except json.JSONDecodeError as err:
        return Item(source, where, error=f"{where}: not valid JSON ({err.msg}).")
    return _record_item(record, source, where, number, options)


def _record_item(record: Any, source: str, where: str, number: int, options: ReadOptions) -> Item:
    if not isinstance(record, dict):
        return Item(source, where, error=f"{where}: a JSON {type(record).__name__}, not an object.")
    record = _apply_fields(record, options.fields)
    text, html = record.get("text"), record.get("html")
    if not (isinstance(text, str) and text.strip()) and not (
        isinstance(html, str) and html.strip()
    ):
        wanted = options.fields.get("text", "text")
        return Item(source, where, error=f"{where}: no text (field '{wanted}'); map it with "
                    "--field text=NAME.")  # fmt: skip
    try:
        return Item(source, where, doc=_record_to_doc(record, source=source, number=number))
    except IngestError as err:
        return Item(source, where, error=f"{where}: {err}")


def _csv(source: str, options: ReadOptions) -> Iterator[Item]:
    path = check_file(source)
    csv.field_size_limit(max(options.max_bytes, 131072))
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        try:
            columns = reader.fieldnames or []
        except UnicodeDecodeError:
            raise IngestError(f"{source}: not UTF-8 text; CSV files must be UTF-8.") from None
        text_col = options.fields.get("text", "text")
        if text_col not in columns and options.fields.get("html", "html") not in columns:
            raise IngestError(
                f"{source}: no '{text_col}' column (columns: {', '.join(columns) or 'none'}); "
                "map the article text with --field text=COLUMN."
            )
        number = 1
        try:
            for number, row in enumerate(reader, start=2):
                record = {k: v for k, v in row.items() if k and v}
                yield _record_item(record, source, f"{source}, line {number}", number, options)
        except (UnicodeDecodeError, csv.Error) as err:
            where = f"{source}, after line {number}"
            yield Item(source, where, error=f"{where}: unreadable CSV ({one_line(str(err))}); "
                       "the rest of the file is skipped.")  # fmt: skip


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
        link = entry.get("link")
        where = f"{source}, entry {k}" + (f" ({link})" if link else "")
        meta = {"outlet": outlet, "date": entry.get("published") or entry.get("updated"),
                "feed": source}  # fmt: skip
        meta = {key: value for key, value in meta.items() if value}
        if not link:
            yield Item(source, where, error=f"{where}: the entry has no link to an article.")
            continue
        try:
            doc = fetch_url(
                link, timeout_s=options.timeout_s, max_bytes=options.max_bytes,
                allow_private=options.allow_private,
            )  # fmt: skip
        except IngestError as err:
            yield Item(source, where, error=str(err))
            continue
        title = doc.title or entry.get("title")
        yield Item(source, where, doc=replace(doc, title=title, meta={**doc.meta, **meta}))


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
