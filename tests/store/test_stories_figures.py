"""`figure_differences` on hand-built columns: each case is a false flag or a missed difference
found on real same-event stories (bench/stories_figures.py, BENCHMARKS.md issue 20)."""

from __future__ import annotations

import re
from dataclasses import replace
from types import SimpleNamespace

import pytest

from spinscope.model.times import find_times
from spinscope.store.story_times import article_year, figure_period, period_text
from spinscope.store.story_view import (
    about_key,
    figure_differences,
    figure_groups,
    figure_key,
    value_range,
)

SENTENCE = "A sentence of the article gives this figure."


def fig(text, value, about, unit=None, statement="level", qualifier=None, time=None, low=None,
        high=None, claim=SENTENCE):  # fmt: skip
    return {"document": "d", "text": text, "value": value, "unit": unit, "kind": "count",
            "low": low, "high": high, "qualifier": qualifier, "statement": statement,
            "time": time, "about": about, "claim": claim}  # fmt: skip


def cols(**figures):
    return [{"outlet": o, "figures": fs} for o, fs in figures.items()]


def test_about_that_holds_the_number_still_matches_and_differs():
    # "17 deaths" and "18 deaths": the number is part of "about"; before, the keys differed and
    # the difference was never flagged
    c = cols(A=[fig("17", 17.0, "17 deaths", "deaths")],
             B=[fig("eighteen", 18.0, "eighteen deaths", "deaths")])  # fmt: skip
    assert figure_differences(c) == [
        {"about": "deaths", "unit": "deaths", "values": {"A": [17.0], "B": [18.0]},
         "as_written": {"A": ["17"], "B": ["eighteen"]}}
    ]


def test_pronoun_about_is_not_matched():
    # "$16 million" of debt and "$80 million" of wealth, both "about" "he" (Clinton story)
    c = cols(A=[fig("$16 million", 1.6e7, "he", "USD")], B=[fig("$80 million", 8e7, "He", "USD")])
    assert about_key("He") == () and figure_differences(c) == []


def test_dates_and_durations_are_not_matched():
    c = cols(A=[fig("3", 3.0, "May 3"), fig("three", 3.0, "three months", "months")],
             B=[fig("8", 8.0, "May 8, 2018"), fig("Two", 2.0, "Two months", "months")])  # fmt: skip
    assert figure_differences(c) == [] and figure_groups(c) == {}


def test_clock_times_are_not_matched():
    # "5 p.m." and "6 p.m.": the about key was "p m" (a deadline in the Florida story, s9-stories
    # figure pairs); a clock time is not a count
    c = cols(A=[fig("5", 5.0, "5 p.m", "p m")], B=[fig("6", 6.0, "6 p.m.", "p m")])
    assert about_key("5 p.m.") == () and figure_differences(c) == [] and figure_groups(c) == {}


def test_qualified_values_agree_with_values_inside_them():
    more = fig("more than 700", 700.0, "more than 700 rounds of ammunition", "rounds",
               qualifier=">")
    exact = fig("720", 720.0, "720 rounds of ammunition", "rounds")
    assert figure_differences(cols(A=[more], B=[exact])) == []
    nearly = fig("nearly 29,000", 29000.0, "29,000 cases", "cases", qualifier="<~")
    some = fig("some 28,600", 28600.0, "28,600 cases", "cases", qualifier="~")
    assert figure_differences(cols(A=[nearly], B=[some])) == []
    less = fig("less than 100", 100.0, "100 cases", "cases", qualifier="<")
    assert figure_differences(cols(A=[less], B=[fig("150", 150.0, "150 cases", "cases")]))
    assert value_range(fig("5 to 7", 6.0, "x", low=5.0, high=7.0))[0] < 5.0


KILLED = "Hamas fighters killed {} Israelis in the attack on Saturday, officials said."


def killed(text, value, qualifier=None):
    return fig(text, value, f"{text} Israelis", "Israelis", qualifier=qualifier,
               claim=KILLED.format(text))


