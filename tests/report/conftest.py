"""A hand-built result: overlapping, nested and repeated findings in two taxonomies."""

from __future__ import annotations

import pytest

from spinscope.model.definitions import explain
from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.model.taxonomy import category

TEXT = (
    "The committee's shameful betrayal of every resident is a total disaster for our town.\n"
    "Clean streets, happy streets! Clean streets, happy streets!"
)


def finding(
    text: str,
    label: str,
    taxonomy: str = "semeval2023",
    *,
    occurrence: int = 0,
    confidence: float = 0.8,
    doc_text: str = TEXT,
) -> Finding:
    start = -1
    for _ in range(occurrence + 1):
        start = doc_text.index(text, start + 1)
    return Finding(
        start=start,
        end=start + len(text),
        text=text,
        label=label,
        taxonomy=taxonomy,
        category=category(taxonomy, label),
        confidence=confidence,
        explanation=explain(taxonomy, label, text, confidence),
        analyzer="techniques.test.v1",
    )


FINDINGS = [
    finding("shameful betrayal", "Loaded_Language", confidence=0.91),
    # overlaps "shameful betrayal" on "betrayal"
    finding("betrayal of every resident", "Exaggeration-Minimisation", confidence=0.64),
    # "disaster" is nested inside this one
    finding("a total disaster for our town", "Appeal_to_Fear-Prejudice", confidence=0.55),
    finding("disaster", "Loaded_Language", confidence=0.42),
    finding("Clean streets, happy streets!", "Slogans", confidence=0.87),
    finding("Clean streets, happy streets!", "Slogans", occurrence=1, confidence=0.83),
    finding("shameful betrayal", "Loaded_Language", "ptc2020", confidence=0.77),
]


@pytest.fixture
def result() -> AnalysisResult:
    res = AnalysisResult(
        doc=Document(
            TEXT,
            title="Council votes on the market square",
            meta={
                "source": "https://example.org/news/1",
                "author": "A. Writer",
                "date": "2024-05-01",
                "site": "Example Gazette",
            },
        ),
        findings=list(FINDINGS),
        models=[{"name": "spinscope-techniques", "version": "0.3.1", "id": "minilm-int8"}],
        warnings=["The text looks like Dutch; the models were trained on English."],
    )
    res.check_offsets()
    return res


@pytest.fixture
def empty() -> AnalysisResult:
    return AnalysisResult(doc=Document("A calm, factual sentence.", title="Calm"), findings=[])
