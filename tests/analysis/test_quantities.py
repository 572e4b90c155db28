"""The quantity and time rules on hand-made sentences, including the awkward cases."""

import pytest

from spinscope.analysis.claims.quantities import find_quantities
from spinscope.model.times import find_times


def one(text, kind=None):
    qs = find_quantities(text)
    if kind:
        qs = [q for q in qs if q.kind == kind]
    assert len(qs) == 1, qs
    q = qs[0]
    assert text[q.start : q.end] == q.text
    return q


@pytest.mark.parametrize(
    "text,value,kind,unit,qualifier",
    [
        ("Projects worth nearly $30 billion were signed.", 3e10, "money", "USD", "<~"),
        ("Turnover is projected to exceed $30 billion.", 3e10, "money", "USD", ">"),
        ("Exports grew by 22.3% last year.", 22.3, "percent", "%", None),
        ("Inflation fell 2.5 percentage points.", 2.5, "percentage_points", "pp", None),
        ("Unemployment is 7 per cent.", 7, "percent", "%", None),
        ("Ventures increased by 2.5 times since 2015.", 2.5, "multiplier", "x", None),
        ("Investment more than tripled.", 3, "multiplier", "x", ">"),
        ("Output doubled in a decade.", 2, "multiplier", "x", None),
        ("Sales rose three times over.", 3, "multiplier", "x", None),
        ("A budget of €1.2bn was approved.", 1.2e9, "money", "EUR", None),
        ("They paid 500 million roubles.", 5e8, "money", "RUB", None),
        ("There are 49 joint projects.", 49, "count", "joint projects", None),
        ("Some 1,200 workers lost their jobs.", 1200, "count", "workers", "~"),
        ("Exports fell by a third.", 1 / 3, "ratio", None, None),
        ("One in five adults smokes.", 0.2, "ratio", None, None),
        ("This is his 35th visit.", 35, "ordinal", None, None),
        ("Moscow is one of the top three investors.", 3, "rank", "investors", None),
        ("Thousands of students study abroad.", 1000, "count", "students", ">="),
    ],
)
def test_quantity_values(text, value, kind, unit, qualifier):
    q = one(text)
    assert q.value == pytest.approx(value)
    assert (q.kind, q.unit, q.qualifier) == (kind, unit, qualifier)


def test_range_has_low_and_high():
    q = one("Trade reached $25-30 billion.")
    assert (q.kind, q.unit, q.low, q.high) == ("money", "USD", 2.5e10, 3e10)
    q = one("Growth of 3 to 5 percent is expected.")
    assert (q.kind, q.low, q.high) == ("percent", 3, 5)


@pytest.mark.parametrize(
    "text",
    [
        "The G20 met in Rome.",  # a name
        "COVID-19 spread quickly.",  # a name
        "The meeting started at 10:30.",  # a clock time
        "In 2022 the war began.",  # a year is a time, not a quantity
        "Between 2015 and 2021 things changed.",  # a time range
        "The two countries signed a deal.",  # a definite set, not a figure
        "He is a friend of mine.",  # "a" is an article
        "",  # nothing at all
    ],
)
def test_no_invented_quantities(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    "text,kind,start_year,end_year",
    [
        ("It grew by 7.1% in 2022.", "point", 2022, 2022),
        ("FDI tripled between 2015 and 2021.", "range", 2015, 2021),
        ("FDI tripled from 2015 to 2021.", "range", 2015, 2021),
        ("Output rose in 2015-21.", "range", 2015, 2021),
        ("It has doubled since 2015.", "since", 2015, None),
        ("49 projects were in progress by 2020.", "by", None, 2020),
        ("Trade grew by 30% in recent years.", "relative", None, None),
        ("It will exceed $30 billion in the near future.", "future", None, None),
        ("Thousands of students go each year.", "recurring", None, None),
        ("Sales fell in the first quarter of 2023.", "point", 2023, 2023),
    ],
)
def test_times(text, kind, start_year, end_year):
    times = find_times(text)
    assert len(times) == 1, times
    t = times[0]
    assert text[t.start : t.end] == t.text
    assert (t.kind, t.start_year, t.end_year) == (kind, start_year, end_year)


