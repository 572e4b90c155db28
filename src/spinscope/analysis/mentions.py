"""Named mentions of people, organisations and places: the one mention finder behind the claims
analyser's speaker linking and the roles analyser's entities.

A mention starts as a capitalised word sequence (no statistical model needed), then:

- a possessive ends it: "Acosta's White House" is two mentions, "Acosta" (written possessive)
  and "White House", never the merged "Acosta's White House";
- capitalised words joined by "of" are one name ("Department of Energy"), never by "and";
- leading words that are not part of a name go: titles ("President", "Secretary of State"),
  articles ("The"), a demonym before a title ("Russian President Putin"), sentence adverbs
  ("Meanwhile Moscow", "Clearly Putin") and, at a sentence start, any capitalised word the text
  also writes in lower case;
- a word alone that the text writes in lower case elsewhere ("However", "Yesterday") or a
  sentence adverb is no mention, nor is a day or month alone ("Wednesday", "June") or the first
  word of an editor's bracketed aside ("[Emphasis added]");
- a Title Case headline line gives no mentions (every word of it is capitalised);
- an apposition names what the mention is: "Trump's spokesman Taylor Budowich", "CNN
  correspondent Jim Acosta" and "Taylor Budowich, a spokesman for Trump," give Taylor Budowich
  the role "spokesman" of "Trump";
- where spaCy's entity recogniser has run (``entities``; the roles analyser runs it, the claims
  analyser does not, to keep its speed), each mention gets its kind (person, organisation, place,
  group) and a capitalised sequence that holds two recognised entities is cut into them (where
  the recogniser reads two names as one, "Reuters Putin", they stay one).

Mentions are grouped by ``key``, the last word of the name ("Putin" joins "Vladimir Putin"), and
a group is named by its fullest form (``fullest``): claims link a speaker to that form, roles
name an entity with it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from spinscope.model.claim import Mention

if TYPE_CHECKING:
    from spacy.language import Language

TITLES = {
    "President", "Vice", "Prime", "Minister", "Foreign", "Defence", "Defense", "Secretary",
    "General", "Chancellor", "King", "Queen", "Prince", "Senator", "Governor", "Mayor", "Mr",
    "Mrs", "Ms", "Dr", "Sir", "Lord", "Judge", "Chairman", "Chair", "CEO", "Director", "Deputy",
    "Spokesperson", "Spokesman", "Spokeswoman", "Ambassador", "Pope", "Sheikh", "Emir",
    "Sultan", "Colonel", "Commander", "Chief", "Professor", "Prof", "Rep", "Sen", "Gov",
    "State", "Head", "Leader", "Former", "Acting", "Kazakh", "Uzbek", "Tajik", "Kyrgyz",
    "Turkmen", "Thai", "Swiss", "French", "Dutch", "Greek", "Czech", "Irish", "Welsh",
}  # fmt: skip
DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|an|ish|ese|i)$")
# Capitalised words, joined by a space, a hyphen or "of" ("Department of Energy", "Bank of the
# Philippines"); never by "and" ("Russia and Ukraine" are two names).
NAME = re.compile(
    r"\b[A-Z][\w’'-]*(?:(?:[ -]|\s(?:of|of\s+the|for|de|del|von|van)\s)[A-Z][\w’'-]*)*"
)
CONNECTORS = {"of", "the", "for", "de", "del", "von", "van"}
# Words that head an institution's name joined by "of" ("Ministry of Defence").
ORG_HEADS = set(
    "Department Ministry Bank Bureau Office House Council Court Commission Committee Chiefs "
    "University Institute Institution Academy College School Board Federation Republic Union "
    "Kingdom States Museum Church Party Agency Army Navy Corps Chamber Parliament Assembly "
    "Association Society League Organisation Organization Centre Center Council Secretariat "
    "Commonwealth Hall Government Services Forces "
    "Coalition Alliance Fund Foundation Authority Tribunal Congress Senate Cabinet".split()
)
NOT_NAMES = {"The", "A", "An", "This", "That", "These", "Those", "It", "In", "On", "As", "But"}
# Days and months alone are dates, not names ("May" can be Theresa May, so it is not here).
DATES = set(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June "
    "July September October November December".split()
)
# Words that start sentences capitalised and are not names.
ADVERBS = set(
    "however meanwhile yesterday today tomorrow tonight still yet also thus hence instead "
    "moreover furthermore nevertheless nonetheless indeed perhaps maybe now then there here "
    "after before since while when where what which who why how if unless although though "
    "because so but and or nor for with without within during despite among between against "
    "according overall finally first second third last next later earlier once again even "
    "many most some several few all both each every any none no not yes our their his her its "
    "my your we they he she you it i this that these those such other another one two".split()
)
# What an apposition may call a person ("Trump's spokesman Taylor Budowich").
ROLE_NOUNS = set(
    "spokesman spokeswoman spokesperson secretary minister president adviser advisor aide "
    "lawyer attorney correspondent reporter editor anchor host chief head director chairman "
    "founder leader official ambassador envoy general commander deputy wife husband son "
    "daughter brother sister father mother friend ally rival opponent challenger successor "
    "predecessor economist analyst researcher professor governor mayor senator candidate "
    "representative manager owner partner colleague counsel judge prosecutor lawmaker "
    "legislator congressman congresswoman politician diplomat specialist expert".split()
)
# Titles that only people bear: a name after one is a person's ("U.S. District Court Judge
# Timothy Kelly" gives Timothy Kelly; "Vice President Kamala Harris" gives Kamala Harris).
PERSON_TITLES = set(
    "President Minister Secretary Chancellor King Queen Prince Princess Senator Governor Mayor "
    "Mr Mrs Ms Miss Dr Sir Lord Lady Judge Justice Chairman Chairwoman Chairperson CEO "
    "Spokesperson Spokesman Spokeswoman Ambassador Pope Sheikh Emir Sultan Colonel Commander "
    "Professor Prof Rep Sen Gov Congressman Congresswoman Representative Attorney Sergeant "
    "Captain Lieutenant Gen Col Lt Sgt Capt Cardinal Bishop Rabbi Imam Rev Reverend Dean".split()
)
# Capitalised words ending in -ly that are names, not sentence adverbs ("Clearly").
LY_NAMES = set(
    "Kelly Emily Molly Holly Beverly Shelly Ashley Riley Lily Sully Italy Kelley "
    "Ely Donnelly Connolly Daly Finley Bradley Stanley Hadley Wiley Lilly".split()
)
KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
         "FAC": "place", "NORP": "group"}  # fmt: skip
POSSESSIVE = re.compile(r"[’']s?$")
_WORD = re.compile(r"[^\W\d_][\w’'-]*")


@dataclass(frozen=True)
class NameMention:
    """A name in the text: ``[start, end)`` and its text (without a possessive "'s"), its kind
    where an entity recogniser said (``person``, ``organisation``, ``place``, ``group``), whether
    it was written possessive, and what an apposition calls it (``role`` of ``of``)."""

    start: int
    end: int
    text: str
    kind: str | None = None
    possessive: bool = False
    role: str | None = None
    of: str | None = None

    @property
    def key(self) -> str:
        return key(self.text)

    def as_mention(self) -> Mention:
        return Mention(self.start, self.end, self.text)

    @property
    def described(self) -> str:
        """ "spokesman of Trump", or empty."""
        if not self.role:
            return ""
        return f"{self.role} of {self.of}" if self.of else self.role


def key(name: str) -> str:
    """What groups mentions of one entity: the last word, without a possessive ("Putin" joins
    "Vladimir Putin"); a name with "of" whole ("Bank of the Philippines" is not the
    Philippines)."""
    words = name.split()
    if any(w in CONNECTORS for w in words):
        return POSSESSIVE.sub("", name)
    return POSSESSIVE.sub("", words[-1]) if words else ""


AnyMention = TypeVar("AnyMention", Mention, NameMention)


def fullest(mentions: Sequence[AnyMention]) -> AnyMention:
    """The mention with the most words, the earliest among equals."""
    return max(mentions, key=lambda n: (len(n.text.split()), -n.start))


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """The lines written in Title Case (headlines), where capitals say nothing about names."""
    out, pos = [], 0
    for line in text.split("\n"):
        words = [w for w in _WORD.findall(line) if len(w) > 3]
        headline = len(words) <= 25 and not line.rstrip().endswith(".")
        if headline and len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _pieces(text: str, start: int, end: int) -> Iterable[tuple[int, int, bool]]:
    """A capitalised sequence cut after each possessive word, and at "of" unless the word before
    heads an institution ("Department of Energy" stays, "Tom Mutton of Aldi" is cut): (start,
    end, possessive)."""
    lo, prev = start, ""
    for w in re.finditer(r"[^ ]+", text[start:end]):
        if w[0] in CONNECTORS:
            if prev not in ORG_HEADS and lo < start + w.start() - 1:
                yield lo, start + w.start() - 1, False
                lo = start + w.end() + 1
            elif prev not in ORG_HEADS:
                lo = start + w.end() + 1
            continue
        prev = w[0]
        mark = POSSESSIVE.search(w[0])
        if mark:  # "Acosta's", "Jones'"; a bare "'" on another word closes a quote: cut too
            owner = mark[0] != "'" or w[0].endswith("s'")
            cut = start + w.end() - len(mark[0])
            if cut > lo:
                yield lo, cut, owner
            lo = start + w.end() + 1
    if lo < end:
        yield lo, end, False


def _starts_sentence(text: str, at: int) -> bool:
    before = char_before(text, at, " \t\"“‘'(")
    return not before or before in ".!?:;\n"


def char_before(text: str, i: int, skip: str | None = None) -> str:
    """The last character before ``text[i]`` not in ``skip`` (whitespace when None), or '':
    ``text[:i].rstrip(skip)[-1:]`` without copying the text before ``i`` (that copy, once per
    name, made long texts quadratic)."""
    while i > 0 and (text[i - 1].isspace() if skip is None else text[i - 1] in skip):
        i -= 1
    return text[i - 1] if i > 0 else ""


def find(text: str, entities: Sequence[tuple[int, int, str]] | None = None) -> list[NameMention]:
    """Every name in ``text``, in order (see the module docstring). ``entities``: spaCy's
    entities as ``(start, end, label)`` (``ner_entities``), or None where it has not run."""
    lower = {w for w in _WORD.findall(text) if w.islower()}
    surnames = {m[0].split()[-1] for m in NAME.finditer(text) if " " in m[0]} | LY_NAMES
    headlines = _title_case_lines(text)
    out: list[NameMention] = []
    for m in NAME.finditer(text):
        if any(a <= m.start() < b for a, b in headlines):
            continue
        for lo, hi, possessive in _pieces(text, m.start(), m.end()):
            words = text[lo:hi].split()
            while words and (
                words[0] in NOT_NAMES
                or words[0].rstrip(".") in TITLES
                or words[0].lower() in ADVERBS
                or words[0] in CONNECTORS
                or (len(words) > 1 and DEMONYM.match(words[0]) and words[1] in TITLES)
                or (
                    len(words) > 1
                    and words[0].lower() in lower
                    and _starts_sentence(text, hi - len(" ".join(words)))
                )
                or (len(words) > 1 and _adverb_ly(words[0], surnames))
            ):
                words = words[1:]
            words = _after_title(words)
            if not words:
                continue
            if len(words) == 1 and (
                words[0].lower() in lower
                or _adverb_ly(words[0], surnames)
                or (words[0].isupper() and len(words[0]) < 2)
                or words[0] in DATES
            ):
                continue  # an ordinary word capitalised ("However", "Yesterday", "Clearly")
            name = " ".join(words)
            start = hi - len(name)
            if _editorial_note(text, start, hi):
                continue  # "[Emphasis added]", "[Laughter follows]": an editor's aside
            if text[start:hi] == name:
                out.append(NameMention(start, hi, name, possessive=possessive))
    if entities is not None:
        out = _typed(text, out, entities)
    return _appositions(text, out)


# After the capitalised word of a bracketed aside: lower-case words, then the closing bracket.
_ASIDE_REST = re.compile(r"(?:[ \t]+[a-z][\w’'-]*){1,4}[ \t]*\]")


def _editorial_note(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` opens an editor's bracketed aside in lower case after it
    ("[Emphasis added]", "[Applause and cheering]"): no name. An editor's insertion of a name,
    "[Trump]" or "[Donald Trump]", stays a name; "[Trump said]" would not (rare in news)."""
    return start > 0 and text[start - 1] == "[" and bool(_ASIDE_REST.match(text, end))


