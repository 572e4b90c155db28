"""Rules that find the checkable parts of a sentence: its quantities (its times:
``spinscope.model.times``).

Pure functions over a string, no model: a quantity is found only where the text writes a number
(in digits or words) or a multiplier verb ("tripled"); nothing is inferred that the text does not
say. Offsets are characters into the string given.
"""

from __future__ import annotations

import re

from spinscope.model.claim import Quantity

# times (and the dates whose days are not quantities) are read in spinscope.model.times
from spinscope.model.times import NUMWORD, TENS_WORDS, UNITS_WORDS, day_dates

# -- numbers -----------------------------------------------------------------------------------

SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12, "trn": 1e12,
}  # fmt: skip
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
MULTIPLIER_VERBS = {
    "doubled": 2, "doubling": 2, "doubles": 2, "double": 2,
    "tripled": 3, "tripling": 3, "triples": 3, "triple": 3, "trebled": 3,
    "quadrupled": 4, "quadrupling": 4, "quadruples": 4, "quadruple": 4,
    "halved": 0.5, "halving": 0.5, "halves": 0.5,
}  # fmt: skip
CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB",
                    "₹": "INR", "₸": "KZT"}  # fmt: skip
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "gbp": "GBP", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "cny": "CNY", "rouble": "RUB", "roubles": "RUB",
    "ruble": "RUB", "rubles": "RUB", "rub": "RUB", "rupee": "INR", "rupees": "INR",
    "inr": "INR", "tenge": "KZT", "kzt": "KZT", "hryvnia": "UAH", "hryvnias": "UAH",
    "uah": "UAH", "lira": "TRY", "francs": "CHF",
}  # fmt: skip
QUALIFIERS = {
    "nearly": "<~", "almost": "<~", "about": "~", "around": "~", "approximately": "~",
    "roughly": "~", "some": "~", "circa": "~", "close to": "<~", "an estimated": "~",
    "over": ">", "more than": ">", "above": ">", "exceeding": ">", "in excess of": ">",
    "upwards of": ">", "at least": ">=", "no less than": ">=", "less than": "<",
    "fewer than": "<", "below": "<", "under": "<", "up to": "<=", "at most": "<=",
    "no more than": "<=", "exceed": ">", "exceeds": ">", "surpass": ">",
}  # fmt: skip

_WORDNUM = rf"(?:(?:{NUMWORD})(?:[- ](?:{'|'.join(UNITS_WORDS)}))?)"
# Thousands grouped by commas ("1,500,000") or by a space, no-break space or narrow no-break
# space ("2 000", "1\u00a0500\u00a0000", as French, Russian and some English texts write them).
# Space groups are read conservatively: a head of 1-3 digits not starting with 0, with no digit,
# "+", "." or "," before it, nor a number and a space unless that number is a year ("in 2019
# 2 000 people"), groups of exactly three digits, each with no digit after it, and no further
# space and digit after the last; anything else is separate numbers ("24 7", "020 7946 0958",
# "+7 495 123 45 67", "07423 720 250").
_SP = "[ \u00a0\u202f]"
_SPACE_GROUPED = (
    rf"(?:(?<!\d{_SP})|(?<=(?<!\d)(?:1[89]|20)\d\d{_SP}))(?<![\d+.,])"
    rf"[1-9]\d{{0,2}}(?:{_SP}\d{{3}}(?!\d))+(?!{_SP}\d)"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|" + _SPACE_GROUPED + r"|\d+)(?:\.\d+)?"
_SCALE = r"(?:hundred|thousand|million|billion|trillion|mln|mn|bn|trn|tn)"
_SCALE_SHORT = r"(?:k|m|b)"
_CUR_SYM = r"(?:US\$|\$|€|£|¥|₽|₹|₸)"
_CUR_WORD = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
_QUAL = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_NUM = rf"(?:{_DIGITS}|{_WORDNUM}|a|an)"
_RANGE_SEP = r"\s*(?:-|–|—|to|and)\s*"

