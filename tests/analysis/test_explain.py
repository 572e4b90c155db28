"""Every technique finding explains itself from its evidence: cues named in the span, the words
that carry it, and its reliability, all quoting the text."""

from __future__ import annotations

import re

import pytest

from spinscope.analysis.explain import why
from spinscope.analysis.techniques import TechniqueTagger
from spinscope.model.document import Document


@pytest.mark.parametrize(
    ("label", "span", "shown"),
    [
        ("Flag_Waving", "every patriot who loves this nation", ['"patriot"', '"nation"']),
        ("Exaggeration-Minimisation", "the worst disaster ever", ['"worst"']),
        ("Doubt", "Is that really true?", ['"?"', '"really"']),
        ("Appeal_to_Fear-Prejudice", "they will destroy our town", ['"destroy"']),
        ("Causal_Oversimplification", "prices rose because of them", ['"because"']),
    ],
)
def test_cues_named_in_the_span_are_quoted(label, span, shown):
    clause = why(label, span, span)
    for word in shown:
        assert word in clause, clause


def test_repetition_counts_the_phrase_and_unknown_cues_say_nothing():
    text = "Stand with us. We will win. Stand with us!"
    assert why("Repetition", "Stand with us", text) == "the phrase occurs 2 times in the text"
    assert why("Repetition", "We will win", text) == ""
    assert why("Flag_Waving", "the weather was nice", text) == ""
    assert why("Made_Up_Label", "anything", text) == ""


def test_every_finding_quotes_its_evidence_and_says_how_reliable_it_is():
    text = (
        "These shameful traitors betrayed our great nation. Is that really true? Everyone knows "
        "the corrupt elites will destroy everything we love unless every patriot stands up now."
    )
    found = TechniqueTagger().analyze([Document(text)])[0]
    assert found
    for f in found:
        quoted = re.findall(r'"([^"]+)"', f.explanation)
        assert quoted and all(q.rstrip("…") in text for q in quoted), f.explanation
        assert "at this confidence" in f.explanation or "nearly always" in f.explanation
    assert any("Here it" in f.explanation or "carried most by" in f.explanation for f in found)
