"""Claims a fact-checker should check: check-worthy sentences, their figures, and their speakers.

One sentence at a time: the check-worthiness model scores every sentence; a sentence becomes a
claim when it scores at least ``threshold`` or states a figure. Where the model folder ships a
``calibration.json`` (fitted on the out-of-fold scores of the ClaimBuster cross-validation, see
``spinscope.training.calibrate``), the score is the calibrated one, the share of held-out
sentences with that score that were check-worthy factual claims, and ``threshold`` applies to
it. Claims are then parsed (spaCy) for what their figures state and who makes them, get a
normalised form and an embedding for grouping across articles, and are returned most
check-worthy first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from spinscope.analysis import calibration as calibration_
from spinscope.analysis._embed import embedder_sha256
from spinscope.analysis.base import FromSettings
from spinscope.analysis.calibration import Calibration
from spinscope.analysis.claims import attribution as attribution_
from spinscope.analysis.claims import figures as figures_
from spinscope.analysis.claims import parsing
from spinscope.analysis.claims import referents as referents_
from spinscope.analysis.claims.quantities import find_quantities
from spinscope.analysis.encoder import checksums
from spinscope.model.claim import Attribution, Claim, Figure, Mention, Quantity, TimeRef
from spinscope.model.document import Document
from spinscope.model.times import find_times
from spinscope.settings import comma_list, named_settings, optional

if TYPE_CHECKING:
    from spinscope.analysis._embed import SentenceEmbedder
    from spinscope.analysis.checkworthy import CheckworthinessScorer

NAME = "claims"
VERSION = "claims.v1"
HEADS = {"claimbuster": 0, "checkthat19": 1}
HEAD_NAMES = (*HEADS, "mean")
MAX_SENTENCE_CHARS = 1000  # a "sentence" longer than this is a flattened table or a list


class ClaimAnalyzer(FromSettings):
    name = NAME
    version = VERSION
    produces = "claims"
    # English check-worthiness model and English spaCy parse: claims only in English paragraphs
    languages: tuple[str, ...] = ("en",)
    SETTING_ARGS = named_settings(
        "claims.threshold",
        "claims.head",
        ("claims.also_list", comma_list),
        "claims.max_claims",
        "claims.embeddings",
        ("claims.model_dir", optional),
    )

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        head: str = "mean",
        also_list: Sequence[str] = ("figures", "speech"),
        max_claims: int = 100,
        embeddings: bool = True,
        model_dir: str | None = None,
        calibrated: bool = True,
    ) -> None:
        if head not in HEAD_NAMES:
            raise ValueError(f"head must be one of {', '.join(HEAD_NAMES)}, got {head!r}")
        self.threshold = threshold
        self.head = head
        unknown = set(also_list) - {"figures", "speech"}
        if unknown:
            raise ValueError(f"also_list takes figures and speech, got {sorted(unknown)}")
        self.also_list = tuple(also_list)
        self.max_claims = max_claims
        self.embeddings = embeddings
        self.model_dir = model_dir
        self.calibrated = calibrated

    # -- models, loaded on first use ------------------------------------------------------
    @cached_property
    def scorer(self) -> CheckworthinessScorer:
        from spinscope.analysis.checkworthy import CheckworthinessScorer

        return CheckworthinessScorer(self.model_dir)

    @cached_property
    def embedder(self) -> SentenceEmbedder:
        from spinscope.analysis._embed import load_embedder

        return load_embedder()

    @cached_property
    def calibration(self) -> Calibration | None:
        """The calibration fitted for the configured head, from the scoring model's folder; None
        when ``calibrated`` is off, the folder has none, or the scorer has no folder (a stand-in),
        and the scores are then raw (the provenance says which)."""
        folder = getattr(self.scorer, "model_dir", None)
        if not self.calibrated or folder is None:
            return None
        cal = (calibration_.load(str(folder)) or {}).get(self.head)
        return cal if cal is not None and cal.meta.get("head") == self.head else None

    def provenance(self) -> dict[str, Any]:
        return {
            "analyzer": self.name,
            "version": self.version,
            "model": self.scorer.card.get("name", "checkworthy"),
            "model_version": self.scorer.card.get("version"),
            "model_sha256": self.scorer.model_sha256,
            "spacy_model": parsing.SPACY_MODEL,
            "embedder": "model2vec distilled from all-MiniLM-L6-v2 (256 dims)",
            "embedder_sha256": embedder_sha256() if self.embeddings else None,
            "shared_weights_sha256": checksums(
                self.scorer.model_dir, "../shared/word_embeddings.npy"
            ).get("../shared/word_embeddings.npy"),
            "calibrated": ["checkworthiness"] if self.calibration else [],
            "settings": {
                "threshold": self.threshold,
                "head": self.head,
                "also_list": list(self.also_list),
                "max_claims": self.max_claims,
            },
        }

    def warm(self) -> None:
        """Load the parser, the embedder and the scoring model ahead of ``analyze`` (the
        pipeline does this in a thread while the analysers before this one run). The parser
        first: it takes longest, and ``analyze`` needs it last."""
        parsing.load_nlp()
        if self.embeddings:
            self.embedder  # noqa: B018 -- loads it
        getattr(self.scorer, "load", lambda: None)()  # a stand-in scorer may have none

    # -- analysis -------------------------------------------------------------------------
    def checkworthiness(self, sentences: Sequence[str]) -> np.ndarray:
        """One score per sentence from the configured head, calibrated where a calibration
        applies."""
        raw = head_scores(self.scorer.score(list(sentences)), self.head)
        cal = self.calibration
        if cal is None or not len(raw):
            return raw
        calibrated: np.ndarray = np.clip(cal.pooled(raw), 0.0, 1.0).astype(np.float32)
        return calibrated

    def analyze(self, docs: Sequence[Document]) -> list[list[Claim]]:
        if isinstance(docs, Document):
            raise TypeError("analyze() expects a list of Documents, got one Document.")
        per_doc = [sentences(d.text) for d in docs]
        flat = [d.text[s:e] for d, spans in zip(docs, per_doc, strict=True) for s, e in spans]
        scores = self.checkworthiness(flat) if flat else np.zeros(0, np.float32)
        out, k = [], 0
        for doc, spans in zip(docs, per_doc, strict=True):
            out.append(self._claims(doc, spans, scores[k : k + len(spans)]))
            k += len(spans)
        return out

    def _claims(
        self, doc: Document, spans: list[tuple[int, int]], scores: np.ndarray
    ) -> list[Claim]:
        text = doc.text
        picked = self._candidates(text, spans, scores)
        if not picked:
            return []
        # Only sentences with a figure or a speech cue need the (costly) parse.
        to_parse = [parsing.parse_form(text[c.start : c.end]) for c in picked if c.needs_parse]
        parses = iter(parsing.parse_all(to_parse) if to_parse else ())
        referents = referents_.referents(text)
        claims = []
        for c in picked:
            attribution, figures = Attribution("author"), []
            if c.needs_parse:
                parsed = next(parses)
                # the parse may be of a lower-cased headline: mentions take the text's spelling
                attribution = _respell(attribution_.attribution(parsed, c.start, referents), text)
                figures = [
                    _respell(f, text)
                    for f in figures_.figures(parsed, c.start, c.quantities, c.times)
                ]
            if not c.listed and attribution.kind == "author":
                continue  # a speech verb, but nobody is quoted
            claims.append(self._claim(text, c, figures, attribution))
        if self.embeddings and claims:  # model2vec refuses an empty list
            vectors = self.embedder.encode([c.normalized for c in claims])
            claims = [
                _with_embedding(c, v) for c, v in zip(claims, np.asarray(vectors), strict=True)
            ]
        claims.sort(key=lambda c: (-c.checkworthiness, c.start))
        return claims

    def _candidates(
        self, text: str, spans: list[tuple[int, int]], scores: np.ndarray
    ) -> list[_Candidate]:
        """The sentences worth a claim (check-worthy, or with a figure or a speech cue as
        ``also_list`` asks), the ``max_claims`` best, in text order."""
        picked = []
        for (s, e), score in zip(spans, scores, strict=True):
            ts = find_times(text[s:e])
            qs = [_shift(q, s) for q in find_quantities(text[s:e]) if not _inside(q, ts)]
            listed = score >= self.threshold or ("figures" in self.also_list and bool(qs))
            cue = parsing.speech_cue(text[s:e])
            if listed or (cue and "speech" in self.also_list):
                ts = [_shift(t, s) for t in ts]
                picked.append(_Candidate(s, e, float(score), qs, ts, listed, bool(qs) or cue))
        picked.sort(key=lambda c: -c.score)
        return sorted(picked[: self.max_claims], key=lambda c: c.start)  # parse in text order

    def _claim(
        self, text: str, c: _Candidate, figures: list[Figure], attribution: Attribution
    ) -> Claim:
        s, e = c.start, c.end
        return Claim(
            start=s,
            end=e,
            text=text[s:e],
            checkworthiness=round(c.score, 4),
            figures=figures,
            times=c.times,
            attribution=attribution,
            normalized=normalise(text[s:e], figures, s),
            explanation=explain(
                c.score,
                self.threshold,
                figures,
                attribution,
                calibrated=self.calibration is not None,
            ),
            analyzer=self.name,
        )


@dataclass(frozen=True)
class _Candidate:
    """A sentence picked for a claim, before its parse."""

    start: int
    end: int
    score: float
    quantities: list[Quantity]
    times: list[TimeRef]
    listed: bool  # check-worthy (or a figure, with also_list=figures): listed even if unattributed
    needs_parse: bool  # a figure or a speech cue: parsed for attribution and figures


def head_scores(probs: np.ndarray, head: str) -> np.ndarray:
    """One score per row of the model's ``(n, 2)`` output: one head, or their mean."""
    probs = np.asarray(probs, dtype=np.float32).reshape(-1, len(HEADS))
    return probs.mean(axis=1) if head == "mean" else probs[:, HEADS[head]]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans worth scoring: trimmed (``parsing.sentence_spans``), with at least three
    words and a letter; run-ons cut by ``_split_long``."""
    out = []
    for a, b in parsing.sentence_spans(text):
        if b - a > MAX_SENTENCE_CHARS:
            out += _split_long(text, a, b)
        elif len(text[a:b].split()) >= 3 and re.search(r"[^\W\d_]", text[a:b]):
            out.append((a, b))
    return out


def _split_long(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A run-on "sentence" (a table flattened into text) cut at ``;``/``|``/tabs or every
    ``MAX_SENTENCE_CHARS`` characters, so no piece is too long to score."""
    out, lo = [], a
    for m in re.finditer(r"[;|\t]\s*", text[a:b]):
        cut = a + m.end()
        if cut - lo >= 40:
            out.append((lo, cut))
            lo = cut
    out.append((lo, b))
    pieces = []
    for lo, hi in out:
        while hi - lo > MAX_SENTENCE_CHARS:
            pieces.append((lo, lo + MAX_SENTENCE_CHARS))
            lo += MAX_SENTENCE_CHARS
        pieces.append((lo, hi))
    trimmed = []
    for lo, hi in pieces:
        seg = text[lo:hi]
        lo2 = lo + len(seg) - len(seg.lstrip())
        hi2 = hi - (len(seg) - len(seg.rstrip()))
        if hi2 > lo2 and re.search(r"[^\W\d_]", text[lo2:hi2]):
            trimmed.append((lo2, hi2))
    return trimmed


