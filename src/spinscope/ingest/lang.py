"""A cheap "is this English?" hint, so that callers can warn when English-trained models read
another language. It is a hint, not language identification: a non-English text is never an error.
"""

from __future__ import annotations

import re
import unicodedata

# Frequent English function words that are rare as words in the other big Latin-script news
# languages (so no "a", "in", "on", "an", "so", "was", "also", "will", "die", "is").
_ENGLISH_STOPWORDS = frozenset(
    """the of and to that for it with as be at by this have from or are not but they which you
    his her their has had were been would there what about who said he she we its than more can
    could should into after over our them these those when where while because only just being
    other such most some any how why all out up no if i my me your him do does did""".split()
)

_WORD = re.compile(r"[^\W\d_]+")
_MIN_WORDS = 8  # a headline alone has too few function words to judge
_MIN_STOPWORD_SHARE = 0.15
_MAX_NON_LATIN_SHARE = 0.3


def _non_latin_share(words: list[str]) -> float:
    letters = [ch for word in words for ch in word]
    non_latin = sum(1 for ch in letters if not unicodedata.name(ch, "").startswith("LATIN"))
    return non_latin / len(letters)


def detect_language_hint(text: str) -> str | None:
    """Guess whether ``text`` is English: ``"en"``, ``"non-en"``, or ``None`` if too short to say.

    Looks at the share of non-Latin letters and at the share of common English function words
    among the alphabetic tokens; cheap enough to run on every document.
    """
    words = _WORD.findall(text)
    if len(words) < _MIN_WORDS:
        return None
    if _non_latin_share(words) > _MAX_NON_LATIN_SHARE:
        return "non-en"
    stopwords = sum(1 for word in words if word.lower() in _ENGLISH_STOPWORDS)
    return "en" if stopwords / len(words) >= _MIN_STOPWORD_SHARE else "non-en"