def test_money_is_not_a_year():
    assert find_times("They paid $2020 for it.") == []


def test_flattened_table_gives_each_number_once():
    text = "Country | 2021 | 2022 Kazakhstan | 12.5% | 14.1% Russia | 3.2% | 4.0%"
    qs = find_quantities(text)
    assert [q.value for q in qs] == [12.5, 14.1, 3.2, 4.0]
    assert all(text[q.start : q.end] == q.text for q in qs)


def test_non_english_text_gives_no_words_as_numbers():
    assert find_quantities("Товарооборот вырос на тридцать процентов.") == []
    assert [q.value for q in find_quantities("Le commerce a augmenté de 30 %.")] == [30]


@pytest.mark.parametrize(
    "text,value",
    [
        ("More than 2 000 cases were reported.", 2000),
        ("Some 2\u00a0000 people left.", 2000),  # no-break space
        ("Some 2\u202f000 people left.", 2000),  # narrow no-break space
        ("In all, 1 500 000 people fled.", 1_500_000),
        ("About 12 345 678 people voted.", 12_345_678),
        ("A fine of €2 000 was paid.", 2000),
        ("Il y a 2 000 personnes.", 2000),
    ],
)
def test_space_grouped_thousands_are_one_number(text, value):
    q = one(text)
    assert q.value == pytest.approx(value)
    assert text[q.start : q.end] == q.text


def test_space_grouped_range():
    q = one("Between 10 000 and 20 000 people marched.")
    assert (q.low, q.high) == (10_000, 20_000)


@pytest.mark.parametrize(
    "text,values",
    [
        ("In 2019 2 000 people died.", [2000]),  # a year, then a number
        ("The shop is open 24 7 days.", [24, 7]),  # not groups of three
        ("Call 020 7946 0958 now.", [20, 7946, 958]),  # a head starting with 0, four digits
        ("Call +7 495 123 45 67 now.", [7, 495, 123, 45, 67]),  # a phone number
        ("WhatsApp us on 07423 720 250.", [7423, 720, 250]),  # a number before, not a year
        ("In 1999 12 000 troops left.", [12000]),  # a year before
        ("Cases: 2018 – 52 349 in all.", []),  # a year and a figure, not a range
        ("Some 2000-2500 people came.", [2250]),  # a range starting at a year-like count
        ("The result was 1,500 000 votes.", [1500, 0]),  # a comma group is not extended
        ("There were 2 0000 entries.", [2, 0]),  # four digits after the space
        ("Up 3.5 100 times.", [3.5, 100]),  # a decimal before
    ],
)
def test_space_groups_are_not_glued_wrongly(text, values):
    assert [q.value for q in find_quantities(text)] == pytest.approx(values)


def test_clock_time_with_spaces_is_not_a_number():
    assert [q.value for q in find_quantities("They met at 10 30 on Monday.")] == [10, 30]


@pytest.mark.parametrize(
    "text,date,year,values",
    [
        ("On May 8, 2018, 44 people were infected.", "May 8, 2018", 2018, [44]),
        ("Posted February 10th, 2018 by staff. 12 people died.", "February 10th, 2018", 2018, [12]),
        ("The vote on 3 March 2022 drew 1,200 people.", "3 March 2022", 2022, [1200]),
        ("On May 8, 44 people were infected.", "May 8", None, [44]),
        ("By May 8 the army had left.", "May 8", None, []),
        ("Protests on 8 May drew 300 people.", "8 May", None, [300]),
        ("On the 8th of May 2018 the polls closed.", "8th of May 2018", 2018, []),
        ("Talks on Feb. 10-11, 2019 ended.", "Feb. 10-11, 2019", 2019, []),
        ("Talks from 8 to 10 May drew 40 envoys.", "8 to 10 May", None, [40]),
        ("On May 8 2018 some 5% fell.", "May 8 2018", 2018, [5]),
        ("Talks between Nov. 10 and 21, 2025 ended.", "Nov. 10 and 21, 2025", 2025, []),
        ("A storm on September 11th killed 3 people.", "September 11th", None, [3]),
    ],
)
def test_a_day_next_to_a_month_is_a_time_not_a_quantity(text, date, year, values):
    assert [q.value for q in find_quantities(text)] == pytest.approx(values)
    times = find_times(text)
    assert [(t.text, t.kind, t.start_year, t.end_year) for t in times] == [
        (date, "point", year, year)
    ]
    assert text[times[0].start : times[0].end] == date


