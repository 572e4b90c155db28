"""Whose words each technique finding is in: the author's, a quote's or reported speech's.

A persuasion technique inside a quotation is the speaker's, not the author's ("fake news" in a
court report is Trump's); a fact-checker weighs it differently. This step runs once after the
analysers (they stay pure and know nothing of it) and gives every finding:

- ``voice="quote"`` where most of its span lies inside quotation marks;
- ``voice="reported"`` where most of it lies in what a sentence reports someone as saying
  without quotation marks ("But he said [the White House did not provide Acosta with due
  process]", "[inflation rose], according to the IMF");
- ``voice="author"`` otherwise;

and ``speaker``, the name of who is quoted or reported where the text says it. Speakers come
from the claims analyser's attribution (``claims.attribution.attribution`` and its ``Referents``),
the one mechanism for "who says this" in spinscope. A quote without a speech verb of its own
continues the quote before it ("“We are gratified…,” a CNN representative said. “Our sincere
thanks…”").

Only English sentences are parsed for speech (the parse and the speech verbs are English); in
other languages a finding is a quote or the author's, by the quotation marks alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace

from spinscope.analysis.claims import attribution as attribution_
from spinscope.analysis.claims import parsing
from spinscope.analysis.claims import quotes as quotes_
from spinscope.analysis.claims import referents as referents_
from spinscope.model.claim import Attribution, Mention
from spinscope.model.document import Finding

VOICES = ("author", "quote", "reported")
VIEWS = ("author", "all")
_NAME_COLON = re.compile(r"([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})\s*:\s*$")
MAX_BLOCK_LINES = 12
CLOSING = "”\"’'»"


def assign(
    text: str,
    findings: Sequence[Finding],
    *,
    english: Callable[[int], bool] | None = None,
) -> list[Finding]:
    """``findings`` with ``voice`` and ``speaker`` set (see the module docstring). ``english``
    says whether the paragraph at a character offset is English (all of it where None)."""
    if not findings:
        return list(findings)
    return _Voices(text, english or (lambda _: True)).assign(findings)


def speakers(text: str, spans: Sequence[tuple[int, int]]) -> list[str | None]:
    """Who speaks in each sentence ``[start, end)`` of ``text``: the speaker its attribution
    names (the claims analyser's), else, for a sentence mostly inside quotation marks, the
    quote's speaker (a quote that goes on from an earlier sentence, or one a colon introduces);
    None where nobody is named."""
    voices = _Voices(text, lambda _: True)
    return [voices.speaker(start, end) for start, end in spans]


def speaker_name(attribution: Attribution, text: str) -> str | None:
    """The name of who speaks: the fullest mention linked to the speaker, else the speaker's own
    words unless they are a bare pronoun ("he" without an antecedent names nobody)."""
    m = attribution.entity or attribution.speaker
    if m is None:
        return None
    name = text[m.start : m.end]
    return None if name.lower() in parsing.SPEAKER_PRONOUNS else name


class _Voices:
    def __init__(self, text: str, english: Callable[[int], bool]) -> None:
        self.text = text
        self.english = english
        self.referents = referents_.referents(text)
        self.spans = self.referents.sentences
        self.starts = [s for s, _ in self.spans]
        self.quotes = self.referents.quotes
        self._block_speaker: dict[int, str | None] = {}
        self._parsed: dict[int, tuple[Attribution, list[tuple[int, int]] | None]] = {}
        self._quote_speaker: dict[int, str | None] = {}
        blocks = self._block_quotes()
        if blocks:
            self.quotes = sorted(self.quotes + blocks)

    def assign(self, findings: Sequence[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            said_as, speaker = self.voice(f.start, f.end)
            out.append(replace(f, voice=said_as, speaker=speaker))
        return out

    def voice(self, start: int, end: int) -> tuple[str, str | None]:
        half = (end - start) / 2
        if quotes_.inside(self.quotes, start, end) >= half:
            overlaps = [
                (min(end, b) - max(start, a), i) for i, (a, b) in enumerate(self.quotes)
                if a < end and start < b
            ]  # fmt: skip
            return "quote", self.quote_speaker(max(overlaps)[1])
        k = self.sentence_at(start)
        if k is not None:
            attribution, region = self.attribution(k)
            if region and quotes_.inside(region, start, end) >= half:
                return "reported", speaker_name(attribution, self.text)
        return "author", None

    def speaker(self, start: int, end: int) -> str | None:
        """Who speaks in the sentence at ``[start, end)`` (see ``speakers``)."""
        k = self.sentence_at(start)
        if k is not None:
            attribution, _ = self.attribution(k)
            if attribution.kind != "author":
                return speaker_name(attribution, self.text)
            start, end = self.spans[k]
        said_as, who = self.voice(start, end)
        return who if said_as == "quote" else None

    def sentence_at(self, pos: int) -> int | None:
        k = bisect_right(self.starts, pos) - 1
        if k < 0 or pos >= self.spans[k][1]:
            return None
        return k

    def attribution(self, k: int) -> tuple[Attribution, list[tuple[int, int]] | None]:
        """The attribution of sentence ``k`` and the spans of what it reports (parsed once)."""
        if k not in self._parsed:
            s, e = self.spans[k]
            piece = self.text[s:e]
            if not (self.english(s) and parsing.speech_cue(piece)):
                self._parsed[k] = (Attribution("author"), None)
            else:
                parsed = parsing.parse(parsing.parse_form(piece))
                self._parsed[k] = (
                    attribution_.attribution(parsed, s, self.referents),
                    attribution_.reported_span(parsed, s, self.quotes),
                )
        return self._parsed[k]

    def quote_speaker(self, i: int) -> str | None:
        """Who speaks quote ``i``: the speaker of a sentence it overlaps (or of the sentence right
        after it: "'... anyone?' | Trump wrote"), named outside the quote; else, for a quote
        left open at the end of its paragraph, the speaker of the quote that goes on in the next
        one; else the speaker of the quote just before it, where this one continues it."""
        if i not in self._quote_speaker:
            self._quote_speaker[i] = None  # no cycles
            self._quote_speaker[i] = self._find_quote_speaker(i)
        return self._quote_speaker[i]

    def _block_quotes(self) -> list[tuple[int, int]]:
        """Quotes set off without quotation marks after a sentence that introduces them with a
        colon ("He told Sputnik:" or "Fox News reports:" and the paragraph after it): the next
        paragraph where paragraphs are separated by blank lines, else (one sentence a line) the
        lines up to a short or bracketed line, a quotation mark or another such colon, at most
        ``MAX_BLOCK_LINES``."""
        out = []
        for k, (s, e) in enumerate(self.spans):
            piece = self.text[s:e]
            line_end = self.text.find("\n", e)
            if not piece.endswith(":") or line_end < 0 or self.text[e:line_end].strip():
                continue
            if not (self.english(s) and parsing.speech_cue(piece)):
                continue
            attribution, _ = self.attribution(k)
            if attribution.kind == "author":
                continue
            region = self._block_after(line_end + 1)
            if region is not None:
                out.append(region)
                self._block_speaker[region[0]] = speaker_name(attribution, self.text)
        return out

    def _block_after(self, pos: int) -> tuple[int, int] | None:
        blank = self.text.startswith("\n", pos)
        lines, start, end = 0, None, pos
        for line in self.text[pos:].split("\n"):
            words = line.split()
            stop = (
                len(words) <= 3 or line.lstrip()[:1] in "(—–-\"“‘'" or line.rstrip().endswith(":")
            )
            if not words and blank and start is None:
                end += len(line) + 1
                continue
            if stop or lines >= MAX_BLOCK_LINES:
                break
            lead = len(line) - len(line.lstrip())
            start = end + lead if start is None else start
            lines += 1
            last = end + len(line.rstrip())
            end += len(line) + 1
            if blank:
                break
        return (start, last) if start is not None else None

    def _find_quote_speaker(self, i: int) -> str | None:
        a, b = self.quotes[i]
        if a in self._block_speaker:
            return self._block_speaker[a]
        found = self._direct(i)
        if found is None and self.text[b - 1] not in CLOSING and i + 1 < len(self.quotes):
            gap = self.text[b : self.quotes[i + 1][0]]
            if not gap.strip() and gap.count("\n") == 1:  # the quote goes on in the next paragraph
                found = self._direct(i + 1)
        first = self.sentence_at(a)
        if found is None:
            found = self._introduced(a, first)
        if found is None and first is not None:
            found = self._continued(i, first)
        return found

    def _introduced(self, a: int, first: int | None) -> str | None:
        """The speaker a colon introduces the quote at ``a`` with: "Monahan: “I called a
        friend”", or a sentence ending "... told Sputnik:" right before it."""
        line_start = self.text.rfind("\n", 0, a) + 1
        named = _NAME_COLON.search(self.text[line_start:a])
        if named is not None:
            m = Mention(line_start + named.start(1), line_start + named.end(1), named[1])
            return speaker_name(Attribution("quote", m, self.referents.link(m)), self.text)
        if first is None or first == 0 or self.text[self.spans[first][0] : a].strip():
            return None
        s, e = self.spans[first - 1]
        if not self.text[s:e].rstrip().endswith(":"):
            return None
        attribution, _ = self.attribution(first - 1)
        return speaker_name(attribution, self.text) if attribution.kind != "author" else None

    def _direct(self, i: int) -> str | None:
        """The speaker a sentence of quote ``i`` (or the one right after it) names."""
        a, b = self.quotes[i]
        first, last = self.sentence_at(a), self.sentence_at(max(a, b - 1))
        if first is None or last is None:
            return None
        for k in range(first, min(last + 2, len(self.spans))):
            if k > last and not self._follows(b, self.spans[k][0]):
                break
            attribution, _ = self.attribution(k)
            who = attribution.speaker
            if attribution.kind != "author" and who is not None and not a <= who.start < b:
                return speaker_name(attribution, self.text)
        return None

    def _follows(self, end: int, start: int) -> bool:
        """Whether a sentence starting at ``start`` goes on right where a quote ends (only
        spaces between, no paragraph break)."""
        gap = self.text[end:start]
        return "\n" not in gap and not gap.strip()

    def _continued(self, i: int, first: int) -> str | None:
        """The speaker of quote ``i - 1`` where quote ``i`` opens the sentence right after the
        one that quote ends in, and nothing but quotes was said in between."""
        if i == 0 or first == 0:
            return None
        pa, pb = self.quotes[i - 1]
        prev = self.sentence_at(max(pa, pb - 1))
        if prev is None:
            return None
        s = self.spans[first][0]
        opens = not self.text[s : self.quotes[i][0]].strip()
        near = prev in (first - 1, first - 2)
        return self.quote_speaker(i - 1) if opens and near else None


__all__ = ["VIEWS", "VOICES", "assign", "speaker_name", "speakers"]
