"""Issue #16: every reader turns a bad record into a failure item (file, line, reason) and reads
on; no line of a JSONL, CSV or feed file raises. Lone surrogates are refused at ingest, and a
UTF-16 or UTF-32 file with a byte order mark is decoded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hostile_fixtures import ARTICLE, TRIGGERS, article, valid_line
from spinscope.ingest import from_html, from_text, read_jsonl, read_path
from spinscope.ingest.jsonl import MAX_DEPTH, jsonl_items
from spinscope.ingest.sources import ReadOptions, read_sources


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def sources(*paths, **options):
    return list(read_sources([str(p) for p in paths], ReadOptions(**options)))


# -- JSONL -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TRIGGERS))
def test_each_jsonl_trigger_is_one_failure_between_two_documents(tmp_path, name):
    path = write(tmp_path, "c.jsonl", f"{valid_line(1)}\n{TRIGGERS[name]}\n{valid_line(2)}\n")
    got = sources(path)
    assert [i.ref for i in got] == [f"{path}, line {n}" for n in (1, 2, 3)]
    assert got[0].doc is not None and got[2].doc is not None, got
    bad = got[1]
    assert bad.doc is None and bad.error.startswith(f"{path}, line 2: "), bad.error
    assert "\n" not in bad.error and len(bad.error) < 400


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("lone surrogate", "lone surrogate (\\ud800 at character 9)"),
        ("5000-digit integer", "a number with more than 4,300 digits"),
        ("bad IPv6 URL with text", "'url' field 'http://[::1' is not a valid URL"),
        ("bad IPv6 URL with html", "'url' field 'http://[::1' is not a valid URL"),
        ("100k-deep array", "nested too deeply"),
    ],
)
def test_read_jsonl_names_the_reason_in_one_line(tmp_path, name, reason, ingest_error):
    path = write(tmp_path, "c.jsonl", f"{valid_line(1)}\n{TRIGGERS[name]}\n")
    docs = read_jsonl(path)
    assert next(docs).text == article(1)
    with ingest_error(f"{path}, line 2", reason):
        next(docs)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": NaN}', "NaN, which is not a JSON number"),
        ('{"text": "a", "x": 1e999}', "too large for a float"),
        ('{"text": "a", "url": 7}', "'url' field is a JSON int, not a string"),
        ("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), "nested too deeply"),
        ('{"text": "a", "m": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}", "nested too deeply"),
        ('{"text": "a", "title": "\\ud800"}', "title of"),
    ],
)
def test_other_hostile_records_are_failures(line, reason):
    (item,) = jsonl_items([line])
    assert item.doc is None and item.error.startswith("<lines>, line 1: "), item
    assert reason in item.error


def test_a_lone_surrogate_in_metadata_is_escaped_and_the_article_kept():
    line = '{"text": "A report.", "\\udc80": 1, "meta": {"k": ["x", "\\udfff"]}}'
    (item,) = jsonl_items([line])
    assert item.doc.meta["\\udc80"] == 1 and item.doc.meta["meta"] == {"k": ["x", "\\udfff"]}
    json.dumps(item.doc.meta, ensure_ascii=False).encode("utf-8")  # storable


def test_a_surrogate_pair_is_text_not_a_failure():
    (item,) = jsonl_items(['{"text": "Smile \\ud83d\\ude00 said the minister."}'])
    assert item.doc is not None and item.doc.text == "Smile \U0001f600 said the minister."


def test_an_over_long_line_is_skipped_unread_and_the_next_line_read(tmp_path):
    huge = json.dumps({"text": "word " * 5000})
    path = write(tmp_path, "c.jsonl", f"{valid_line(1)}\n{huge}\n{valid_line(2)}\n")
    got = list(jsonl_items(path, max_bytes=2000))
    assert [i.error is None for i in got] == [True, False, True]
    assert got[1].error == f"{path}, line 2: longer than 2,000 bytes."
    assert got[2].doc.meta["line"] == 3


def test_bad_utf8_costs_its_line_only(tmp_path):
    path = write(tmp_path, "c.jsonl", valid_line(1).encode() + b'\n{"text": "caf\xe9"}\n'
                 + valid_line(2).encode() + b"\n")  # fmt: skip
    got = list(jsonl_items(path))
    assert [i.error is None for i in got] == [True, False, True]
    assert "line 2: not UTF-8 text (invalid byte 0xe9" in got[1].error


def test_a_byte_order_mark_on_any_line_is_dropped(tmp_path):
    data = "\ufeff" + valid_line(1) + "\n\ufeff" + valid_line(2) + "\n"  # two files, joined
    got = list(jsonl_items(write(tmp_path, "c.jsonl", data)))
    assert [i.doc.text for i in got] == [article(1), article(2)]
    assert [i.doc.text for i in jsonl_items(["\ufeff" + valid_line(3)])] == [article(3)]


def test_a_utf16_jsonl_file_is_one_clear_failure(tmp_path):
    path = write(tmp_path, "c.jsonl", (valid_line(1) + "\n").encode("utf-16"))
    (item,) = jsonl_items(path)
    assert item.error.startswith(f"{path} is UTF-16 text; JSONL files must be UTF-8")


def test_an_unexpected_error_in_one_record_is_a_failure(monkeypatch):
    import spinscope.ingest.jsonl as jsonl

    real = jsonl._record_to_doc

    def flaky(record, **kw):
        if record.get("text") == "explode":
            raise RuntimeError("a bug in a reader")
        return real(record, **kw)

    monkeypatch.setattr(jsonl, "_record_to_doc", flaky)
    got = list(jsonl_items([valid_line(1), '{"text": "explode"}', valid_line(2)]))
    assert [i.error is None for i in got] == [True, False, True]
    assert got[1].error == "<lines>, line 2: could not be read (RuntimeError: a bug in a reader)."


# -- CSV -------------------------------------------------------------------------------------


def test_a_bad_byte_in_a_csv_costs_its_row_only(tmp_path):
    data = f'text,outlet\n"{article(1)}",A\ncaf\xe9,B\n"{article(2)}",C\n'.encode("latin-1")
    got = sources(write(tmp_path, "c.csv", data))
    assert [i.ref.rsplit(", ", 1)[1] for i in got] == ["line 2", "line 3", "line 4"]
    assert [i.error is None for i in got] == [True, False, True]
    assert "line 3: not UTF-8 text (invalid byte 0xe9)" in got[1].error


def test_csv_rows_are_named_by_their_first_line_and_an_unreadable_row_is_skipped(tmp_path):
    long = "x" * 200_000  # over the CSV field limit, and over it as one line
    data = f'text,outlet\n"{article(1)}\nsecond line",A\n{long},B\n"{article(2)}",C\n'
    got = sources(write(tmp_path, "c.csv", data), max_bytes=150_000)
    assert [i.ref.rsplit(", ", 1)[1] for i in got] == ["line 2", "line 4", "line 5"]
    assert got[0].doc.text.endswith("second line") and got[2].doc.text == article(2)
    assert "line 4: unreadable CSV row (a line longer than 150,000 characters)" in got[1].error


def test_a_csv_row_with_a_bad_url_is_a_failure(tmp_path):
    data = f'text,url\n"{article(1)}",http://[::1\n"{article(2)}",https://news.example/a\n'
    got = sources(write(tmp_path, "c.csv", data))
    assert "line 2: the 'url' field 'http://[::1' is not a valid URL" in got[0].error
    assert got[1].doc.meta["url"] == "https://news.example/a"


def test_a_utf16_csv_is_one_clear_failure(tmp_path):
    (item,) = sources(write(tmp_path, "c.csv", f"text\n{ARTICLE}\n".encode("utf-16")))
    assert "is UTF-16 text; CSV files must be UTF-8" in item.error


# -- feeds and the last guard ----------------------------------------------------------------

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>a</title><link>http://[::1</link></item>
<item><title>b</title><link>http://xn--/</link></item>
<item><title>c</title><link>http://127.0.0.1:9/x</link></item>
</channel></rss>"""


