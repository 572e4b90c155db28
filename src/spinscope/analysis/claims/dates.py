"""Calendar dates with a day: "May 8", "May 8th, 2018", "8 May 2018", "the 8th of May".

The day of such a date is part of a time, never a quantity (``quantities.find_times`` reads the
date as a point time, with its year where one is written; ``find_quantities`` skips its digits).
The month must be capitalised ("may 8" is not read) and the day 1-31, with no digit, comma and
digit or decimal point after it ("March 1,200", "May 8.5"), nor a percent or scale word.

A day next to a month can still be a figure, so two readings are refused (the number stays a
quantity, as before):

- month then a bare day (no ordinal suffix, no year) after "in", "during", "throughout" or "by"
  and before a word in lower case: "In May 8 people died", "by March 3 soldiers had left" (a
  date here would be "on May 8"); "in May 8, ..." and "by May 8 the ..." are still dates;
- day then month with no year after a qualifier or a currency sign: "about 20 April", "$5 May".

"8 May protesters" (a count of May protesters) is read as a date: rarer than "8 May" the date.
"""

from __future__ import annotations

import re

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)"
# "8", "8th", "8-10", "8 and 9"
_DAYS = rf"{_DAY}(?P<ord>{_ORD})?(?:\s*(?:[-–]|to|and)\s*{_DAY}{_ORD}?)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)(?![\d,.]\d)"
_NOT_A_FIGURE = r"(?!\d|[,.]\d|\s*(?:%|per\s?cent|percent|hundred|thousand|million|billion|times))"
MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+{_DAYS}\b{_NOT_A_FIGURE}(?:,?\s+{_YEAR}\b)?"
)  # "May 8", "May 8th, 2018", "Feb. 10-11 2019"
DAY_MONTH = re.compile(
    rf"(?<![\d,.$€£¥₽₹₸])\b{_DAYS}(?P<of>\s+of)?\s+{_MONTH}(?![a-z])(?:,?\s+{_YEAR}\b)?"
)  # "8 May", "8th of May 2018", "10-11 Feb."
_ANY_MONTH = re.compile(rf"\b{_MONTH}")
_BEFORE_MONTH = re.compile(r"\b(?:in|during|throughout|by)\s+$", re.I)
_QUALIFIER = re.compile(
    r"(?:\b(?:about|around|nearly|almost|some|over|under|roughly|approximately|than|least|"
    r"up\s+to)|[$€£¥₽₹₸])\s*$",
    re.I,
)


def day_dates(text: str) -> list[tuple[int, int, int | None]]:
    """Each date with a day in ``text``: (start, end, year or None), left to right, no overlaps."""
    if not _ANY_MONTH.search(text) or not re.search(r"\d", text):
        return []  # the common case
    found: list[tuple[int, int, int | None]] = []
    for m in MONTH_DAY.finditer(text):
        if m["year"] or m["ord"] or not _figure_after_month(text, m):
            found.append((m.start(), m.end(), int(m["year"]) if m["year"] else None))
    for m in DAY_MONTH.finditer(text):
        if m["of"] and not m["ord"]:
            continue  # "8 of May" is not how a date is written ("8 of March's 20 rallies")
        if not m["year"] and _QUALIFIER.search(text[max(0, m.start() - 15) : m.start()]):
            continue
        if any(m.start() < e and s < m.end() for s, e, _ in found):
            continue
        found.append((m.start(), m.end(), int(m["year"]) if m["year"] else None))
    return sorted(found)


def _figure_after_month(text: str, m: re.Match[str]) -> bool:
    """ "In May 8 people died": a month, then a bare number before a lower-case word."""
    if not _BEFORE_MONTH.search(text[max(0, m.start() - 12) : m.start()]):
        return False
    return bool(re.match(r"\s+[a-z]", text[m.end() :])) and not re.match(
        r"\s+(?:the|a|an|and|or|to|at|when|as|in|on|of|that|this|after|before)\b", text[m.end() :]
    )
