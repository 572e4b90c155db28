"""Private: the paragraphs and sentences the paragraph technique model reads (offsets into
the text)."""

from __future__ import annotations

import re

MAX_SENTENCE_WORDS = 80  # a longer sentence is cut into pieces of this many words


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of a paragraph as (start, end); the whole trimmed paragraph when it has no
    sentence of three words (a title, a slogan)."""
    from spinscope.analysis.claims import sentences

    spans = sentences(text)
    if not spans:
        m = re.search(r"\S(.*\S)?", text, re.S)
        spans = [(m.start(), m.end())] if m else []
    out = []
    for s, e in spans:  # cut very long sentences by words
        words = list(re.finditer(r"\S+", text[s:e]))
        for k in range(0, len(words), MAX_SENTENCE_WORDS):
            part = words[k : k + MAX_SENTENCE_WORDS]
            out.append((s + part[0].start(), s + part[-1].end()))
    return out


def sentence_texts(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)] or [" "]


_ENDS = tuple(".!?:;\"'”’»)…")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs as (start, end): each non-empty line (as in SemEval-2023 ST3), except that a
    line not ending a sentence is joined with a next line that starts in lower case (a hard
    wrap)."""
    out: list[tuple[int, int]] = []
    pos = 0
    joinable = False
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            joinable = False
            continue
        lead = start + len(line) - len(line.lstrip())
        trail = start + len(line.rstrip())
        if out and joinable and stripped[0].islower():
            out[-1] = (out[-1][0], trail)
        else:
            out.append((lead, trail))
        joinable = not stripped.endswith(_ENDS)
    return out


def line_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every line of ``text`` split on ``\\n`` (empty ones included)."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out
