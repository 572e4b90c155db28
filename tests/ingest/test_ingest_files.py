from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from spinscope.ingest import load, read_path, read_stdin

TEXT = (
    "Tax plan criticised\n\nThe opposition said on Tuesday that the new tax plan would hurt "
    "the families who can least afford it."
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_text_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", TEXT.replace("\n", "\r\n") + "\r\n")
    doc = read_path(path)
    assert doc.text == TEXT
    assert doc.title == "Tax plan criticised"
    assert doc.meta["source"] == str(path)


def test_utf8_bom_file(tmp_path: Path) -> None:
    assert read_path(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + TEXT.encode())).text == TEXT


def test_html_by_extension(tmp_path: Path, article_html: str) -> None:
    doc = read_path(write(tmp_path, "page.htm", article_html.replace("<!doctype html>", "")))
    assert doc.title == "Minister Defends Tax Plan"
    assert "<p>" not in doc.text


def test_html_by_sniffing(tmp_path: Path, article_html: str) -> None:
    doc = read_path(write(tmp_path, "page.txt", "\n  " + article_html))
    assert doc.meta["author"] == "Jane Doe"
    assert "<p>" not in doc.text


def test_html_declared_charset(tmp_path: Path, article_html: str) -> None:
    html = article_html.replace("<head>", '<head><meta charset="windows-1251">')
    html = html.replace("Jane Doe", "Иван Петров")
    doc = read_path(write(tmp_path, "ru.html", html.encode("windows-1251")))
    assert doc.meta["author"] == "Иван Петров"


@pytest.mark.parametrize("declared", ["utf-16", "UTF-16LE", "utf-16be", "utf-32"])
def test_a_meta_charset_of_utf16_is_read_as_utf8(tmp_path: Path, article_html, declared) -> None:
    # a <meta> read in ASCII cannot be in UTF-16 (browsers read such a page as UTF-8): the page
    # was decoded as UTF-16, its article analysed as a line of CJK characters
    html = article_html.replace("<head>", f'<head><meta charset="{declared}">')
    doc = read_path(write(tmp_path, "a.html", html.replace("Jane Doe", "José Müller")))
    assert doc.meta["author"] == "José Müller" and "The minister" in doc.text


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252", "windows-1251"])
def test_a_utf8_page_declaring_a_single_byte_charset_is_read_as_utf8(
    tmp_path: Path, article_html, declared
) -> None:
    # a template's stale charset (or a server's default) over UTF-8 text: "José Müller" was
    # read as "JosÃ© MÃ¼ller", every accented letter of the article turned to mojibake
    html = article_html.replace("<head>", f'<head><meta charset="{declared}">')
    doc = read_path(write(tmp_path, "a.html", html.replace("Jane Doe", "José Müller")))
    assert doc.meta["author"] == "José Müller"


def test_a_late_meta_charset_in_a_long_head_is_honoured(tmp_path: Path, article_html: str):
    # a page whose <meta> charset came after 2 KB of head (inline styles, scripts, JSON-LD: news
    # sites have tens of KB of them) was read as UTF-8: its Cyrillic and accented text were lost
    style = "<style>" + "p { margin: 0 }\n" * 2000 + "</style>"  # 32 KB
    for codec, name in (("windows-1251", "Иван Петров"), ("latin-1", "José Müller")):
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={codec}">'
        html = article_html.replace("<head>", f"<head>{style}{meta}")
        html = html.replace("Jane Doe", name)
        doc = read_path(write(tmp_path, "late.html", html.encode(codec)))
        assert doc.meta["author"] == name, codec


def test_a_meta_charset_is_looked_for_in_the_head_only() -> None:
    from spinscope.ingest._decode import MAX_CHARSET_SCAN_BYTES, sniff_html_charset

    late = b"<html><head><title>t</title>" + b" " * 10_000 + b'<meta charset="koi8-r">'
    assert sniff_html_charset(late) == "koi8-r"
    # a page about HTML quotes one in its body; past the bound the search stops
    body = b'<html><head></head><body><p>Write <meta charset="koi8-r"> first.'
    assert sniff_html_charset(body) is None
    far = b"<html><head>" + b" " * MAX_CHARSET_SCAN_BYTES + b'<meta charset="koi8-r">'
    assert sniff_html_charset(far) is None
    assert sniff_html_charset(b"<meta " * 20_000) is None  # linear: no backtracking blow-up


