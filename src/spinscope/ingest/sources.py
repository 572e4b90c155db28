"""The one way in: ``read(inputs, options)`` reads sources lazily as a stream of items, each a
Document or the reason it could not be read. A table says which reader reads which source (by
scheme or suffix): for a corpus (``spinscope batch``) folders, globs, JSONL, CSV, RSS/Atom feeds
(files or URLs) and WARC files; for articles (``spinscope analyze``, ``ReadOptions.one_article``)
stdin, a web page, a text or HTML file, or a JSONL file of articles.

A bad item never stops the stream: a JSONL line that is not JSON, a CSV row with no text, a feed
entry whose page cannot be fetched, a corrupt WARC record each become an ``Item`` with an error
that names the file and line (or URL, or record offset). Only a source that cannot be read at all
(a missing path, a CSV without the mapped text column, a feed URL that is unreachable or not a
feed) yields a single failed item for the whole source.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import zip_longest
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
from spinscope.ingest.feeds import read_feed
from spinscope.ingest.files import (
    DEFAULT_MAX_BYTES,
    check_file,
    count_lines,
    read_path,
    read_stdin,
)
from spinscope.ingest.html import HtmlLimits, from_html
from spinscope.ingest.item import Item
from spinscope.ingest.jsonl import jsonl_items, record_item, unexpected
from spinscope.ingest.paths import FEED_SUFFIXES, WARC_SUFFIXES, expand
from spinscope.ingest.paths import is_web_url as _is_url
from spinscope.ingest.text import from_text

FIELDS = ("text", "html", "title", "url", "outlet", "date")
STDIN = "-"
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]+)")
_DELIMITERS = (",", ";", "\t", "|")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class ReadOptions:
    """How sources are read: size, time and HTML shape limits, private URLs, and the field mapping
    (spinscope field -> the source's column or key) for JSONL and CSV; ``None``: the records'
    own ``text``/``html`` keys, with the messages of a single JSONL file.

    ``one_article``: each source is one article (``spinscope analyze``): a URL is a web page,
    ``-`` is stdin and any other file is a text or HTML file, except a JSONL file (one article
    per line); sources are not expanded. Otherwise (a corpus, ``spinscope batch``) a URL is a
    feed, and CSV, feed and WARC files hold many articles."""

    max_bytes: int = DEFAULT_MAX_BYTES
    timeout_s: float = 10.0
    allow_private: bool = False
    max_feed_entries: int = 1000
    html_limits: HtmlLimits = field(default_factory=HtmlLimits)
    fields: Mapping[str, str] | None = field(default_factory=dict)
    one_article: bool = False

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], **options: Any) -> ReadOptions:
        """The limits from ``ingest.*`` settings (the one place they are unpacked); ``options``
        sets the other fields."""
        return cls(
            max_bytes=settings["ingest.max_bytes"],
            timeout_s=settings["ingest.timeout_s"],
            allow_private=settings["ingest.allow_private_urls"],
            max_feed_entries=settings["ingest.max_feed_entries"],
            html_limits=HtmlLimits.from_settings(settings),
            **options,
        )

    def fetch_args(self) -> dict[str, Any]:
        """The keyword arguments of ``fetch_url`` and ``fetch_feed``."""
        return {
            "timeout_s": self.timeout_s,
            "max_bytes": self.max_bytes,
            "allow_private": self.allow_private,
        }


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


def read(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    options: ReadOptions | None = None,
) -> Iterator[Item]:
    """Every item of every input, lazily, in order: a folder or glob is expanded (for a
    corpus), each source read by the reader the table gives it (``reader_for``). A single str or
    path is one input, never a sequence of characters."""
    options = options or ReadOptions()
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    names = [os.fspath(i) for i in inputs]
    for source in names if options.one_article else expand(names):
        yield from read_source(source, options)


def read_sources(inputs: Sequence[str], options: ReadOptions | None = None) -> Iterator[Item]:
    """``read`` (the name the batch run and its tests know)."""
    return read(inputs, options)


def read_source(source: str, options: ReadOptions) -> Iterator[Item]:
    """The items of one source; one that cannot be read at all is one failed item."""
    try:
        yield from reader_for(source, options)(source, options)
    except IngestError as err:
        yield Item(source, source, error=str(err))
    except Exception as err:  # noqa: BLE001 -- a broken source must not end the corpus run
        # Each reader turns a bad line, row, entry or record into an item itself; this is the
        # last guard, for a source that breaks in a way no reader foresaw.
        yield Item(source, source, error=f"{source}: could not be read ({unexpected(err)}); "
                   "the rest of this source is skipped.")  # fmt: skip


def is_url(source: str) -> bool:
    """True if ``source`` is meant as a URL (``scheme://...``); fetch_url refuses non-web ones."""
    return _URL_SCHEME.match(source) is not None


Reader = Callable[[str, ReadOptions], Iterator[Item]]


def reader_for(source: str, options: ReadOptions) -> Reader:
    """The first reader of the table (``ARTICLE_READERS`` or ``CORPUS_READERS``) whose test
    the source passes; a text or HTML file if none does."""
    table = ARTICLE_READERS if options.one_article else CORPUS_READERS
    return next((read for test, read in table if test(source)), _text_file)


def _suffix(*suffixes: str) -> Callable[[str], bool]:
    return lambda source: source.lower().endswith(suffixes)


def _text_file(source: str, options: ReadOptions) -> Iterator[Item]:
    doc = read_path(source, max_bytes=options.max_bytes, html_limits=options.html_limits)
    yield Item(source, source, doc=doc)


def _stdin(source: str, options: ReadOptions) -> Iterator[Item]:
    doc = read_stdin(max_bytes=options.max_bytes, html_limits=options.html_limits)
    yield Item(source, source, doc=doc)


def _page(source: str, options: ReadOptions) -> Iterator[Item]:
    from spinscope.ingest import url

    doc = url.fetch_url(source, **options.fetch_args(), html_limits=options.html_limits)
    yield Item(source, source, doc=doc)


def _feed_url(source: str, options: ReadOptions) -> Iterator[Item]:
    return read_feed(source, options, url=True)


def _feed_file(source: str, options: ReadOptions) -> Iterator[Item]:
    return read_feed(source, options, url=False)


def _jsonl(source: str, options: ReadOptions) -> Iterator[Item]:
    return jsonl_items(
        source, fields=options.fields, max_bytes=options.max_bytes,
        html_limits=options.html_limits,
    )  # fmt: skip


def _csv(source: str, options: ReadOptions) -> Iterator[Item]:
    path = check_file(source)
    with open(path, "rb") as fh:
        codec = bom_codec(fh.read(4))
    if codec in ("utf-16", "utf-32"):
        raise IngestError(f"{source} is {codec.upper()} text; CSV files must be UTF-8: convert it "
                          f"first, e.g. `iconv -f {codec.upper()} -t UTF-8`.")  # fmt: skip
    limit = max(options.max_bytes, 131072)
    csv.field_size_limit(limit)
    fields = options.fields or {}  # CSV rows always go through a mapping (None is JSONL's)
    text_col = fields.get("text", "text")
    wanted = {text_col, fields.get("html", "html")}
    # surrogateescape: a bad byte costs its row only (it shows as a lone surrogate, found below)
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        lines = _Counted(fh, limit)
        # strict: a quote left open is an error, not the next rows run into one field
        reader = csv.reader(lines, delimiter=_delimiter(path, wanted, limit), strict=True)
        try:
            columns = next(reader, None)
            while columns == []:  # blank lines above the header
                columns = next(reader, None)
        except csv.Error as err:
            raise IngestError(f"{source}: unreadable CSV header ({one_line(str(err))}).") from None
        if not columns:
            raise IngestError(f"{source} is empty; a CSV file has a header row naming its columns.")
        columns = [c.strip() for c in columns]  # "id, text, title": the column is "text"
        if any(lone_surrogate(c) for c in columns):
            raise IngestError(f"{source}: the header is not UTF-8 text; CSV files must be UTF-8.")
        if not wanted & set(columns):
            raise IngestError(
                f"{source}: no '{text_col}' column (columns: {', '.join(columns)}); "
                "map the article text with --field text=COLUMN."
            )
        yield from _csv_rows(reader, lines, columns, source, options)


def _delimiter(path: Any, wanted: set[str], limit: int) -> str:
    """"," or the first delimiter whose header holds a ``wanted`` column: a spreadsheet set to
    a language with decimal commas saves ";"-separated CSV, and some tools write tabs."""
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        head = fh.readline(limit)
        while head and not head.strip():  # blank lines above the header
            head = fh.readline(limit)
    for delimiter in _DELIMITERS:
        try:
            if wanted & {c.strip() for c in next(csv.reader([head], delimiter=delimiter), [])}:
                return delimiter
        except csv.Error:  # the header's quotes do not parse so: not this delimiter
            continue
    return ","


class _Counted:
    """A file's lines, counted as the CSV reader takes them (its ``line_num`` stops at an
    error, this count does not). A line over ``limit`` characters is a ``csv.Error`` (its row's
    item), skipped without being held: the reader would take a 1 GB line whole."""

    def __init__(self, fh: Any, limit: int) -> None:
        self.fh, self.count, self.limit = fh, 0, limit

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> str:
        line: str = self.fh.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.count += 1
        if len(line) > self.limit and not line.endswith(("\n", "\r")):
            while (rest := self.fh.readline(1 << 20)) and not rest.endswith(("\n", "\r")):
                pass
            raise csv.Error(f"a line longer than {self.limit:,} characters")
        return line


def _csv_rows(
    reader: Any, lines: _Counted, columns: list[str], source: str, options: ReadOptions
) -> Iterator[Item]:
    """One item per row, named by the line the row starts on (a quoted field may span lines).
    Empty cells are left out, but for the text and html columns: those are called empty."""
    fields = options.fields or {}
    kept = {fields.get("text", "text"), fields.get("html", "html")}
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
        record = {
            k: v for k, v in zip_longest(columns, cells, fillvalue="") if k and (v or k in kept)
        }
        yield record_item(record, source, where, before + 1, options.fields, options.html_limits)


def _warc(source: str, options: ReadOptions) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    path = check_file(source)
    with open(path, "rb") as fh:
        records, size = ArchiveIterator(fh), os.fstat(fh.fileno()).st_size
        while True:
            offset = records.offset if hasattr(records, "offset") else None
            try:
                record = next(records)
            except StopIteration:  # a .warc.gz cut inside a record ends as if complete
                if records.offset < size:
                    yield _cut_record(source, f"{source}, record at byte {records.offset}")
                return
            except (ArchiveLoadFailed, ValueError, OSError, EOFError, AttributeError) as err:
                # AttributeError: warcio on a header cut short before its Content-Length
                why = "a damaged header" if isinstance(err, AttributeError) else str(err)
                where = f"{source}, record at byte {offset}"
                yield Item(source, where, error=f"{where}: corrupt WARC record "
                           f"({one_line(why)}); the rest of the file is skipped.")  # fmt: skip
                return
            bad_header = _bad_header(record, source)
            if bad_header:  # warcio reads a damaged header as a record without them
                where = f"{source}, record at byte {offset}"
                yield Item(source, where, error=f"{where}: corrupt WARC record ({bad_header}); "
                           "the rest of the file is skipped.")  # fmt: skip
                return
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source}, {url or 'record'}"
            item = None
            if record.rec_type in ("response", "resource"):
                item = _warc_item(record, source, where, url, options)
            records.read_to_end()
            if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than its length
                yield _cut_record(source, where)
                return
            if item is not None:
                yield item


def _bad_header(record: Any, source: str) -> str | None:
    """What a WARC record's header lacks (an ARC record has neither of these), or None."""
    if record.format == "arc" and ".warc" not in source.lower():
        return None
    for name in ("WARC-Type", "Content-Length"):
        if not record.rec_headers.get_header(name):
            return f"no {name} header"
    return None


def _cut_record(source: str, where: str) -> Item:
    return Item(source, where, error=f"{where}: the file ends inside this record (cut short, as "
                "by an interrupted download); the record is skipped.")  # fmt: skip


def _warc_item(
    record: Any, source: str, where: str, url: str | None, options: ReadOptions
) -> Item | None:
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
        # the HTTP charset, else the page's <meta> one, as for a fetched page
        charset = _CHARSET.search(ctype)
        sniffed = sniff_html_charset(body) if is_html else None
        text = decode_bytes(body, source=where, charset=charset[1] if charset else sniffed)
        meta = {k: v for k, v in {"source": source, "url": url}.items() if v}
        doc = (
            from_html(text, url=url, meta=meta, html_limits=options.html_limits)
            if is_html
            else from_text(text, meta=meta)
        )
        crawled = record.rec_headers.get_header("WARC-Date")
        if crawled and not doc.meta.get("date"):  # the page's own date, else the crawl's
            doc = replace(doc, meta={**doc.meta, "date": crawled})
        return Item(source, where, doc=doc)
    except IngestError as err:
        return Item(
            source, where, error=str(err) if str(err).startswith(where) else f"{where}: {err}"
        )
    except Exception as err:  # noqa: BLE001 -- one record must never stop the archive
        return Item(source, where, error=f"{where}: could not be read ({unexpected(err)}).")


# (test, reader): the first whose test a source passes reads it; else ``_text_file``
CORPUS_READERS: tuple[tuple[Callable[[str], bool], Reader], ...] = (
    (_is_url, _feed_url),
    (_suffix(".jsonl"), _jsonl),
    (_suffix(".csv"), _csv),
    (_suffix(*WARC_SUFFIXES), _warc),
    (_suffix(*FEED_SUFFIXES), _feed_file),
)
ARTICLE_READERS: tuple[tuple[Callable[[str], bool], Reader], ...] = (
    (lambda source: source == STDIN, _stdin),
    (is_url, _page),
    (_suffix(".jsonl"), _jsonl),
)


def count_hint(path: str) -> int | None:
    """A cheap estimate of how many items a file holds (for a progress bar), or None."""
    lower = path.lower()
    if _is_url(path) or not os.path.isfile(path):
        return None if _is_url(path) else 1
    if lower.endswith((".jsonl", ".csv")):
        lines = count_lines(path)
        return max(lines - (1 if lower.endswith(".csv") else 0), 0)
    if lower.endswith(WARC_SUFFIXES + FEED_SUFFIXES):
        return None
    return 1


__all__ = [
    "Item",
    "ReadOptions",
    "count_hint",
    "expand",
    "is_url",
    "parse_fields",
    "read",
    "read_source",
    "read_sources",
]
