"""Who makes a claim: the author's own assertion, or reported speech, a direct quote or an
"according to" source, with the speaker's mention (rules over spaCy's dependency parse), and
the span of what a sentence reports someone as saying.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinscope.analysis.claims.parsing import (
    FREE_RELATIVES,
    QUOTES,
    SOURCE_NOUNS,
    SPEAKER_PRONOUNS,
    SPEECH_VERBS,
    lemma,
)
from spinscope.analysis.claims.quotes import inside, quote_regions
from spinscope.model.claim import Attribution, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from spinscope.analysis.claims.referents import Referents

# (kind, who, cue): kind "speech" (who: the subject, cue: the verb) or "according_to"
Speech = tuple[str, "Token", "Token"]


def attribution(sent: Doc, offset: int, referents: Referents) -> Attribution:
    """Who makes the claim in ``sent`` (a parse of the sentence whose character 0 is ``offset``
    in the text): the subject of a speech verb, else an "according to" source. ``referents``
    links the speaker to the fullest mention of its name in the text, a description to the name
    beside it, and a pronoun to the person it refers to."""
    found = _speech(sent, _local(referents.quotes, offset, len(sent.text)))
    if found is None:
        return Attribution("author")
    kind, speaker_tok, cue = found
    speaker = _speaker(sent.doc, speaker_tok, offset)
    if kind == "speech":
        kind = "quote" if QUOTES.search(sent.text) else "reported"
    return Attribution(kind, speaker, referents.link(speaker), cue.text if kind != "according_to"
                       else "according to")  # fmt: skip


def _speech(sent: Doc, quoted: list[tuple[int, int]] | None = None) -> Speech | None:
    """("speech", subject, verb) for a speech verb with a speaker-like subject, or
    ("according_to", source, "according"), or None. The sentence's main verb comes first, then
    "according to", then the other speech verbs: in "'...,' the minister said, according to AP"
    the minister speaks, in "the president rang friends to ask them ..., according to a source"
    the source does. A verb inside quotation marks (``quoted``: spans in the sentence's own
    offsets; the sentence's own marks where None) is the quote's, never the sentence's, and
    a participle describing a noun ("an article pointed out by The Intercept") speaks for
    nobody."""
    quoted = quote_regions(sent.text) if quoted is None else quoted
    verbs = [
        t for t in sent
        if lemma(t) in SPEECH_VERBS and t.pos_ in ("VERB", "AUX") and t.dep_ != "acl"
        and not inside(quoted, t.idx, t.idx + 1) and not _not_speech(t)
    ]  # fmt: skip
    found = [v for v in verbs if v.dep_ == "ROOT"] + [None] + [v for v in verbs if v.dep_ != "ROOT"]
    for verb in found:
        if verb is None:
            source = _according_to(sent)
            if source is not None:
                return source
            continue
        if any(c.lower_ in FREE_RELATIVES for c in verb.children):
            continue  # "whatever the critics say" reports nothing
        subj = _subject(verb)
        root = next((t for t in sent if t.dep_ == "ROOT"), None)
        if subj is None and verb.dep_ == "conj" and root is not None and root.i < verb.i:
            subj = _subject(root)  # "a firefighter has taken to ... and claims ..."
        if subj is None and verb.dep_ == "ROOT":
            subj = _unparsed_subject(sent, verb)
        if subj is not None and _speaker_like(subj, verb):
            return "speech", subj, verb
    return None


def _unparsed_subject(sent: Doc, verb: Token) -> Token | None:
    """The speaker of "..., the Justice Department for the Southern District of Ohio said." or
    "“...,” said WHO specialist Dr. Sylvie Brand." where the parse found no subject: the first
    noun run between the last comma and the verb, else the last name after the verb. A passive
    verb ("the report was written") has its subject already: none."""
    if any(c.dep_ in ("nsubjpass", "auxpass", "csubj", "expl") for c in verb.children):
        return None
    before: list[Token] = []
    for t in (t for t in sent if t.i < verb.i):
        before = [] if t.text in ',“”"' else before + [t]
    run = []
    for t in before:
        if t.pos_ in ("NOUN", "PROPN"):
            run.append(t)
        elif run:
            break
    if run:
        return run[-1]
    names = [t for t in sent if t.i > verb.i and t.pos_ == "PROPN"]
    return names[-1] if names else None


def _according_to(sent: Doc) -> Speech | None:
    for tok in sent:
        if tok.lower_ == "according":
            to = [c for c in tok.children if c.lower_ == "to"]
            obj = [c for c in to[0].children if c.dep_ == "pobj"] if to else []
            if obj:
                return "according_to", obj[0], tok
    return None


def _not_speech(verb: Token) -> bool:
    """ "called the number back", "called for calm", "called on them": no speech reported."""
    if lemma(verb) != "call":
        return False
    return any(c.dep_ == "prt" or (c.dep_ == "prep" and c.lower_ in ("for", "on", "in"))
               for c in verb.children)  # fmt: skip


def _local(regions: list[tuple[int, int]], offset: int, n: int) -> list[tuple[int, int]]:
    """Document-offset spans as offsets into a sentence of ``n`` characters at ``offset``."""
    return [(max(a - offset, 0), min(b - offset, n)) for a, b in regions
            if a < offset + n and offset < b]  # fmt: skip


def reported_span(
    sent: Doc, offset: int, quotes: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]] | None:
    """The character spans (document offsets) of what a sentence reports someone as saying: the
    speech verb's clause without its subject and the verb ("he said [the White House did not
    ...]"), or the sentence without its "according to X" phrase; None where nobody speaks.
    ``quotes``: the text's quotation spans (document offsets), where the sentence's own marks do
    not tell (a quote over several paragraphs)."""
    local = None if quotes is None else _local(quotes, offset, len(sent.text))
    found = _speech(sent, local)
    if found is None:
        return None
    kind, subj, cue = found
    if kind == "according_to":
        phrase = {t.i for t in cue.subtree}
        toks = [t for t in sent if t.i not in phrase and not t.is_punct]
    else:
        skip = {t.i for t in subj.subtree} | {cue.i}
        skip |= {c.i for c in cue.children if c.dep_ in ("aux", "neg", "auxpass", "punct")}
        toks = [t for t in cue.subtree if t.i not in skip and not t.is_punct]
    if not toks:
        return None
    keep = {t.i for t in toks}
    runs: list[tuple[int, int]] = []
    for t in sent:  # contiguous runs of kept tokens (punctuation joins a run)
        if t.i in keep or (t.is_punct and runs and runs[-1][1] == t.i - 1):
            if runs and runs[-1][1] == t.i - 1:
                runs[-1] = (runs[-1][0], t.i)
            elif t.i in keep:
                runs.append((t.i, t.i))
    doc = sent.doc
    return [(doc[a].idx + offset, doc[b].idx + len(doc[b]) + offset) for a, b in runs]


def named_subjects(sent: Doc, offset: int) -> list[Mention]:
    """Proper-noun subjects of a parsed sentence ("Tokayev", "Mayor Linden"), in order: the
    candidates a later "he said" refers back to."""
    out = []
    for tok in sent:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "PROPN":
            lo = min([t.i for t in tok.lefts if t.dep_ in ("compound", "flat")] + [tok.i])
            start, end = sent[lo].idx, tok.idx + len(tok)
            out.append(Mention(start + offset, end + offset, sent.text[start:end]))
    return out


def _subject(verb: Token) -> Token | None:
    while True:
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        if subj and subj[0].lower_ in ("who", "that") and verb.dep_ == "relcl":
            return _antecedent_of(subj[0], verb.head)  # "Trump, who has characterized ..."
        if subj:
            return subj[0]
        agent = [g for c in verb.children if c.dep_ == "agent" for g in c.children
                 if g.dep_ == "pobj"]  # fmt: skip
        if agent:  # "is accused by Clayton County authorities of ..."
            return agent[0]
        if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i != verb.i:
            verb = verb.head  # "X described ..., emphasizing that ..."
            continue
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.i != verb.i:
            verb = verb.head.head  # "Melvin followed up by asking ..."
            continue
        return None


# Verbs whose subject speaks whatever noun it is ("the agreement states", "the caller reported").
SAYING = {
    "say", "tell", "write", "add", "tweet", "insist", "state", "claim", "allege", "argue",
    "report", "confirm", "deny", "ask", "reply", "notify", "inform", "text", "respond",
    "announce", "declare", "accuse", "demand", "note", "explain", "warn", "call",
}  # fmt: skip


def _antecedent_of(relative: Token, head: Token) -> Token:
    """What "who" stands for: the noun right before it ("between Acosta and Trump, who": Trump,
    where the parse hangs the clause on Acosta), else the clause's head."""
    i = relative.i - 1
    while i > relative.sent.start and relative.doc[i].is_punct:
        i -= 1
    before = relative.doc[i]
    return before if before.pos_ in ("PROPN", "NOUN") and before.i != relative.i else head


