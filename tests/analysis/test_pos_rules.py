"""The attribute ruler as look-ups (``claims.pos_rules``) gives spaCy's ruler's values."""

from __future__ import annotations

from spinscope.analysis.claims import parsing
from spinscope.analysis.claims.pos_rules import compile_rules

SENTENCES = [
    "The minister said that the plan, which critics call reckless, will cost $4bn.",
    "Whatever they say , it ain't gonna work and we gotta stop it  now.",
    "That is what those who were there told us: this was not an accident!",
    "He has been warned   twice, according to a spokeswoman for the police.",
    "Let's see which of these the committee had approved before 2019.",
    '"We won\'t back down," she insisted.\n\nBoth sides have been arguing since.',
]


def test_the_look_ups_give_the_rulers_values():
    nlp = parsing.load_nlp()
    rules = parsing.attribute_rules()
    assert rules is not None
    for text in SENTENCES:
        want = nlp(text)
        got = nlp(text, disable=["attribute_ruler"])
        rules.apply(got)
        assert [(t.pos_, t.tag_, t.dep_) for t in got] == [(t.pos_, t.tag_, t.dep_) for t in want]


def test_parse_all_reads_the_rules():
    parsing._PARSED.clear()
    doc = parsing.parse_all(["The minister said it would rain."])[0]
    assert [t.pos_ for t in doc][:3] == ["DET", "NOUN", "VERB"]


def test_a_later_pattern_wins_and_only_read_attributes_are_kept():
    rules = compile_rules([
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"},
         "index": 0},
        {"patterns": [[{"LOWER": "plan", "TAG": "NN"}]], "attrs": {"POS": "VERB"}, "index": 0},
        {"patterns": [[{"LOWER": "the"}]], "attrs": {"LEMMA": "x"}, "index": 0},
    ])  # fmt: skip
    assert rules is not None
    assert sum(map(len, rules.index.values())) == 2  # the lemma rule is left out
    doc = parsing.load_nlp()("The plan failed.", disable=["attribute_ruler"])
    rules.apply(doc)
    assert (doc[1].tag_, doc[1].pos_, doc[0].pos_) == ("NN", "VERB", "")


def test_patterns_of_other_forms_keep_spacys_ruler():
    only_negative = {"DEP": {"NOT_IN": ["det"]}}
    specs = [{"LOWER": {"REGEX": "^a"}}, {"LOWER": "a", "OP": "?"}, {"POS": "NOUN"}, {}]
    for spec in [*specs, only_negative]:
        assert compile_rules([{"patterns": [[spec]], "attrs": {"POS": "X"}, "index": 0}]) is None
