"""Who the speakers of a text are (``Referents``): a speaker's name linked to its fullest
mention, a description to the name beside it, and "he"/"she" to the person the text is about at
that point.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from functools import cached_property

from spinscope.analysis import mentions
from spinscope.analysis.claims.parsing import SPEAKER_PRONOUNS, sentence_spans
from spinscope.analysis.claims.quotes import quote_regions
from spinscope.model.claim import Mention

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
            group = self._groups.get(key) or []
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
        def titled(m: mentions.NameMention) -> bool:
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

    def _fullest(self, m: mentions.NameMention | Mention) -> Mention:
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
