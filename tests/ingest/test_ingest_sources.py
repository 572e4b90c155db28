"""Corpus sources: every kind of input becomes items; a bad item is a recorded reason, never a
crash, and names its file and line (or URL, or record)."""

from __future__ import annotations

import gzip
import io
import json
import os
import tracemalloc

import pytest

from spinscope.errors import ConfigError
from spinscope.ingest.sources import ReadOptions, count_hint, expand, parse_fields, read_sources

TEXT = "The minister said the plan would save every family money, and critics were wrong."


def items(*inputs, **options):
    return list(read_sources([str(i) for i in inputs], ReadOptions(**options)))


def test_folders_are_walked_and_globs_expanded(tmp_path, article_html):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(TEXT)
    (tmp_path / "a" / "two.html").write_text(article_html)
    (tmp_path / "a" / "skip.png").write_bytes(b"\x89PNG")
    assert [p.rsplit("/", 1)[1] for p in expand([str(tmp_path / "a")])] == ["one.txt", "two.html"]
    assert expand([str(tmp_path / "**" / "*.txt")]) == [str(tmp_path / "a" / "one.txt")]
    got = items(tmp_path / "a")
    assert [i.error for i in got] == [None, None]
    assert got[1].doc.meta["site"] == "Daily Example" and got[1].doc.meta["date"] == "2024-03-05"


def test_a_glob_through_a_link_loop_gives_each_file_once(tmp_path, monkeypatch):
    # `batch 'dir/**/*.txt'` with `loop -> ..` in dir read one file 41 times (glob goes round
    # the loop up to the system's limit on links); with two such links it never finished
    (tmp_path / "dir" / "sub").mkdir(parents=True)
    (tmp_path / "dir" / "a.txt").write_text(TEXT)
    (tmp_path / "dir" / "sub" / "b.txt").write_text(TEXT)
    (tmp_path / "dir" / "loop").symlink_to("..")
    monkeypatch.chdir(tmp_path)
    assert expand(["dir/**/*.txt"]) == ["dir/a.txt", "dir/sub/b.txt"]
    (tmp_path / "dir" / "sub" / "loop2").symlink_to("../..")
    assert expand(["dir/**/*.txt"]) == ["dir/a.txt", "dir/sub/b.txt"]
    assert expand(["dir/a.txt", "./dir/a.txt", "dir/loop/dir/a.txt"]) == ["dir/a.txt"]


def test_jsonl_bad_lines_are_reported_with_file_and_line_and_the_rest_is_read(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        json.dumps({"text": TEXT, "outlet": "Daily"}) + "\nnot json\n[1, 2]\n\n"
        + json.dumps({"body": TEXT}) + "\n" + json.dumps({"text": TEXT + " Again."}) + "\n"
    )  # fmt: skip
    got = items(path)
    assert [i.ref.rsplit(", ", 1)[1] for i in got] == [
        "line 1",
        "line 2",
        "line 3",
        "line 5",
        "line 6",
    ]
    assert got[0].doc.meta["outlet"] == "Daily" and got[4].doc is not None
    assert "line 2: not valid JSON" in got[1].error and "not an object" in got[2].error
    assert "line 5: no text (field 'text')" in got[3].error
    mapped = items(path, fields={"text": "body"})
    assert mapped[3].doc is not None and mapped[3].doc.text.startswith("The minister")


def test_csv_with_a_field_mapping(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "headline,body,source,published\n"
        f'Plan,"{TEXT}",Daily,2024-03-05\n'
        "Empty,,Daily,2024-03-06\n",
        encoding="utf-8",
    )
    fields = parse_fields(["text=body", "title=headline", "outlet=source", "date=published"])
    got = items(path, fields=fields)
    assert got[0].doc.title == "Plan" and got[0].doc.meta["outlet"] == "Daily"
    assert got[0].doc.meta["date"] == "2024-03-05"
    assert got[1].ref.endswith("line 3") and "the 'body' field is empty" in got[1].error
    assert count_hint(str(path)) == 2


