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
