"""Small wording helpers shared by every view (terminal, HTML, web app, CLI summaries)."""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL and C1 controls: ESC and CSI start terminal commands,
# so text from an article, a feed or a server never reaches a terminal with them in it. Also the
# bidi embeddings, overrides and isolates (U+202A-E, U+2066-9): a terminal that does bidi keeps
# their state to the end of the line, so they could reorder the table columns and scores printed
# after them (joiners and the LRM/RLM marks are text and stay)
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Nouns whose plural is not the singular + "s".
IRREGULAR = {"entry": "entries", "query": "queries", "analysis": "analyses", "story": "stories"}


def plural(n: int, singular: str, many: str | None = None) -> str:
    """``n`` with the noun in the right number: ``plural(1, "finding") == "1 finding"``,
    ``plural(0, "finding") == "0 findings"``; ``many`` gives an irregular plural."""
    if n == 1:
        return f"{n} {singular}"
    return f"{n} {many or IRREGULAR.get(singular, singular + 's')}"


# bidi openers and what closes each: embeddings and overrides (U+202A/B/D/E) end at a PDF, the
# isolates (U+2066-8) at a PDI, which also ends the embeddings opened inside them
_PDF, _PDI = "\u202c", "\u2069"
_BIDI_OPENERS = dict.fromkeys("\u202a\u202b\u202d\u202e", _PDF) | dict.fromkeys(
    "\u2066\u2067\u2068", _PDI
)
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def close_bidi(text: str) -> str:
    """``text`` with the bidi embeddings, overrides and isolates it leaves open closed at its
    end, so that a piece of an article shown between a view's own words (a quote cut short,
    in a table) cannot reorder the words after it."""
    if not _BIDI.search(text):
        return text
    stack: list[str] = []
    for char in _BIDI.findall(text):
        if char in _BIDI_OPENERS:
            stack.append(_BIDI_OPENERS[char])
        elif char == _PDF and stack and stack[-1] == _PDF:
            stack.pop()
        elif char == _PDI and _PDI in stack:
            while stack.pop() != _PDI:
                pass
    return text + "".join(reversed(stack))