@pytest.mark.parametrize(
    "a,b,differ",
    [
        # a lower bound agrees with any larger figure, and differs from a smaller one
        (killed("at least 250", 250.0, ">="), killed("1,300", 1300.0), False),
        (killed("at least 250", 250.0, ">="), killed("100", 100.0), True),
        (killed("more than 250", 250.0, ">"), killed("1,300", 1300.0), False),
        (killed("more than 250", 250.0, ">"), killed("100", 100.0), True),
        # an upper bound agrees with any smaller figure, and differs from a larger one
        (killed("up to 250", 250.0, "<="), killed("100", 100.0), False),
        (killed("up to 250", 250.0, "<="), killed("1,300", 1300.0), True),
        (killed("fewer than 250", 250.0, "<"), killed("100", 100.0), False),
        (killed("fewer than 250", 250.0, "<"), killed("1,300", 1300.0), True),
        # "nearly": a little under the figure, not over it; "about": within 10 % either way
        (killed("nearly 1,300", 1300.0, "<~"), killed("1,200", 1200.0), False),
        (killed("nearly 1,300", 1300.0, "<~"), killed("1,500", 1500.0), True),
        (killed("nearly 1,300", 1300.0, "<~"), killed("250", 250.0), True),
        (killed("about 1,300", 1300.0, "~"), killed("1,400", 1400.0), False),
        (killed("about 1,300", 1300.0, "~"), killed("1,600", 1600.0), True),
        # two bounds: the same way they always agree; opposite ways only if they overlap
        (killed("at least 250", 250.0, ">="), killed("more than 1,000", 1000.0, ">"), False),
        (killed("at least 250", 250.0, ">="), killed("up to 300", 300.0, "<="), False),
        (killed("more than 1,000", 1000.0, ">"), killed("fewer than 500", 500.0, "<"), True),
    ],
)
def test_a_bound_is_compared_as_a_bound(a, b, differ):
    assert figure_key(a) == figure_key(b) == ("israelis", "dead")
    assert bool(figure_differences(cols(A=[a], B=[b]))) is differ
    assert bool(figure_differences(cols(A=[b], B=[a]))) is differ


def test_a_bound_that_differs_reads_as_a_bound():
    d = figure_differences(cols(A=[killed("at least 250", 250.0, ">=")],
                                B=[killed("100", 100.0)]))  # fmt: skip
    assert d[0]["values"] == {"A": [250.0], "B": [100.0]}
    assert d[0]["as_written"] == {"A": ["at least 250"], "B": ["100"]}


def test_an_outlet_with_several_values_agrees_with_one_that_gives_one_of_them():
    c = cols(A=[fig("eight", 8.0, "eight people", "people"), fig("four", 4.0, "four people",
                                                                   "people")],
             B=[fig("four", 4.0, "four people", "people")])  # fmt: skip
    assert figure_differences(c) == []


def test_level_and_change_or_other_times_are_not_compared():
    c = cols(A=[fig("40", 40.0, "villages")],
             B=[fig("5", 5.0, "villages", statement="change")])  # fmt: skip
    assert figure_differences(c) == []
    c = cols(A=[fig("40", 40.0, "villages", time="in 2023")],
             B=[fig("25", 25.0, "villages", time="in 2022")])  # fmt: skip
    assert figure_differences(c) == []


def test_one_outlet_alone_is_not_a_difference():
    assert figure_differences(cols(A=[fig("4", 4.0, "cars"), fig("5", 5.0, "cars")])) == []


# s12-figures: false flags on 129 same-story pairs (bench/gold/stories_figure_events.tsv, "look"
# half) where the "about" named only the unit ("97 people", "20 miles")


def test_people_are_matched_by_what_happened_to_them():
    # "killed 97 people" vs "20 people" who must be traced as contacts (Madagascar plague):
    # "people" alone says nothing of what is counted; the clause's outcome word does
    dead = fig("97", 97.0, "97 people", "people",
               claim="The outbreak has so far killed 97 people, and doctors warn it will spread.")
    contacts = fig("20", 20.0, "20 people", "people",
                   claim="Each confirmed case requires 20 people in contact to be treated.")
    died = fig("171", 171.0, "171 people", "people",
               claim="At least 171 people died in Madagascar over an outbreak of plague.")
    assert figure_key(dead) == ("people", "dead") and figure_key(contacts)[-1] != "dead"
    assert figure_differences(cols(A=[dead], B=[contacts])) == []
    assert figure_differences(cols(A=[dead], B=[died]))[0]["values"] == {"A": [97.0], "B": [171.0]}


