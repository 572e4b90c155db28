"""Gold technique spans: SemEval-2023 ST3 (every language), CheckThat! 2024, SemEval-2021."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinscope.corpora import technique_spans as ts
from spinscope.errors import DataError

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SE23 = DATA / "semeval2023-task3"
CT24 = DATA / "checkthat2024-task3-en-dev"
SE21 = DATA / "semeval2021-task6"

TEXT = "Title here\n\nThey are traitors.\nA calm line.\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture()
def se23(tmp_path: Path) -> Path:
    root = tmp_path / "semeval2023-task3"
    fr = root / "fr"
    _write(fr / "dev-articles-subtask-3" / "article7.txt", TEXT)
    _write(fr / "dev-labels-subtask-3.txt", "7\t1\t\n7\t3\tName_Calling-Labeling\n7\t4\t\n")
    spans = "7\tName_Calling-Labeling\t21\t29\n7\tDoubt\t40\t99\n"  # the second is out of range
    _write(fr / "dev-labels-subtask-3-spans" / "article7-labels-subtask-3.txt", spans)
    return root


def test_semeval23_reads_spans_and_paragraphs(se23):
    [doc] = ts.load_semeval23_spans(se23, "FR", "dev")
    assert doc.id == "7" and doc.lang == "fr"
    assert [(s.start, s.end, s.label) for s in doc.spans] == [(21, 29, "Name_Calling-Labeling")]
    assert doc.text[21:29] == "traitors"
    assert doc.dropped_spans == 1
    assert doc.paragraphs == {1: frozenset(), 3: {"Name_Calling-Labeling"}, 4: frozenset()}


def test_semeval23_language_codes_and_withheld_english(se23):
    assert ts.language_folder("de") == "ge" and ts.language_folder("PL") == "po"
    with pytest.raises(DataError, match="no gold for language"):
        ts.load_semeval23_spans(se23, "ES", "dev")
    with pytest.raises(DataError, match="English dev set is withheld"):
        ts.load_semeval23_spans(se23, "EN", "dev")
    with pytest.raises(DataError, match="not found"):
        ts.load_semeval23_spans(se23, "IT", "dev")


def test_unknown_technique_is_refused(se23):
    _write(se23 / "fr" / "dev-labels-subtask-3.txt", "7\t3\tName_Calling\n")
    with pytest.raises(DataError, match="unknown technique"):
        ts.load_semeval23_spans(se23, "FR", "dev")


def test_checkthat24_layout(tmp_path):
    root = tmp_path / "ct24"
    _write(root / "articles" / "article5.txt", TEXT)
    _write(root / "labels-spans.tsv", "5\tName_Calling-Labeling\t21\t29\n")
    _write(root / "labels-subtask-3.txt", "5\t1\t\n5\t3\tName_Calling-Labeling\n5\t4\t\n")
    [doc] = ts.load_checkthat24(root)
    assert doc.spans[0].label == "Name_Calling-Labeling" and len(doc.paragraphs) == 3
    with pytest.raises(DataError, match="CheckThat! 2024"):
        ts.load_checkthat24(tmp_path / "absent")


def test_semeval21_names_map_onto_2023(tmp_path):
    rec = {"id": "1_batch", "text": "SMEAR HIM", "labels": [
        {"start": 0, "end": 5, "technique": "Smears", "text_fragment": "SMEAR"},
        {"start": 6, "end": 9, "technique": "Bandwagon", "text_fragment": "HIM"}]}  # fmt: skip
    _write(tmp_path / "dev_set_task2.txt", json.dumps([rec]))
    [doc] = ts.load_semeval21_spans(tmp_path, "dev")
    assert [s.label for s in doc.spans] == ["Questioning_the_Reputation", "Appeal_to_Popularity"]
    with pytest.raises(DataError, match="Unknown SemEval-2021 split"):
        ts.load_semeval21_spans(tmp_path, "val")


def test_every_semeval21_name_has_a_2023_successor():
    from spinscope.model.taxonomy import LABELS_2023

    assert len(ts.SEMEVAL21_TO_2023) == 20
    assert set(ts.SEMEVAL21_TO_2023.values()) <= set(LABELS_2023)


# --- the shared data (counts from the datasets' READMEs) -------------------------------------


@pytest.mark.skipif(not SE23.is_dir(), reason="no SemEval-2023 data in ../shared/data")
@pytest.mark.parametrize(
    ("lang", "articles", "paragraphs", "out_of_range"),
    [("FR", 53, 610, 15), ("DE", 45, 522, 16), ("IT", 76, 882, 42), ("PL", 49, 800, 8),
     ("RU", 48, 515, 11)],
)  # fmt: skip
def test_semeval23_dev_counts(lang, articles, paragraphs, out_of_range):
    docs = ts.load_semeval23_spans(SE23, lang, "dev")
    assert len(docs) == articles
    assert sum(len(d.paragraphs) for d in docs) == paragraphs
    assert sum(d.dropped_spans for d in docs) == out_of_range
    for doc in docs:
        assert all(0 <= s.start < s.end <= len(doc.text) for s in doc.spans)


@pytest.mark.skipif(not CT24.is_dir(), reason="no CheckThat! 2024 data in ../shared/data")
def test_checkthat24_counts():
    docs = ts.load_checkthat24(CT24)
    assert len(docs) == 49
    assert sum(len(d.spans) for d in docs) == 1139


@pytest.mark.skipif(not SE21.is_dir(), reason="no SemEval-2021 data in ../shared/data")
def test_semeval21_counts():
    assert sum(len(d.spans) for d in ts.load_semeval21_spans(SE21, "train")) == 1498
    assert len(ts.load_semeval21_spans(SE21, "test")) == 200


def test_checkthat24_folder_without_its_labels_names_the_file(tmp_path):
    # "CheckThat! 2024 Task 3 not found at X" of a folder X that is there: which file is missing?
    root = tmp_path / "checkthat2024-task3-en-dev"
    root.mkdir()
    with pytest.raises(DataError, match=r"labels-subtask-3\.txt not found in .*en-dev; pass"):
        ts.load_checkthat24(root)
