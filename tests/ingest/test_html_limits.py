"""The HTML shape limits (``ingest.max_html_elements``, ``ingest.max_html_depth``) are settings:
checked like the others, carried to every place a page is extracted (analyze, batch, feeds,
serve), and named in the error a page past them gets."""

from __future__ import annotations

import json

import pytest

from spinscope.cli.main import main
from spinscope.errors import ConfigError
from spinscope.ingest.sources import ReadOptions, read
from spinscope.settings import load_settings

WORDS = "The minister said on Monday that the plan would save every family a lot of money. " * 8


def nested(depth: int) -> str:
    """A news-like page whose article sits ``depth`` ``<div>``s deep (plus html and body)."""
    return ("<html><body>" + "<div>" * depth + f"<article><p>{WORDS}</p></article>"
            + "</div>" * depth + "</body></html>")  # fmt: skip


def many(paragraphs: int) -> str:
    return "<html><body><article>" + f"<p>{WORDS}</p>" * paragraphs + "</article></body></html>"


def test_the_limits_are_settings_with_the_old_defaults_and_ranges() -> None:
    settings = load_settings()
    assert settings["ingest.max_html_elements"] == 50_000
    assert settings["ingest.max_html_depth"] == 100
    for name in ("ingest.max_html_elements", "ingest.max_html_depth"):
        with pytest.raises(ConfigError, match=f"Setting {name} must be between"):
            load_settings({name: 0})
        with pytest.raises(ConfigError, match=f"Setting {name} must be an int"):
            load_settings({name: "many"})


def items(tmp_path, name: str, content: str, overrides: dict, **options) -> list:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    read_options = ReadOptions.from_settings(load_settings(overrides), **options)
    return list(read([str(path)], read_options))


@pytest.mark.parametrize("one_article", [True, False])  # analyze, batch
def test_a_raised_depth_reads_a_page_the_default_refuses(tmp_path, one_article: bool) -> None:
    page = nested(120)
    (refused,) = items(tmp_path, "deep.html", page, {}, one_article=one_article)
    assert refused.doc is None and "ingest.max_html_depth" in (refused.error or "")
    assert "more than 100 deep" in (refused.error or "")
    (read_,) = items(tmp_path, "deep.html", page, {"ingest.max_html_depth": 200},
                     one_article=one_article)  # fmt: skip
    assert read_.doc is not None and "plan would save" in read_.doc.text


def test_a_lowered_element_limit_refuses_a_jsonl_record_naming_the_setting(tmp_path) -> None:
    lines = json.dumps({"html": many(30)}) + "\n" + json.dumps({"text": WORDS}) + "\n"
    got = items(tmp_path, "a.jsonl", lines, {"ingest.max_html_elements": 20}, fields=None)
    assert got[0].doc is None and got[1].doc is not None
    error = got[0].error or ""
    assert "line 1" in error and "more than 20 elements" in error
    assert "ingest.max_html_elements" in error and "\n" not in error
    (ok, _) = items(tmp_path, "a.jsonl", lines, {}, fields=None)
    assert ok.doc is not None


def test_a_csv_row_and_an_inline_feed_entry_follow_the_settings(tmp_path) -> None:
    csv_text = "html\n" + json.dumps(nested(8)) + "\n"  # a JSON string is a quoted CSV cell
    (row,) = items(tmp_path, "a.csv", csv_text, {"ingest.max_html_depth": 5})
    assert row.doc is None and "ingest.max_html_depth" in (row.error or "")
    escaped = nested(8).replace("<", "&lt;").replace(">", "&gt;")
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>E'
        f"</title><description>{escaped}</description></item></channel></rss>"
    )
    (entry,) = items(tmp_path, "f.rss", feed, {"ingest.max_html_depth": 5})
    assert entry.doc is None and "ingest.max_html_depth" in (entry.error or "")
    (entry,) = items(tmp_path, "f.rss", feed, {})
    assert entry.doc is not None


def test_analyze_refuses_a_page_in_one_line_naming_the_setting(tmp_path, capsys) -> None:
    page = tmp_path / "page.html"
    page.write_text(nested(8), encoding="utf-8")
    code = main(["analyze", str(page), "--quiet", "--set", "ingest.max_html_depth=5"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1, err
    assert err.startswith("spinscope: error: The HTML of") and "ingest.max_html_depth" in err
