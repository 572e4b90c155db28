"""Public: span geometry: windows over a text's word pieces, sentence starts, token ranges of
character spans, snapping spans to whole words, and runs of flagged tokens.

Training imports the windowing from here too, so that a model sees the same windows in training
and at inference. Long texts are cut into windows of ``window`` word pieces that overlap by
``window - stride``; every word piece of the text is in at least one window, and token scores
from overlapping windows are averaged.
"""

from __future__ import annotations

import re

import numpy as np

from spinscope.analysis.encoder import Encoded, Window


def windows(n_tokens: int, window: int, stride: int) -> list[Window]:
    """Overlapping windows that together cover every one of ``n_tokens`` word pieces."""
    size = window - 2  # room for [CLS] and [SEP]
    if n_tokens <= size:
        return [Window(0, n_tokens)]
    out = []
    lo = 0
    while True:
        hi = min(lo + size, n_tokens)
        out.append(Window(lo, hi))
        if hi == n_tokens:
            return out
        lo += stride


# A sentence ends at a line break, or after . ! ? (and closing quotes/brackets) before a space,
# unless ``_abbreviation_before`` says the full stop ends an abbreviation, not a sentence.
SENTENCE_END = re.compile(r"\n+|(?<=[.!?])[\"'\u201d\u2019)\]]*\s+")

# Titles before a name: their full stop never ends a sentence ("Mr. Smith", "Gen. Milley").
TITLES = frozenset(
    "mr mrs ms messrs dr prof gen sen rep gov lt col sgt capt cmdr adm maj rev fr hon pres "
    "supt atty insp det st mt ft".split()
)
# Abbreviations that come before a number: "Nov. 7", "Jan. 2024", "No. 10", "p. 4".
BEFORE_NUMBER = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos p pp vol fig art sec ch para "
    "approx est".split()
)
# After an acronym ("U.S.") or an initial ("J."), these words start a new sentence; any other
# capitalised word continues it ("U.S. President Joe Biden", "J. K. Rowling").
SENTENCE_OPENERS = frozenset(
    "the a an he she it they we i you but and or so yet this that these those there then "
    "in on at as if when while after before however meanwhile still his her its their our "
    "my one some many most no not what who why how".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z]+(?:\.[A-Za-z]+)*)\.$")
_NEXT_WORD = re.compile(r"\S+")


def _abbreviation_before(text: str, dot: int, after: int) -> bool:
    """Whether the full stop at ``text[dot]`` ends an abbreviation inside a sentence rather than
    the sentence, given that the next sentence would start at ``after``."""
    word = _WORD_BEFORE.search(text, max(0, dot - 24), dot + 1)
    if word is None or (word.start() > 0 and not text[word.start() - 1].isspace()
                        and text[word.start() - 1] not in "\"'(\u201c\u2018"):  # fmt: skip
        return False
    token = word[1].lower()
    nxt = _NEXT_WORD.match(text, after)
    following = nxt[0] if nxt else ""
    if not following or not (following[0].isalnum()):
        return token in TITLES
    if following[0].islower():  # "approx. five", "vs. the", "e.g. a"
        return True
    if token in TITLES:
        return True
    if following[0].isdigit():
        return token in BEFORE_NUMBER
    initials = "." in token or (len(token) == 1 and word[1].isupper())  # "U.S.", "J."
    return initials and following.strip("\"'\u201c\u2018(").lower() not in SENTENCE_OPENERS


def sentence_starts(text: str) -> np.ndarray:
    """Character offsets where sentences start (always including 0).

    A full stop after an abbreviation does not end a sentence: "Mr. Smith", "Nov. 7",
    "Jan. 2024", "No. 10", "U.S. President" stay in one sentence.
    """
    starts = [0]
    for m in SENTENCE_END.finditer(text):
        # only a full stop right before plain spaces can end an abbreviation; a line break or a
        # closing quote always ends the sentence
        dot = m.start() - 1
        inline = "\n" not in m[0] and m[0][0].isspace()
        if inline and text[dot] == "." and _abbreviation_before(text, dot, m.end()):
            continue
        starts.append(m.end())
    return np.asarray(starts, dtype=np.int64)


def window_starts(text: str) -> np.ndarray:
    """Where the tagger's one-window-a-sentence reading cuts a text: at every match of
    ``SENTENCE_END``, abbreviations included ("Mr. | Smith").

    The shipped tagger was trained on these windows, and its span labeller on the sentence
    around each span cut the same way; reading them with ``sentence_starts`` instead cost 0.004
    SI F1 and 0.002 full-task F1 on PTC dev (bench/sentence_split_quality.py), so model inputs
    keep the cuts the models learnt with until they are retrained. Sentences shown to people
    (claims, framing evidence, roles) come from ``sentence_starts``.
    """
    return np.asarray([0] + [m.end() for m in SENTENCE_END.finditer(text)], dtype=np.int64)


