"""JSON Lines in, one Document per line out: the batch input format.

Each line is one JSON object with a ``text`` (plain text) or ``html`` (a web page) field, and
optionally ``title``, ``url`` and ``id``; every other field is kept in ``meta``.

A bad line never stops the reading: ``jsonl_items`` yields, per non-blank line, an ``Item`` with
the Document or with the reason (file, line, why) it could not be read. Whatever a line holds
(garbage bytes, a lone surrogate, a number with 5,000 digits, an array nested 100,000 deep, a
broken URL), the reason is a one-line message, never an exception. ``read_jsonl`` is the strict
form: it raises that message as an ``IngestError`` at the first bad line.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from spinscope.errors import IngestError
from spinscope.ingest._decode import bom_codec, one_line
from spinscope.ingest.files import DEFAULT_MAX_BYTES, check_file
from spinscope.ingest.html import DEFAULT_LIMITS, HtmlLimits, from_html
from spinscope.ingest.item import Item
from spinscope.ingest.text import from_text
from spinscope.model.document import Document

_HINT = "each line must be one JSON object with a 'text' or 'html' field"
_BLANK = " \t\r\n\f\v"  # what bytes.strip() strips, so blank lines are the same for str and bytes
_NOT_SPACE = re.compile(r"\S")
MAX_DEPTH = 64  # nesting of a record's values; deeper is refused before it reaches the store


def read_jsonl(
    path_or_lines: str | os.PathLike[str] | Iterable[str],
) -> Iterator[Document]:
    """Yield one Document per non-blank line of a JSONL file (a path) or of an iterable of lines.

    A path is checked at once; lines are read lazily, so a large file streams.

    Raises:
        IngestError: The file is missing, or a line is not JSON, not an object, lacks both
            ``text`` and ``html``, or holds no text; the message names the file and line.
    """
    return _strict(jsonl_items(path_or_lines))


def _strict(items: Iterator[Item]) -> Iterator[Document]:
    for item in items:
        if item.error is not None or item.doc is None:
            raise IngestError(item.error or f"{item.ref}: no document.")
        yield item.doc


def jsonl_items(
    path_or_lines: str | os.PathLike[str] | Iterable[str],
    *,
    fields: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    html_limits: HtmlLimits = DEFAULT_LIMITS,
) -> Iterator[Item]:
    """One ``Item`` per non-blank line: its Document, or why the line could not be read.

    Args:
        path_or_lines: A JSONL file, or an iterable of str lines (numbered from 1).
        fields: spinscope field -> the record's key (``{"text": "body"}``), for corpus runs.
        max_bytes: Longest line accepted; a longer one is skipped without being held in memory.
        html_limits: The shape of an ``html`` field's page allowed (``html.check_shape``).

    Raises:
        IngestError: Only for a path that is missing, a folder, or JSON written over several
            lines, an array or pretty-printed objects (checked at once).
    """
    if isinstance(path_or_lines, str | os.PathLike):
        path = check_file(path_or_lines)
        lines: Iterable[tuple[int, str | bytes | None]] = _file_lines(path, max_bytes)
        source = str(path_or_lines)
        if _json_over_lines(path, max_bytes):  # each line would fail, none saying why
            raise IngestError(
                f"{source} holds JSON over several lines (an array, or objects written over "
                f"several lines), not one JSON object a line; convert it first: `jq -c '.[]' "
                f"{source}` for an array, `jq -c . {source}` for objects."
            )
    elif isinstance(path_or_lines, bytes):
        raise TypeError("read_jsonl() expects a path or an iterable of str lines, not bytes.")
    else:
        lines, source = enumerate(path_or_lines, start=1), "<lines>"
    return _items(lines, source=source, fields=fields, max_bytes=max_bytes, html_limits=html_limits)


def _json_over_lines(path: Any, max_bytes: int) -> bool:
    """True if the file (up to ``max_bytes``) is JSON written over several lines, as a pretty
    printer writes it: its first line is a lone ``[`` or ``{`` (never a JSONL line) and the
    whole reads as JSON values."""
    with open(path, "rb") as fh:
        head = fh.read(4096).removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.split(b"\n", 1)[0].strip() not in (b"[", b"{") or os.path.getsize(path) > max_bytes:
        return False
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
        decoder, found = json.JSONDecoder(), _NOT_SPACE.search(text)
        while found:  # one value after another, to the end
            found = _NOT_SPACE.search(text, decoder.raw_decode(text, found.start())[1])
    except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is a ValueError)
        return False
    return True


def _file_lines(path: Any, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, raw line)``; ``None`` for a line over ``max_bytes`` (skipped unread)."""
    with open(path, "rb") as fh:
        number = 0
        while raw := fh.readline(max_bytes + 1):
            number += 1
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                yield number, None
            else:
                yield number, raw


def _items(
    lines: Iterable[tuple[int, str | bytes | None]],
    *,
    source: str,
    fields: Mapping[str, str] | None,
    max_bytes: int,
    html_limits: HtmlLimits,
) -> Iterator[Item]:
    for number, line in lines:
        where = f"{source}, line {number}"
        codec = bom_codec(line) if number == 1 and isinstance(line, bytes) else None
        if codec is not None and codec in ("utf-16", "utf-32"):
            name = codec.upper()
            yield Item(source, source, error=f"{source} is {name} text; JSONL files must be "
                       f"UTF-8: convert it first, e.g. `iconv -f {name} -t UTF-8`.")  # fmt: skip
            return
        try:
            item = _line_item(line, source, where, number, fields, max_bytes, html_limits)
        except Exception as err:  # noqa: BLE001 -- a line must never stop the reading
            item = Item(source, where, error=f"{where}: could not be read ({unexpected(err)}).")
        if item is not None:
            yield item


def unexpected(err: BaseException) -> str:
    """An unexpected error as one short line: its type and message."""
    return f"{type(err).__name__}: {one_line(str(err))}"[:300]


def _line_item(
    line: str | bytes | None,
    source: str,
    where: str,
    number: int,
    fields: Mapping[str, str] | None,
    max_bytes: int,
    html_limits: HtmlLimits,
) -> Item | None:
    if line is None or len(line) > max_bytes:
        return Item(source, where, error=f"{where}: longer than {max_bytes:,} bytes.")
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8-sig")  # a BOM on any line: files joined with `cat`
        except UnicodeDecodeError as err:
            return Item(source, where, error=f"{where}: not UTF-8 text (invalid byte "
                        f"0x{line[err.start]:02x} at byte {err.start}); JSONL files must be "
                        "UTF-8.")  # fmt: skip
    line = line.removeprefix("\ufeff")
    if not line.strip(_BLANK):
        return None
    try:
        record = parse_record(line)
    except IngestError as err:
        return Item(source, where, error=f"{where}: {err}")
    return record_item(record, source, where, number, fields, html_limits)


def parse_record(line: str) -> Any:
    """The JSON value of one line, or an IngestError (without the file and line) saying why not.

    Refused besides invalid JSON: ``NaN``/``Infinity`` and numbers too large for a float (not
    JSON data), integers with more digits than Python converts, and nesting deeper than
    ``MAX_DEPTH`` levels.
    """
    try:
        value = json.loads(line, parse_constant=_no_constant, parse_float=_finite_float)
    except json.JSONDecodeError as err:
        raise IngestError(f"not valid JSON ({err.msg} at column {err.colno}); {_HINT}.") from None
    except RecursionError:
        raise IngestError(
            f"nested too deeply to read (over {MAX_DEPTH} levels); {_HINT}."
        ) from None
    except ValueError as err:  # int digits over sys.get_int_max_str_digits(), or _finite_float
        if "digits" in str(err):
            limit = sys.get_int_max_str_digits()
            raise IngestError(f"holds a number with more than {limit:,} digits; {_HINT}, and "
                              "numbers of ordinary size.") from None  # fmt: skip
        raise IngestError(f"{err}; {_HINT}.") from None
    if _depth_over(value, MAX_DEPTH):
        raise IngestError(f"nested too deeply (over {MAX_DEPTH} levels); {_HINT}.")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"holds {name}, which is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"holds the number {text[:40]}, too large for a float")
    return value


def _depth_over(value: Any, limit: int) -> bool:
    """True if ``value`` nests lists/dicts deeper than ``limit`` levels (iterative)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def apply_fields(record: dict[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    """A record with the mapped columns renamed to spinscope's field names."""
    out = dict(record)
    for name, column in fields.items():
        if column in record:
            out[name] = out.pop(column)
    return out


def record_item(
    record: Any,
    source: str,
    where: str,
    number: int,
    fields: Mapping[str, str] | None = None,
    html_limits: HtmlLimits = DEFAULT_LIMITS,
) -> Item:
    """One parsed record (a JSONL line, a CSV row) as an Item; never raises.

    ``fields=None`` is the plain JSONL format (``read_jsonl``); a mapping (even empty) is a corpus
    run's ``--field`` options, with messages that point at them. An ``html`` field's page past
    ``html_limits`` is refused.
    """
    try:
        doc = _record_doc(record, source, where, number, fields, html_limits)
        return Item(source, where, doc=doc)
    except IngestError as err:
        reason = str(err)
        return Item(
            source, where, error=reason if reason.startswith(where) else f"{where}: {reason}"
        )
    except Exception as err:  # noqa: BLE001 -- one record must never stop a corpus
        return Item(source, where, error=f"{where}: could not be read ({unexpected(err)}).")


def _record_doc(
    record: Any,
    source: str,
    where: str,
    number: int,
    fields: Mapping[str, str] | None,
    html_limits: HtmlLimits,
) -> Document:
    if not isinstance(record, dict):
        name = "null" if record is None else type(record).__name__
        raise IngestError(f"a JSON {name}, not an object; {_HINT}.")
    text, html = record.get("text"), record.get("html")
    if fields is None:
        if not isinstance(text, str) and not isinstance(html, str):
            raise IngestError(f"no 'text' or 'html' string field; {_HINT}.")
    else:
        record = apply_fields(record, fields)
        text, html = record.get("text"), record.get("html")
        if not (isinstance(text, str) and text.strip()) and not (
            isinstance(html, str) and html.strip()
        ):
            raise IngestError(_no_text(record, fields))
    _check_url(record.get("url"))
    return _record_to_doc(record, source=source, number=number, html_limits=html_limits)


def _no_text(record: dict[str, Any], fields: Mapping[str, str]) -> str:
    """Why a mapped record has no text: its text (or html) field is there but blank, or missing
    (then the column may have another name: ``--field``)."""
    wanted = fields.get("text", "text")
    present = [name for name in ("text", "html") if isinstance(record.get(name), str)]
    if present:
        column = fields.get(present[0], present[0])
        return f"the '{column}' field is empty; give it a news text with at least one word."
    if record.get("text") is not None:  # there, but a number, a list, ...
        return f"the '{wanted}' field is a JSON {type(record['text']).__name__}, not a string."
    return f"no text (field '{wanted}'); map it with --field text=NAME."


def _check_url(url: Any) -> None:
    if url is None or url == "":
        return
    if not isinstance(url, str):
        raise IngestError(f"the 'url' field is a JSON {type(url).__name__}, not a string.")
    try:
        urlsplit(url).hostname  # noqa: B018 -- parses the host: "http://[::1" fails here
    except ValueError as err:
        shown = url if len(url) <= 80 else url[:77] + "..."
        raise IngestError(f"the 'url' field {shown!r} is not a valid URL ({err}).") from None


def _record_to_doc(
    record: dict[str, Any], *, source: str, number: int, html_limits: HtmlLimits
) -> Document:
    record = dict(record)
    text, html = record.pop("text", None), record.pop("html", None)
    title = record.get("title")
    if title is None or isinstance(title, str):  # another value (1984, a list) stays in meta
        record.pop("title", None)
    meta = {"source": source, "line": number, **record}
    title = title if isinstance(title, str) and title.strip() else None
    if isinstance(text, str) and (text.strip() or not isinstance(html, str)):
        return from_text(text, title=title, meta=meta)
    doc = from_html(html, url=record.get("url"), meta=meta, html_limits=html_limits)
    return replace(doc, title=" ".join(title.split())) if title else doc
