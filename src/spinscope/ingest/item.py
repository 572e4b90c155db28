"""One item of a corpus source: a Document, or the reason it could not be read."""

from __future__ import annotations

from dataclasses import dataclass

from spinscope.model.document import Document


@dataclass(frozen=True)
class Item:
    """One document of a corpus source, or why it could not be read (``error``)."""

    source: str  # the input it came from (path or URL)
    ref: str  # where in it: "file", "file, line 7", "url", "file, record at byte 1024"
    doc: Document | None = None
    error: str | None = None

    def __post_init__(self) -> None:
        if self.error is not None and not _is_one_line(self.error):  # it is printed as one line
            object.__setattr__(self, "error", " ".join(self.error.split()))

    @property
    def ok(self) -> bool:
        return self.error is None and self.doc is not None


def _is_one_line(text: str) -> bool:
    return "\n" not in text and "\r" not in text and "\t" not in text


__all__ = ["Item"]