def test_outcome_is_taken_from_the_figures_own_clause():
    claim = "Forty-four people have been infected and 23 people are known to have died."
    infected = fig("Forty-four", 44.0, "Forty-four people", "people", claim=claim)
    dead = fig("23", 23.0, "23 people", "people", claim=claim)
    assert figure_key(infected) == ("people", "infected")
    assert figure_key(dead) == ("people", "dead")
    # a plural demonym is people too: killed vs released hostages are not one quantity
    killed = fig("1,300", 1300.0, "1,300 Israelis", "Israelis",
                 claim="The assault, which killed 1,300 Israelis, mostly civilians, began it.")
    freed = fig("7", 7.0, "7 Israelis", "Israelis",
                claim="During the truce 7 Israelis who were detained in Gaza were released.")
    assert figure_key(killed) == ("israelis", "dead") and figure_key(freed) == ("israelis", "held")


def test_measures_alone_number_fragments_and_page_furniture_are_not_matched():
    # "20 miles" from Bikoro vs "175 miles" to Mbandaka; "more than 2 000 cases" read as "000";
    # "53 SHARES Facebook Twitter" share counters (caravan pages)
    assert figure_key(fig("20", 20.0, "20 miles", "miles")) == ()
    assert figure_key(fig("000", 0.0, "more than 2 000 cases", "cases")) == ()
    c = cols(A=[fig("53", 53.0, "53 SHARES", "SHARES", claim="53 SHARES Facebook Twitter")],
             B=[fig("665", 665.0, "665 SHARES", "SHARES", claim="665 SHARES Facebook Twitter")])
    assert figure_differences(c) == []
    # a count noun that says what is counted still matches on its own
    assert figure_key(fig("17", 17.0, "17 deaths", "deaths")) == ("deaths",)


# s12-figures, second round: false flags on the held-out halves (fresh, fresh2) where the unit
# was not people: one unit, two things done with it


def test_any_unit_alone_is_matched_by_the_action_of_its_clause():
    # Las Vegas: "fired nearly 200 rounds" vs "buy over 700 rounds"; Georgia: "18,000 votes
    # short" vs "5,000 votes tallied" and "3.9 million votes were cast"
    fired = fig("nearly 200", 200.0, "200 rounds", "rounds", qualifier="<~",
                claim="Paddock reportedly fired nearly 200 rounds through his suite door.")
    bought = fig("over 700", 700.0, "over 700 rounds", "rounds", qualifier=">",
                 claim="It wasn't unusual for a customer to buy over 700 rounds, he said.")
    assert figure_key(fired) == ("rounds", "fired") and figure_key(bought) == ()
    assert figure_differences(cols(A=[fired], B=[bought])) == []
    short = fig("18,000", 18000.0, "18,000 votes", "votes",
                claim="Abrams remained about 18,000 votes short of a result that forces a runoff.")
    cast = fig("3.9 million", 3.9e6, "3.9 million votes", "votes",
               claim="More than 3.9 million votes were cast in the election.")
    assert figure_key(cast) == ("votes", "cast") and figure_key(short) != figure_key(cast)
    # the same action still meets, across tenses and auxiliaries
    a = fig("5,200", 5200.0, "5,200 troops", "troops",
            claim="The US has deployed 5,200 troops to help.")
    b = fig("3,500", 3500.0, "3,500 troops", "troops",
            claim="By Saturday, 3,500 troops had been deployed, the Pentagon said.")
    assert figure_key(a) == figure_key(b) == ("troops", "deployed")
    assert figure_differences(cols(A=[a], B=[b]))[0]["values"] == {"A": [5200.0], "B": [3500.0]}


# s13-fig2: background figures about an earlier event (the 2014-16 West African Ebola outbreak,
# last year's outbreak) were compared with this event's figures (the last false flags of "look")


def period(doc, opening, figure, own_time=None, published=None):
    """``figure_period`` of the figure ``figure`` in the sentence of ``doc`` that starts with
    ``opening``, the claim's times found as the claims analyser finds them (document offsets)."""
    start = doc.index(opening)
    sentence = re.split(r"(?<=\.)\s|\n", doc[start:])[0]
    times = [replace(t, start=t.start + start, end=t.end + start) for t in find_times(sentence)]
    fig_ = SimpleNamespace(time=own_time, quantity=SimpleNamespace(start=doc.index(figure, start)))
    claim = SimpleNamespace(start=start, times=times)
    return figure_period(fig_, claim, doc, article_year(doc, published))


