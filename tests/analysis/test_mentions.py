"""The shared mention finder (issue 15 step 4): possessives, appositions, sentence adverbs and
organisations vs people, on hand-written sentences; and that claims and roles use it alike."""

from __future__ import annotations

import pytest

from spinscope.analysis import mentions
from spinscope.analysis.claims.referents import Referents, name_mentions
from spinscope.analysis.role_entities import find_entities, headline_span
from spinscope.model.claim import Mention


def names(text: str, ner: bool = False) -> list[str]:
    ents = mentions.ner_entities([text])[0] if ner else None
    return [m.text for m in mentions.find(text, ents)]


def test_a_possessive_ends_a_name():
    text = "Acosta's White House pass was revoked. The White House said Acosta lied."
    found = mentions.find(text)
    assert [m.text for m in found] == ["Acosta", "White House", "White House", "Acosta"]
    assert found[0].possessive and not found[1].possessive
    assert "Acosta's White House" not in {e.name for e in find_entities(text, min_mentions=1)}
    assert {e.name for e in find_entities(text)} == {"Acosta", "White House"}


def test_plural_possessive_and_curly_apostrophe():
    text = "The Joneses’ farm lies near Moscow’s ring road, beside Paris' airport."
    assert names(text) == ["Joneses", "Moscow", "Paris"]


def test_sentence_adverbs_and_lower_case_words_are_not_names():
    text = (
        "Meanwhile Moscow denied it. However, prices rose. Clearly Putin lied. Yesterday it "
        "rained. Still, the Port authority in Port Ellery waited; the port was quiet."
    )
    # "Port" alone is a word the text also writes in lower case; "Port Ellery" is a name
    assert names(text) == ["Moscow", "Putin", "Port Ellery"]


def test_titles_and_demonyms_are_not_part_of_the_name():
    text = "Kazakh President Tokayev met Vladimir Putin. Mayor Linden said so."
    assert names(text) == ["Tokayev", "Vladimir Putin", "Linden"]


@pytest.mark.parametrize(
    ("text", "who", "role", "of"),
    [
        ("Trump's spokesman Taylor Budowich said it was false.", "Taylor Budowich",
         "spokesman", "Trump"),
        ("CNN correspondent Jim Acosta asked a question.", "Jim Acosta", "correspondent", "CNN"),
        ("Taylor Budowich, a spokesman for Trump, said no.", "Taylor Budowich", "spokesman",
         "Trump"),
        ("Jim Acosta, CNN's chief correspondent, left.", "Jim Acosta", "chief correspondent",
         "CNN"),
    ],
)  # fmt: skip
def test_appositions_say_what_a_name_is(text, who, role, of):
    found = {m.text: m for m in mentions.find(text)}
    assert found[who].role == role and found[who].of == of
    assert found[who].described == f"{role} of {of}"
    assert not found[of].role


def test_no_apposition_without_a_role_noun():
    found = {m.text: m for m in mentions.find("Trump's attack on Biden failed.")}
    assert found["Biden"].role is None


def test_a_title_case_headline_gives_no_names():
    text = "Harbour Deal Will Save Our Town\n\nMayor Linden said the deal is good."
    assert names(text) == ["Linden"]


def test_people_organisations_and_places_by_spacy():
    text = (
        "Trump's spokesman Taylor Budowich said CNN had lied. Meanwhile Moscow denied it. "
        "Reporters at CNN asked Taylor Budowich again in Moscow."
    )
    kinds = {m.text: m.kind for m in mentions.find(text, mentions.ner_entities([text])[0])}
    assert kinds["Taylor Budowich"] == "person"
    assert kinds["CNN"] == "organisation" and kinds["Moscow"] == "place"
    ents = {e.name: e for e in find_entities(text, entities=mentions.ner_entities([text])[0])}
    assert ents["Taylor Budowich"].kind == "person"
    assert ents["Taylor Budowich"].described == "spokesman of Trump"
    assert ents["CNN"].kind == "organisation"


def test_a_sequence_of_two_recognised_entities_is_cut():
    text = "Talks in Geneva. Officials said Geneva Moscow talks would resume."
    ents = [(32, 38, "GPE"), (39, 45, "GPE")]
    assert [m.text for m in mentions.find(text, ents)][-2:] == ["Geneva", "Moscow"]


def test_claims_link_speakers_by_the_same_mentions_and_keys():
    text = "Jim Acosta asked. Acosta's White House pass went. Acosta said it was unfair."
    names = name_mentions(text)
    assert [n.text for n in names] == [m.text for m in mentions.find(text)]
    speaker = Mention(text.rindex("Acosta"), text.rindex("Acosta") + 6, "Acosta")
    referents = Referents(text, [(0, len(text))])
    assert referents.link(speaker).text == "Jim Acosta"
    possessive = Mention(18, 26, "Acosta's")
    assert mentions.link(possessive, names, []).text == "Jim Acosta"


def test_the_headline_span():
    assert headline_span("Court rules on pass\n\nA judge ruled.") == (0, 19)
    assert headline_span("A judge ruled. The pass was revoked.") is None
    assert headline_span("Court rules\nA judge ruled.", title="Court rules") == (0, 11)


def test_names_joined_by_of_are_one_name_and_their_own_group():
    text = (
        "The UK's Prime Minister Rishi Sunak met officials of the Bank of the Philippines. "
        "Biden's Department of Energy agreed. Russia and Ukraine did not. The Philippines did."
    )
    assert names(text) == ["UK", "Rishi Sunak", "Bank of the Philippines", "Biden",
                           "Department of Energy", "Russia", "Ukraine", "Philippines"]  # fmt: skip
    assert mentions.key("Bank of the Philippines") != mentions.key("Philippines")
    assert mentions.key("Vladimir Putin's") == mentions.key("Putin") == "Putin"


def test_of_joins_only_institutions():
    text = "Tom Mutton of Aldi said so. US Secretary of State Antony Blinken agreed."
    assert "Tom Mutton" in names(text) and "Antony Blinken" in names(text)


def test_an_editors_bracketed_aside_is_no_name():
    text = (
        "The governor said the fleet would be electric by 2040. [Emphasis added]\n\n"
        "Critics said the plan [Applause follows] was costly. He [Whitmer] signed it, and "
        "[Gretchen Whitmer] spoke later."
    )
    names = [m.text for m in mentions.find(text)]
    assert "Emphasis" not in names and "Applause" not in names
    assert names.count("Whitmer") == 1 and "Gretchen Whitmer" in names


def test_a_day_or_month_alone_is_no_name_but_may_can_be():
    text = (
        "Talks resume on Wednesday. Officials met in June and again on Wednesday in Geneva. "
        "Theresa May said in June that May would not resign."
    )
    names = [m.text for m in mentions.find(text)]
    assert "Wednesday" not in names and "June" not in names
    assert "Theresa May" in names and "Geneva" in names
