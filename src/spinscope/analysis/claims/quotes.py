"""Where a text quotes: the spans inside quotation marks, and how much of a span lies in them."""

from __future__ import annotations

import re
from collections.abc import Iterator


def quote_regions(text: str) -> list[tuple[int, int]]:
    """The spans ``[start, end)`` inside quotation marks, marks included, in order.

    Double quotes (curly, or straight ones told open or closing by the characters around them)
    nest, and may run over paragraphs: a quote opened and closed some paragraphs later covers
    the paragraphs between (a statement split into one sentence a line); a paragraph that opens
    with a quotation mark while a quote is open goes on with it (the convention of a quote over
    several paragraphs), and a closing mark with no opening one closes a quote that began at its
    paragraph's start. A quote left open ends with its paragraph. Single quotes (‘…’ or '…', told
    from apostrophes by the letters around them) count within a paragraph, outside double
    quotes."""
    double = _double_regions(text)
    out = list(double)
    for pstart, para in _paragraphs(text):
        out += [
            (pstart + a, pstart + b) for a, b in _pairs(para, _SINGLE_OPEN, _SINGLE_CLOSE)
            if not any(x <= pstart + a < y for x, y in double)
        ]  # fmt: skip
    return sorted(out)


_SINGLE_OPEN = re.compile(r"‘|(?<![\w’'])'(?=[^\W\d_]|\d|[\"“])|(?<![\w’'])’(?=[^\W\d_])")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?;:)\"”])['’](?![^\W\d_])")
_DOUBLE = re.compile(r'[“”„«»"]')
MAX_QUOTE_PARAGRAPHS = 8  # a quote closing further on is a typo, not one statement


def _double_marks(text: str) -> list[tuple[int, bool]]:
    """(position, opens) of each double quotation mark; a straight one opens after a space or
    an opening bracket and before a non-space, and closes otherwise."""
    out = []
    for m in _DOUBLE.finditer(text):
        i, c = m.start(), m[0]
        if c != '"':
            out.append((i, c in "“„«"))
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if after.isspace() and before.isspace():
            continue
        out.append((i, (before.isspace() or before in "([{—–/:") and not after.isspace()))
    return out


def _line_end(text: str, i: int) -> int:
    """The end of the paragraph holding ``i``, trailing spaces left out."""
    end = text.find("\n", i)
    end = len(text) if end < 0 else end
    while end > i and text[end - 1].isspace():
        end -= 1
    return end


def _double_regions(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, opens in _double_marks(text):
        if depth and "\n" in text[start:i]:
            line_start = text.rfind("\n", 0, i) + 1
            reopens = opens and not text[line_start:i].strip()
            far = text.count("\n", start, i) > MAX_QUOTE_PARAGRAPHS
            if reopens or far or opens:  # the open quote ended with a paragraph
                cut = _line_end(text, start) if (far or not reopens) else line_start - 1
                out.append((start, max(cut, start + 1)))
                depth = 0
        if opens:
            start = i if depth == 0 else start
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
        else:  # a closing mark alone: the quote began at the paragraph's start
            line_start = text.rfind("\n", 0, i) + 1
            lead = line_start + len(text[line_start:i]) - len(text[line_start:i].lstrip())
            if lead < i and not any(a < i <= b for a, b in out):
                out.append((lead, i + 1))
    if depth:
        out.append((start, max(_line_end(text, start), start + 1)))
    return out


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _pairs(para: str, opening: re.Pattern[str], closing: re.Pattern[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        o = opening.search(para, pos)
        if o is None:
            return out
        c = closing.search(para, o.end())
        end = c.end() if c else len(para.rstrip())
        if end > o.start():
            out.append((o.start(), end))
        if c is None:
            return out
        pos = c.end()


def inside(regions: list[tuple[int, int]], start: int, end: int) -> int:
    """How many characters of ``[start, end)`` lie inside ``regions`` (sorted, disjoint)."""
    return sum(max(0, min(end, b) - max(start, a)) for a, b in regions if a < end and start < b)
