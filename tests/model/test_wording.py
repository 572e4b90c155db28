"""Counts in the right number: "1 finding", "2 findings" (issue 17)."""

import pytest

from spinscope.model.wording import plural


@pytest.mark.parametrize(
    ("n", "word", "expected"),
    [(1, "finding", "1 finding"), (0, "finding", "0 findings"), (2, "document", "2 documents"),
     (1, "entry", "1 entry"), (3, "entry", "3 entries"), (2, "row", "2 rows")],
)  # fmt: skip
def test_plural(n, word, expected):
    assert plural(n, word) == expected


def test_an_irregular_plural_can_be_given():
    assert (
        plural(2, "person", "people") == "2 people" and plural(1, "person", "people") == "1 person"
    )
