"""Entity roles in `analyze`: which names are entities, and what a role label carries."""

from __future__ import annotations

import json

import pytest

from spinscope.analysis.role_entities import find_entities
from spinscope.analysis.roles import RoleAnalyzer, main_roles
from spinscope.model.document import Document
from spinscope.model.labels import ArticleLabel

TEXT = (
    "Moscow accused Kyiv of shelling civilians. President Vladimir Putin said Russia would "
    "protect the people of Donbas. Putin warned NATO that any expansion would be met with force. "
    "However, NATO officials rejected the claim, and NATO said it would keep supporting Ukraine. "
    "Civilians in Ukraine were killed in the attack on a school. Ukraine's army held the line."
)


def test_names_are_grouped_by_their_last_word_and_named_by_the_fullest_form():
    found = {e.name: e for e in find_entities(TEXT)}
    assert set(found) == {"NATO", "Ukraine", "Vladimir Putin"}
    assert [TEXT[s:e] for s, e in found["Vladimir Putin"].mentions] == ["Vladimir Putin", "Putin"]
    assert [TEXT[s:e] for s, e in found["Ukraine"].mentions] == ["Ukraine"] * 3  # "Ukraine's"


def test_capitalised_sentence_starts_are_not_entities():
    text = "However, prices rose. However, wages fell. Yesterday it rained. Clearly, it was cold."
    assert find_entities(text, min_mentions=1) == []


@pytest.mark.parametrize("apostrophe", ["'", "’"])
@pytest.mark.parametrize(
    "pattern",
    [
        "Reporters at Acosta{a}s White House were told to leave. Acosta{a}s White House said no.",
        "The ruling went against Acosta{a} White House. Acosta{a} White House did not comment.",
        "CNN{a}s Jim Acosta sued. The suit named Acosta{a}s White House and CNN{a}s lawyers.",
    ],
)
def test_a_merged_or_partial_name_is_never_an_entity(pattern, apostrophe):
    """Issue 15: "Acosta's White House" is Acosta and the White House, never one entity, with
    either apostrophe, a bare one too, at a sentence start or inside it."""
    text = pattern.format(a=apostrophe)
    names = {e.name for e in find_entities(text, min_mentions=1, limit=50)}
    assert "White House" in names
    assert not any(apostrophe in n or "Acosta White" in n for n in names), names


def test_min_mentions_and_limit():
    assert {e.name for e in find_entities(TEXT, min_mentions=1, limit=50)} >= {
        "Moscow",
        "Kyiv",
        "Donbas",
    }
    # most mentioned first; ties by first mention (NATO before Ukraine, 3 each)
    assert [e.name for e in find_entities(TEXT, min_mentions=2, limit=1)] == ["NATO"]


def test_the_minority_threshold_keeps_antagonist_unless_another_role_is_likely():
    import numpy as np

    classes = ("Protagonist", "Antagonist", "Innocent")
    p = np.array([[0.3, 0.4, 0.3], [0.65, 0.3, 0.05], [0.1, 0.2, 0.7]])
    assert main_roles(p, classes, 0.6) == ["Antagonist", "Protagonist", "Innocent"]
    assert main_roles(p, classes, None) == ["Antagonist", "Protagonist", "Innocent"]
    assert main_roles(p, classes, 0.9) == ["Antagonist"] * 3


@pytest.fixture(scope="module")
def labels():
    return RoleAnalyzer(min_score=0.0).analyze([Document(text=TEXT)])[0]


def test_roles_below_min_score_are_not_reported(labels):
    """min_score reads the model's probability (in the explanation), not the calibrated score."""
    import re

    strict = RoleAnalyzer(min_score=0.5).analyze([Document(text=TEXT)])[0]
    said = r"probability over the mentions is ([0-9.]+)"
    raw = {x.label: float(re.search(said, x.explanation)[1]) for x in labels}
    kept = [x for x in labels if raw[x.label] >= 0.5]
    assert [x for x in strict if x.entity] == kept
    # the names left out are not dropped silently: one "not sure" label names them and says why
    rest = [x for x in strict if not x.entity]
    if len(kept) < len(labels):
        assert len(rest) == 1 and rest[0].unsure and "roles.min_score" in rest[0].explanation
        for x in labels:
            if x not in kept:
                assert x.entity["name"] in rest[0].explanation
    else:
        assert rest == []


def test_each_role_label_carries_an_entity_evidence_and_an_explanation(labels):
    assert {x.entity["name"] for x in labels} == {"NATO", "Ukraine", "Vladimir Putin"}
    for x in labels:
        assert x.task == "entity_role" and x.analyzer == "roles"
        assert x.entity["main_role"] in ("Protagonist", "Antagonist", "Innocent")
        if x.unsure:  # a role without the held-out precision to be shown: the guess is kept
            assert x.best == x.entity["main_role"] and "not shown, since" in x.explanation
            assert not x.evidence
            continue
        assert x.label == f"{x.entity['name']}: {x.entity['main_role']}"
        assert x.entity["fine_roles"], x  # at least one fine role of its main role
        assert 0.0 <= x.score <= 1.0 and x.entity["name"] in x.explanation
        assert x.evidence
        for ev in x.evidence:
            assert TEXT[ev.start : ev.end] == ev.text
            assert any(ev.start <= s and e <= ev.end for s, e in x.entity["mentions"])


def test_a_role_label_round_trips_through_json(labels):
    for x in labels:
        assert ArticleLabel.from_dict(json.loads(json.dumps(x.to_dict()))) == x


@pytest.mark.parametrize("text", ["", "Hi.", "prices rose and wages fell, said the report."])
def test_texts_without_names_give_no_roles(text):
    assert RoleAnalyzer().analyze([Document(text=text)] if text else []) in ([[]], [])


def test_per_role_thresholds(labels):
    roles = {x.entity["main_role"] for x in labels}
    role = sorted(roles)[0]
    strict = RoleAnalyzer(min_score=0.0, label_min_score=f"{role}=1.0").analyze([Document(TEXT)])[0]
    assert [x for x in strict if x.entity] == [x for x in labels if x.entity["main_role"] != role]
    # the names left out are listed in one "not sure", with the per-role threshold that did it
    (rest,) = [x for x in strict if not x.entity]
    assert rest.unsure and "under 1.00" in rest.explanation


def test_an_unknown_role_in_the_per_role_thresholds_is_refused_naming_the_nearest():
    # a typo was applied to no role, without a word
    from spinscope.errors import ConfigError

    with pytest.raises(ConfigError) as exc:
        RoleAnalyzer(label_min_score="Innocent=0.4; Antagonst=0.6")
    message = str(exc.value)
    assert "roles.label_min_score" in message and "'Antagonst'" in message
    assert "did you mean Antagonist?" in message and "\n" not in message
