"""JSON Lines in, one Document per line out: the batch input format.

Each line is one JSON object with a ``text`` (plain text) or ``html`` (a web page) field, and
optionally ``title``, ``url`` and ``id``; every other field is kept in ``meta``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from spinscope.errors import IngestError
from spinscope.ingest.files import check_file
from spinscope.ingest.html import from_html
from spinscope.ingest.text import from_text
from spinscope.model.document import Document

_HINT = "each line must be one JSON object with a 'text' or 'html' field"


def read_jsonl(
    path_or_lines: str | os.PathLike[str] | Iterable[str],
) -> Iterator[Document]:
    """Yield one Document per non-blank line of a JSONL file (a path) or of an iterable of lines.

    A path is checked at once; lines are read lazily, so a large file streams.

    Raises:
        IngestError: The file is missing, or a line is not JSON, not an object, lacks both
            ``text`` and ``html``, or holds no text; the message names the file and line.
    """
    if isinstance(path_or_lines, str | os.PathLike):
        path = check_file(path_or_lines)
        return _read_lines(_file_lines(path), source=str(path_or_lines))
    if isinstance(path_or_lines, bytes):
        raise TypeError("read_jsonl() expects a path or an iterable of str lines, not bytes.")
    return _read_lines(enumerate(path_or_lines, start=1), source="<lines>")


def _file_lines(path: Any) -> Iterator[tuple[int, str]]:
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise IngestError(
                    f"{path}, line {number}: not UTF-8 text; JSONL files must be UTF-8."
                ) from None


def _read_lines(lines: Iterable[tuple[int, str]], *, source: str) -> Iterator[Document]:
    for number, line in lines:
        if not line.strip():
            continue
        where = f"{source}, line {number}"
        try:
            yield _record_to_doc(_parse(line, where=where), source=source, number=number)
        except IngestError as err:
            if str(err).startswith(where):
                raise
            raise IngestError(f"{where}: {err}") from err


def _parse(line: str, *, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise IngestError(f"{where}: not valid JSON ({err.msg}); {_HINT}.") from None
    if not isinstance(record, dict):
        raise IngestError(f"{where}: a JSON {type(record).__name__}, not an object; {_HINT}.")
    if not isinstance(record.get("text"), str) and not isinstance(record.get("html"), str):
        raise IngestError(f"{where}: no 'text' or 'html' string field; {_HINT}.")
    return record


def _record_to_doc(record: dict[str, Any], *, source: str, number: int) -> Document:
    record = dict(record)
    text, html = record.pop("text", None), record.pop("html", None)
    title = record.pop("title", None)
    meta = {"source": source, "line": number, **record}
    title = title if isinstance(title, str) and title.strip() else None
    if isinstance(text, str) and (text.strip() or not isinstance(html, str)):
        return from_text(text, title=title, meta=meta)
    doc = from_html(html, url=record.get("url"), meta=meta)
    return replace(doc, title=" ".join(title.split())) if title else doc
