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
