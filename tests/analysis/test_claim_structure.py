"""What figures state and who states them, on hand-made sentences (spaCy's small model)."""

import pytest

from spinscope.analysis.claims import attribution as attribution_
from spinscope.analysis.claims import figures as figures_
from spinscope.analysis.claims import parsing
from spinscope.analysis.claims.quantities import find_quantities
from spinscope.analysis.claims.referents import Referents
from spinscope.model.claim import Mention
from spinscope.model.times import find_times

pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def nlp():
    return parsing.load_nlp()


def figures(nlp, text):
    return figures_.figures(nlp(text), 0, find_quantities(text), find_times(text))


def attribution(nlp, text):
    referents = Referents(text, [(0, len(text))])
    return attribution_.attribution(nlp(text), 0, referents)


@pytest.mark.parametrize(
    "text,statement,direction,time,about",
    [
        ("Kazakhstan’s trade with the EAEU increased by 7.1% in 2022.", "change", "increase",
         "in 2022", "Kazakhstan’s trade with the EAEU"),
        ("Exports fell by 4% last year.", "change", "decrease", "last year", "Exports"),
        ("Turnover is projected to exceed $30 billion in the near future.", "projection", None,
         "in the near future", "Turnover"),
        ("The deficit will reach 3% of GDP by 2030.", "projection", None, "by 2030", "deficit"),
        ("The budget is $5 billion.", "level", None, None, "budget"),
        ("The gross inflow of FDI more than tripled between 2015 and 2021.", "change",
         "increase", "between 2015 and 2021", "gross inflow of FDI"),
        ("Imports halved since 2014.", "change", "decrease", "since 2014", None),
    ],
)  # fmt: skip
def test_figure_statement_direction_time_about(nlp, text, statement, direction, time, about):
    (f,) = figures(nlp, text)
    assert (f.statement, f.direction) == (statement, direction)
    assert (f.time.text if f.time else None) == time
    if about is not None:
        assert f.about is not None and f.about.text == about
        assert text[f.about.start : f.about.end] == f.about.text


def test_two_figures_share_the_sentence_time(nlp):
    text = "Trade increased by 7.1% in 2022, with exports to EAEU countries growing by 22.3%."
    a, b = figures(nlp, text)
    assert (a.quantity.value, a.time.text, a.direction) == (7.1, "in 2022", "increase")
    assert (b.quantity.value, b.time.text, b.direction) == (22.3, "in 2022", "increase")
    assert b.about.text == "exports to EAEU countries"


def test_reported_speech_links_the_short_name(nlp):
    text = (
        "Kazakh President Kassym-Jomart Tokayev met him. Tokayev highlighted Moscow’s position "
        "as one of Astana’s top three investors."
    )
    start = text.index("Tokayev highlighted")
    referents = Referents(text, [(0, start - 1), (start, len(text))])
    a = attribution_.attribution(nlp(text[start:]), start, referents)
    assert a.kind == "reported" and a.cue == "highlighted"
    assert a.speaker.text == "Tokayev" and text[a.speaker.start : a.speaker.end] == "Tokayev"
    assert a.entity.text == "Kassym-Jomart Tokayev"
    assert text[a.entity.start : a.entity.end] == a.entity.text


def test_participle_inherits_the_speaker(nlp):
    text = "Kazakh President Kassym-Jomart Tokayev described Putin’s arrival as a historic event."
    a = attribution(nlp, text)
    assert a.kind == "reported" and a.cue == "described"
    assert a.speaker.text.endswith("Kassym-Jomart Tokayev")
    assert a.entity.text == "Kassym-Jomart Tokayev"


def test_direct_quote(nlp):
    a = attribution(nlp, "“We will not back down,” the minister told reporters on Monday.")
    assert a.kind == "quote" and a.speaker.text == "minister" and a.cue == "told"


def test_according_to(nlp):
    a = attribution(nlp, "According to the IMF, inflation reached 12% last year.")
    assert a.kind == "according_to" and a.speaker.text == "IMF"


def test_pronoun_takes_the_prior_person(nlp):
    text = "Angela Smith runs the port. Exports rose 5%, he said."
    start = text.index("Exports")
    referents = Referents(text, [(0, start - 1), (start, len(text))])
    a = attribution_.attribution(nlp(text[start:]), start, referents)
    assert a.kind == "reported" and a.speaker.text == "he"
    assert a.entity == Mention(0, 12, "Angela Smith")


def test_the_authors_own_assertion(nlp):
    assert attribution(nlp, "Exports grew by 22.3% in 2022.").kind == "author"
    # a document "underscores" something: not a speaker
    text = "The joint declaration underscores mutual respect for sovereignty."
    assert attribution(nlp, text).kind == "author"


@pytest.mark.parametrize(
    "text",
    [
        "Exports: up 5% in 2022.",  # no verb
        "Country | 2021 | 2022 Kazakhstan | 12.5% | 14.1%",  # a flattened table
        "Товарооборот вырос на 30% в 2022 году.",  # not English
        "$$$ 100%%% ,,, 2022-2021",
    ],
)
def test_odd_sentences_do_not_crash(nlp, text):
    fs = figures(nlp, text)
    for f in fs:
        assert text[f.quantity.start : f.quantity.end] == f.quantity.text
    attribution(nlp, text)