Respelled = TypeVar("Respelled", Mention, Attribution, Figure)


def _respell(item: Respelled, text: str) -> Respelled:
    """A mention (or the mentions inside an attribution or a figure) with its text re-read from
    the document at its offsets."""
    from dataclasses import replace

    if isinstance(item, Mention):
        return Mention(item.start, item.end, text[item.start : item.end])
    if isinstance(item, Attribution):
        return replace(
            item,
            speaker=_respell(item.speaker, text) if item.speaker else None,
            entity=_respell(item.entity, text) if item.entity else None,
        )
    if isinstance(item, Figure):
        return replace(item, about=_respell(item.about, text) if item.about else None)
    return item


def _inside(q: Quantity, times: Sequence[TimeRef]) -> bool:
    """A number that is part of a time ("within three years") is the time, not a figure."""
    return any(t.start <= q.start and q.end <= t.end for t in times)


Shifted = TypeVar("Shifted", Quantity, TimeRef)


def _shift(item: Shifted, offset: int) -> Shifted:
    return type(item)(**{**item.to_dict(), "start": item.start + offset, "end": item.end + offset})


def _with_embedding(c: Claim, v: np.ndarray) -> Claim:
    from dataclasses import replace

    return replace(c, embedding=np.round(v.astype(np.float64), 5).tolist())


