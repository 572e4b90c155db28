from __future__ import annotations

import pytest

from spinscope.ingest import detect_language_hint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The minister said on Monday that the plan would save money for all of the "
            "families, but critics have called it a lie.",
            "en",
        ),
        (
            "Der Minister sagte am Montag, dass der Plan allen Familien Geld sparen werde, "
            "aber Kritiker nennen ihn eine Lüge.",
            "non-en",
        ),
        (
            "Министр заявил в понедельник, что план сэкономит деньги всем семьям, "
            "но критики называют его ложью.",
            "non-en",
        ),
        ("Minister defends tax plan", None),  # a headline is too short to judge
        ("", None),
    ],
)
def test_language_hint(text: str, expected: str | None) -> None:
    assert detect_language_hint(text) == expected
