"""Plain text in, a normalised Document out.

Every finding's offsets point into the text stored here, so normalisation happens exactly once,
at ingest, and the same input always gives the same text (and the same ``Document.id``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from spinscope.errors import IngestError
from spinscope.ingest._decode import lone_surrogate, refuse_lone_surrogate
from spinscope.model.document import Document

_MAX_TITLE_CHARS = 200
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_MAX_HEADLINE_WORDS = 20
_MIN_BODY_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*$")


def normalize_text(text: str) -> str:
    """Return ``text`` with LF line ends, no leading BOM, NFC-normalised, no trailing whitespace.

    Leading whitespace is kept on purpose: only the end is trimmed, so nothing before the first
    word moves.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.removeprefix("\ufeff")
    return unicodedata.normalize("NFC", text).rstrip()


def guess_title(text: str) -> str | None:
    """The first line, if it reads like a headline.

    Either the first line is short and followed by a blank line, or it is a short line with no
    closing punctuation directly followed by a line of body text (prose that ends a sentence).
    The title line stays in the text; this only names the document.
    """
    parts = _BLANK_LINE.split(text.lstrip(), maxsplit=1)
    if len(parts) == 2 and "\n" not in parts[0] and parts[1].strip():
        head = parts[0].strip()
        return head if 0 < len(head) < _MAX_TITLE_CHARS else None
    head, _, body = text.lstrip().partition("\n")
    head, line = head.strip(), body.partition("\n")[0].strip()
    return head if _headline(head) and _body_line(line) and len(head) < len(line) else None


def _headline(line: str) -> bool:
    """Short, starting with a capital or a digit, with no closing full stop, comma or colon."""
    words = line.split()
    return (
        2 <= len(words) <= _MAX_HEADLINE_WORDS
        and len(line) < _MAX_TITLE_CHARS
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"'\u201c\u2018")
        and line[-1] not in ".,;:"
    )


def _body_line(line: str) -> bool:
    """A paragraph of prose on one line: several words, starting like a sentence and ending one
    (the second line of a hard-wrapped text goes on from the first: it rarely starts with a
    capital and ends a sentence, so a wrapped text's first line is not taken for a headline)."""
    return (
        len(line.split()) >= _MIN_BODY_WORDS
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"'\u201c\u2018")
        and _SENTENCE_END.search(line) is not None
    )


def from_text(
    text: str, *, title: str | None = None, meta: Mapping[str, Any] | None = None
) -> Document:
    """Build a Document from an already-decoded string.

    Args:
        text: The article text. Bytes are refused: decode them first (``read_path`` does).
        title: The headline; guessed from the first line when not given.
        meta: Extra metadata (``source``, ``url``, ...). The language is not guessed here: the
            pipeline detects it (``Document.language``).

    Raises:
        IngestError: The text is empty or only whitespace, or the text or the title holds a lone
            surrogate (a ``str`` that is not Unicode text; in ``meta`` one is escaped instead).
    """
    if not isinstance(text, str):
        raise TypeError(
            f"from_text() expects str, got {type(text).__name__}; "
            "decode bytes first or use read_path()/load()."
        )
    meta = _storable_meta(dict(meta or {}))
    where = meta.get("source") or "the input"
    refuse_lone_surrogate(text, what=f"The text of {where}")
    if isinstance(title, str):
        refuse_lone_surrogate(title, what=f"The title of {where}")
    text = normalize_text(text)
    if _blank(text):
        raise IngestError(f"The text of {where} is empty; give a news text with at least one word.")
    if title is None:
        title = guess_title(text)
    else:
        title = " ".join(normalize_text(title).split()) or None
    return Document(text=text, title=title, meta=meta)


def _blank(text: str) -> bool:
    """Whitespace and invisible format characters only (zero-width spaces and joiners, bidi
    controls): such a text has no word, and was analysed to "nothing found"."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def _storable_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """``meta`` with every lone surrogate in its strings (keys too, nested too) written as its
    escape (``"\\udce9"``), so that it can be stored and printed.

    Metadata is not analysed, and a lone surrogate in it is usually a file name that is not UTF-8
    (Python reads such names with ``surrogateescape``): the article is kept, the name escaped.
    """
    if not _has_surrogate(meta):
        return meta
    escaped: dict[str, Any] = _escaped(meta)
    return escaped


def _has_surrogate(value: Any) -> bool:
    stack = [value]  # iterative: a deeply nested value cannot exhaust the call stack
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if lone_surrogate(node):
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return False


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_escaped(k): _escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(v) for v in value]
    return value