def test_missing_file(tmp_path: Path, ingest_error) -> None:
    path = tmp_path / "nope.txt"
    with ingest_error("not found", str(path)):
        read_path(path)


def test_directory(tmp_path: Path, ingest_error) -> None:
    with ingest_error("directory", str(tmp_path)):
        read_path(tmp_path)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(tmp_path: Path, ingest_error, codec) -> None:
    # Windows tools save UTF-16 without the mark: it was called "a binary file"
    path = write(tmp_path, "u16.txt", TEXT.encode(codec))
    with ingest_error(str(path), "UTF-16 text without a byte order mark", f"iconv -f {codec}"):
        read_path(path)
    with ingest_error("binary file"):
        read_path(write(tmp_path, "x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 5))


def test_binary_file(tmp_path: Path, ingest_error) -> None:
    path = write(tmp_path, "img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with ingest_error("binary", str(path)):
        read_path(path)


def test_not_utf8(tmp_path: Path, ingest_error) -> None:
    path = write(tmp_path, "latin.txt", "Caf\xe9 au lait".encode("latin-1"))
    with ingest_error("not UTF-8", str(path), "0xe9"):
        read_path(path)


def test_too_large(tmp_path: Path, ingest_error) -> None:
    path = write(tmp_path, "big.txt", "word " * 100)
    with ingest_error("over the limit", str(path), "max_bytes"):
        read_path(path, max_bytes=100)


def test_empty_file(tmp_path: Path, ingest_error) -> None:
    path = write(tmp_path, "empty.txt", " \n\n")
    with ingest_error("empty", str(path)):
        read_path(path)


def test_an_empty_path_is_no_source_not_a_directory(ingest_error) -> None:
    # `spinscope analyze "$FILE"` with FILE unset said " is a directory" (Path("") is ".")
    with ingest_error("No source given (an empty path)"):
        read_path("")


def test_a_json_file_is_refused_not_read_as_words(tmp_path: Path, ingest_error) -> None:
    # its brackets, keys and quotes were analysed as the article's text, without a word
    path = write(tmp_path, "articles.JSON", '[{"text": "The traitors lie every day."}]')
    with ingest_error(str(path), "is a JSON file", ".jsonl", "jq -c"):
        read_path(path)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8")))
    monkeypatch.setattr(sys, "stdin", fake)
    doc = load("-")
    assert doc.text == TEXT and doc.meta["source"] == "<stdin>"


def test_stdin_checks(ingest_error) -> None:
    with ingest_error("binary", "<stdin>"):
        read_stdin(stream=io.BytesIO(b"a\x00b"))
    with ingest_error("over the limit", "<stdin>"):
        read_stdin(stream=io.BytesIO(b"x" * 11), max_bytes=10)


def test_load_path_and_pathlike(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", TEXT)
    assert load(str(path)) == load(path)


def test_load_refuses_a_list() -> None:
    with pytest.raises(TypeError, match="once per source"):
        load(["a.txt"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        b'{"text": "The minister lied again."}\n{"text": "And again."}\n',
        b'[\n  {\n    "text": "The minister lied again."\n  }\n]\n',
        b'\xef\xbb\xbf  {"html": "<p>The minister lied again.</p>"}',
    ],
)
def test_json_on_stdin_is_refused_not_read_as_words(data: bytes, ingest_error) -> None:
    # `cat articles.jsonl | spinscope analyze -` analysed the keys, quotes and braces of every
    # line as the text of one article, as a .json file was before it was refused
    with ingest_error("<stdin> holds JSON", "spinscope analyze articles.jsonl"):
        read_stdin(stream=io.BytesIO(data))
    assert read_stdin(stream=io.BytesIO(b"{Braces} open " + TEXT.encode())).text.endswith("it.")


def test_the_conversion_hint_for_western_text_keeps_curly_quotes(tmp_path):
    # the hint said `iconv -f latin1`, which turns Windows' curly quotes (0x93, 0x94) into C1
    # control characters; the codec it names must read them as the quotes they are
    import codecs
    import re

    from spinscope.errors import IngestError

    path = tmp_path / "a.txt"
    data = "\u201cIt\u2019s a caf\u00e9,\u201d she said.".encode("cp1252")
    path.write_bytes(data)
    with pytest.raises(IngestError) as err:
        read_path(path)
    codec = re.search(r"iconv -f (\S+) -t", str(err.value))[1]
    assert data.decode(codecs.lookup(codec).name) == "\u201cIt\u2019s a caf\u00e9,\u201d she said."
