"""Which language a document is in, paragraph by paragraph, and which analysers may read it.

The detector is py3langid (langid.py's naive Bayes over byte n-grams, numpy only), restricted to
its ISO 639-1 languages so that answers are codes like ``"en"`` or ``"hu"`` (its three-letter
extras, such as Nigerian Pidgin, mostly steal short English texts). A text with fewer than
``MIN_LETTERS`` letters, or whose likeliest language is below ``MIN_CONFIDENCE``, is
``"unknown"``. A paragraph (a run of text between line breaks) is judged on its own when it has
``PARAGRAPH_LETTERS`` letters or more; it keeps its own language only when that is the
document's or the detector is at least ``PARAGRAPH_CONFIDENCE`` sure, and otherwise takes the
document's, so a line of names or a dateline never cuts findings out of an English article. The
document's language is the one with the most letters among the judged paragraphs.

Each analyser says what it reads: ``languages`` (ISO 639-1 codes it was trained on; no attribute
means any language) and, optionally, ``zero_shot_languages`` (codes it reads without having been
trained on them). ``keep`` drops an analyser's results outside those, ``coverage`` names the
analysers that read the document zero-shot or miss part of it, and ``warning`` says so in one
line; the pipeline calls them once per document (see ``spinscope.analysis.pipeline``).

The detector's model (68 MB unpacked from 4.5 MB of LZMA) takes about a second to load: the
pipeline detects in a thread while the analysers that do not need the language run.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis import _model_cache
from spinscope.model.language import NAMES, UNKNOWN, Language, Paragraph, describe

DETECTOR = "py3langid 0.4 (ISO 639-1 languages)"
MIN_LETTERS = 20  # fewer letters than this: "unknown"
MIN_CONFIDENCE = 0.5  # a guess less likely than this: "unknown" (junk, lists of names, numbers)
PARAGRAPH_LETTERS = 40  # a shorter paragraph takes the document's language
PARAGRAPH_CONFIDENCE = 0.9  # a paragraph less sure than this takes the document's language
MAX_CHARS = 20_000  # the document's language is judged on its first this many characters
PARAGRAPH_MAX_CHARS = 2_000  # a paragraph's language is judged on its first this many
_LINES = re.compile(r"[^\n]+")
_LETTER = re.compile(r"[^\W\d_]")

_lock = threading.Lock()
_identifier: Any = None


def _load() -> Any:
    """The py3langid identifier, loaded once per process (thread-safe)."""
    global _identifier
    with _lock:
        if _identifier is None:
            _identifier = _identifier_from(
                _model_cache.arrays(
                    "py3langid",
                    "py3langid",
                    [_model_file()],
                    _model_arrays,
                    mmap=["output", "row"],
                    rows=["ptc"],
                    blocks=["nextmove"],
                )
            )
    return _identifier


def _model_file() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    path: Path = Path(MODEL_DIR) / MODEL_FILE
    return path


def _model_arrays() -> dict[str, Any]:
    """py3langid's model restricted to the ISO 639-1 languages, as plain arrays (what
    ``_identifier_from`` reads; cached by ``analysis._model_cache``: unpacking the LZMA model
    takes about 0.6 s)."""
    from py3langid.langid import LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(_model_file(), norm_probs=True)
    ident.set_languages([c for c in ident.labels if c in NAMES])
    return {
        "ptc": np.ascontiguousarray(ident.nb_ptc),  # C order: read by rows (``RowFile``)
        "pc": ident.nb_pc,
        "classes": np.array(ident.nb_classes),
        "nextmove": np.frombuffer(ident.tk_nextmove, dtype=_unsigned(ident.tk_nextmove)),
        "row": np.frombuffer(ident.tk_row, dtype=_unsigned(ident.tk_row)),
        "output": np.asarray(ident.tk_output, dtype=np.int64),
    }


def _unsigned(values: Any) -> np.dtype:
    return np.dtype(f"u{values.itemsize}")


def _identifier_from(model: dict[str, Any]) -> Any:
    """The identifier of the restricted model (its ``_full_model`` is the restricted one: we never
    reset the languages, and the full n-gram table is 28 MB). Its automaton tables are read
    through memory views of the cached arrays (py3langid indexes them one item at a time, as it
    does its own ``array``s), so only the pages a text walks through are read from disk."""
    from py3langid.langid import LanguageIdentifier

    return LanguageIdentifier(
        model["ptc"],  # read only as ``ptc[feature ids]``, so a ``RowFile`` serves
        np.asarray(model["pc"]),
        model["classes"].tolist(),
        _items(model["nextmove"]),  # a ``BlockFile`` from the cache: read as it is walked
        _items(model["output"]),
        norm_probs=True,
        tk_row=_items(model["row"]),
    )


def _items(values: Any) -> Any:
    """A one-dimensional array as a memory view whose items are Python ints (no copy); a
    ``_model_cache.BlockFile`` (whose items are Python ints too) as it is."""
    if isinstance(values, _model_cache.BlockFile):
        return values
    return np.ascontiguousarray(values).data


def letters(text: str) -> int:
    return len(_LETTER.findall(text))


def classify(text: str, n_letters: int | None = None) -> tuple[str, float]:
    """The likeliest language of ``text`` and its probability; ``"unknown"`` when the text has
    fewer than ``MIN_LETTERS`` letters (``n_letters``, counted here where None) or the likeliest
    language is below ``MIN_CONFIDENCE``."""
    if (letters(text) if n_letters is None else n_letters) < MIN_LETTERS:
        return UNKNOWN, 0.0
    code, prob = _load().classify(text)
    prob = round(float(prob), 4)
    return (str(code) if prob >= MIN_CONFIDENCE else UNKNOWN), prob


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of every run of text between line breaks, blank ones left out."""
    return [(m.start(), m.end()) for m in _LINES.finditer(text) if m.group().strip()]


