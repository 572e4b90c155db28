"""Private helpers shared by the readers: bytes to str, HTML sniffing, one-line messages."""

from __future__ import annotations

import codecs
import re

from spinscope.errors import IngestError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_START = ("<!doctype html", "<html")


def one_line(message: str) -> str:
    """Collapse whitespace, so an error message from a library prints on one line."""
    return " ".join(str(message).split())


def looks_like_html(head: str | bytes) -> bool:
    """True if the content starts (after whitespace and a BOM) like an HTML document."""
    if isinstance(head, bytes):
        head = head[:512].decode("utf-8", errors="replace")
    start = head[:512].lstrip("\ufeff \t\r\n\f\v").lower()
    return start.startswith(_HTML_START)


def sniff_html_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in a ``<meta>`` tag in its first 2 KB, if any."""
    match = _META_CHARSET.search(data[:2048])
    return match.group(1).decode("ascii") if match else None


def _known_codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def decode_bytes(data: bytes, *, source: str, charset: str | None = None) -> str:
    """Decode ``data`` as text: the declared ``charset`` if it works, else UTF-8 (BOM allowed).

    Raises:
        IngestError: The bytes hold NUL characters (a binary file) or are not valid text.
    """
    codec = _known_codec(charset)
    if codec and codec not in ("utf-8", "utf-8-sig"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            return _refuse_nul(text, source=source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if b"\x00" in data:
            _refuse_nul("\x00", source=source)
        raise IngestError(
            f"{source} is not UTF-8 text (invalid byte 0x{data[err.start]:02x} at offset "
            f"{err.start}); convert it first, e.g. `iconv -f latin1 -t utf-8`."
        ) from None
    return _refuse_nul(text, source=source)


def _refuse_nul(text: str, *, source: str) -> str:
    if "\x00" in text:
        raise IngestError(
            f"{source} looks like a binary file (it contains NUL bytes); "
            "give a plain-text, HTML or JSONL file."
        )
    return text
