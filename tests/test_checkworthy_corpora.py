"""Check-worthiness dataset readers: hand-written fixtures, and the real datasets' counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkworthy_fixtures import FACTUAL, OTHER, write_datasets
from spinscope.corpora.checkworthy import (
    Sentence,
    load_checkthat19,
    load_checkthat20,
    load_claimbuster,
    normalise,
)
from spinscope.errors import DataError

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CT19 = DATA / "checkthat2019-task1-en"
CT20 = DATA / "checkthat2020-task1-en"
CB = DATA / "claimbuster"


def test_normalise() -> None:
    text = "  We're 9 million jobs SHORT -- of that. "
    assert normalise(text) == "we re 9 million jobs short of that"
    assert normalise("Thank you, Mr. President!") == normalise("thank you mr president")
    assert normalise("...") == ""


def test_checkthat19_fixture_lf_and_crlf(tmp_path: Path) -> None:
    roots = write_datasets(tmp_path)
    train = load_checkthat19(roots["checkthat19"], "training")
    test = load_checkthat19(roots["checkthat19"], "test")  # written with CRLF
    assert len(train) == len(test) == 20
    assert train[0] == Sentence(FACTUAL[0], 1, "a_debate", 1)
    assert test[-1] == Sentence(OTHER[9], 0, "d_speech", 10)
    assert all("\r" not in s.text for s in test)
    assert [s.group for s in test[:11:10]] == ["c_debate", "d_speech"]
    assert sum(s.label for s in test) == 4


def test_checkthat19_text_with_tab_and_bad_rows(tmp_path: Path) -> None:
    (tmp_path / "training").mkdir()
    (tmp_path / "training" / "x.tsv").write_bytes(b"7\tA\tone\ttwo\t1\r\n")
    assert load_checkthat19(tmp_path, "training") == [Sentence("one\ttwo", 1, "x", 7)]
    (tmp_path / "training" / "x.tsv").write_text("7\tA\ttext\tyes\n")
    with pytest.raises(DataError, match="label"):
        load_checkthat19(tmp_path, "training")
    (tmp_path / "training" / "x.tsv").write_text("7\tA\ttext\n")
    with pytest.raises(DataError, match="columns"):
        load_checkthat19(tmp_path, "training")


def test_checkthat20_fixture(tmp_path: Path) -> None:
    roots = write_datasets(tmp_path)
    for split in ("training", "dev", "test"):
        tweets = load_checkthat20(roots["checkthat20"], split)
        assert len(tweets) == 8 and sum(t.label for t in tweets) == 4
        assert tweets[0] == Sentence(FACTUAL[0], 1, "tweets", 1)
        assert all(not t.text.endswith("\r") for t in tweets)


def test_claimbuster_fixture(tmp_path: Path) -> None:
    roots = write_datasets(tmp_path)
    cb = load_claimbuster(roots["claimbuster"])
    assert len(cb) == 40 and sum(s.label for s in cb) == 20
    assert cb[0] == Sentence(FACTUAL[0], 1, "claimbuster", 0)
    with pytest.raises(DataError, match="missing"):
        load_claimbuster(roots["claimbuster"], "3xNCS")
    (roots["claimbuster"] / "2xNCS.json").write_text(json.dumps([{"text": "x"}]))
    with pytest.raises(DataError, match="lacks"):
        load_claimbuster(roots["claimbuster"], "2xNCS")


def test_missing_and_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        load_checkthat19(tmp_path / "nope", "training")
    with pytest.raises(DataError, match="No CheckThat! 2019"):
        load_checkthat19(tmp_path, "test")
    with pytest.raises(DataError, match="split"):
        load_checkthat19(tmp_path, "dev")
    with pytest.raises(DataError, match="split"):
        load_checkthat20(tmp_path, "train")
    with pytest.raises(DataError, match="missing"):
        load_checkthat20(tmp_path, "test")
    with pytest.raises(DataError, match="variant"):
        load_claimbuster(tmp_path, "4xNCS")
    for err in (DataError("x"),):
        assert "\n" not in str(err)


@pytest.mark.slow
@pytest.mark.skipif(not CT19.is_dir(), reason="CheckThat! 2019 is not at ../shared/data")
def test_real_checkthat19_counts() -> None:
    train = load_checkthat19(CT19, "training")
    test = load_checkthat19(CT19, "test")
    assert (len(train), sum(s.label for s in train), len({s.group for s in train})) == (
        16421,
        440,
        19,
    )
    assert (len(test), sum(s.label for s in test), len({s.group for s in test})) == (7080, 136, 7)
    per = {g: (0, 0) for g in {s.group for s in test}}
    for s in test:
        n, p = per[s.group]
        per[s.group] = (n + 1, p + s.label)
    assert per["20151219_3_dem"] == (1388, 10)
    assert per["20190215_trump_emergency"] == (858, 21)
    assert all("\r" not in s.text for s in test)


@pytest.mark.slow
@pytest.mark.skipif(not CT20.is_dir(), reason="CheckThat! 2020 is not at ../shared/data")
def test_real_checkthat20_counts() -> None:
    counts = {}
    for split in ("training", "dev", "test"):
        tweets = load_checkthat20(CT20, split)
        counts[split] = (len(tweets), sum(t.label for t in tweets))
    assert counts == {"training": (672, 231), "dev": (150, 59), "test": (140, 60)}


@pytest.mark.slow
@pytest.mark.skipif(not CB.is_dir(), reason="ClaimBuster is not at ../shared/data")
def test_real_claimbuster_counts_and_overlap() -> None:
    expected = {"2xNCS": 8292, "2.5xNCS": 9674, "3xNCS": 11056}
    for variant, n in expected.items():
        cb = load_claimbuster(CB, variant)
        assert (len(cb), sum(s.label for s in cb)) == (n, 2764)
    if CT19.is_dir():
        ct = {normalise(s.text) for s in load_checkthat19(CT19, "training")}
        shared = {normalise(s.text) for s in load_claimbuster(CB, "3xNCS")} & ct
        assert len(shared) == 1042  # the READMEs' count of distinct shared (normalised) texts
