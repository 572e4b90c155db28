"""``ingest.read``: one way in, a reader per source chosen from a table."""

from __future__ import annotations

import pytest

from spinscope import ingest
from spinscope.errors import IngestError
from spinscope.ingest import sources
from spinscope.ingest.sources import ReadOptions, reader_for
from spinscope.settings import load_settings

TEXT = "The minister said the plan would cut costs by 12% next year."


def test_the_table_picks_a_reader_by_scheme_and_suffix():
    corpus, article = ReadOptions(), ReadOptions(one_article=True)
    assert reader_for("https://example.com/feed", corpus) is sources._feed_url
    assert reader_for("https://example.com/page", article) is sources._page
    assert reader_for("a.JSONL", corpus) is reader_for("a.jsonl", article) is sources._jsonl
    assert reader_for("a.csv", corpus) is sources._csv
    assert reader_for("a.csv", article) is sources._text_file  # analyze reads it as one text
    assert reader_for("a.warc.gz", corpus) is sources._warc
    assert reader_for("a.rss", corpus) is sources._feed_file
    assert reader_for("-", article) is sources._stdin
    assert reader_for("a.txt", corpus) is reader_for("a.html", article) is sources._text_file


def test_options_come_from_settings_in_one_place():
    settings = load_settings({"ingest.max_bytes": 1234, "ingest.timeout_s": 3.5})
    options = ReadOptions.from_settings(settings, one_article=True)
    assert (options.max_bytes, options.timeout_s, options.one_article) == (1234, 3.5, True)
    assert options.fetch_args() == {
        "timeout_s": 3.5, "max_bytes": 1234, "allow_private": settings["ingest.allow_private_urls"],
    }  # fmt: skip


def test_a_single_path_is_one_input_not_its_characters(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    (item,) = ingest.read(str(path))
    assert item.ok and item.doc.text == TEXT
    (item,) = ingest.read(path, ReadOptions(one_article=True))
    assert item.ok


def test_a_jsonl_file_is_one_article_per_line_in_both_modes(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(f'{{"text": "{TEXT}"}}\n{{"text": "{TEXT}"}}\n', encoding="utf-8")
    for options in (ReadOptions(), ReadOptions(one_article=True, fields=None)):
        assert [i.doc.text for i in ingest.read([str(path)], options)] == [TEXT, TEXT]


def test_load_many_raises_the_first_failure(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(f'{{"text": "{TEXT}"}}\nnot json\n', encoding="utf-8")
    docs = ingest.load_many(str(path))
    assert next(docs).text == TEXT
    with pytest.raises(IngestError, match="line 2"):
        next(docs)
    with pytest.raises(IngestError, match="missing.txt"):
        list(ingest.load_many(str(tmp_path / "missing.txt")))
