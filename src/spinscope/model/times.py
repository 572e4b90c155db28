"""Time expressions in text: years, ranges, "since", "by", relative and recurring times, and
calendar dates with a day ("May 8", "May 8th, 2018", "8 May 2018", "the 8th of May").

Pure functions over a string (regular expressions, no model, no I/O), in the model layer because
both the claims analyser and the store's story view read times. The day of a date is part of a
time, never a quantity (``analysis.claims.quantities`` skips the dates' spans). The month must be
capitalised ("may 8" is not read) and the day 1-31, with no digit, comma and digit or decimal
point after it ("March 1,200", "May 8.5"), nor a percent or scale word.

A day next to a month can still be a figure, so two readings are refused (the number stays a
quantity):

- month then a bare day (no ordinal suffix, no year) after "in", "during", "throughout" or "by"
  and before a word in lower case: "In May 8 people died", "by March 3 soldiers had left" (a
  date here would be "on May 8"); "in May 8, ..." and "by May 8 the ..." are still dates;
- day then month with no year after a qualifier or a currency sign: "about 20 April", "$5 May".

"8 May protesters" (a count of May protesters) is read as a date: rarer than "8 May" the date.
"""

from __future__ import annotations

import re

from spinscope.model.claim import TimeRef

UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
NUMWORD = "|".join(sorted([*UNITS_WORDS, *TENS_WORDS], key=len, reverse=True))

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_Y = r"(?:1[89]\d\d|20\d\d)"  # a year

# -- dates with a day -------------------------------------------------------------------------
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)"
# "8", "8th", "8-10", "8 and 9"
_DAYS = rf"{_DAY}(?P<ord>{_ORD})?(?:\s*(?:[-–]|to|and)\s*{_DAY}{_ORD}?)?"
_YEAR = rf"(?P<year>{_Y})(?![\d,.]\d)"
_NOT_A_FIGURE = r"(?!\d|[,.]\d|\s*(?:%|per\s?cent|percent|hundred|thousand|million|billion|times))"
MONTH_DAY = re.compile(
    rf"\b{MONTH}\s+{_DAYS}\b{_NOT_A_FIGURE}(?:,?\s+{_YEAR}\b)?"
)  # "May 8", "May 8th, 2018", "Feb. 10-11 2019"
DAY_MONTH = re.compile(
    rf"(?<![\d,.$€£¥₽₹₸])\b{_DAYS}(?P<of>\s+of)?\s+{MONTH}(?![a-z])(?:,?\s+{_YEAR}\b)?"
)  # "8 May", "8th of May 2018", "10-11 Feb."
_ANY_MONTH = re.compile(rf"\b{MONTH}")
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


# -- years, ranges and relative times --------------------------------------------------------------

