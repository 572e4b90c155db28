"""Private helpers shared by the readers: bytes to str, HTML sniffing, one-line messages."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from spinscope.errors import IngestError

# ``[^<>]``, not ``[^>]``: on a run of "<meta<meta..." with no ">" each try stops at the next
# "<", so the search stays linear in the bytes searched
_META_CHARSET = re.compile(rb"""<meta[^<>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BODY_START = re.compile(rb"<body[\s>]", re.I)
# how far into a page a <meta> charset is looked for. WHATWG's prescan reads 1024 bytes, but
# browsers go on through the head, and news pages put tens of KB of inline styles, scripts and
# JSON-LD before it; 64 KiB covers such heads and bounds the search (well under a millisecond)
MAX_CHARSET_SCAN_BYTES = 64 * 1024
_HTML_START = ("<!doctype html", "<html")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Byte order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def one_line(message: str) -> str:
    """Collapse whitespace, so an error message from a library prints on one line."""
    return " ".join(str(message).split())


def lone_surrogate(value: str) -> tuple[int, str] | None:
    """``(index, character)`` of the first lone surrogate in ``value``, or None.

    A JSON escape such as ``"\\ud800"`` without its pair decodes to one: a ``str`` that is not
    Unicode text (it cannot be encoded as UTF-8, stored or hashed).
    """
    match = _SURROGATE.search(value)
    return (match.start(), match.group()) if match else None


def refuse_lone_surrogate(value: str, *, what: str) -> None:
    """Raise a one-line IngestError if ``value`` holds a lone surrogate; ``what`` names it."""
    found = lone_surrogate(value)
    if found:
        index, char = found
        raise IngestError(
            f"{what} holds a lone surrogate (\\u{ord(char):04x} at character {index}), which is "
            "not Unicode text; fix the source (a JSON \\ud800-style escape needs its pair)."
        )


def bom_codec(data: bytes) -> str | None:
    """The codec a byte order mark at the start of ``data`` names (UTF-8, -16 or -32), if any."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def looks_like_html(head: str | bytes) -> bool:
    """True if the content starts (after whitespace and a BOM) like an HTML document."""
    if isinstance(head, bytes):
        codec = bom_codec(head)
        if codec in ("utf-16", "utf-32"):
            head = head[:2048].decode(codec, errors="replace")
        else:
            head = head[:512].decode("utf-8", errors="replace")
    start = head[:512].lstrip("\ufeff \t\r\n\f\v").lower()
    return start.startswith(_HTML_START)


def sniff_html_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in a ``<meta charset>`` or ``http-equiv`` tag in
    its head, within its first ``MAX_CHARSET_SCAN_BYTES``, if any (not one quoted in its body);
    UTF-8 where it declares UTF-16 or -32, as the HTML standard's prescan has it."""
    head = data[:MAX_CHARSET_SCAN_BYTES]
    body = _BODY_START.search(head)
    match = _META_CHARSET.search(head, 0, body.start() if body else len(head))
    if not match:
        return None
    charset = match.group(1).decode("ascii")
    # a <meta> found in ASCII is no UTF-16 or -32 text: browsers read the page as UTF-8
    return "utf-8" if (known_codec(charset) or "").startswith(("utf-16", "utf-32")) else charset


def known_codec(charset: str | None) -> str | None:
    """Python's name for ``charset`` ("windows-1251" -> "cp1251"), or None if it has none."""
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def decode_bytes(data: bytes, *, source: str, charset: str | None = None) -> str:
    """Decode ``data`` as text: by its byte order mark (UTF-8, UTF-16 or UTF-32) if it starts
    with one (whatever ``charset`` says), else the declared ``charset`` if it works (but for
    bytes that are UTF-8 beyond ASCII: UTF-8 whatever is declared), else UTF-8.

    Raises:
        IngestError: The bytes hold NUL characters (a binary file) or are not valid text.
    """
    bom = bom_codec(data)
    if bom in ("utf-16", "utf-32"):  # a BOM outranks a declared charset (as in browsers)
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as err:
            name = bom.upper()
            raise IngestError(
                f"{source} starts with a {name} byte order mark but is not valid {name} text "
                f"({one_line(err.reason)} at byte {err.start}); convert it first, e.g. "
                f"`iconv -f {name} -t UTF-8`."
            ) from None
        return _refuse_nul(text, source=source)
    codec = None if bom else known_codec(charset)  # a UTF-8 BOM outranks it too
    if codec and codec not in ("utf-8", "utf-8-sig") and not _utf8_beyond_ascii(data):
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
            _refuse_nul(data[:200].decode("latin-1"), source=source)  # a byte a character
        raise IngestError(not_utf8(source, err)) from None
    return _refuse_nul(text, source=source)


def _utf8_beyond_ascii(data: bytes) -> bool:
    """True if ``data`` is valid UTF-8 with letters beyond ASCII: UTF-8 text, whatever charset
    a stale template or a server's default declares (other charsets' non-ASCII text almost
    never forms valid UTF-8), which read as declared was mojibake ("JosÃ© MÃ¼ller")."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def not_utf8(source: object, err: UnicodeDecodeError) -> str:
    """The one-line message for ``source`` (a name or path) whose bytes are not UTF-8."""
    return (
        f"{source} is not UTF-8 text (invalid byte 0x{err.object[err.start]:02x} at offset "
        f"{err.start}); convert it first, e.g. `iconv -f windows-1252 -t utf-8` for Western "
        "European text (name its real encoding)."
    )


def read_utf8(path: Path, error: type[Exception] = IngestError) -> str:
    """A UTF-8 file's text exactly as stored (line ends kept: offsets count them); a file that
    is not UTF-8, or cannot be read (a folder, a broken link, no permission), raises ``error``
    with a one-line message."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except UnicodeDecodeError as err:
        raise error(not_utf8(path, err)) from None
    except OSError as err:  # was a traceback from predict and import-annotations
        raise error(f"Cannot read {path}: {err.strerror or err}.") from None


def _refuse_nul(text: str, *, source: str) -> str:
    if "\x00" in text:
        codec = _bomless_utf16(text)
        if codec:
            raise IngestError(
                f"{source} looks like UTF-16 text without a byte order mark; convert it first, "
                f"e.g. `iconv -f {codec} -t UTF-8`."
            )
        raise IngestError(
            f"{source} looks like a binary file (it contains NUL bytes); "
            "give a plain-text, HTML or JSONL file."
        )
    return text


def _bomless_utf16(text: str) -> str | None:
    """``"utf-16-le"`` (or ``-be``) if every other character of the start is NUL: text in UTF-16
    without a byte order mark, as Windows tools save it, decoded a byte a character."""
    head = text[:200]
    if len(head) >= 8:
        if not head[1::2].strip("\x00"):
            return "utf-16-le"
        if not head[0::2].strip("\x00"):
            return "utf-16-be"
    return None
