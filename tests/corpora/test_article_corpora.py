"""Readers for SemEval-2023 Task 3 ST1/ST2 and SemEval-2025 Task 10 ST1/ST2."""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path

import pytest

from spinscope.corpora import semeval23_articles as se23
from spinscope.corpora import semeval25 as se25
from spinscope.errors import DataError

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SE23 = DATA / "semeval2023-task3"
SE25 = DATA / "semeval2025-task10"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


# --- SemEval-2023 fixtures ------------------------------------------------------------------


@pytest.fixture()
def se23_root(tmp_path: Path) -> Path:
    en = tmp_path / "en"
    _write(en / "train-labels-subtask-1.txt", "101\topinion\n102\tsatire\n\n")
    _write(en / "train-labels-subtask-2.txt", "101\tPolitical,Morality\n102\t\n103\tEconomic\n")
    _write(en / "train-articles-subtask-1" / "article101.txt", "\ufeffTitle one\n\nBody.\n")
    _write(en / "train-articles-subtask-1" / "article102.txt", "Title two\n\nBody two.\n")
    _write(en / "train-articles-subtask-1" / "notes.txt", "ignored")
    return tmp_path


def test_se23_genres_and_frames(se23_root: Path) -> None:
    assert se23.load_genres(se23_root) == {"101": "opinion", "102": "satire"}
    assert se23.load_frames(se23_root) == {
        "101": ["Political", "Morality"],
        "102": [],
        "103": ["Economic"],
    }


def test_se23_article_texts_keep_bom(se23_root: Path) -> None:
    texts = se23.read_article_texts(se23_root, "en", "train", 1)
    assert set(texts) == {"101", "102"}
    assert texts["101"].startswith("\ufeffTitle one\n")


def test_se23_errors_name_the_file(se23_root: Path) -> None:
    with pytest.raises(DataError, match="dev-labels-subtask-1.txt"):
        se23.load_genres(se23_root, "en", "dev")
    _write(se23_root / "fr" / "train-labels-subtask-1.txt", "1\tnews\n")
    with pytest.raises(DataError, match="train-labels-subtask-1.txt line 1: unknown genre"):
        se23.load_genres(se23_root, "fr")
    _write(se23_root / "fr" / "train-labels-subtask-2.txt", "1\tPolitics\n")
    with pytest.raises(DataError, match="unknown frame"):
        se23.load_frames(se23_root, "fr")
    with pytest.raises(DataError, match="subtask"):
        se23.read_article_texts(se23_root, "en", "train", 4)


def test_se23_label_constants() -> None:
    assert len(se23.FRAMES) == len(set(se23.FRAMES)) == 14
    assert se23.GENRES == ("opinion", "reporting", "satire")


# --- SemEval-2025 fixtures ------------------------------------------------------------------

CRLF_DOC = "Title\r\n\r\nBill Gates met the BBC.\r\nThe BBC agreed.\r\n"
BOM_DOC = "\ufeffPutin spoke."


@pytest.fixture()
def se25_root(tmp_path: Path) -> Path:
    en = tmp_path / "train" / "EN"
    docs = en / "raw-documents"
    _write(docs / "EN_1.txt", CRLF_DOC)
    _write(docs / "EN_2.txt", BOM_DOC)
    s1 = CRLF_DOC.index("Bill")
    s2 = CRLF_DOC.index("BBC", CRLF_DOC.index("The BBC"))
    rows = [
        f"EN_1.txt\tBill Gates\t{s1}\t{s1 + 9}\tAntagonist\tDeceiver\tCorrupt",  # end inclusive
        f"EN_1.txt\tBBC\t{s2}\t{s2 + 2}\tProtagonist\tGuardian",
        "EN_2.txt\tPutin\t1\t5\tAntagonist\tTyrant",  # the BOM counts as offset 0
        "EN_2.txt\tPutin\t0\t4\tAntagonist\tTyrant",  # an upstream-style misalignment
        "EN_3.txt\tNobody\t0\t5\tInnocent\tVictim",  # document missing
    ]
    _write(en / "subtask-1-annotations.txt", "\n".join(rows) + "\n")
    _write(
        en / "subtask-2-annotations.txt",
        "EN_1.txt\tCC: A;CC: A;CC: B\tCC: A: x;CC: A: Other;CC: B: y\r\nEN_2.txt\tOther\tOther\n",
    )
    dev = tmp_path / "dev" / "EN"
    _write(dev / "subtask-2-documents" / "EN_D1.txt", "two\n")
    _write(dev / "subtask-1-documents" / "EN_D2.txt", "one\n")
    _write(
        tmp_path / "narratives_taxonomy.json",
        json.dumps({"_note": "n", "CC": {"CC: A": ["CC: A: x", "CC: A: Other"]}, "Other": "Other"}),
    )
    _write(tmp_path / "subtask2_narratives.txt", "CC: A\nOther")
    _write(tmp_path / "subtask2_subnarratives.txt", "CC: A: x\nCC: A: Other\nOther\n")
    roles = {"_note": "n", "Protagonist": ["Guardian"], "Antagonist": ["Tyrant"]}
    _write(tmp_path / "entity_roles_taxonomy.json", json.dumps({**roles, "Innocent": ["Victim"]}))
    return tmp_path


