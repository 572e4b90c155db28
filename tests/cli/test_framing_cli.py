"""Genre and frames from the command line: eval (cross-validation), predict, train, analyze."""

import json
from pathlib import Path

import pytest

from spinscope.analysis.framing import shipped_model_dir
from spinscope.cli.main import EXIT_MODEL, main

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sample-article.txt"


def test_eval_without_data(capsys, tmp_path):
    assert main(["eval", "semeval23-st2", "--data", str(tmp_path)]) == EXIT_MODEL
    assert "SemEval-2023 Task 3 not found" in capsys.readouterr().err


@pytest.mark.skipif(not (shipped_model_dir() / "card.json").exists(), reason="no framing model")
def test_predict_writes_the_official_formats(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article7.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "article9.txt").write_text("Title\n\nThe army shelled the town again.\n")
    for task, out in (("semeval23-st1", "st1.txt"), ("semeval23-st2", "st2.txt")):
        assert main(["predict", task, str(folder), "--out", str(tmp_path / out)]) == 0
    st1 = (tmp_path / "st1.txt").read_text().splitlines()
    assert [line.split("\t")[0] for line in st1] == ["7", "9"]
    assert all(line.split("\t")[1] in ("opinion", "reporting", "satire") for line in st1)
    st2 = [line.split("\t") for line in (tmp_path / "st2.txt").read_text().splitlines()]
    assert [row[0] for row in st2] == ["7", "9"] and all(len(row) == 2 for row in st2)


@pytest.mark.skipif(not (shipped_model_dir() / "card.json").exists(), reason="no framing model")
def test_analyze_json_has_labels_with_evidence(tmp_path):
    out = tmp_path / "r.json"
    assert main(["analyze", str(SAMPLE), "--json", str(out), "--quiet"]) == 0
    data = json.loads(out.read_text())
    text = data["document"]["text"]
    assert data["labels"] and data["labels"][0]["task"] == "genre"
    for label in data["labels"]:
        for e in label["evidence"]:
            assert text[e["start"] : e["end"]] == e["text"]


@pytest.mark.train
@pytest.mark.skipif(not (DATA / "semeval2023-task3").is_dir(), reason="no SemEval-2023 data")
def test_eval_and_train(tmp_path, capsys):
    pytest.importorskip("sklearn")
    assert main(["eval", "semeval23-st2", "--data", str(DATA), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["articles"] == 433 and result["frames_micro_f1"] > 0.55
    assert main(["train", "framing", "--data", str(DATA), "--out", str(tmp_path / "m")]) == 0
    assert (tmp_path / "m" / "framing.npz").exists()


@pytest.mark.skipif(not (shipped_model_dir() / "card.json").exists(), reason="no framing model")
def test_predict_semeval25_format(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "EN_UA_1.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "EN_CC_2.txt").write_text("Climate activists are hypocrites who fly to summits.\n")
    assert main(["predict", "semeval25-st2", str(folder), "--out", str(tmp_path / "o.txt")]) == 0
    rows = [line.split("\t") for line in (tmp_path / "o.txt").read_text().splitlines()]
    assert [r[0] for r in rows] == ["EN_CC_2.txt", "EN_UA_1.txt"]
    for _, narrs, subs in rows:
        assert (narrs == "Other") == (subs == "Other")
        for sub in subs.split(";"):
            assert sub == "Other" or any(sub.startswith(n + ": ") for n in narrs.split(";"))


@pytest.mark.train
@pytest.mark.skipif(not (DATA / "semeval2025-task10").is_dir(), reason="no SemEval-2025 data")
def test_eval_semeval25(capsys):
    pytest.importorskip("sklearn")
    assert main(["eval", "semeval25-st2", "--data", str(DATA), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["documents"] == 41 and result["f1_fine"] > 0.25 and result["f1_coarse"] > 0.35


@pytest.mark.train
@pytest.mark.skipif(not (DATA / "semeval2025-task10").is_dir(), reason="no SemEval-2025 data")
def test_eval_entity_roles(capsys):
    pytest.importorskip("sklearn")
    assert main(["eval", "semeval25-st1", "--data", str(DATA), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["mentions"] == 91 and 0.1 < result["emr"] < 1
    assert 0.5 < result["main_role_accuracy"] <= 1