def test_feed_entries_with_broken_links_are_failures(tmp_path):
    got = sources(write(tmp_path, "f.rss", FEED))
    assert len(got) == 3 and all(i.doc is None for i in got)
    assert "entry 1 (http://[::1): Cannot fetch http://[::1: not a valid URL" in got[0].error
    assert "not a valid URL" in got[1].error and "loopback" in got[2].error


def test_an_unexpected_error_in_one_feed_entry_is_a_failure(tmp_path, monkeypatch):
    import spinscope.ingest.url as url_module

    def fetch(link, **kw):
        raise RuntimeError(f"boom {link}")

    monkeypatch.setattr(url_module, "fetch_url", fetch)
    got = sources(write(tmp_path, "f.rss", FEED))
    assert len(got) == 3
    assert got[0].error == f"{tmp_path / 'f.rss'}, entry 1: could not be read (RuntimeError: " \
        "boom http://[::1)."  # fmt: skip


def test_a_source_that_breaks_unforeseen_is_one_failure_and_the_next_source_is_read(
    tmp_path, monkeypatch
):
    import spinscope.ingest.sources as sources_module

    def broken(source, options):
        yield from ()
        raise RuntimeError("unforeseen")

    table = tuple(
        (test, broken if read is sources_module._csv else read)
        for test, read in sources_module.CORPUS_READERS
    )  # the reader table's CSV reader breaks
    monkeypatch.setattr(sources_module, "CORPUS_READERS", table)
    csv_path = write(tmp_path, "a.csv", "text\nx\n")
    txt = write(tmp_path, "b.txt", ARTICLE)
    got = sources(csv_path, txt)
    assert got[0].error == f"{csv_path}: could not be read (RuntimeError: unforeseen); " \
        "the rest of this source is skipped."  # fmt: skip
    assert got[1].doc.text == ARTICLE