def _adverb_ly(word: str, names: set[str]) -> bool:
    """A capitalised adverb in -ly ("Clearly"), unless the text or the list of names knows the
    word as a name ("Kelly" of "Timothy Kelly")."""
    return word.endswith("ly") and word[1:].islower() and word not in names


def _after_title(words: list[str]) -> list[str]:
    """The words after the last title a person bears ("District Court Judge Timothy Kelly" ->
    "Timothy Kelly"), where a name follows the title; the words as they are otherwise."""
    if words and words[-1] in ORG_HEADS:
        return words  # "Justice Department", "President Hotel": no person's name
    for i in range(len(words) - 2, -1, -1):
        if words[i].rstrip(".") in PERSON_TITLES:
            rest = words[i + 1 :]
            while len(rest) > 2 and rest[0] in TITLES:  # "Attorney General James Burnham"
                rest = rest[1:]
            return rest
    return words


def _typed(
    text: str, mentions: list[NameMention], entities: Sequence[tuple[int, int, str]]
) -> list[NameMention]:
    """Each mention with the kind of the entity it overlaps most; a mention holding two
    recognised entities is cut into them."""
    ents = sorted((s, e, KINDS[lab]) for s, e, lab in entities if lab in KINDS)
    starts = [s for s, _, _ in ents]
    longest = max((e - s for s, e, _ in ents), default=0)
    out = []
    for m in mentions:
        # only the entities that may overlap the mention (a scan of all of them per mention
        # made long texts quadratic)
        near = ents[bisect_left(starts, m.start - longest) : bisect_left(starts, m.end)]
        inside = [(s, e, k) for s, e, k in near if m.start <= s and e <= m.end]
        if len(inside) >= 2:
            for s, e, k in inside:
                s2 = s + len(text[s:e]) - len(text[s:e].lstrip())
                name = POSSESSIVE.sub("", text[s2:e]) if e == m.end else text[s2:e]
                if name and name[0].isupper():
                    out.append(replace(m, start=s2, end=s2 + len(name), text=name, kind=k))
            continue
        overlap = [(min(e, m.end) - max(s, m.start), k) for s, e, k in near]
        best = max((o for o in overlap if o[0] > 0), default=None)
        out.append(replace(m, kind=best[1]) if best else m)
    return out


