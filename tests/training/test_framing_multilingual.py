"""Prior-shift correction and the English shifted-mix split of the multilingual framing trainer."""

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")

from spinscope.training import framing_multilingual as fm  # noqa: E402
from spinscope.training.tasks import TASKS  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "semeval2023-task3"


def test_em_recovers_a_shifted_class_mix():
    """Posteriors of a uniform-prior model on a batch drawn 70/20/10: EM finds that mix."""
    rng = np.random.default_rng(0)
    true = np.array([0.7, 0.2, 0.1])
    y = rng.choice(3, 4000, p=true)
    x = rng.normal(size=4000) + 2.0 * y  # one feature; class means 0, 2, 4
    lik = np.exp(-0.5 * (x[:, None] - 2.0 * np.arange(3)) ** 2)
    posterior = lik / lik.sum(1, keepdims=True)  # exact posterior under a uniform prior
    prior, q = fm.em_priors(posterior)
    assert np.abs(prior - true).max() < 0.03
    assert np.allclose(q.sum(1), 1.0)


def test_genre_scores_states_the_mix():
    p = np.array([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]])
    out = fm.genre_scores(["opinion", "reporting", "opinion"], p)
    assert out["mix"] == {"opinion": 0.667, "reporting": 0.333, "satire": 0.0}
    assert 0 < out["macro_f1"] < 1


def test_framing_is_a_training_task():
    assert "framing" in TASKS


@pytest.mark.skipif(not (DATA / "en").is_dir(), reason="SemEval-2023 Task 3 data not available")
def test_en_shifted_split_mix():
    ids, _, genres = fm.split_data(DATA, "EN", "train", 1)
    held = fm.en_shifted_ids(ids, genres)
    by_genre = {g: sum(1 for i, x in zip(ids, genres, strict=True) if i in held and x == g)
                for g in ("opinion", "reporting", "satire")}  # fmt: skip
    assert by_genre == {"opinion": 20, "reporting": 20, "satire": 5}


def test_train_framing_without_data_is_one_line(tmp_path, capsys):
    from spinscope.cli.main import main

    code = main(["train", "framing", "--data", str(tmp_path), "--out", str(tmp_path / "m")])
    err = capsys.readouterr().err
    assert code != 0 and "semeval2023-task3 not found" in err and "Traceback" not in err
