from __future__ import annotations

from spinscope.ingest import from_html

EMPTY_PAGE = "<html><head><title>t</title></head><body></body></html>"


def test_article_text_and_metadata(article_html: str) -> None:
    doc = from_html(article_html, url="https://news.example/tax")
    assert doc.title == "Minister Defends Tax Plan"
    assert "save every family money" in doc.text
    assert "Copyright" not in doc.text and "Sport" not in doc.text
    assert doc.meta["author"] == "Jane Doe"
    assert doc.meta["date"] == "2024-03-05"
    assert doc.meta["site"] == "Daily Example"
    assert doc.meta["url"] == "https://news.example/tax"
    assert "filedate" not in doc.meta  # nothing that depends on the day of the run


def test_deterministic_and_quiet(article_html: str, capfd) -> None:
    first = from_html(article_html)
    assert from_html(article_html) == first
    assert from_html(article_html.encode("utf-8")) == first
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_caller_meta_is_kept(article_html: str) -> None:
    doc = from_html(article_html, meta={"source": "page.html"})
    assert doc.meta["source"] == "page.html"


def test_no_article_text(ingest_error) -> None:
    with ingest_error("No article text could be extracted", "page.html"):
        from_html(EMPTY_PAGE, meta={"source": "page.html"})


def test_empty_html(ingest_error) -> None:
    with ingest_error("empty", "https://news.example/"):
        from_html("  \n", url="https://news.example/")


FRAGMENT = "<p>The council passed the harbour vote on Monday after a long debate.</p>"


def test_a_one_paragraph_fragment_is_read_as_its_text() -> None:
    # trafilatura found nothing in a short fragment without <html>/<body>: it was refused
    assert (
        from_html(FRAGMENT).text
        == "The council passed the harbour vote on Monday after a long debate."
    )
    assert from_html(FRAGMENT.encode("utf-8")).text == from_html(FRAGMENT).text
    doc = from_html("\n<P>Passed.</P>\n<p>On Monday.</p>", meta={"source": "frag.html"})
    assert doc.text == "Passed.\nOn Monday." and doc.meta["source"] == "frag.html"


def test_a_fragment_gives_text_not_markup() -> None:
    doc = from_html("<p>Rates &amp; taxes <script>steal()</script>&lt;b&gt;up&lt;/b&gt;.</p>")
    assert doc.text == "Rates & taxes <b>up</b>."  # entities decoded to text; no script
    assert "steal" not in doc.text


def test_a_fragment_file_is_read_like_the_string(tmp_path) -> None:
    from spinscope.ingest import read_path

    path = tmp_path / "frag.html"
    path.write_text(FRAGMENT, encoding="utf-8")
    assert read_path(path).text == from_html(FRAGMENT).text


def test_a_fragment_with_no_text_is_still_one_clear_error(ingest_error) -> None:
    for fragment in ("<p></p>", "<script>alert(1)</script>", "<p> &nbsp; </p>"):
        with ingest_error("No article text could be extracted", "frag.html"):
            from_html(fragment, meta={"source": "frag.html"})