_Y2 = rf"(?:{_Y}|\d\d)"
TIME_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(rf"\b(?:between|from)\s+(?:{MONTH}\s+)?(?P<a>{_Y})\s+(?:and|to|until|till)"
                         rf"\s+(?:{MONTH}\s+)?(?P<b>{_Y2})\b", re.I)),  # fmt: skip
    ("range", re.compile(rf"\b(?P<a>{_Y})\s*(?:-|–|—|/)\s*(?P<b>{_Y2})\b")),
    ("since", re.compile(rf"\bsince\s+(?:(?:early|late|mid-?)\s*)?(?:{MONTH}\s+)?"
                         rf"(?P<a>{_Y})\b", re.I)),  # fmt: skip
    ("by", re.compile(rf"\b(?:by|until|till|through)\s+(?:the\s+end\s+of\s+)?(?:{MONTH}\s+)?"
                      rf"(?P<b>{_Y})\b", re.I)),  # fmt: skip
    ("point", re.compile(rf"\b(?:(?:in|during|for|of)\s+)?(?:the\s+(?:first|second|third|fourth)"
                         rf"\s+quarter\s+of\s+|(?:early|late|mid-?)\s*|{MONTH}\s+(?:\d{{1,2}},?\s+)?)?"
                         rf"(?P<a>{_Y})\b(?!\s*%)", re.I)),  # fmt: skip
    ("relative", re.compile(
        r"\b(?:in\s+)?(?:recent|the\s+(?:past|last|previous))\s+(?:(?:few|two|three|four|five|six|"
        r"seven|eight|nine|ten|\d+)\s+)?(?:years?|months?|decades?|weeks?)\b"
        r"|\bover\s+the\s+(?:past|last)\s+(?:(?:few|two|three|four|five|\d+)\s+)?"
        r"(?:years?|months?|decades?|weeks?)\b"
        r"|\b(?:this|last|previous)\s+(?:year|month|week|decade|quarter|spring|summer|autumn|"
        r"fall|winter)\b|\b(?:yesterday|today|recently|currently|now|nowadays)\b", re.I)),
    # a month without a year ("in July"): relative, its year is the one the text is written in
    ("relative", re.compile(rf"\b(?i:in|during|throughout)\s+(?:(?i:early|late|mid-?)\s*)?"
                            rf"{MONTH}(?![A-Za-z])(?!\s+\d)")),  # fmt: skip
    ("future", re.compile(
        rf"\bwithin\s+(?:the\s+next\s+)?(?:a|an|{NUMWORD}|\d+)\s+(?:years?|months?|decades?|"
        r"weeks?|days?)\b|"
        r"\b(?:in\s+the\s+(?:near|foreseeable|coming)\s+(?:future|years?|months?|decades?)|"
        r"(?:in\s+)?the\s+coming\s+(?:years?|months?|decades?)|next\s+(?:year|month|week|decade)|"
        r"in\s+the\s+future|soon|tomorrow)\b", re.I)),
    ("duration", re.compile(
        rf"\bfor\s+(?:(?:more|less)\s+than\s+|nearly\s+|almost\s+|about\s+)?(?:a|an|{NUMWORD}|"
        r"\d+)\s+(?:years?|months?|decades?|weeks?|days?|centuries)\b", re.I)),
    ("recurring", re.compile(
        r"\b(?:each|every|per|a)\s+(?:year|month|week|day)\b|\b(?:annually|yearly|monthly|"
        r"weekly|daily)\b", re.I)),
]  # fmt: skip


def find_times(text: str) -> list[TimeRef]:
    """Time expressions in ``text``, the more specific pattern first, without overlaps; a date
    with a day ("May 8, 2018", "8 May") is a point, with its year where one is written."""
    found = [TimeRef(s, e, text[s:e], "point", y, y) for s, e, y in day_dates(text)]
    for kind, pattern in TIME_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < t.end and t.start < m.end() for t in found):
                continue
            a = m.groupdict().get("a")
            b = m.groupdict().get("b")
            y_a = int(a) if a else None
            y_b = _full_year(b, y_a) if b else None
            if kind == "range" and (y_a is None or y_b is None or y_b < y_a):
                continue
            if kind == "point" and _looks_like_number(text, m):
                continue
            span = text[m.start() : m.end()]
            lead = len(span) - len(span.lstrip())
            s, e = m.start() + lead, m.end()
            start_year = y_a if kind in ("range", "since", "point") else None
            end_year = {"range": y_b, "by": y_b, "point": y_a}.get(kind)
            found.append(TimeRef(s, e, text[s:e], kind, start_year, end_year))
    found.sort(key=lambda t: t.start)
    return found


def _full_year(b: str, a: int | None) -> int:
    if len(b) == 2 and a is not None:
        return a // 100 * 100 + int(b)
    return int(b)


def _looks_like_number(text: str, m: re.Match[str]) -> bool:
    """A bare four-digit number that is a count or money, not a year ("$2020", "2020 people")."""
    before = text[max(0, m.start("a") - 2) : m.start("a")]
    if any(c in before for c in "$€£¥₽₹,."):
        return True
    after = text[m.end("a") : m.end("a") + 12].lower()
    return bool(re.match(r"\s*(?:%|per\s?cent|percent|million|billion|thousand)", after))