def _speaker_like(tok: Token, verb: Token | None = None) -> bool:
    if verb is not None and lemma(verb) == "show":
        return tok.pos_ == "NOUN" and lemma(tok) in SOURCE_NOUNS  # "police reports show"
    if tok.lower_ in SPEAKER_PRONOUNS:
        return True
    if tok.pos_ == "PROPN":
        return True
    if verb is not None and lemma(verb) in SAYING and tok.pos_ == "NOUN":
        return True  # "the Putin puppet said": whoever says something speaks
    return lemma(tok) in SOURCE_NOUNS


def _speaker(doc: Doc, head: Token, shift: int) -> Mention:
    """The name of a speaker: the head with its compounds and titles, or the whole phrase for
    common nouns ("the economy minister"), with a name it is joined to by "of", "for" or "at"
    ("the city of Westerville"); a name in apposition stands for a description ("Mother of
    #BothamJean, Allison Jean, says")."""
    named = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    if head.pos_ != "PROPN" and named:
        head = named[0]
    keep = ("compound", "flat", "amod", "poss", "case", "det", "nmod", "punct")
    toks = [t for t in head.subtree if t.dep_ in keep or t.i == head.i]
    contiguous = [t for t in toks if head.left_edge.i <= t.i <= head.i]
    lo = min(t.i for t in contiguous)
    while lo < head.i and doc[lo].dep_ in ("det", "punct"):
        lo += 1
    hi = head.i
    if head.pos_ == "NOUN":
        of = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "at")
              and c.i == head.i + 1]  # fmt: skip
        obj = [g for g in of[0].children if g.dep_ == "pobj" and g.pos_ == "PROPN"] if of else []
        if obj:
            hi = obj[0].i
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    return Mention(start + shift, end + shift, doc.text[start:end])