def test_se25_crlf_offsets_need_newline_kept(se25_root: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        mentions = se25.load_entity_roles(se25_root)
    assert [m.aligned for m in mentions] == [True, True, True, False, False]
    first = mentions[0]
    assert (first.text, first.end_exclusive - first.start) == ("Bill Gates", 10)
    assert first.fine_roles == ("Deceiver", "Corrupt")
    doc = se25.read_documents(se25_root, "EN", "train")["EN_1.txt"]
    assert "\r\n" in doc
    bbc = mentions[1]
    assert doc[bbc.start : bbc.end_exclusive] == "BBC"
    # With newlines translated, the second-line offset no longer lands on the entity.
    normalised = doc.replace("\r\n", "\n")
    assert normalised[bbc.start : bbc.end_exclusive] != "BBC"
    assert "2 of 5 mentions do not align" in caplog.text


def test_se25_narratives_dedupe_and_other(se25_root: Path) -> None:
    labels = se25.load_narratives(se25_root)
    assert labels["EN_1.txt"] == se25.NarrativeLabels(
        ("CC: A", "CC: B"), ("CC: A: x", "CC: A: Other", "CC: B: y")
    )
    assert labels["EN_2.txt"] == se25.NarrativeLabels(("Other",), ("Other",))


def test_se25_dev_documents_by_subtask(se25_root: Path) -> None:
    assert set(se25.read_documents(se25_root, "EN", "dev")) == {"EN_D1.txt"}
    assert set(se25.read_documents(se25_root, "EN", "dev", subtask=1)) == {"EN_D2.txt"}
    with pytest.raises(DataError, match="split"):
        se25.read_documents(se25_root, "EN", "test")
    with pytest.raises(DataError, match="ST2 annotations"):
        se25.load_narratives(se25_root, "EN", "dev")


def test_se25_taxonomies(se25_root: Path) -> None:
    tax = se25.load_taxonomy(se25_root)
    assert tax.tree == {"CC": {"CC: A": ("CC: A: x", "CC: A: Other")}}
    assert tax.narratives == ("CC: A", "Other")
    assert tax.subnarratives[-1] == "Other"
    roles = se25.load_role_taxonomy(se25_root)
    assert roles["Innocent"] == ("Victim",)


def test_se25_bad_rows_raise(se25_root: Path) -> None:
    ann = se25_root / "train" / "EN" / "subtask-1-annotations.txt"
    _write(ann, "EN_1.txt\tX\t0\tfour\tAntagonist\tTyrant\n")
    with pytest.raises(DataError, match="line 1: offsets"):
        se25.load_entity_roles(se25_root)
    _write(ann, "EN_1.txt\tX\t0\t4\tVillain\tTyrant\n")
    with pytest.raises(DataError, match="unknown main role"):
        se25.load_entity_roles(se25_root)


# --- the real data --------------------------------------------------------------------------

needs_se23 = pytest.mark.skipif(
    not SE23.is_dir(), reason="SemEval-2023 Task 3 is not at ../shared/data"
)
needs_se25 = pytest.mark.skipif(
    not SE25.is_dir(), reason="SemEval-2025 Task 10 is not at ../shared/data"
)


@needs_se23
def test_real_se23_english_train_counts() -> None:
    genres = se23.load_genres(SE23)
    assert Counter(genres.values()) == {"opinion": 382, "reporting": 41, "satire": 10}
    frames = se23.load_frames(SE23)
    assert len(frames) == 433
    counts = Counter(f for fs in frames.values() for f in fs)
    assert counts["Political"] == 235 and counts["Public_opinion"] == 23
    assert set(se23.read_article_texts(SE23, "en", "train", 1)) == set(genres)


@needs_se23
def test_real_se23_french_dev() -> None:
    assert Counter(se23.load_genres(SE23, "fr", "dev").values()) == {
        "opinion": 35,
        "reporting": 15,
        "satire": 4,
    }
    assert len(se23.load_frames(SE23, "fr", "dev")) == 53


@needs_se25
def test_real_se25_english_counts() -> None:
    assert len(se25.read_documents(SE25, "EN", "train")) == 399
    narratives = se25.load_narratives(SE25, "EN", "train")
    assert len(narratives) == 399
    assert sum(x.narratives == ("Other",) for x in narratives.values()) == 169
    mentions = se25.load_entity_roles(SE25, "EN", "train")
    assert len(mentions) == 686
    assert sum(m.aligned for m in mentions) == 686 - 11
    assert {m.doc_id for m in mentions if not m.aligned} == {
        "EN_UA_001032.txt",
        "EN_UA_002668.txt",
        "EN_UA_024050.txt",
    }
    assert len(se25.load_narratives(SE25, "EN", "dev")) == 41
    assert len(se25.read_documents(SE25, "EN", "dev", subtask=2)) == 41
    dev = se25.load_entity_roles(SE25, "EN", "dev")
    assert len(dev) == 91 and all(m.aligned for m in dev)


@needs_se25
def test_real_se25_taxonomies() -> None:
    tax = se25.load_taxonomy(SE25)
    assert len(tax.narratives) == 22 and len(tax.subnarratives) == 91
    assert {d: len(n) for d, n in tax.tree.items()} == {"URW": 11, "CC": 10}
    roles = se25.load_role_taxonomy(SE25)
    assert sum(len(v) for v in roles.values()) == 22