def normalise(text: str, figures: list[Figure], offset: int = 0) -> str:
    """A canonical form for grouping: figures written as their values, lower case, no
    punctuation ("Exports grew by 22.3%" and "exports grew 22.3 per cent" meet). ``offset`` is
    where ``text`` starts in the document that the figures' offsets point into."""
    out, pos = [], 0
    for f in sorted(figures, key=lambda f: f.quantity.start):
        lo, hi = f.quantity.start - offset, f.quantity.end - offset
        if lo < pos or hi > len(text):
            continue
        out += [text[pos:lo], f" {_canonical(f.quantity)} "]
        pos = hi
    out.append(text[pos:])
    joined = "".join(out).lower()
    joined = re.sub(r"[^\w\s.%<>=~]|(?<!\d)\.|\.(?!\d)", " ", joined)
    return re.sub(r"\s+", " ", joined).strip()


def _canonical(q: Quantity) -> str:
    value = str(int(q.value)) if float(q.value).is_integer() else f"{q.value:.6g}"
    unit = q.unit if q.kind in ("money", "percent", "percentage_points", "multiplier") else ""
    return f"{q.qualifier or ''}{value}{unit or ''}".replace(" ", "_")


def explain(
    score: float,
    threshold: float,
    figures: list[Figure],
    attribution: Attribution,
    *,
    calibrated: bool = False,
) -> str:
    """One or two sentences on why this claim is listed, quoting its parts; a calibrated score is
    also said in words (how often sentences so scored were check-worthy claims, held out)."""
    parts = []
    if score >= threshold:
        parts.append(f"Check-worthiness {score:.2f}: reads like a checkable statement of fact.")
    elif figures:
        parts.append(f"Check-worthiness {score:.2f}, listed because it states a figure.")
    else:
        parts.append(f"Check-worthiness {score:.2f}, listed because it reports what someone said.")
    if calibrated:
        parts.append(
            f"(As a check-worthy factual claim: {calibration_.in_words(score)}, on held-out "
            "ClaimBuster debate sentences.)"
        )
    if figures:
        described = []
        for f in figures[:4]:
            bit = f'"{f.quantity.text}" ({f.statement}'
            bit += f", {f.direction}" if f.direction else ""
            bit += f", {f.time.text}" if f.time else ""
            described.append(bit + ")")
        parts.append("Figures: " + "; ".join(described) + ".")
    if attribution.kind != "author" and attribution.speaker is not None:
        who = attribution.entity.text if attribution.entity else attribution.speaker.text
        how = {"quote": "quoted", "reported": "reported speech", "according_to": "a source"}
        parts.append(f'Attributed to {who} ({how[attribution.kind]}, "{attribution.cue}").')
    else:
        parts.append("Stated by the author, not attributed to anyone.")
    return " ".join(parts)


__all__ = ["HEAD_NAMES", "ClaimAnalyzer", "head_scores", "normalise", "sentences"]
