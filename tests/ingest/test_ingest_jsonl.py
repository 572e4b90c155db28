from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinscope.ingest import load_many, read_jsonl

TEXT = "The opposition said on Tuesday that the new tax plan would hurt families."


def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_text_and_html_records(tmp_path: Path, article_html: str) -> None:
    path = write_lines(
        tmp_path,
        json.dumps({"text": TEXT, "title": "Plan", "id": "a1", "outlet": "X"}),
        "",
        "   ",
        json.dumps({"html": article_html, "url": "https://news.example/tax"}),
    )
    first, second = read_jsonl(path)
    assert first.text == TEXT and first.title == "Plan"
    assert first.meta["id"] == "a1" and first.meta["outlet"] == "X"
    assert first.meta["source"] == str(path) and first.meta["line"] == 1
    assert second.title == "Minister Defends Tax Plan"
    assert second.meta["url"] == "https://news.example/tax" and second.meta["line"] == 4


def test_iterable_of_lines() -> None:
    docs = list(read_jsonl([json.dumps({"text": TEXT}), "", json.dumps({"text": TEXT + "!"})]))
    assert [d.meta["line"] for d in docs] == [1, 3]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not an object"),
        (json.dumps({"title": "no body"}), "no 'text' or 'html'"),
        (json.dumps({"text": "   "}), "empty"),
        (json.dumps({"html": "<html><body></body></html>"}), "No article text"),
    ],
)
def test_bad_line_names_file_and_line(tmp_path: Path, line: str, reason: str, ingest_error):
    path = write_lines(tmp_path, json.dumps({"text": TEXT}), line)
    docs = read_jsonl(path)
    assert next(docs).text == TEXT  # earlier lines are still delivered
    with ingest_error(f"{path}, line 2", reason):
        next(docs)


def test_missing_file_fails_at_once(tmp_path: Path, ingest_error) -> None:
    with ingest_error("not found", "nope.jsonl"):
        read_jsonl(tmp_path / "nope.jsonl")


def test_load_many(tmp_path: Path) -> None:
    path = write_lines(tmp_path, json.dumps({"text": TEXT}), json.dumps({"text": TEXT + "?"}))
    assert len(list(load_many(str(path)))) == 2
    single = tmp_path / "one.txt"
    single.write_text(TEXT, encoding="utf-8")
    assert [d.text for d in load_many(single)] == [TEXT]


def test_a_title_that_is_not_a_string_is_kept_in_meta(tmp_path: Path) -> None:
    # it was dropped: a "title": 1984 (or a list of titles) was in neither title nor meta
    path = write_lines(
        tmp_path,
        json.dumps({"text": TEXT, "title": 1984}),
        json.dumps({"text": TEXT, "title": ["A", "B"]}),
        json.dumps({"text": TEXT, "title": None}),
    )
    number, listed, null = read_jsonl(path)
    assert number.meta["title"] == 1984 and listed.meta["title"] == ["A", "B"]
    assert "title" not in null.meta