# -- lone surrogates (issue #16, 7) ------------------------------------------------------------


@pytest.mark.parametrize("text", ["\ud800", "A report \udfff on the budget.", "ok \udc80"])
def test_from_text_refuses_a_lone_surrogate_in_one_line(text, ingest_error):
    with ingest_error("lone surrogate", "not Unicode text"):
        from_text(text)


def test_from_text_refuses_a_lone_surrogate_in_the_title_and_escapes_one_in_meta(ingest_error):
    with ingest_error("The title of the input", "lone surrogate"):
        from_text(ARTICLE, title="Bad \ud800")
    doc = from_text(ARTICLE, meta={"author": ["ok", {"name": "\udcff"}], "source": "caf\udce9"})
    assert doc.meta["author"] == ["ok", {"name": "\\udcff"}] and doc.meta["source"] == "caf\\udce9"
    with ingest_error("The text of caf\\udce9", "lone surrogate"):
        from_text("bad \ud800", meta={"source": "caf\udce9"})


def test_from_html_refuses_a_lone_surrogate(ingest_error, article_html):
    with ingest_error("The HTML of the input", "lone surrogate"):
        from_html(article_html.replace("Monday", "Mon\ud800day"))
    with ingest_error("The URL of", "lone surrogate"):
        from_html(article_html, url="https://news.example/\ud800")


# -- UTF-16 and UTF-32 with a BOM (issue #16, 7) ----------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_a_utf16_or_utf32_text_file_with_a_bom_is_decoded(tmp_path, codec):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00"}
    data = bom.get(codec, b"") + f"Caf\u00e9 news\n\n{ARTICLE}".encode(codec)
    doc = read_path(write(tmp_path, "a.txt", data))
    assert doc.text == f"Caf\u00e9 news\n\n{ARTICLE}" and doc.title == "Caf\u00e9 news"


def test_a_utf16_html_file_with_a_bom_is_read_as_html(tmp_path, article_html):
    doc = read_path(write(tmp_path, "a.dat", article_html.encode("utf-16")))
    assert doc.title == "Minister Defends Tax Plan" and "Home | World" not in doc.text


def test_a_broken_utf16_file_is_one_clear_error(tmp_path, ingest_error):
    path = write(tmp_path, "a.txt", b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")
    with ingest_error(str(path), "UTF-16 byte order mark but is not valid UTF-16", "iconv"):
        read_path(path)


def test_utf16_without_a_bom_is_still_refused(tmp_path, ingest_error):
    with ingest_error("UTF-16 text without a byte order mark"):  # refused, not guessed at
        read_path(write(tmp_path, "a.txt", ARTICLE.encode("utf-16-le")))


def test_a_utf8_bom_outranks_a_declared_single_byte_charset(tmp_path):
    # an editor saves a template that declares windows-1252 as UTF-8 with a BOM: the text was
    # read as windows-1252, every non-ASCII letter turned to mojibake ("CafÃ©")
    page = (
        '<html><head><meta charset="windows-1252"><title>Caf\u00e9 news</title></head><body>'
        f"<article><h1>Caf\u00e9 news</h1><p>{ARTICLE}</p></article></body></html>"
    )
    doc = read_path(write(tmp_path, "a.html", b"\xef\xbb\xbf" + page.encode("utf-8")))
    assert "Caf\u00e9" in doc.text and "Caf\u00c3" not in doc.text
