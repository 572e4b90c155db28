"""The period a figure is about, so that the side-by-side view compares figures of one period.

A news report often gives background figures about an earlier event next to the figures of its
own: "When a small outbreak hit the DRC last year, eight people were infected" beside "44
people have been infected"; "The outbreak in West Africa began in 2014. More than 11,300 people
died" beside "23 people are known to have died". The claims analyser attaches a time to a
figure only within the figure's own clause, so such figures had no time and were compared with
the current ones.

A figure's period is its own time when it has one. Otherwise it is a past time named before the
figure in its sentence ("When ... last year, eight people ..."), or, when its sentence names no
time at all, a past time named in the sentence before ("... began in 2014. More than 11,300
people died"). A past time is "last year", "last month", "the previous week" and the like, or
a time whose years all lie before the article's year (its publication year, else the latest
year it names). Figures are compared only within one period (``story_view.figure_groups``), so
a background figure is compared only with figures about the same past time. A day of the
article's own period ("684 cases on October 12"), or a month named without a year ("in July"),
is not a period: it stays comparable with the event's figures of other days.
"""

from __future__ import annotations

import re
from typing import Any

from spinscope.model.times import MONTH, day_dates, find_times

_PAST = re.compile(r"\b(?:last|previous)\s+(?:year|month|week|decade|spring|summer|autumn|fall|"
                   r"winter)\b", re.I)  # fmt: skip
_YEAR_KINDS = ("point", "range", "since")  # times that place the article in a year
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_ANY_MONTH = re.compile(rf"\b{MONTH}(?![A-Za-z])")


def article_year(text: str, published: str | None = None) -> int | None:
    """The year an article is written in: its publication year, else the latest year it names
    (a date such as "May 8, 2018", a point, a range or "since"; not "by 2030"), else None."""
    if published:
        return int(str(published)[:4])
    years = [y for t in find_times(text) if t.kind in _YEAR_KINDS
             for y in (t.start_year, t.end_year) if y is not None]  # fmt: skip
    return max(years) if years else None


def is_past(time: Any, year: int | None) -> bool:
    """A time before the article's own: "last year", "the previous month", or years that all lie
    before ``year`` (unknown ``year``: only the words count)."""
    if _PAST.search(time.text):
        return True
    years = [y for y in (time.start_year, time.end_year) if y is not None]
    return bool(years) and year is not None and max(years) < year


def is_day(time: Any) -> bool:
    """A date with a day ("October 12", "May 8, 2018", "the 8th of May")."""
    return any(s == 0 and e == len(time.text) for s, e, _ in day_dates(time.text))


def is_own_date(time: Any) -> bool:
    """A day ("October 12") or a month named without a year ("in July"): a date within the
    article's own period unless it is past (``is_past``), so not a period of its own."""
    if is_day(time):
        return True
    return time.start_year is None and time.end_year is None and bool(_ANY_MONTH.search(time.text))


def period_text(time: Any) -> str:
    """A time as a period key: its text, lower-cased and with spaces collapsed."""
    return " ".join(time.text.lower().split())


def figure_period(fig: Any, claim: Any, doc_text: str, year: int | None) -> str | None:
    """The period a figure is about (see the module): its own time, else a past time before it
    in its sentence, else (its sentence naming no time) a past time of the sentence before;
    None when there is none. A day of the article's own period ("684 cases on October 12", "the
    Oct. 1 shooting that killed 58") is no period of its own: the event's figures of other days
    are still compared with it (a count that grew is a difference to show, not another period)."""
    if fig.time is not None and not (is_own_date(fig.time) and not is_past(fig.time, year)):
        return period_text(fig.time)
    before = [t for t in claim.times if t.end <= fig.quantity.start and is_past(t, year)]
    if before:
        return period_text(before[-1])
    if claim.times:
        return None
    previous = [s for s in _SENTENCE_END.split(doc_text[: claim.start]) if s.strip()]
    past = [t for t in find_times(previous[-1]) if is_past(t, year)] if previous else []
    return period_text(past[-1]) if past else None