_ROLE_WORDS = r"((?:[a-z][\w-]*\s+){0,3}?([a-z][\w-]*))"


def _appositions(text: str, mentions: list[NameMention]) -> list[NameMention]:
    """What an apposition calls a name: "X's ROLE Y", "X ROLE Y" (X an organisation or place, or
    unknown), "Y, (the|a) ROLE (of|for|at) X" and "Y, X's ROLE"."""
    out = list(mentions)
    x: NameMention | None
    for i, y in enumerate(mentions):
        for x in reversed(mentions[:i]):  # "X's spokesman Y", "CNN correspondent Y"
            gap = text[x.end : y.start]
            if x.possessive:
                gap = re.sub(r"^[’']s?", "", gap)
            m = re.fullmatch(r"\s+" + _ROLE_WORDS + r"\s+", gap)
            if m and m[2] in ROLE_NOUNS and (x.possessive or x.kind != "person"):
                out[i] = replace(y, role=m[1], of=x.text)
            break
        if out[i].role:
            continue
        after = text[y.end : y.end + 120]
        m = re.match(r",\s+(?:the|a|an)\s+" + _ROLE_WORDS + r"\s+(?:of|for|at|to)\s+", after)
        if m and m[2] in ROLE_NOUNS:
            x = next((n for n in mentions[i + 1 :] if n.start == y.end + m.end()), None)
            if x is not None:
                out[i] = replace(y, role=m[1], of=x.text)
                continue
        m = re.match(r",\s+", after)
        x = mentions[i + 1] if i + 1 < len(mentions) else None
        if m and x is not None and x.possessive and x.start == y.end + m.end():
            r = re.match(r"[’']s?\s+" + _ROLE_WORDS + r"\s*[,.;)]", text[x.end : x.end + 60])
            if r and r[2] in ROLE_NOUNS:
                out[i] = replace(y, role=r[1], of=x.text)
    return out


