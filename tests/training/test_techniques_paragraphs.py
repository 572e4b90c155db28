"""The paragraph technique trainer: the joint logistic fit, and a tiny-slice training run that
writes a model the analyser loads."""

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("scipy")

from spinscope.analysis.technique_paragraphs import ParagraphTechniques  # noqa: E402
from spinscope.training import techniques_paragraphs as tp  # noqa: E402
from spinscope.training.tasks import TASKS  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def test_joint_fit_separates_labels_independently():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 5))
    y = np.stack([x[:, 0] > 0, x[:, 1] < -0.5, np.zeros(600, bool)], 1).astype(np.int8)
    w, b = tp.fit_heads(x, y, c=10.0)
    pred = (x @ w + b) > 0
    assert (pred[:, 0] == y[:, 0]).mean() > 0.95
    assert (pred[:, 1] == y[:, 1]).mean() > 0.95
    assert not pred[:, 2].any()  # a label never seen is never predicted
    assert abs(w[0, 0]) > abs(w[2, 0])  # label 0 reads feature 0, not feature 2


def test_micro_f1_counts_pairs():
    y = np.array([[1, 0], [1, 1]], np.int8)
    assert tp.micro_f1(y, y) == 1.0
    assert tp.micro_f1(y, np.zeros_like(y)) == 0.0
    assert tp.micro_f1(y, np.array([[1, 0], [0, 0]], np.int8)) == pytest.approx(2 / 4)


def test_is_a_training_task():
    assert "techniques-paragraphs" in TASKS


def test_lexical_buckets_must_be_a_power_of_two(tmp_path):
    from spinscope.errors import ConfigError
    from spinscope.training.tasks import train_techniques_paragraphs

    with pytest.raises(ConfigError, match="power of two"):
        train_techniques_paragraphs(out=tmp_path, data=tmp_path, param=["buckets=1000"])
    with pytest.raises(ConfigError, match="Unknown setting 'bucket'"):
        train_techniques_paragraphs(out=tmp_path, data=tmp_path, param=["bucket=1024"])


HAVE_DATA = (DATA / "semeval2023-task3" / "fr").is_dir() and (
    DATA / "ptc-semeval2020-task11"
).is_dir()


@pytest.mark.skipif(
    not HAVE_DATA,
    reason="SemEval-2023 Task 3 / PTC data not available (../shared/data)",
)
def test_tiny_slice_trains_a_loadable_model(tmp_path):
    card = tp.train(out=tmp_path / "m", data=DATA, limit=12, cache=tmp_path / "f")
    assert (tmp_path / "m" / "paragraphs.npz").is_file()
    assert card["labels"] and all(0.0 < t < 1.0 for t in card["label_thresholds"].values())
    assert set(card["dev_micro_f1"]) == {"pooled", "EN", "FR", "DE", "IT", "PL", "RU"}
    assert card["lexical"]["alpha"] == tp.LEXICAL[2]  # the lexical heads ship by default
    with np.load(tmp_path / "m" / "paragraphs.npz") as z:
        assert z["lex_w8"].dtype == np.int8 and z["lex_w8"].shape == (tp.LEXICAL[0], 23)
        assert z["lex_idf"].dtype == np.float16
    model = ParagraphTechniques(model_dir=str(tmp_path / "m"))
    probs = model.score_paragraphs([["Ce gouvernement corrompu ment au peuple.", "Une autre."]])
    assert probs[0].shape == (2, 23)
    assert ((probs[0] > 0) & (probs[0] < 1)).all()
