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
from spinscope.ingest._decode import refuse_lone_surrogate
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
        IngestError: The text is empty or only whitespace, or the text, the title or a string in
            ``meta`` holds a lone surrogate (a ``str`` that is not Unicode text).
    """
    if not isinstance(text, str):
        raise TypeError(
            f"from_text() expects str, got {type(text).__name__}; "
            "decode bytes first or use read_path()/load()."
        )
    meta = dict(meta or {})
    where = meta.get("source") or "the input"
    refuse_lone_surrogate(text, what=f"The text of {where}")
    if isinstance(title, str):
        refuse_lone_surrogate(title, what=f"The title of {where}")
    _refuse_surrogates_in_meta(meta, where=where)
    text = normalize_text(text)
    if not text.strip():
        raise IngestError(f"The text of {where} is empty; give a news text with at least one word.")
    if title is None:
        title = guess_title(text)
    else:
        title = " ".join(normalize_text(title).split()) or None
    meta.setdefault("language", detect_language_hint(text))
    return Document(text=text, title=title, meta=meta)


def _refuse_surrogates_in_meta(meta: dict[str, Any], *, where: Any) -> None:
    """Every string in ``meta`` (keys too, nested dicts and lists too) must be Unicode text.

    Iterative, so a deeply nested value cannot exhaust the call stack.
    """
    for key in meta:
        if isinstance(key, str):
            refuse_lone_surrogate(key, what=f"A metadata field name of {where}")
    stack: list[tuple[str, Any]] = [(str(k), v) for k, v in meta.items()]
    while stack:
        name, value = stack.pop()
        if isinstance(value, str):
            refuse_lone_surrogate(value, what=f"The field {name!r} of {where}")
        elif isinstance(value, dict):
            for k, v in value.items():
                if isinstance(k, str):
                    refuse_lone_surrogate(k, what=f"A key in the field {name!r} of {where}")
                stack.append((name, v))
        elif isinstance(value, list | tuple):
            stack.extend((name, v) for v in value)