def link(speaker: Mention, names: Sequence[Mention], prior: Sequence[Mention]) -> Mention | None:
    """The fullest mention in the text of a speaker's name, or a pronoun's antecedent (the last
    of ``prior``): the claims analyser's speaker linking, by the grouping key roles use too."""
    from spinscope.analysis.claims.parsing import SPEAKER_PRONOUNS

    words = speaker.text.split()
    if not words:
        return None
    if len(words) == 1 and words[0].lower() in SPEAKER_PRONOUNS:
        return prior[-1] if prior else None
    last = key(speaker.text)
    if not last[:1].isupper():
        return None
    said = POSSESSIVE.sub("", speaker.text)
    same = [
        n
        for n in names
        if key(n.text) == last or n.text.split("-")[-1] == last or n.text.startswith(said + " of ")
    ]
    return fullest(same) if same else None


@lru_cache(maxsize=1)
def load_ner() -> Language:
    """spaCy's small English pipeline with only its entity recogniser (its own token vectors; no
    tagger or parser), loaded once per process."""
    from spinscope.analysis.claims.parsing import SPACY_MODEL, _import_spacy_without_torch
    from spinscope.errors import ModelError

    try:
        spacy = _import_spacy_without_torch()
        nlp: Language = spacy.load(
            SPACY_MODEL,
            exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"],
        )
        return nlp
    except (ImportError, OSError) as exc:
        raise ModelError(
            f"Entity kinds need the spaCy model {SPACY_MODEL!r}; install spinscope again "
            f"(pip install spinscope) to get it. ({exc.__class__.__name__})"
        ) from None


def ner_entities(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """spaCy's entities of each text as ``(start, end, label)``."""
    nlp = load_ner()
    return [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(texts)]


def ner_entities_in(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """spaCy's entities of the given pieces of ``text`` (sentences), in document offsets: the
    recogniser reads only where the names of interest are (it costs far more than the rest of
    the roles analyser)."""
    spans = sorted(set(spans))
    if not spans:
        return []
    out = []
    for (lo, _), d in zip(spans, load_ner().pipe(text[a:b] for a, b in spans), strict=True):
        out += [(lo + e.start_char, lo + e.end_char, e.label_) for e in d.ents]
    return out
