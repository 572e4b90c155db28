"""A document as the store's indexed row: outlet, date, words (no I/O)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from spinscope.model.document import Document
from spinscope.model.times import MONTH

# Chinese and Japanese write no spaces between words: each ideograph or kana counts as a word
# (CJK ideographs with extension A and the compatibility block, hiragana, katakana, halfwidth
# katakana, and the supplementary ideograph planes); their punctuation (CJK symbols, fullwidth
# forms) separates words, as white space does
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff"
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
_WORD = re.compile(f"[{_CJK}]|[^\\s{_CJK}{_CJK_PUNCT}]+")

# a date with no digit before or after it (12345-01-01 is no date, not 2345-01-01)
_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# an English date written out, the whole value: "2 January 2024", "2nd Jan. 2024",
# "January 2, 2024", "Tuesday, Jan 2 2024" (numeric 02/01/2024 stays unread: day or month first?)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = rf"(?P<month>{MONTH})"  # the claims' month names and abbreviations ("Sept." too)
_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                        "nov", "dec")  # fmt: skip
_WRITTEN = [
    re.compile(rf"^(?:[A-Za-z]+,?\s+)?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})$", re.I),
    re.compile(rf"^(?:[A-Za-z]+,?\s+)?{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})$", re.I),
]


# A date more than this many days after the run is taken for a mistake (9999-12-31, a year typed
# wrong) and stored as no date, as a date that cannot be read is; the given value stays in meta
FUTURE_DAYS = 3


def now() -> datetime:
    """The time now, in UTC without a zone (as DuckDB's TIMESTAMP stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def parse_date(value: Any) -> date | None:
    """The calendar date in an ISO-like value ("2024-03-01", "2024-03-01T10:00Z"), else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE.search(str(value or ""))
    if not m:
        return _rfc2822_date(str(value or "")) or _written_date(str(value or ""))
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _written_date(value: str) -> date | None:
    """The date of an English date written out ("2 January 2024", "January 2, 2024"), else
    None (a day the month does not have)."""
    for pattern in _WRITTEN:
        if m := pattern.match(value.strip()):
            month = _MONTH_ABBREVIATIONS.index(m["month"][:3].lower()) + 1
            try:
                return date(int(m["year"]), month, int(m["day"]))
            except ValueError:
                return None
    return None


def _rfc2822_date(value: str) -> date | None:
    """The date of an RSS-style value ("Tue, 05 Mar 2024 10:00:00 GMT"), else None."""
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date() if value.strip() else None
    except (TypeError, ValueError, IndexError):
        return None


def word_count(text: str) -> int:
    """The words a rate per 1,000 words is over: runs of characters between white space, as
    ``str.split`` counts them, except that each CJK ideograph or kana is a word of its own
    (``str.split`` counted a Chinese article as one word)."""
    return len(_WORD.findall(text))


def document_row(doc: Document) -> dict[str, Any]:
    """The indexed fields of a document: outlet (given, or the site, or the URL's host), date."""
    meta = doc.meta
    url = meta.get("url") or None
    outlet = meta.get("outlet") or meta.get("site") or meta.get("sitename")
    if not outlet and url:
        outlet = urlsplit(str(url)).hostname
    published = parse_date(meta.get("date") or meta.get("published"))
    if published and published > (now() + timedelta(days=FUTURE_DAYS)).date():
        published = None
    return {
        "doc_id": doc.id,
        "title": doc.title,
        "url": str(url) if url else None,
        "outlet": _outlet_name(outlet),
        "published": published,
        "source": str(meta.get("source")) if meta.get("source") else None,
        "words": word_count(doc.text),
        "text": doc.text,
        "meta": json.dumps(meta, ensure_ascii=False, default=str),
    }


def _outlet_name(outlet: Any) -> str | None:
    """The outlet as stored: a list of names (JSON metadata can give one) joined with ", ", not
    its Python repr "['a', 'b']"; one of only white space is none."""
    if isinstance(outlet, list | tuple):
        outlet = ", ".join(str(name).strip() for name in outlet if str(name or "").strip())
    name = str(outlet) if outlet else ""
    return name if name.strip() else None  # as given (the filters match it exactly), or none


def language_code(doc: Document) -> str | None:
    """The document's detected language code (None where it was never detected)."""
    return doc.language.code if doc.language else None
