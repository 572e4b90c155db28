"""A tiny hand-built store: three documents with technique findings in both taxonomies, a span
across a line break (LF and CRLF), a label with a comma and a character outside the BMP."""

import pytest

from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.model.taxonomy import category
from spinscope.store import Store

TEXTS = [
    "Breaking: the \U0001f642 traitors\nwill destroy us all.\nVote now!",
    "Our great nation stands proud. Everyone agrees.",
    "Nothing to see here.\r\nJust facts.",
]
# (doc, quoted text, ptc2020 label, semeval2023 label)
SPANS = [
    (0, "traitors", "Name_Calling,Labeling", "Name_Calling-Labeling"),
    (0, "traitors\nwill destroy us all", "Appeal_to_fear-prejudice", "Appeal_to_Fear-Prejudice"),
    (0, "Vote now!", "Slogans", "Slogans"),
    (1, "great nation stands proud", "Flag-Waving", "Flag_Waving"),
    (1, "Everyone agrees", "Bandwagon,Reductio_ad_hitlerum", "Appeal_to_Popularity"),
    (2, "Nothing to see here.\r\nJust facts", "Doubt", "Doubt"),
]
# where each document came from: two files with the same name in different folders, and none
SOURCES = ["feeds/Tax row: day 1.txt", "other/Tax row: day 1.txt", None]
MODELS = [{"analyzer": "techniques", "model": "tiny-tagger", "model_version": "t1"}]


def finding(text: str, quoted: str, label: str, taxonomy: str) -> Finding:
    start = text.index(quoted)
    return Finding(
        start, start + len(quoted), quoted, label, taxonomy, category(taxonomy, label), 0.75,
        "because", "techniques",
    )  # fmt: skip


def results() -> list[AnalysisResult]:
    out = []
    for k, text in enumerate(TEXTS):
        found = []
        for doc, quoted, ptc, se23 in SPANS:
            if doc == k:
                found += [finding(text, quoted, ptc, "ptc2020"),
                          finding(text, quoted, se23, "semeval2023")]  # fmt: skip
        meta = {"url": f"https://news.example/{k}", "date": "2024-03-0" + str(k + 1)}
        if SOURCES[k]:
            meta["source"] = SOURCES[k]
        out.append(AnalysisResult(Document(text, f"Title {k}", meta), found, models=MODELS))
    return out


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        store.write(results(), failures=[("feed.jsonl", "item 3", "ingest", "not UTF-8")])
    return path


@pytest.fixture
def store(store_path):
    with Store(store_path) as s:
        yield s
