"""What a claim says about its figures: for each quantity of a parsed sentence, whether it states
a level, a change (and its direction) or a projection, the time it refers to and the thing it is
about (rules over spaCy's dependency parse).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from spinscope.analysis.claims.parsing import (
    DECREASE,
    INCREASE,
    PROJECTION_WORDS,
    SPEECH_VERBS,
    lemma,
)
from spinscope.model.claim import Figure, Mention, Quantity, TimeRef

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def figures(
    sent: Doc, offset: int, quantities: list[Quantity], times: list[TimeRef]
) -> list[Figure]:
    """Each quantity of a parsed sentence (``sent``: a spaCy Doc of the sentence alone, whose
    character 0 is ``offset`` in the document; quantities and times are in document offsets)."""
    out = []
    doc_text = " " * offset + sent.text  # figures' offsets are document offsets
    for q in quantities:
        tok = _token_at(sent, q.start - offset, q.end - offset)
        direction = _direction(q, tok)
        projection = _is_projection(tok, q, times)
        if projection:
            statement = "projection"
        elif direction is not None and q.kind != "ordinal":
            statement = "change"
        else:
            statement = "level"
            direction = None
        out.append(
            Figure(
                quantity=q,
                statement=statement,
                direction=direction,
                time=_time_for(
                    q, _linked(sent, offset, tok, times, len(quantities)), quantities, doc_text
                ),  # fmt: skip
                about=_about(sent, offset, tok, q),
            )
        )
    return out


def _tokens_in(sent: Doc, start: int, end: int) -> list[Token]:
    """The tokens overlapping characters ``[start, end)`` of a parsed sentence."""
    span = sent.char_span(max(0, start), min(end, len(sent.text)), alignment_mode="expand")
    return list(span) if span is not None else []


def _token_at(sent: Doc, start: int, end: int) -> Token | None:
    """The syntactic head among the tokens inside ``[start, end)`` of the sentence."""
    toks = _tokens_in(sent, start, end)
    if not toks:
        return None
    inside = set(t.i for t in toks)
    for t in toks:
        if t.head.i not in inside or t.head.i == t.i:
            return t
    return toks[-1]


def _verb_of(tok: Token | None) -> Token | None:
    """The nearest verb (or change noun) governing a token."""
    seen = 0
    while tok is not None and seen < 8:
        if tok.pos_ in ("VERB", "AUX") or lemma(tok) in INCREASE | DECREASE:
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        seen += 1
    return None


def _direction(q: Quantity, tok: Token | None) -> str | None:
    if q.kind == "multiplier" and q.text.split()[-1].lower().rstrip("d").endswith("halve"):
        return "decrease"
    if q.kind == "multiplier" and not q.text.lower().endswith(("times", "fold")):
        return "increase"  # doubled, tripled
    verb = _verb_of(tok) if tok is not None else None
    lemmas = []
    if verb is not None:
        lemmas = [lemma(verb)] + [lemma(c) for c in verb.children if c.dep_ in
                                           ("xcomp", "prt", "advmod")]  # fmt: skip
        if verb.dep_ in ("xcomp", "ccomp", "advcl") and verb.head.i != verb.i:
            lemmas.append(lemma(verb.head))
    if any(lemma in DECREASE for lemma in lemmas):
        return "decrease"
    if any(lemma in INCREASE for lemma in lemmas):
        return "increase"
    return None


def _is_projection(tok: Token | None, q: Quantity, times: list[TimeRef]) -> bool:
    t = _time_for(q, times)
    if t is not None and t.kind == "future":
        return True
    verb = _verb_of(tok) if tok is not None else None
    chain: list[Token] = []
    while verb is not None and len(chain) < 4:
        chain.append(verb)
        chain += [c for c in verb.children if c.dep_ in ("aux", "auxpass", "advmod", "acomp")]
        if verb.dep_ in ("xcomp", "acl", "ccomp", "relcl") and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    return any(lemma(v) in PROJECTION_WORDS or v.tag_ == "MD" for v in chain)


CLAUSE_BREAK = re.compile(r"\b(?:and|but|while|whereas)\b|;")


def _new_clause(text: str, quantities: Sequence[Quantity], start: int, end: int) -> bool:
    """Another figure and a clause break lie between a figure and a time after it ("his 35th
    visit and his second this year": "this year" belongs to the second)."""
    other = any(start <= o.start and o.end <= end for o in quantities)
    return other and bool(CLAUSE_BREAK.search(text[start:end]))


def _linked(
    sent: Doc, offset: int, tok: Token | None, times: list[TimeRef], n_figures: int
) -> list[TimeRef]:
    """The times the parse attaches to a figure: a time hanging on one of the figure's
    ancestors ("increased by 7.1% in 2022"), or inside the phrase the figure counts ("49
    projects worth $30 billion in progress by 2020"). With one figure in the sentence, every
    time is a candidate (the parse of a short sentence is not worth second-guessing)."""
    if tok is None or n_figures <= 1:
        return times
    ancestors = {tok.i} | {a.i for a in tok.ancestors}
    phrase = set()
    for root in (
        (tok, tok.head) if tok.dep_ in ("nummod", "quantmod", "amod", "compound") else (tok,)
    ):
        phrase |= {t.i for t in root.subtree}
    out = []
    for t in times:
        toks = _tokens_in(sent, t.start - offset, t.end - offset)
        if not toks:
            continue
        inside = {x.i for x in toks}
        heads = {x.head.i for x in toks if x.head.i not in inside}
        if heads & ancestors or inside <= phrase:
            out.append(t)
    return out


def _time_for(
    q: Quantity, times: list[TimeRef], others: Sequence[Quantity] = (), text: str = ""
) -> TimeRef | None:
    """The time a figure refers to: the nearest time after it in its clause, else before it."""
    if not times:
        return None
    after = [t for t in times if t.start >= q.end and not _new_clause(text, others, q.end, t.start)]
    before = [t for t in times if t.end <= q.start]
    if after and (not before or after[0].start - q.end <= q.start - before[-1].end + 20):
        return after[0]
    return before[-1] if before else None


ABOUT_DEPS = ("nsubj", "nsubjpass")


def _about(sent: Doc, offset: int, tok: Token | None, q: Quantity) -> Mention | None:
    """What a figure measures: the noun a count counts, the noun a clause hangs on ("exports
    growing by 22.3%"), or the subject of the nearest clause above it."""
    if tok is None:
        return None
    if q.kind in ("count", "rank", "ordinal"):
        of = [g for c in tok.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        if of:  # "thousands of Kazakh students"
            return _mention(sent, of[0], offset, q)
        if tok.dep_ in ("nummod", "compound", "amod") and tok.head.pos_ in ("NOUN", "PROPN"):
            head = tok.head
            hyphenated = head.i == tok.i + 2 and sent[tok.i + 1].text == "-"
            if hyphenated and head.head.pos_ in ("NOUN", "PROPN"):  # "a six-country alliance"
                head = head.head
            return _mention(sent, head, offset, q)
    node, steps = tok, 0
    while steps < 8:
        if steps:
            if node.head.i == node.i:
                break
            node = node.head
        steps += 1
        if lemma(node) in SPEECH_VERBS:
            return None  # the speaker is not what the figure is about
        subj = [c for c in node.children if c.dep_ in ABOUT_DEPS]
        if subj:
            return _mention(sent, subj[0], offset, q)
        if node.dep_ == "acl" and node.pos_ == "VERB":
            return _mention(sent, node.head, offset, q)
    return None


def _mention(sent: Doc, head: Token, offset: int, q: Quantity | None = None) -> Mention | None:
    """The phrase headed by ``head``, cut before relative clauses and at 12 words."""
    if head.pos_ == "PRON" and head.lower_ in ("it", "this", "that", "which", "who"):
        return None
    toks = [t for t in head.subtree if t.dep_ not in ("relcl", "punct", "acl") or t.i == head.i]
    lo = min(t.i for t in toks)
    hi = max(t.i for t in toks)
    for t in head.children:  # stop at clauses and conjuncts hanging on the head
        if t.dep_ in ("relcl", "acl", "appos", "cc", "conj") and t.i > head.i:
            hi = min(hi, t.left_edge.i - 1)
    hi = min(hi, lo + 11)
    while lo <= hi and sent.doc[lo].dep_ in ("det", "cc", "punct", "advmod"):
        lo += 1
    while hi >= lo and sent.doc[hi].is_punct:
        hi -= 1
    if hi < lo:
        return None
    doc = sent.doc
    start, end = doc[lo].idx + offset, doc[hi].idx + len(doc[hi]) + offset
    if q is not None and start <= q.start < end and end - start <= q.end - q.start + 1:
        return None
    return Mention(start, end, doc.text[doc[lo].idx : doc[hi].idx + len(doc[hi])])
