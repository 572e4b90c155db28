"""Inputs built to exhaust: a feed of very many entries, and HTML nested very deep."""

from __future__ import annotations

import time

import pytest

from spinscope.errors import IngestError
from spinscope.ingest.html import from_html
from spinscope.ingest.sources import ReadOptions, read
from spinscope.settings import load_settings

WORDS = "The minister said on Monday that the plan would save every family a lot of money. " * 8


def inline_feed(entries: int) -> str:
    """An RSS feed whose entries carry their own article text (no link to fetch)."""
    item = f"<item><title>Entry</title><description>{WORDS}</description></item>"
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>'
    return f"{head}{item * entries}</channel></rss>"


def test_a_feed_is_read_up_to_max_feed_entries_and_says_what_it_left_out(tmp_path) -> None:
    # a 5 MB feed holds 100,000 entries, each a fetch of up to timeout_s: 11 days of batch run
    # from one URL; now the entries past the cap are one failure record that says so
    feed = tmp_path / "many.rss"
    feed.write_text(inline_feed(12))
    options = ReadOptions.from_settings(load_settings({"ingest.max_feed_entries": 10}))
    got = list(read([str(feed)], options))
    assert [item.doc is not None for item in got] == [True] * 10 + [False]
    error = got[-1].error or ""
    assert "\n" not in error and str(feed) in error
    assert "12 entries" in error and "first 10" in error and "ingest.max_feed_entries" in error


def test_a_feed_within_the_cap_has_no_extra_record(tmp_path) -> None:
    feed = tmp_path / "few.rss"
    feed.write_text(inline_feed(3))
    got = list(read([str(feed)], ReadOptions(max_feed_entries=3)))
    assert len(got) == 3 and all(item.doc is not None for item in got)


def test_the_default_cap_is_a_thousand_entries() -> None:
    assert load_settings({})["ingest.max_feed_entries"] == ReadOptions().max_feed_entries == 1000


@pytest.mark.parametrize("depth", [10_000, 400_000])
def test_deeply_nested_html_is_one_clear_error_quickly(depth: int) -> None:
    # lxml stops at its depth limit: no recursion error, no hang
    html = "<html><body>" + "<div>" * depth + f"<p>{WORDS}</p>" + "</div>" * depth
    start = time.monotonic()
    with pytest.raises(IngestError, match="nests elements more than 100 deep"):
        from_html(html + "</body></html>")
    assert time.monotonic() - start < 10


def page(block: str, count: int) -> str:
    return f"<html><body><h1>Title</h1><p>{WORDS}</p>{block * count}</body></html>"


HOSTILE = {
    # each took seconds to extract (minutes at 5 MB); the shapes of pages built to exhaust
    "nested": (page("<div>" * 120 + "word" + "</div>" * 120, 60), "more than 100 deep"),
    "links": (page('<a href="https://example.org/x">link</a> ', 50_001), "50,000 elements"),
    "paragraphs": (page("<p>A short paragraph.</p>", 50_001), "50,000 elements"),
    "fragment": (
        "<div>" + '<a href="https://example.org/x">link</a> ' * 50_001 + "</div>",
        "50,000 elements",
    ),
}


@pytest.mark.parametrize("shape", HOSTILE)
def test_html_with_too_many_or_too_deep_elements_is_refused_quickly(shape: str) -> None:
    html, reason = HOSTILE[shape]
    start = time.monotonic()
    with pytest.raises(IngestError) as info:
        from_html(html, meta={"source": "hostile.html"})
    message = str(info.value)
    assert reason in message and "hostile.html" in message and "\n" not in message, message
    assert time.monotonic() - start < 2


def test_a_large_news_page_within_the_limits_is_extracted() -> None:
    # 8,000 elements nested up to 60 deep: more than a news page has, and still read
    article = "".join(f"<p>{WORDS} Paragraph {k}.</p>" for k in range(40))
    links = '<li><a href="https://example.org/x">A link</a></li>' * 3_900
    body = "<div>" * 59 + f"<article>{article}</article>" + "</div>" * 59
    doc = from_html(f"<html><body><nav><ul>{links}</ul></nav>{body}</body></html>")
    assert "Paragraph 39." in doc.text
