"""Every technique of both taxonomies is named, defined and illustrated; explain() quotes."""

from __future__ import annotations

import pytest

from spinscope.model import definitions as d
from spinscope.model.taxonomy import LABELS_2020, LABELS_2023, PTC2020, SEMEVAL2023

ALL = [(PTC2020, label) for label in LABELS_2020] + [(SEMEVAL2023, label) for label in LABELS_2023]


def test_definitions_cover_exactly_the_official_labels() -> None:
    assert set(d.DEFINITIONS[PTC2020]) == set(LABELS_2020)
    assert set(d.DEFINITIONS[SEMEVAL2023]) == set(LABELS_2023)


@pytest.mark.parametrize(("taxonomy", "label"), ALL)
def test_every_label_has_every_field(taxonomy: str, label: str) -> None:
    entry = d.technique(taxonomy, label)
    for text in (entry.name, entry.definition, entry.gist, entry.example):
        assert isinstance(text, str) and text.strip() == text and text
        assert "\n" not in text
    assert entry.definition[0].isupper() and entry.definition.endswith(".")
    assert entry.definition.count(". ") == 0, "one sentence"
    assert entry.gist[0].islower() and not entry.gist.endswith(".")
    assert d.display_name(taxonomy, label) == entry.name
    assert d.definition(taxonomy, label) == entry.definition
    assert d.example(taxonomy, label) == entry.example
    assert d.differs(taxonomy, label) == entry.differs
    if entry.differs:
        assert entry.differs.startswith("Differs from ") and "\n" not in entry.differs


@pytest.mark.parametrize("taxonomy", [PTC2020, SEMEVAL2023])
def test_display_names_are_distinct(taxonomy: str) -> None:
    names = [d.display_name(taxonomy, label) for label in d.DEFINITIONS[taxonomy]]
    assert len(set(names)) == len(names)


def test_ptc_labels_that_join_several_techniques_have_their_own_entries() -> None:
    joined = d.technique(PTC2020, "Whataboutism,Straw_Men,Red_Herring")
    assert joined.name == "Whataboutism / straw man / red herring"
    assert "counter-accusation" in joined.definition and "irrelevant" in joined.definition
    bandwagon = d.technique(PTC2020, "Bandwagon,Reductio_ad_hitlerum")
    assert "Bandwagon" in bandwagon.name and "Hitlerum" in bandwagon.name
    assert d.display_name(PTC2020, "Name_Calling,Labeling") == "Name calling / labeling"


@pytest.mark.parametrize(
    "label",
    [
        "Loaded_Language",
        "Name_Calling-Labeling",
        "Doubt",
        "Questioning_the_Reputation",
        "Whataboutism",
        "Appeal_to_Hypocrisy",
        "Straw_Man",
        "Red_Herring",
        "Flag_Waving",
        "Appeal_to_Values",
        "Causal_Oversimplification",
        "Consequential_Oversimplification",
        "Exaggeration-Minimisation",
        "Slogans",
        "Conversation_Killer",
    ],
)
def test_commonly_confused_techniques_say_how_they_differ(label: str) -> None:
    assert d.differs(SEMEVAL2023, label)


def test_ptc_notes_only_name_ptc_techniques() -> None:
    only_2023 = (
        "hypocrisy",
        "questioning the reputation",
        "conversation killer",
        "appeal to values",
    )
    for label in LABELS_2020:
        note = d.differs(PTC2020, label).lower()
        assert not any(name in note for name in only_2023), (label, note)


def test_explain_quotes_the_span_on_one_line() -> None:
    line = d.explain(SEMEVAL2023, "Loaded_Language", "shameful betrayal", 0.9)
    assert line == (
        'Loaded language: "shameful betrayal" uses emotionally charged words to sway the '
        "reader rather than inform."
    )


@pytest.mark.parametrize(("taxonomy", "label"), ALL)
def test_explain_works_for_every_label(taxonomy: str, label: str) -> None:
    line = d.explain(taxonomy, label, "a  quoted\nspan", 0.8)
    assert line.startswith(d.display_name(taxonomy, label) + ': "a quoted span" ')
    assert "\n" not in line and line.endswith(".")


def test_explain_truncates_a_long_quote() -> None:
    span = "word " * 60
    line = d.explain(PTC2020, "Repetition", span, 0.9)
    quoted = line.split('"')[1]
    assert quoted.endswith("…") and len(quoted) <= d.MAX_QUOTE_CHARS
    assert quoted.startswith("word word")


@pytest.mark.parametrize(
    ("span", "closed"),
    [
        ("the \u202eexperts lie", "the \u202eexperts lie\u202c"),
        ("the \u2067truth\u202b is", "the \u2067truth\u202b is\u202c\u2069"),
        ("the \u202eexperts\u202c lie", "the \u202eexperts\u202c lie"),  # closed: as it is
        ("\u2066a\u202eb\u2069 c", "\u2066a\u202eb\u2069 c"),  # the PDI closes both
        ("a\u202c\u2069 b", "a\u202c\u2069 b"),  # a stray closer opens nothing
    ],
)
def test_a_quote_closes_the_bidi_overrides_it_opens(span: str, closed: str) -> None:
    # an override or isolate left open in a quote (or cut off with the quote's end) ran on
    # into the report's own words after it: the closing quote mark, the score, the explanation
    assert d.quote(span) == closed
    cut = d.quote("\u202e" + "word " * 60)
    assert cut.endswith("…\u202c") and len(cut) <= d.MAX_QUOTE_CHARS + 1
    line = d.explain(SEMEVAL2023, "Loaded_Language", "the \u202eexperts lie", 0.9)
    assert '"the \u202eexperts lie\u202c" uses' in line


def test_explain_says_when_confidence_is_low() -> None:
    assert "Low confidence: 0.31" in d.explain(SEMEVAL2023, "Doubt", "really?", 0.31)
    assert "confidence" not in d.explain(SEMEVAL2023, "Doubt", "really?", 0.9).lower()


def test_unknown_labels_fail_clearly_but_do_not_break_explain() -> None:
    with pytest.raises(KeyError, match="Unknown technique 'Nope' in taxonomy 'ptc2020'. Known: "):
        d.definition(PTC2020, "Nope")
    with pytest.raises(KeyError, match="Unknown taxonomy 'x'"):
        d.example("x", "Doubt")
    assert d.display_name("x", "Some_Label") == "Some Label"
    assert d.explain("x", "Some_Label", "text", 0.9).startswith('Some Label: "text" ')
