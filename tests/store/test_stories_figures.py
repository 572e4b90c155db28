"""`figure_differences` on hand-built columns: each case is a false flag or a missed difference
found on real same-event stories (bench/stories_figures.py, BENCHMARKS.md issue 20)."""

from __future__ import annotations

from spinscope.store.story_view import about_key, figure_differences, figure_groups, value_range


def fig(text, value, about, unit=None, statement="level", qualifier=None, time=None, low=None,
        high=None):  # fmt: skip
    return {"document": "d", "text": text, "value": value, "unit": unit, "kind": "count",
            "low": low, "high": high, "qualifier": qualifier, "statement": statement,
            "time": time, "about": about, "claim": ""}  # fmt: skip


def cols(**figures):
    return [{"outlet": o, "figures": fs} for o, fs in figures.items()]


def test_about_that_holds_the_number_still_matches_and_differs():
    # "17 deaths" and "18 deaths": the number is part of "about"; before, the keys differed and
    # the difference was never flagged
    c = cols(A=[fig("17", 17.0, "17 deaths", "deaths")],
             B=[fig("eighteen", 18.0, "eighteen deaths", "deaths")])  # fmt: skip
    assert figure_differences(c) == [
        {"about": "deaths", "unit": "deaths", "values": {"A": [17.0], "B": [18.0]}}
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
