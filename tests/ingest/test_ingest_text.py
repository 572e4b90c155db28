from __future__ import annotations

import unicodedata

import pytest

from spinscope.ingest import from_text, normalize_text
from spinscope.ingest.text import guess_title

BODY = "The government said on Monday that the new tax would hit families hardest."


def test_normalize_line_ends_bom_nfc_and_trailing_space() -> None:
    decomposed = "Cafe\u0301"
    assert unicodedata.normalize("NFC", decomposed) != decomposed
    text = "\ufeff  Caf" + "e\u0301\r\nline two\rline three \t\n\n  "
    assert normalize_text(text) == "  Café\nline two\nline three"


def test_title_before_a_whitespace_only_line() -> None:
    assert from_text(f"Tax row erupts\n \t\n{BODY}").title == "Tax row erupts"


def test_from_text_keeps_title_line_in_text() -> None:
    doc = from_text(f"Tax row erupts\r\n\r\n{BODY}\n")
    assert doc.title == "Tax row erupts"
    assert doc.text == f"Tax row erupts\n\n{BODY}"
    assert doc.text.startswith(doc.title)


@pytest.mark.parametrize(
    "text",
    [
        BODY,  # one paragraph only
        f"First line\nsecond line\n\n{BODY}",  # no blank line after the first line
        "x" * 250 + f"\n\n{BODY}",  # too long for a headline
        "Only a headline\n\n   ",  # nothing after it
    ],
)
def test_no_title_guessed(text: str) -> None:
    assert guess_title(normalize_text(text)) is None


def test_explicit_title_and_meta_win() -> None:
    doc = from_text(BODY, title="  A  title\r\n", meta={"source": "x", "language": "fr"})
    assert doc.title == "A title"
    assert doc.meta == {"source": "x", "language": "fr"}


def test_ingest_leaves_the_language_to_the_pipeline() -> None:
    doc = from_text(BODY)
    assert "language" not in doc.meta and doc.language is None


def test_same_text_same_id() -> None:
    assert from_text(BODY + "\r\n").id == from_text(BODY).id


# zero-width spaces, joiners and bidi controls only: analysed as a text ("nothing found")
@pytest.mark.parametrize(
    "text", ["", "   \n\t\r\n", "\ufeff", "\u200b\u200b\n\u202e", "\u2060 \u200d"]
)
def test_empty_text_is_an_error(text: str, ingest_error) -> None:
    with ingest_error("empty", "my.txt"):
        from_text(text, meta={"source": "my.txt"})


def test_bytes_are_refused() -> None:
    with pytest.raises(TypeError, match="decode"):
        from_text(b"bytes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        f"Tax row erupts over families\n{BODY}",
        f"Why the tax row matters?\n{BODY}\nMore follows.",
        f"  Tax row erupts over families \n{BODY}",
        "Minister quits over tax row\nThe finance minister resigned on Monday after the vote.",
    ],
)
def test_headline_line_followed_by_body_is_the_title(text: str) -> None:
    """A short first line with no closing full stop, then a line of prose: a headline, even
    without a blank line after it (issue 17)."""
    assert from_text(text).title == text.split("\n")[0].strip()


@pytest.mark.parametrize(
    "text",
    [
        f"The tax row erupted.\n{BODY}",  # a sentence, not a headline
        f"Tax row erupts\nfamilies hit hardest\n\n{BODY}",  # next line is not prose
        # hard-wrapped prose: the second line goes on from the first
        "The government said on Monday that\nthe new tax would hit families hardest. It was.",
        f"Tax, row:\n{BODY}",  # ends with a colon
    ],
)
def test_first_line_that_is_not_a_headline(text: str) -> None:
    assert guess_title(normalize_text(text)) is None
