"""Language-agnostic style features for the genre head (issue 15): opinion, reporting and satire
differ in how a text is written (quotes, first and second person, questions and exclamations,
numbers, datelines, sentence length) more than in what it is about, which topic-heavy sentence
vectors mostly carry. Every feature is computed from the raw text alone, with small pronoun lists
for the training languages (EN FR DE IT PL RU); bounded cost (the first ``MAX_CHARS`` characters).

``style_features(text)`` returns the raw values in ``NAMES`` order; ``standardise`` scales them
with the training mean and spread. Read by the language-centred genre head that the framing
analyser uses for the languages its card routes to it (``analysis.framing_genre``; BENCHMARKS.md,
"Issue 15 (s10-genre)"); the experiments are ``bench/genre_style_cv.py`` and
``bench/genre_route_cv.py``.
"""

from __future__ import annotations

import math
import re

import numpy as np

MAX_CHARS = 60_000
QUOTES = '"“”„«»‹›‚'
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENT = re.compile(r"[^.!?…\n]+(?:[.!?…]+|\n|$)")
_NUMBER = re.compile(r"\d")
_URL = re.compile(r"https?://|www\.")
# A dateline: a capitalised place (optionally with an agency or date in brackets/after a comma)
# then a dash, or a well-known agency's name in the first 200 characters of the body.
_DATELINE = re.compile(r"^[A-ZÀ-ÝА-ЯŁŚŻŹĆŃ][\w .,'/-]{1,40}?(\([^)]{1,30}\))?\s*[—–-]\s", re.U)
_AGENCIES = re.compile(
    r"\b(AP|AFP|Reuters|dpa|DPA|ANSA|PAP|ТАСС|TASS|РИА|RIA|Interfax|Интерфакс|Adnkronos|"
    r"Associated Press|Agence France)\b"
)
# first- and second-person pronouns (and possessives), lower case; "I" (English) is matched in
# its upper-case form only, since "i" is a word in Italian and Polish; words that are another
# language's common word (du, ma, ta, te, ja, ihr, was) are left out
FIRST = frozenset(
    "me my mine we us our ours myself ourselves je moi nous notre nos mon mes "
    "ich mich mir mein meine meinen meinem meiner wir uns unser unsere io mi mio mia miei mie "
    "noi ci nostro nostra nostri nostre mnie mój moja moje my nas nam nasz nasza nasze "
    "я меня мне мой моя моё мои мы нас нам наш наша наше наши".split()
)
SECOND = frozenset(
    "you your yours yourself yourselves tu toi vous votre vos ton tes dich dir dein "
    "deine euch euer eure ti tuo tua tuoi voi vi vostro vostra ty cię ciebie tobie twój "
    "twoja wy wam wasz wasza ты тебя тебе твой твоя вы вас вам ваш ваша".split()
)
NAMES = (
    "log_chars", "log_paragraphs", "log_mean_paragraph_words", "log_mean_sentence_words",
    "quote_marks_per_100_words", "share_sentences_with_quote", "first_person_rate",
    "second_person_rate", "question_rate", "exclamation_rate", "digits_per_100_chars",
    "share_sentences_with_number", "log_headline_words", "headline_question_or_exclamation",
    "headline_quote_or_colon", "dateline", "agency_named", "urls_per_paragraph",
    "parentheses_per_sentence", "ellipsis_rate", "upper_case_share",
)  # fmt: skip


def _split(text: str) -> tuple[str, list[str]]:
    """Headline (the first non-empty line where more lines follow) and body paragraphs."""
    lines = [ln.strip() for ln in text[:MAX_CHARS].splitlines() if ln.strip()]
    if len(lines) > 1:
        return lines[0], lines[1:]
    return "", lines


def style_features(text: str) -> np.ndarray:
    """The raw style values of ``text`` in ``NAMES`` order (all zero for an empty text)."""
    head, paras = _split(text)
    body = "\n".join(paras)
    words = _WORD.findall(body)
    sents = [s for s in (m.group(0).strip() for m in _SENT.finditer(body)) if _WORD.search(s)]
    n_w, n_s, n_p = max(len(words), 1), max(len(sents), 1), max(len(paras), 1)
    low = [w.lower() for w in words]
    letters = [c for c in body if c.isalpha()]
    head_words = _WORD.findall(head)
    values = (
        math.log1p(len(body)),
        math.log1p(len(paras)),
        math.log1p(len(words) / n_p),
        math.log1p(len(words) / n_s),
        100 * sum(body.count(q) for q in QUOTES) / n_w,
        sum(any(q in s for q in QUOTES) for s in sents) / n_s,
        (sum(w in FIRST for w in low) + words.count("I")) / n_w,
        sum(w in SECOND for w in low) / n_w,
        sum(s.endswith("?") or "?" in s[-3:] for s in sents) / n_s,
        sum("!" in s for s in sents) / n_s,
        100 * len(_NUMBER.findall(body)) / max(len(body), 1),
        sum(bool(_NUMBER.search(s)) for s in sents) / n_s,
        math.log1p(len(head_words)),
        float(head.rstrip().endswith(("?", "!"))),
        float(any(q in head for q in QUOTES + ":")),
        float(bool(paras) and bool(_DATELINE.match(paras[0]))),
        float(bool(_AGENCIES.search(body[:200]))),
        len(_URL.findall(body)) / n_p,
        body.count("(") / n_s,
        (body.count("...") + body.count("…")) / n_s,
        sum(c.isupper() for c in letters) / max(len(letters), 1),
    )
    return np.asarray(values, dtype=np.float64)


def matrix(texts: list[str]) -> np.ndarray:
    """(n, len(NAMES)) raw style values."""
    return np.stack([style_features(t) for t in texts]) if texts else np.zeros((0, len(NAMES)))


def standardise(x: np.ndarray, mu: np.ndarray, sd: np.ndarray, clip: float = 5.0) -> np.ndarray:
    """Standardised with the training ``mu``/``sd``, clipped to ±``clip`` (odd texts bounded)."""
    z: np.ndarray = np.clip((x - mu) / np.where(sd > 1e-9, sd, 1.0), -clip, clip)
    return z