def test_a_csv_line_over_max_bytes_is_skipped_without_being_held(tmp_path):
    # the CSV reader took whole lines from the file: one line of 1 GB was 2 GB in memory before
    # the field size limit refused it (400 MB: 784 MB resident)
    path = tmp_path / "c.csv"
    path.write_text(f'text,outlet\n"{TEXT}",A\n"{"x" * (20 << 20)}",B\n"{TEXT} Again.",C\n')
    tracemalloc.start()
    try:
        first, long, last = items(path, max_bytes=1000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 << 20, f"{peak:,} bytes held at once"
    assert first.doc is not None and last.doc is not None and last.ref.endswith("line 4")
    assert long.ref.endswith("line 3") and long.doc is None
    assert "unreadable CSV row (a line longer than 131,072 characters)" in long.error


def test_a_csv_without_the_mapped_column_is_one_clear_failure(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("a,b\n1,2\n")
    (item,) = items(path, fields={"text": "body"})
    assert "no 'body' column (columns: a, b)" in item.error and "--field text=COLUMN" in item.error


def test_bad_field_mappings_are_refused():
    with pytest.raises(ConfigError, match="Bad --field 'txt=body'"):
        parse_fields(["txt=body"])


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Daily Example</title>
<item><title>Plan</title><link>{base}/article</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>{base}/missing</link></item>
<item><title>No link</title></item>
</channel></rss>"""


def test_a_feed_file_fetches_its_articles(tmp_path, http_server, article_html):
    http_server.routes["/article"] = (200, {"Content-Type": "text/html"}, article_html.encode())
    feed = tmp_path / "f.rss"
    feed.write_text(RSS.format(base=http_server.url("")))
    got = items(feed, allow_private=True)
    assert got[0].doc is not None and got[0].doc.meta["outlet"] == "Daily Example"
    assert got[0].doc.meta["date"].startswith("Tue, 05 Mar 2024")
    assert "HTTP 404" in got[1].error and "no link" in got[2].error


BODY = " ".join([TEXT] * 5)  # 75 words: an article, not a teaser
INLINE_RSS = f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Daily Example</title>
<item><title>Plan</title><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>{BODY}</p><p>The end.</p>]]></content:encoded></item>
<item><title>Told</title><description>{BODY}</description></item>
<item><title>Teaser</title><description>Read all about it.</description></item>
</channel></rss>"""
INLINE_ATOM = f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Example</title><entry><title>Plan</title><updated>2024-03-05T10:00:00Z</updated>
<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>"""


def test_a_feed_entry_with_no_link_but_its_text_inline_is_read(tmp_path):
    # each failed with "the entry has no link to an article", the article being in the feed
    rss, atom = tmp_path / "f.rss", tmp_path / "f.atom"
    rss.write_text(INLINE_RSS)
    atom.write_text(INLINE_ATOM)
    plan, told, teaser, atom_plan = items(rss, atom)
    assert plan.error is None and plan.doc.text.startswith(TEXT) and "The end." in plan.doc.text
    assert "<p>" not in plan.doc.text and plan.doc.title == "Plan"
    assert plan.doc.meta["outlet"] == "Daily Example" and "2024" in plan.doc.meta["date"]
    assert told.error is None and told.doc.text == BODY and told.doc.title == "Told"
    assert teaser.doc is None and teaser.error == (
        f"{rss}, entry 3: the entry has no link to an article, and its text (4 words) is too "
        "short to be one."
    )
    assert atom_plan.error is None and atom_plan.doc.text == BODY
    assert atom_plan.doc.meta["outlet"] == "Atom Example" and atom_plan.doc.title == "Plan"
    assert all("over the limit of 400 bytes" in i.error for i in items(rss, atom, max_bytes=400))


def test_a_feed_file_over_max_bytes_is_refused_not_cut(tmp_path, http_server, article_html):
    # it was read whole into memory, then cut at max_bytes: the entries past the cut were lost
    # without a word (here the second), whatever the file's size
    http_server.routes["/article"] = (200, {"Content-Type": "text/html"}, article_html.encode())
    feed = tmp_path / "f.rss"
    text = RSS.format(base=http_server.url(""))
    feed.write_text(text)
    limit = text.index("<item><title>Gone")
    (got,) = items(feed, allow_private=True, max_bytes=limit)
    assert got.doc is None and got.error is not None and "\n" not in got.error
    assert f"over the limit of {limit:,} bytes" in got.error and str(feed) in got.error


def test_a_feed_url(http_server, article_html):
    base = http_server.url("")
    http_server.routes["/feed"] = (
        200,
        {"Content-Type": "application/rss+xml"},
        RSS.format(base=base).encode(),
    )
    http_server.routes["/article"] = (200, {"Content-Type": "text/html"}, article_html.encode())
    http_server.routes["/page"] = (200, {"Content-Type": "text/html"}, article_html.encode())
    got = items(http_server.url("/feed"), allow_private=True)
    assert got[0].doc is not None
    (bad,) = items(http_server.url("/page"), allow_private=True)
    assert "is not an RSS or Atom feed" in bad.error
    (unreachable,) = items("http://127.0.0.1:9/feed", allow_private=True, timeout_s=2)
    assert unreachable.error and "127.0.0.1:9" in unreachable.error


def cyrillic_feed(codec: str, declared: str | None, *, bom: bytes = b"") -> bytes:
    """An RSS feed of one inline article in Russian (or, for latin-1, French), in ``codec``,
    its XML declaration naming ``declared`` (no encoding attribute if None)."""
    words = "Правительство заявило, что план сэкономит деньги каждой семье. "
    if codec == "latin-1":
        words = "Le ministre a déclaré que ce plan était bon pour les familles. "
    decl = f' encoding="{declared}"' if declared else ""
    feed = (f'<?xml version="1.0"{decl}?><rss version="2.0"><channel><title>Новости</title>'
            f"<item><title>План</title><description>{words * 8}</description></item>"
            "</channel></rss>")  # fmt: skip
    if codec == "latin-1":
        feed = feed.replace("Новости", "Actualités").replace("План", "Été")
    return bom + feed.encode(codec)


@pytest.mark.parametrize("codec", ["windows-1251", "latin-1"])
def test_a_feed_file_is_decoded_by_its_xml_declaration(tmp_path, codec):
    path = tmp_path / "f.rss"
    path.write_bytes(cyrillic_feed(codec, codec))
    (got,) = items(path)
    assert got.error is None
    assert got.doc.title in ("План", "Été") and got.doc.meta["outlet"] in ("Новости", "Actualités")
    assert got.doc.text.startswith(("Правительство заявило", "Le ministre a déclaré"))


def test_a_feed_url_is_decoded_by_bom_then_http_charset_then_xml_declaration(http_server):
    # the charset of the feed's Content-Type header was dropped: a windows-1251 feed without an
    # XML declaration was read as windows-1252 ("Íîâîñòè" for "Новости")
    rss, ru = "application/rss+xml", "windows-1251"
    feeds = {
        "/http": (f"{rss}; charset=windows-1251", cyrillic_feed("windows-1251", None)),
        "/declared": (rss, cyrillic_feed("windows-1251", "windows-1251")),
        "/text-xml": ("text/xml", cyrillic_feed("windows-1251", "windows-1251")),
        # the header outranks the declaration, a byte order mark both
        "/both": (f"{rss}; charset=utf-8", cyrillic_feed("utf-8", "windows-1251")),
        "/bom": (f"{rss}; charset=windows-1251", cyrillic_feed("utf-8", None, bom=b"\xef\xbb\xbf")),
        "/latin": (f"{rss}; charset=iso-8859-1", cyrillic_feed("latin-1", None)),
        "/unknown": (f"{rss}; charset=no-such-codec", cyrillic_feed(ru, ru)),
    }
    for path, (ctype, body) in feeds.items():
        http_server.routes[path] = (200, {"Content-Type": ctype}, body)
        (got,) = items(http_server.url(path), allow_private=True)
        assert got.error is None, (path, got.error)
        assert got.doc.title in ("План", "Été"), (path, got.doc.title)
        assert got.doc.meta["outlet"] in ("Новости", "Actualités"), path


@pytest.mark.parametrize("media", ["application/x-rss+xml", "application/x-atom+xml"])
def test_a_feed_url_served_with_an_older_x_feed_type_is_read(http_server, article_html, media):
    # Debian's /etc/mime.types (so Apache and Python's http.server there) serves .rss as
    # application/x-rss+xml: such a feed was refused as "not a feed"
    http_server.routes["/feed"] = (
        200, {"Content-Type": media}, RSS.format(base=http_server.url("")).encode()
    )  # fmt: skip
    http_server.routes["/article"] = (200, {"Content-Type": "text/html"}, article_html.encode())
    got = items(http_server.url("/feed"), allow_private=True)
    assert got[0].doc is not None, got[0].error


def test_relative_links_of_a_feed_url_resolve_against_the_feed(http_server, article_html):
    # Atom allows relative links and many RSS feeds use them: each entry failed with
    # "Cannot fetch /news/article: no scheme"
    feed = RSS.format(base="/news").replace("<link>/news/missing", "<link>article")
    http_server.routes["/news/feed"] = (200, {"Content-Type": "application/rss+xml"}, feed.encode())
    page = (200, {"Content-Type": "text/html"}, article_html.encode())
    http_server.routes["/news/article"] = page
    got = items(http_server.url("/news/feed"), allow_private=True)
    assert got[0].doc is not None, got[0].error
    assert got[1].doc is not None, got[1].error


def test_a_feed_url_to_a_private_address_is_refused_by_default(http_server):
    (item,) = items(http_server.url("/feed"))
    assert "private" in item.error or "loopback" in item.error


def _warc(records: list[tuple[str, bytes, str]], *, gz: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for url, body, ctype in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=http))  # fmt: skip
    return out.getvalue()


def test_warc_files_give_their_html_pages(tmp_path, article_html):
    data = _warc([
        ("https://example.org/a", article_html.encode(), "text/html"),
        ("https://example.org/logo.png", b"\x89PNG", "image/png"),
    ])  # fmt: skip
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    (item,) = items(path)
    assert item.doc.meta["url"] == "https://example.org/a" and item.doc.meta["date"]


def test_a_warc_page_keeps_its_own_date_not_the_crawl_date(tmp_path, article_html):
    # the record's WARC-Date (the day of the crawl) was written over the date the page gives:
    # a whole crawl of old articles was dated the day it was crawled
    undated = f"<html><body><article><p>{' '.join([TEXT] * 5)}</p></article></body></html>"
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc([("https://example.org/a", article_html.encode(), "text/html"),
                            ("https://example.org/b", undated.encode(), "text/html")]))  # fmt: skip
    dated, crawled = items(path)
    assert dated.doc.meta["date"] == "2024-03-05"
    assert crawled.doc.meta["date"].endswith("Z")  # the crawl's WARC-Date, for want of one


def test_a_corrupt_warc_record_is_reported_and_the_earlier_pages_kept(tmp_path, article_html):
    good = _warc([("https://example.org/a", article_html.encode(), "text/html")])
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(good + gzip.compress(b"WARC/1.0\r\nthis is not a record\r\n\r\n"))
    got = items(path)
    assert got[0].doc is not None
    assert "corrupt WARC record" in got[-1].error and str(path) in got[-1].error


def test_a_warc_page_is_decoded_by_the_charset_of_its_http_header(tmp_path, article_html):
    # only a <meta> charset was read: a page served as windows-1252, the header its only
    # declaration (as for a fetched page), failed as "not UTF-8 text"
    page = article_html.replace("Jane Doe", "José Müller").encode("windows-1252")
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc([("https://example.org/a", page, "text/html; charset=Windows-1252")]))
    (got,) = items(path)
    assert got.error is None and got.doc.meta["author"] == "José Müller"


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("keep", [0.6, 0.8, 0.95])
def test_a_truncated_warc_file_is_a_failure_not_a_quiet_end(tmp_path, article_html, gz, keep):
    # a download cut short ended the archive without a word (.warc.gz: its last pages were not
    # counted anywhere), or gave the cut page as a document with its text missing (.warc)
    pages = [(f"https://example.org/{k}", article_html.replace("The minister", f"Page {k}: "
              "the minister").encode(), "text/html") for k in range(3)]  # fmt: skip
    data = _warc(pages, gz=gz)
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[: int(len(data) * keep)])
    got = items(path)
    assert got[0].doc is not None and got[-1].doc is None
    assert "the file ends inside this record" in got[-1].error and "\n" not in got[-1].error
    full = tmp_path / ("full.warc.gz" if gz else "full.warc")
    full.write_bytes(data)
    assert [i.error for i in items(full)] == [None, None, None]


@pytest.mark.parametrize("into", [20, 60, 120, 250])
def test_a_warc_cut_inside_a_header_is_a_failure_that_says_so(tmp_path, article_html, into):
    # cut before its Content-Length, warcio raised AttributeError ("could not be read
    # (AttributeError: 'NoneType' object ...)"), or read an empty page: "The text ... is empty"
    data = _warc([("https://example.org/a", article_html.encode(), "text/html")] * 2, gz=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: data.index(b"WARC/1.0", 10) + into])
    first, cut = items(path)
    assert first.doc is not None and cut.error.startswith(f"{path}, record at byte ")
    assert "corrupt WARC record (" in cut.error or "the file ends inside this record" in cut.error
    assert "Error" not in cut.error and "is empty" not in cut.error


def test_missing_inputs_and_empty_html_are_item_errors(tmp_path):
    (tmp_path / "empty.html").write_text("<html><body></body></html>")
    got = items(tmp_path / "nope.txt", tmp_path / "empty.html")
    assert "nope.txt" in got[0].error and "empty.html" in got[1].error


def test_counting_lines_for_the_progress_bar_never_holds_a_whole_line(tmp_path):
    # count_hint (batch's progress bar) iterated the file's lines: a 400 MB line was 794 MB
    path = tmp_path / "a.jsonl"
    big = json.dumps({"text": "x" * (20 << 20)})
    path.write_text(f'{{"text": "{TEXT}"}}\n\n  \n{big}\n \t\n{{"text": "{TEXT}"}}')
    tracemalloc.start()
    try:
        hint = count_hint(str(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 << 20, f"{peak:,} bytes held at once"
    assert hint == 3  # blank lines are not articles; the last line has no newline


def test_a_blank_text_field_is_called_empty_not_unmapped(tmp_path):
    """A line whose text field is there but blank is empty: --field would not help."""
    path = tmp_path / "e.jsonl"
    path.write_text('{"text": "  "}\n{"body": ""}\n')
    got = items(path)
    assert "line 1: the 'text' field is empty" in got[0].error
    assert "--field" not in got[0].error
    assert "line 2: no text (field 'text'); map it with --field" in got[1].error
    mapped = items(path, fields={"text": "body"})
    assert "line 2: the 'body' field is empty" in mapped[1].error


def test_an_entry_id_is_not_taken_for_its_link(tmp_path):
    # feedparser gives an entry with no <link> its id as "link" (Atom's required <id>, an RSS
    # <guid>): an Atom entry with its article inline failed with "Cannot fetch urn:...: no scheme"
    atom, rss = tmp_path / "f.atom", tmp_path / "f.rss"
    atom.write_text(INLINE_ATOM.replace("<entry>", "<entry><id>urn:uuid:1225c695-cfb8</id>"))
    rss.write_text(INLINE_RSS.replace("<item><title>Told</title>", "<item><guid>told-2</guid>"
                                      "<title>Told</title>"))  # fmt: skip
    (atom_plan,) = items(atom)
    assert atom_plan.error is None and atom_plan.doc.text == BODY
    assert atom_plan.doc.title == "Plan"
    told = items(rss)[1]
    assert told.error is None and told.doc.text == BODY and told.doc.title == "Told"


def test_feed_titles_given_as_html_are_read_as_text(tmp_path):
    # feedparser hands a title it takes for HTML (Atom type="html", an RSS title with escaped
    # markup or entities) over as HTML: "It&#8217;s &amp; <b>new</b>" was stored as the title
    rss = tmp_path / "f.rss"
    title = "<title>It&amp;#8217;s &amp;amp; &lt;b&gt;new&lt;/b&gt;</title>"
    outlet = "<title>Daily &amp;amp; Co</title>"
    rss.write_text(
        INLINE_RSS.replace("<title>Daily Example</title>", outlet).replace(
            "<title>Plan</title>", title
        )
    )
    atom = tmp_path / "f.atom"
    atom.write_text(INLINE_ATOM.replace("<title>Plan</title>",
                                        '<title type="html">A &amp;amp; B</title>'))  # fmt: skip
    plan = items(rss)[0]
    assert plan.doc.title == "It\u2019s & new" and plan.doc.meta["outlet"] == "Daily & Co"
    assert items(atom)[0].doc.title == "A & B"


def test_a_csv_row_with_an_empty_or_missing_text_cell_is_called_empty(tmp_path):
    # the header has the text column, so "map it with --field text=NAME" sent the user looking
    # for a mapping that was right: the row's own cell is empty (or the row is short)
    path = tmp_path / "c.csv"
    path.write_text(f'id,title,text,date\n1,T1,"{TEXT}",2024\n2,T2,,2024\n3,Short row\n')
    ok, empty, short = items(path)
    assert ok.doc is not None and "date" in ok.doc.meta
    for item in (empty, short):
        assert "the 'text' field is empty" in item.error and "--field" not in item.error
    assert empty.ref.endswith("line 3") and short.ref.endswith("line 4")


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_csv_separated_by_semicolons_or_tabs_is_read(tmp_path, delimiter):
    # a spreadsheet set to a language with decimal commas saves ';'-separated "CSV": it failed
    # whole with "no 'text' column (columns: id;title;text)", the text column right there
    path = tmp_path / "c.csv"
    row = delimiter.join(["1", "Plan", f'"{TEXT}; more, words"'])
    path.write_text(delimiter.join(["id", "title", "text"]) + f"\n{row}\n")
    (got,) = items(path)
    assert got.error is None and got.doc.text == f"{TEXT}; more, words"
    assert got.doc.title == "Plan" and got.doc.meta["id"] == "1"


def test_a_folder_walk_gives_regular_files_only(tmp_path):
    # a named pipe called news.txt in a folder was read: the run waited on it for ever
    (tmp_path / "a.txt").write_text(TEXT)
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "linked.txt").symlink_to(tmp_path / "a.txt")
    assert expand([str(tmp_path)]) == [str(tmp_path / "a.txt")]


def test_a_csv_quote_left_open_is_a_failed_row_not_rows_run_together(tmp_path):
    # an unclosed quote ran on into the next rows, stored as one article's text, without a word
    path = tmp_path / "c.csv"
    path.write_text(f'text,title\n"{TEXT}",A\n"{TEXT} open,B\n"{TEXT}",C\n"{TEXT} at the end,D\n')
    got = items(path)
    assert got[0].doc is not None and got[0].doc.title == "A"
    assert all(i.doc is None for i in got[1:]) and len(got) == 3
    assert got[1].ref.endswith("line 3") and "unreadable CSV row" in got[1].error
    assert got[2].ref.endswith("line 5") and "unreadable CSV row" in got[2].error


def test_an_empty_csv_file_is_called_empty(tmp_path):
    # it read "no 'text' column (columns: none); map the article text with --field"
    path = tmp_path / "c.csv"
    path.write_text("\n")
    (got,) = items(path)
    assert got.error == f"{path} is empty; a CSV file has a header row naming its columns."
    path.write_text(f'\n\ntext;title\n"{TEXT}";T\n')  # blank lines above the header
    (got,) = items(path)
    assert got.doc.title == "T" and got.ref.endswith("line 4")


def test_a_text_field_that_is_not_a_string_is_named_so(tmp_path):
    # {"text": 5} read "no text (field 'text'); map it with --field text=NAME": it is mapped
    path = tmp_path / "e.jsonl"
    path.write_text('{"text": 5}\n{"body": ["a"]}\n')
    got = items(path)
    assert "line 1: the 'text' field is a JSON int, not a string" in got[0].error
    mapped = items(path, fields={"text": "body"})
    assert "line 2: the 'body' field is a JSON list, not a string" in mapped[1].error


def test_a_folder_walk_follows_links_to_folders_each_real_folder_once(tmp_path, monkeypatch):
    # `batch news` with news/2024 -> /data/2024 read nothing of 2024, without a word (a glob
    # followed the link); a loop of links must not make the walk go round
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "c.txt").write_text(TEXT)
    (tmp_path / "news" / "sub").mkdir(parents=True)
    (tmp_path / "news" / "a.txt").write_text(TEXT)
    (tmp_path / "news" / "sub" / "b.txt").write_text(TEXT)
    (tmp_path / "news" / "2024").symlink_to(tmp_path / "data")
    (tmp_path / "news" / "sub" / "loop").symlink_to("../..")
    monkeypatch.chdir(tmp_path)
    assert expand(["news"]) == ["news/a.txt", "news/2024/c.txt", "news/sub/b.txt"]


def test_csv_column_names_are_read_without_the_spaces_around_them(tmp_path):
    # "id, text, title" failed whole: "no 'text' column (columns: id,  text,  title)", the
    # column named " text"
    path = tmp_path / "c.csv"
    path.write_text(f'id, text, title\n1,"{TEXT}",Plan\n')
    (got,) = items(path)
    assert got.error is None and got.doc.title == "Plan" and got.doc.meta["id"] == "1"


def test_a_feed_with_no_entries_is_called_so(tmp_path):
    # "is not an RSS or Atom feed with entries; give a feed": it is a feed, empty for now
    rss, page = tmp_path / "f.rss", tmp_path / "p.xml"
    rss.write_text('<rss version="2.0"><channel><title>E</title></channel></rss>')
    page.write_text("<html><body><p>Hello</p></body></html>")
    assert items(rss)[0].error == f"{rss} is an RSS or Atom feed with no entries."
    assert "is not an RSS or Atom feed" in items(page)[0].error
