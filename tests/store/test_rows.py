"""A document's stored row: the words a rate per 1,000 words is over (``word_count``, as stored
in ``documents.words``), and its date."""

from __future__ import annotations

from spinscope.model.document import Document
from spinscope.store.rows import document_row, word_count


def test_chinese_and_japanese_count_each_ideograph_or_kana_as_a_word():
    # split() on spaces counted a whole Chinese article as one word, and its rates blew up
    assert word_count("我们的国家很伟大。大家都同意！") == 13
    assert word_count("これはテストです") == 8
    assert word_count("东京 Tokyo 2024年") == 5  # 东, 京, Tokyo, 2024, 年


def test_text_without_cjk_counts_as_split_did():
    for text in ["Our great nation stands proud.", " a\tb\nc  ", "", "Привет, мир", "안녕 세상"]:
        assert word_count(text) == len(text.split())


def test_the_stored_row_uses_it():
    assert document_row(Document("我们的国家很伟大。")).get("words") == 8


def test_a_date_far_in_the_future_is_no_date_and_the_given_one_is_kept_in_meta():
    # 9999-12-31 was stored as it was, and made a month of its own 8,000 years away
    import json
    from datetime import timedelta

    from spinscope.store.rows import FUTURE_DAYS, now

    far = document_row(Document("Text.", meta={"date": "9999-12-31"}))
    assert far["published"] is None and json.loads(far["meta"])["date"] == "9999-12-31"
    soon = (now() + timedelta(days=FUTURE_DAYS - 1)).date()
    assert document_row(Document("Text.", meta={"date": soon.isoformat()}))["published"] == soon
    late = (now() + timedelta(days=FUTURE_DAYS + 1)).date().isoformat()
    assert document_row(Document("Text.", meta={"date": late}))["published"] is None


def test_an_english_date_written_out_is_a_date():
    # "2 January 2024" was stored as no date (only ISO and RFC 2822 values were read)
    from datetime import date

    from spinscope.store.rows import parse_date

    for value in ("2 January 2024", "2nd Jan. 2024", "January 2, 2024", "Tuesday, Jan 2 2024",
                  "the 2nd of January 2024"):  # fmt: skip
        assert parse_date(value) == date(2024, 1, 2), value
    assert parse_date("Sept 30, 2023") == date(2023, 9, 30)
    for value in ("31 February 2024", "2 Janx 2024", "2 May 2024 at noon", "02/01/2024"):
        assert parse_date(value) is None, value


def test_an_outlet_given_as_a_list_or_blank_is_stored_as_names_not_a_repr():
    # a JSON list was stored as "['Daily', 'Wire']"; an outlet of spaces as a blank column
    def outlet(value):
        return document_row(Document(text="Some words here.", meta={"outlet": value}))["outlet"]

    assert outlet(["Daily", "Wire"]) == "Daily, Wire"
    assert outlet("  The   Daily ") == "  The   Daily "  # as given: filters match it exactly
    assert outlet("   ") is None
    assert outlet([]) is None