def detect(text: str) -> Language:
    """The language of ``text`` and of each of its paragraphs.

    The document's language is the one with the most letters among the paragraphs long enough
    to judge alone (a mixed text is not judged as one blend, which can favour the minority
    language), else that of the whole text."""
    spans = paragraphs(text)
    sizes = {(s, e): letters(text[s:e]) for s, e in spans}
    judged = {  # a paragraph's letters, counted above, are those judged where it is not cut
        span: classify(text[span[0] : span[1]][:PARAGRAPH_MAX_CHARS],
                       n if span[1] - span[0] <= PARAGRAPH_MAX_CHARS else None)
        for span, n in sizes.items() if n >= PARAGRAPH_LETTERS
    }  # fmt: skip
    judged = {span: found for span, found in judged.items() if found[0] != UNKNOWN}
    code, confidence = _majority(judged, sizes) if judged else classify(text[:MAX_CHARS])
    out = []
    for s, e in spans:
        own, p = judged.get((s, e), (UNKNOWN, 0.0))
        if own == UNKNOWN or (own != code and p < PARAGRAPH_CONFIDENCE):
            out.append(Paragraph(s, e, code, confidence, inherited=True))
        else:
            out.append(Paragraph(s, e, own, p))
    return Language(code, confidence, tuple(out), detector=DETECTOR)


def _majority(
    judged: dict[tuple[int, int], tuple[str, float]], sizes: dict[tuple[int, int], int]
) -> tuple[str, float]:
    """The language with the most letters among the judged paragraphs, and the letter-weighted
    mean of their confidences."""
    weight: dict[str, float] = {}
    sure: dict[str, float] = {}
    for span, (code, p) in judged.items():
        n = sizes[span]
        weight[code] = weight.get(code, 0.0) + n
        sure[code] = sure.get(code, 0.0) + n * p
    code = max(weight, key=lambda c: (weight[c], c))
    return code, round(sure[code] / weight[code], 4)


# -- which analyser reads which language ----------------------------------------------------------


def reads(analyzer: Any, code: str) -> bool:
    """Whether ``analyzer`` may give results for text in language ``code``: it declares no
    ``languages``, or ``code`` is among them or its ``zero_shot_languages``, or the language is
    unknown (too short to tell: nothing to gate on)."""
    langs = getattr(analyzer, "languages", None)
    if langs is None or code == UNKNOWN:
        return True
    return code in langs or code in getattr(analyzer, "zero_shot_languages", ())


def zero_shot(analyzer: Any, code: str) -> bool:
    return code not in (getattr(analyzer, "languages", None) or (code,)) and code in getattr(
        analyzer, "zero_shot_languages", ()
    )


def keep(analyzer: Any, items: Sequence[Any], language: Language) -> list[Any]:
    """``items`` (one analyser's output for one document) without those in a language it does
    not read: a span (``start``) by its paragraph's language, an article-level label by the
    document's, except a "not sure" label, which says so itself."""
    out = []
    for item in items:
        start = getattr(item, "start", None)
        if start is not None:
            ok = reads(analyzer, language.at(start))
        else:
            ok = reads(analyzer, language.code) or bool(getattr(item, "unsure", False))
        if ok:
            out.append(item)
    return out


def coverage(analyzers: Iterable[Any], language: Language) -> Language:
    """``language`` with the analysers that read the document's language zero-shot, and the
    families of analysers (``family``, e.g. "techniques") that miss at least part of it, named."""
    analyzers = list(analyzers)
    return replace(
        language,
        zero_shot=tuple(a.name for a in analyzers if zero_shot(a, language.code)),
        unsupported=tuple(
            dict.fromkeys(family(a) for a in analyzers if missed(a, language, analyzers))
        ),
    )


def family(analyzer: Any) -> str:
    """What an analyser's results are, for users: two analysers of one family (the English
    tagger and the multilingual paragraph model both give "techniques") share the languages."""
    return str(getattr(analyzer, "family", None) or analyzer.name)


def _span_part(analyzer: Any) -> bool:
    return getattr(analyzer, "produces", "findings") != "labels"


def missed(analyzer: Any, language: Language, analyzers: Iterable[Any] = ()) -> list[str]:
    """The language codes of the parts of the document that neither ``analyzer`` nor another of
    its family in ``analyzers`` reads: paragraph languages for a span analyser, the document's
    language for an article-level one."""
    kin = [a for a in analyzers if a is not analyzer and family(a) == family(analyzer)]

    def covered(code: str) -> bool:
        return reads(analyzer, code) or any(reads(a, code) for a in kin)

    if not _span_part(analyzer):
        return [] if covered(language.code) else [language.code]
    codes = dict.fromkeys(p.code for p in language.paragraphs) or {language.code: None}
    return [c for c in codes if not covered(c)]


def warning(analyzers: Iterable[Any], language: Language) -> str | None:
    """One line naming each language that some analyser does not read, which analysers, and how
    many paragraphs lost their results; None when every analyser reads the whole document."""
    analyzers = list(analyzers)
    by_code: dict[str, list[str]] = {}
    for a in analyzers:
        for code in missed(a, language, analyzers):
            names = by_code.setdefault(code, [])
            if family(a) not in names:
                names.append(family(a))
    if not by_code:
        return None
    total = len(language.paragraphs) or 1
    parts = []
    for code, names in by_code.items():
        n = sum(p.code == code for p in language.paragraphs) or total
        parts.append(
            f"{describe(code)} is not supported by {', '.join(names)}; "
            f"no results from {'it' if len(names) == 1 else 'them'} for {n} of {total} "
            f"paragraph{'s' if total != 1 else ''}"
        )
    return "language: " + "; ".join(parts) + "."