EBOLA = ("The outbreak was declared on May 8, 2018 in Bikoro. Forty-four people have been "
         "infected and 23 people are known to have died. When a small outbreak hit the DRC last "
         "year, eight people were infected and four died. The outbreak in West Africa began in "
         "2014.\nMore than 11,300 people died and some 28,600 were infected.")  # fmt: skip


def test_a_figure_takes_the_past_time_its_context_names():
    assert article_year(EBOLA) == 2018 and article_year("No year.", "2017-10-12") == 2017
    # a past time before the figure in its sentence ("When ... last year, eight ...")
    assert period(EBOLA, "When a small", "eight") == "last year"
    # no time in the sentence: a past year of the sentence before
    assert period(EBOLA, "More than 11,300", "11,300") == "in 2014"
    # this event's figures: the year before them is the article's own, not a past one
    assert period(EBOLA, "Forty-four people", "23") is None
    # a figure's own time wins, as before
    own = find_times("in 2015")[0]
    assert period(EBOLA, "More than 11,300", "11,300", own_time=own) == "in 2015"


def test_a_day_of_the_articles_own_period_is_no_period():
    # s13-dates: a day next to a month is a time now; a day of this event does not split the
    # event's figures ("684 cases on October 12" is still compared with "more than 2 000")
    doc = "The plague outbreak is in its third month in 2017. By October 12, 684 cases were seen."
    own = find_times("By October 12, 684")[0]
    assert own.text == "October 12"
    assert period(doc, "By October", "684", own_time=own) is None
    own = find_times("On Oct. 9, 2017 it rose")[0]
    assert period(doc, "By October", "684", own_time=own) is None
    # a day of a past year is a past period, as any past time
    doc = "On July 17, 2014, 298 people died. In 2022 the court ruled."
    own = find_times(doc)[0]
    assert own.text == "July 17, 2014" and period(doc, "On July", "298", own_time=own) == (
        "july 17, 2014"
    )


def test_a_month_of_the_articles_own_year_is_no_period_either():
    # s17: "in July" (no year) became a time; like a day of the event, it must not split the
    # event's figures ("3.2 million tonnes in July" is still compared with "3 million tonnes")
    doc = "Exports recovered in 2023. The country exported 3.2 million tonnes of grain in July."
    own = find_times("3.2 million tonnes of grain in July")[0]
    assert own.text == "in July" and own.start_year is None
    assert period(doc, "The country", "3.2 million", own_time=own) is None
    # a month of a past year stays a past period
    doc = "In July 2019, 12 ships sailed. In 2023 the port reopened."
    own = find_times(doc)[0]
    assert period(doc, "In July", "12", own_time=own) == period_text(own)


def test_no_past_time_is_taken_from_a_sentence_that_names_a_time_or_an_undated_article():
    doc = "The outbreak began in 2014. Today 23 people have died."
    # the sentence names a time ("Today"): the sentence before is not looked at; the article's
    # year is 2014, so 2014 is not past either
    assert period(doc, "Today", "23") is None
    assert period("It began in 2014. Now 23 people have died.", "Now", "23") is None
    # an article that names no later year: its one year is its own
    assert period("The outbreak began in 2014.\n23 people died.", "23 people", "23") is None
    # after a time after the figure, in another clause, the figure keeps its own period
    doc = "The report came out in 2019. 23 people died, up from 57 in 2016."
    assert period(doc, "23 people", "23") is None


def test_figures_of_different_periods_are_not_compared():
    claim = "When a small outbreak hit the DRC last year, eight people were infected."
    then = fig("eight", 8.0, "eight people", "people", claim=claim) | {"period": "last year"}
    now = fig("Forty-four", 44.0, "Forty-four people", "people",
              claim="Forty-four people have been infected.") | {"period": None}  # fmt: skip
    assert figure_key(then) == figure_key(now) == ("people", "infected")
    c = cols(A=[then], B=[now])
    assert figure_differences(c) == [] and figure_groups(c) == {}
    # the same past time in both outlets: compared
    assert figure_groups(cols(A=[then], B=[then | {"value": 9.0}]))
    # a figure without a period (built before it existed) is grouped by its own time
    c = cols(A=[fig("8", 8.0, "8 cases", "cases", time="in 2017")],
             B=[fig("9", 9.0, "9 cases", "cases", time="in 2017")])  # fmt: skip
    assert figure_differences(c)