def sentence_token_starts(text: str, enc: Encoded) -> np.ndarray:
    """Indices of the word pieces that begin a tagger window's sentence (after the first; see
    ``window_starts``)."""
    if len(enc.ids) == 0:
        return np.zeros(0, np.int64)
    sentence = np.searchsorted(window_starts(text), enc.offsets[:, 0], side="right") - 1
    return np.nonzero(np.diff(sentence))[0] + 1


def text_windows(
    text: str, enc: Encoded, window: int, stride: int, *, by_sentence: bool = False
) -> list[Window]:
    """The windows a text is read in: fixed overlapping windows, or one window a sentence
    (a sentence longer than a window gets overlapping windows of its own)."""
    n = len(enc.ids)
    if not by_sentence or n == 0:
        return windows(n, window, stride) if n else []
    cuts = [0] + [int(i) for i in sentence_token_starts(text, enc)] + [n]
    out = []
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        out += [Window(lo + w.lo, lo + w.hi) for w in windows(hi - lo, window, stride)]
    return out


def merge_windows(per_window: list[np.ndarray], wins: list[Window], n_tokens: int) -> np.ndarray:
    """Average per-token rows of overlapping windows back onto the text's word pieces.

    ``per_window[i]`` has one row per word piece of window i (special tokens already removed).
    """
    dim = per_window[0].shape[-1]
    total = np.zeros((n_tokens, dim), dtype=np.float32)
    count = np.zeros((n_tokens, 1), dtype=np.float32)
    for rows, w in zip(per_window, wins, strict=True):
        total[w.lo : w.hi] += rows
        count[w.lo : w.hi] += 1
    return total / np.maximum(count, 1)


def token_range(offsets: np.ndarray, start: int, end: int) -> tuple[int, int] | None:
    """Word pieces ``[i, j)`` that overlap the character span ``[start, end)``.

    Offsets in text order (as a tokenizer gives them: starts and ends both non-decreasing) are
    searched by bisection, so that a long text's many spans cost ``O(log n)`` each; any other
    offsets by a scan of every word piece.
    """
    if not _in_order(offsets):
        hit = np.nonzero((offsets[:, 0] < end) & (offsets[:, 1] > start))[0]
        return (int(hit[0]), int(hit[-1]) + 1) if hit.size else None
    i = int(np.searchsorted(offsets[:, 1], start, side="right"))  # first piece ending after start
    j = int(np.searchsorted(offsets[:, 0], end, side="left"))  # pieces before j start before end
    return (i, j) if i < j else None


_IN_ORDER: dict[int, tuple[np.ndarray, bool]] = {}  # id -> (the array, kept alive; the answer)


def _in_order(offsets: np.ndarray) -> bool:
    """Whether both columns of ``offsets`` are non-decreasing; remembered for the last few
    arrays (a text's offsets are asked about once per span)."""
    found = _IN_ORDER.get(id(offsets))
    if found is not None and found[0] is offsets:
        return found[1]
    answer = bool(len(offsets) < 2 or (np.diff(offsets, axis=0) >= 0).all())
    if len(_IN_ORDER) >= 8:
        _IN_ORDER.pop(next(iter(_IN_ORDER)))
    _IN_ORDER[id(offsets)] = (offsets, answer)
    return answer


TRIM = " \t\n\r.,:;\u00a0"


JOINERS = "-'\u2019"


def _inside_word(text: str, i: int) -> bool:
    """Whether the boundary before ``text[i]`` is inside a word (hyphens, apostrophes join)."""
    if i <= 0 or i >= len(text):
        return False
    left, right = text[i - 1], text[i]
    if left.isalnum() and right.isalnum():
        return True
    if right in JOINERS and left.isalnum() and i + 1 < len(text) and text[i + 1].isalnum():
        return True
    return left in JOINERS and right.isalnum() and i >= 2 and text[i - 2].isalnum()


def snap_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Extend a span to whole words and trim whitespace and edge punctuation (as PTC gold is)."""
    while _inside_word(text, start):
        start -= 1
    while _inside_word(text, end):
        end += 1
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return (start, end) if end > start else None


def runs(
    mask: np.ndarray, *, max_gap: int = 0, breaks: np.ndarray | None = None
) -> list[tuple[int, int]]:
    """Maximal runs ``[i, j)`` of True in a 1-d mask, bridging gaps of up to ``max_gap``.

    A run never continues across a position in ``breaks`` (a run may start there).
    """
    idx = np.nonzero(mask)[0]
    if idx.size == 0:
        return []
    starts = np.zeros(len(mask) + 1, bool)
    if breaks is not None and len(breaks):
        starts[breaks] = True
    crossed = np.cumsum(starts)  # how many breaks lie at or before each position
    out = []
    start = prev = int(idx[0])
    for i in idx[1:]:
        i = int(i)
        if i - prev > max_gap + 1 or crossed[i] != crossed[prev]:
            out.append((start, prev + 1))
            start = i
        prev = i
    out.append((start, prev + 1))
    return out
