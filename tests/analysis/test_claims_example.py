"""The hand-checked table of BENCHMARKS.md: every figure of the state-media column comes out with
its value, time and direction, and statements attributed to a named person carry the speaker."""

from pathlib import Path

import numpy as np
import pytest

from spinscope.analysis.claims import ClaimAnalyzer
from spinscope.ingest import from_text
from spinscope.model.document import AnalysisResult

pytest.importorskip("spacy")
EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "state-media-column.txt"

# (quoted figure, value, kind, statement, direction, time text or None)
EXPECTED = [
    ("35th", 35, "ordinal", "level", None, None),
    ("second", 2, "ordinal", "level", None, "this year"),
    ("three", 3, "rank", "level", None, None),
    ("49", 49, "count", "level", None, "by 2020"),
    ("nearly $30 billion", 3e10, "money", "level", None, "by 2020"),
    ("exceed $30 billion", 3e10, "money", "projection", None, "in the near future"),
    ("six", 6, "count", "level", None, None),
    ("30%", 30, "percent", "change", "increase", "in recent years"),
    ("7.1%", 7.1, "percent", "change", "increase", "in 2022"),
    ("22.3%", 22.3, "percent", "change", "increase", "in 2022"),
    ("2.5 times", 2.5, "multiplier", "change", "increase", "since 2015"),
    ("more than tripled", 3, "multiplier", "change", "increase", "between 2015 and 2021"),
    ("thousands", 1000, "count", "level", None, "each year"),
]


class ConstantScorer:
    """Scores every sentence 0.1, so only the sentences with figures are listed: the rules are
    under test here, not the check-worthiness model."""

    card = {"name": "constant"}
    model_sha256 = None

    def score(self, sentences):
        return np.full((len(sentences), 2), 0.1, np.float32)


@pytest.fixture(scope="module")
def result():
    if not EXAMPLE.exists():
        pytest.skip(f"{EXAMPLE} is absent (it lives in ../shared/examples)")
    doc = from_text(EXAMPLE.read_text(encoding="utf-8"))
    analyzer = ClaimAnalyzer(embeddings=False)
    analyzer.__dict__["scorer"] = ConstantScorer()
    claims = analyzer.analyze([doc])[0]
    res = AnalysisResult(doc=doc, findings=[], claims=claims)
    res.check_offsets()
    return res


def test_every_figure_with_value_time_and_direction(result):
    got = [
        (
            f.quantity.text,
            pytest.approx(f.quantity.value),
            f.quantity.kind,
            f.statement,
            f.direction,
            f.time.text if f.time else None,
        )
        for c in sorted(result.claims, key=lambda c: c.start)
        for f in c.figures
    ]
    assert got == EXPECTED


def test_named_speaker_is_linked_to_the_full_name(result):
    (claim,) = [c for c in result.claims if c.text.startswith("Tokayev highlighted")]
    a = claim.attribution
    assert a.kind == "reported" and a.speaker.text == "Tokayev"
    assert a.entity.text == "Kassym-Jomart Tokayev"
    assert result.doc.text[a.entity.start : a.entity.end] == "Kassym-Jomart Tokayev"


def test_statements_of_a_named_person_are_listed_with_the_person(result):
    """Both sentences reporting what Tokayev said are listed, though they score low here."""
    reported = sorted((c for c in result.claims if c.attribution.kind != "author"),
                      key=lambda c: c.start)  # fmt: skip
    assert [c.text[:30] for c in reported] == [
        "Kazakh President Kassym-Jomart",
        "Tokayev highlighted Moscow’s p",
    ]
    assert [c.attribution.entity.text for c in reported] == ["Kassym-Jomart Tokayev"] * 2
    assert reported[0].attribution.cue == "described"


def test_no_one_else_is_made_a_speaker(result):
    for c in result.claims:
        if "Tokayev" not in c.text:
            assert c.attribution.kind == "author", c.text