@pytest.mark.parametrize(
    "text,values",
    [
        ("May 2018 saw 8 deaths.", [8]),  # no day: the month and year are a time, 8 a figure
        ("In March, 3 people died.", [3]),  # a comma between month and number
        ("In May 8 people died.", [8]),  # "in" + month + bare number + word: a count
        ("By March 3 soldiers had left.", [3]),
        ("About 20 April protesters came.", [20]),  # a qualifier before day and month
        ("In March 1,200 people died.", [1200]),  # a grouped number is not a day
        ("In May 8 million people voted.", [8e6]),  # a scale word after the number
        ("Inflation was 3 percent in March.", [3]),
        ("The 8 of May's 20 rallies.", [8, 20]),  # "8 of May" without an ordinal
        ("Rates may 8 times rise.", [8]),  # "may" in lower case is no month
    ],
)
def test_a_number_by_a_month_can_still_be_a_figure(text, values):
    assert [q.value for q in find_quantities(text)] == pytest.approx(values)
    assert all(t.start_year is not None or t.kind != "point" for t in find_times(text))


@pytest.mark.parametrize(
    "text,unit",
    [
        ("Lisbon (4), Porto (2) and Faro (1) sent teams.", [None, None, None]),
        ("Maria Silva, 41, said the plan was late.", [None]),
        ("The mayor, 58, had ten years in office.", [None, "years"]),
        ("The total rose to 2,310 – a new high.", [None]),
    ],
)
def test_a_unit_is_not_read_across_punctuation(text, unit):
    assert [q.unit for q in find_quantities(text)] == unit


@pytest.mark.parametrize(
    "text,unit",
    [
        ("Of the 30 boats, 12 were sunk.", ["boats", None]),
        ("They counted 40 nests, 9 of which had eggs.", ["nests", None]),
        ("Five of these were closed.", [None]),
        ("Seven had left by noon.", [None]),
    ],
)
def test_a_unit_is_no_verb_or_pronoun(text, unit):
    assert [q.unit for q in find_quantities(text)] == unit


@pytest.mark.parametrize(
    "text,unit",
    [
        ("The new bridge is 450 m long.", "m"),
        ("Add 300 g sugar to the mix.", "g"),
        ("The town lies 35 km north of the coast.", "km"),
        ("The lake is 12 mi wide.", "mi"),
        ("Some 9 kilometre stretches were closed.", "kilometre"),
    ],
)
def test_a_measure_unit_is_the_unit_alone(text, unit):
    assert one(text).unit == unit


@pytest.mark.parametrize(
    "text,month",
    [
        ("The port shipped 2.1 million tonnes in March.", "in March"),
        ("Prices fell by 4% during October.", "during October"),
        ("In June, 300 homes were flooded.", "In June"),
    ],
)
def test_a_month_without_a_year_is_a_time(text, month):
    times = find_times(text)
    assert [t.text for t in times] == [month]
    assert (times[0].kind, times[0].start_year, times[0].end_year) == ("relative", None, None)


@pytest.mark.parametrize(
    "text",
    [
        "Nobody forgot 9/11.",  # a date, not the figure 9
        "The shop is open 24/7.",  # a phrase, not the figure 24
        "The galaxy is huge.[2]",  # a footnote mark
        "It was found in 1781.[12] Later, more.",
    ],
)
def test_dates_with_a_slash_and_footnote_marks_are_not_figures(text):
    assert [q.value for q in find_quantities(text) if q.value in (9, 24, 2, 12)] == []