QUANTITY = re.compile(
    rf"""
    (?:(?P<qual>{_QUAL})\s+)?
    (?P<cur>{_CUR_SYM})?\s?
    (?P<num>{_NUM})
    (?:{_RANGE_SEP}(?P<cur2>{_CUR_SYM})?\s?(?P<num2>{_DIGITS}|{_WORDNUM}))?
    (?:\s?(?P<scale>{_SCALE})\b|(?P<scale_short>{_SCALE_SHORT})\b)?
    (?:
        \s?(?P<pct>%|\s?per\s?cent\b|\s?percent\b|\s?percentage\ points?\b|\s?pp\b)
      | \s+(?P<times>times\b|-?fold\b)
      | -(?P<fold>fold)\b
      | \s+(?P<curword>{_CUR_WORD})\b
    )?
    """,
    re.IGNORECASE | re.VERBOSE,
)
MULTIPLIER = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+)?\b(?P<verb>{'|'.join(MULTIPLIER_VERBS)})\b", re.IGNORECASE
)
ORDINAL = re.compile(
    rf"\b(?P<num>\d+)(?:st|nd|rd|th)\b|\b(?P<word>{'|'.join(ORDINAL_WORDS)})\b(?=\s+(?:\w+\s+)?"
    r"(?:visit|time|term|year|largest|biggest|place|round|meeting|summit|consecutive|highest|"
    r"lowest|most|quarter|half|anniversary|this|in|of|largest))",
    re.IGNORECASE,
)
VAGUE = re.compile(
    r"\b(?P<word>dozens|hundreds|thousands|millions|billions|tens of thousands|hundreds of "
    r"thousands)\s+of\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"^(?:1[89]\d\d|20\d\d)$")
# Every pattern below needs a digit or one of these words; a sentence with none has no quantity.
MAY_HAVE_NUMBER = re.compile(
    rf"\d|\b(?:{NUMWORD}|{'|'.join(MULTIPLIER_VERBS)}|{'|'.join(ORDINAL_WORDS)}|half|"
    r"third|thirds|quarter|quarters|fifth|tenth|dozens|hundreds|thousands|millions|billions|"
    r"tens|hundred|thousand|million|billion|trillion)\b",
    re.IGNORECASE,
)
FRACTIONS = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3,
             "two thirds": 2 / 3, "two-thirds": 2 / 3, "a quarter": 0.25, "one quarter": 0.25,
             "three quarters": 0.75, "a fifth": 0.2, "one fifth": 0.2, "a tenth": 0.1}  # fmt: skip
FRACTION = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+)?\b(?P<frac>{'|'.join(sorted(FRACTIONS, key=len, reverse=True))})\b"
    r"(?=\s+(?:of|the|as|in|since|from|to|over)\b|[.,;]|$)",
    re.IGNORECASE,
)
ONE_IN = re.compile(
    rf"\b(?P<a>{_DIGITS}|{_WORDNUM})\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<b>{_DIGITS}|{_WORDNUM})\b",
    re.IGNORECASE,
)


def word_number(word: str) -> float | None:
    """``three`` -> 3, ``twenty-five`` -> 25, ``a`` -> 1; None if not a number word."""
    w = word.lower().replace("-", " ").split()
    if w in (["a"], ["an"]):
        return 1.0
    total = 0.0
    for part in w:
        if part in UNITS_WORDS:
            total += UNITS_WORDS[part]
        elif part in TENS_WORDS:
            total += TENS_WORDS[part]
        else:
            return None
    return total


