"""Non-news texts (issue 15): a poem and a recipe (written by hand for these tests) get "not
sure", with the reason, for the genre and every other article label, never a confident genre; a
very short text gets no label at all."""

from __future__ import annotations

import pytest

from spinscope.analysis import _article_checks as checks
from spinscope.analysis.framing import FramingAnalyzer
from spinscope.analysis.framing import shipped_model_dir as framing_dir
from spinscope.analysis.roles import RoleAnalyzer
from spinscope.analysis.roles import shipped_model_dir as roles_dir
from spinscope.model.document import Document

from .fixtures_not_news import POEM, RECIPE

NEWS = (
    "The city council voted on Tuesday to close the old harbour bridge for repairs from March, "
    "after engineers found cracks in two of its supports. The mayor said ferries would run "
    "every twenty minutes while the work lasts, and that the bridge should reopen in the autumn."
    "\n\nShop owners near the bridge said they feared losing customers. The council promised a "
    "fund of 200,000 euros to help them."
)
framing_model = pytest.mark.skipif(
    not (framing_dir() / "card.json").exists(), reason="no shipped framing model"
)


def test_the_checks_call_the_poem_verse_and_the_recipe_a_recipe() -> None:
    poem, recipe = checks.not_news(POEM), checks.not_news(RECIPE)
    assert poem and "verse" in poem and "12 lines" in poem
    assert recipe and "recipe" in recipe and "ingredient" in recipe


def test_the_checks_leave_news_alone() -> None:
    assert checks.not_news(NEWS) is None
    # a news text with a short list between its paragraphs is still news
    listed = NEWS + "\n\nSources:\nCity council\nHarbour office\nPort authority\nMayor's office\n"
    assert checks.not_news(listed) is None


def test_a_news_report_on_food_prices_is_not_a_recipe() -> None:
    text = (
        "Bread prices rose again in May. A loaf now costs 2.40 euros, up from 1.90 a year ago.\n"
        "Bakers blame flour: 25 kg of it cost 14 euros last spring and 21 euros now.\n"
        "The ministry said it would add bakeries to its energy aid scheme from July."
    )
    assert checks.not_news(text) is None


@framing_model
@pytest.mark.parametrize("text", [POEM, RECIPE])
def test_every_article_label_is_not_sure_with_the_reason(text: str) -> None:
    found = FramingAnalyzer().analyze([Document(text)])[0]
    assert {x.task for x in found} >= {"genre", "frame"}
    for x in found:
        assert x.unsure and x.best is None, f"a confident {x.task}: {x.label}"
        assert x.explanation.startswith(f"Not sure of the {x.task}: the text looks like")
        assert "news articles only" in x.explanation


@framing_model
@pytest.mark.parametrize("text", ["Roses are red.\nViolets are blue.", "Whisk 2 eggs."])
def test_a_very_short_text_gets_no_label(text: str) -> None:
    assert FramingAnalyzer().analyze([Document(text)])[0] == []


@pytest.mark.skipif(not (roles_dir() / "roles.json").exists(), reason="no shipped roles model")
@pytest.mark.parametrize("text", [POEM, RECIPE])
def test_roles_are_not_sure_on_a_poem_or_a_recipe(text: str) -> None:
    (found,) = RoleAnalyzer().analyze([Document(text)])
    assert [x.label for x in found] == ["not sure"]
    assert "the text looks like" in found[0].explanation and found[0].entity is None
