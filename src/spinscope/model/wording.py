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