def parse_number(text: str) -> float | None:
    text = text.strip()
    if re.fullmatch(_DIGITS, text):
        return float(re.sub(r"[,\s]", "", text))
    return word_number(text)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity stated in ``text``, left to right, without overlaps."""
    if not MAY_HAVE_NUMBER.search(text):
        return []  # the common case, decided by one cheap scan
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = [(s, e) for s, e, _ in day_dates(text)]  # "May 8": a time

    def add(q: Quantity) -> None:
        if any(q.start < e and s < q.end for s, e in taken):
            return
        taken.append((q.start, q.end))
        found.append(q)

    for m in MULTIPLIER.finditer(text):
        add(_quantity(text, m.start(), m.end(), MULTIPLIER_VERBS[m["verb"].lower()],
                      "multiplier", "x", m["qual"]))  # fmt: skip
    for m in ONE_IN.finditer(text):
        a, b = parse_number(m["a"]), parse_number(m["b"])
        if a is not None and b and a < b and not YEAR.match(m["b"]):
            add(_quantity(text, m.start(), m.end(), a / b, "ratio", None, None))
    for m in FRACTION.finditer(text):
        add(_quantity(text, m.start(), m.end(), FRACTIONS[m["frac"].lower()], "ratio", None,
                      m["qual"]))  # fmt: skip
    for m in VAGUE.finditer(text):
        word = m["word"].lower()
        value = 1e4 if word.startswith("tens") else 1e5 if word.startswith("hundreds of") else {
            "dozens": 12, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9
        }[word]  # fmt: skip
        unit = _count_unit(text, m.end())
        add(_quantity(text, m.start("word"), m.end("word"), value, "count", unit, "at least"))
    for m in QUANTITY.finditer(text):
        q = _from_match(text, m)
        if q is not None:
            add(q)
    for m in ORDINAL.finditer(text):
        value = float(m["num"]) if m["num"] else float(ORDINAL_WORDS[m["word"].lower()])
        add(_quantity(text, m.start(), m.end(), value, "ordinal", None, None))
    found.sort(key=lambda q: q.start)
    return found


def _quantity(
    text: str,
    start: int,
    end: int,
    value: float | str,
    kind: str,
    unit: str | None,
    qual: str | None,
    low: float | None = None,
    high: float | None = None,
) -> Quantity:
    return Quantity(
        start=start,
        end=end,
        text=text[start:end],
        value=float(value),
        kind=kind,
        unit=unit,
        low=low,
        high=high,
        qualifier=QUALIFIERS.get(qual.lower()) if qual else None,
    )


def _from_match(text: str, m: re.Match[str]) -> Quantity | None:
    num = m["num"]
    if not num or not num.strip():
        return None
    is_word = not num[0].isdigit()
    if num.lower() in ("a", "an") and not (m["scale"] or m["times"]):
        return None  # "a" alone is an article, not a number
    # a number glued to letters ("G20", "4x4", "COVID-19") is a name, not a quantity
    before = text[m.start("num") - 1] if m.start("num") > 0 else " "
    if before.isalpha() or (before in "-/:" and not m["cur"]):
        return None
    after_end = m.end()
    if after_end < len(text) and (text[after_end].isalnum() and not is_word):
        return None
    if text[after_end : after_end + 1] in ":/" and text[after_end + 1 : after_end + 2].isdigit():
        return None  # a clock time, or a date or phrase with a slash ("9/11", "24/7")
    if before == "[" and text[after_end : after_end + 1] == "]":
        return None  # a footnote mark ("[2]")
    value = parse_number(num)
    if value is None:
        return None
    scale = (m["scale"] or m["scale_short"] or "").lower()
    has_unit = bool(m["cur"] or m["cur2"] or m["pct"] or m["times"] or m["fold"] or m["curword"])
    if m["scale_short"] and not (m["cur"] or m["curword"]):
        return None  # "5m" is metres or a name unless money is said
    if not has_unit and not scale and is_word and m["num2"] is None:
        # number words alone: keep them (counts), except "one" and the pronoun-like uses
        if value < 2 or _definite_before(text, m.start("num")):
            return None
    if not has_unit and not scale and not is_word:
        if YEAR.match(num) and m["num2"] is None:
            return None  # a year is a time, not a quantity
        if (
            m["num2"] is not None
            and YEAR.match(num)
            and (YEAR.match(m["num2"]) or not m["num2"].isdigit())
        ):
            return None  # "2015-2021" is a time range; "2018 - 52 349" a year and a figure
        if re.fullmatch(r"\d{1,2}:\d{2}", text[m.start("num") : m.end("num") + 3]):
            return None
    mult = SCALES.get(scale, 1.0)
    low = high = None
    if m["num2"]:
        v2 = parse_number(m["num2"])
        if v2 is None or v2 < value:
            return None  # "5-3" is a score or a date, not a range
        low, high = value * mult, v2 * mult
        value = (low + high) / 2
    else:
        value *= mult
    start = m.start("qual") if m["qual"] else (m.start("cur") if m["cur"] else m.start("num"))
    end = m.end()
    while end > start and text[end - 1] in " -":
        end -= 1
    kind, unit = _kind_and_unit(text, m, start, end)
    return _quantity(text, start, end, value, kind, unit, m["qual"], low, high)


def _kind_and_unit(text: str, m: re.Match[str], start: int, end: int) -> tuple[str, str | None]:
    """What the matched number measures: money (its currency), percent or points, a multiplier,
    or a count (its unit, where a noun follows) or rank ("top 10")."""
    if m["cur"] or m["cur2"]:
        return "money", CURRENCY_SYMBOLS.get((m["cur"] or m["cur2"]).upper(), "USD")
    if m["curword"]:
        return "money", CURRENCY_WORDS[m["curword"].lower()]
    if m["pct"]:
        points = "point" in m["pct"].lower() or m["pct"].strip().lower() == "pp"
        return ("percentage_points", "pp") if points else ("percent", "%")
    if m["times"] or m["fold"]:
        return "multiplier", "x"
    kind = "count"
    unit = _count_unit(text, end)
    if text[max(0, start - 4) : start].lower() == "top ":
        kind = "rank"
    return kind, unit


def _definite_before(text: str, i: int) -> bool:
    prev = text[max(0, i - 12) : i].lower().split()
    return bool(prev) and prev[-1] in ("the", "these", "those", "both", "its", "their", "our")


_PLURALS = {"people", "children", "men", "women", "police", "staff", "personnel", "cattle"}
_UNIT_STOP = {"of", "in", "to", "and", "or", "by", "for", "with", "from", "on", "at", "as", "the",
              # a verb or pronoun after a number is the clause going on, not what it counts
              # ("12 were sunk", "9 of which had eggs", "five of these were closed")
              "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would",
              "can", "could", "may", "might", "should", "must", "do", "does", "did", "he",
              "she", "it", "they", "we", "you", "who", "which", "that", "these", "those",
              "this"}  # fmt: skip


# units of measure written in the singular or short: the unit alone, not the word after it
# ("450 m long", "300 g sugar", "35 km north"); plurals already end the unit
_MEASURES = {"m", "km", "cm", "mm", "mi", "ft", "g", "kg", "mg", "lb", "oz", "ha", "l", "ml",
             "kw", "kwh", "mw", "gw", "mph", "metre", "meter", "kilometre", "kilometer", "mile",
             "gram", "kilogram", "tonne", "ton", "hectare", "acre", "litre", "liter", "degree",
             "foot", "inch", "gallon", "barrel"}  # fmt: skip


def _count_unit(text: str, end: int) -> str | None:
    """The noun a count counts: the next one or two words ("49 joint projects")."""
    if text[end : end + 1] == "-":  # "a six-country alliance"
        m = re.match(r"-([A-Za-z]+)", text[end:])
        return m[1] if m else None
    tail = text[end : end + 40]
    if tail.lstrip().lower().startswith("of "):
        tail = tail.lstrip()[3:]
    if not re.match(r"\s*[A-Za-z]", tail):
        return None  # "Lisbon (4), Porto (2)", "Silva, 41, said": the noun follows the number
    words = re.findall(r"[A-Za-z][\w'-]*", tail)
    out = []
    for w in words[:2]:
        if w.lower() in _UNIT_STOP:
            break
        out.append(w)
        if w.lower().endswith("s") or w.lower() in _PLURALS or w.lower() in _MEASURES:
            break  # "workers", "people": the noun itself, not the verb after it
    return " ".join(out) or None
