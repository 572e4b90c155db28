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
from spinscope.ingest.lang import detect_language_hint
from spinscope.model.document import Document

_MAX_TITLE_CHARS = 200
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def normalize_text(text: str) -> str:
    """Return ``text`` with LF line ends, no leading BOM, NFC-normalised, no trailing whitespace.

    Leading whitespace is kept on purpose: only the end is trimmed, so nothing before the first
    word moves.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.removeprefix("\ufeff")
    return unicodedata.normalize("NFC", text).rstrip()


def guess_title(text: str) -> str | None:
    """The first line, if it reads like a headline: short and followed by a blank line.

    The title line stays in the text; this only names the document.
    """
    parts = _BLANK_LINE.split(text.lstrip(), maxsplit=1)
    if len(parts) < 2 or "\n" in parts[0] or not parts[1].strip():
        return None
    head = parts[0].strip()
    return head if 0 < len(head) < _MAX_TITLE_CHARS else None


def from_text(
    text: str, *, title: str | None = None, meta: Mapping[str, Any] | None = None
) -> Document:
    """Build a Document from an already-decoded string.

    Args:
        text: The article text. Bytes are refused: decode them first (``read_path`` does).
        title: The headline; guessed from the first line when not given.
        meta: Extra metadata (``source``, ``url``, ...). ``language`` is added as a hint
            (``"en"``/``"non-en"``) unless given.

    Raises:
        IngestError: The text is empty or only whitespace.
    """
    if not isinstance(text, str):
        raise TypeError(
            f"from_text() expects str, got {type(text).__name__}; "
            "decode bytes first or use read_path()/load()."
        )
    meta = dict(meta or {})
    text = normalize_text(text)
    if not text.strip():
        where = meta.get("source") or "the input"
        raise IngestError(f"The text of {where} is empty; give a news text with at least one word.")
    if title is None:
        title = guess_title(text)
    else:
        title = " ".join(normalize_text(title).split()) or None
    meta.setdefault("language", detect_language_hint(text))
    return Document(text=text, title=title, meta=meta)
