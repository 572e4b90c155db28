"""A tagger can start from the shipped word-embedding table and keep it frozen, so that it can
share that table with the other shipped models."""

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch", reason="needs the [train] extra")

from spinscope.training._common import base_model_path  # noqa: E402
from spinscope.training.export import int8_word_embeddings  # noqa: E402
from spinscope.training.techniques import freeze_word_embeddings, make_model  # noqa: E402

SHIPPED = Path(__file__).resolve().parents[2] / "src/spinscope/models/techniques/tagger.int8.onnx"


def test_freezing_the_shipped_table():
    table = int8_word_embeddings(SHIPPED)
    assert table.shape == (30522, 384) and table.dtype == np.float32
    model = make_model(base_model_path())
    freeze_word_embeddings(model, SHIPPED)
    weight = model.encoder.embeddings.word_embeddings.weight
    assert not weight.requires_grad
    np.testing.assert_array_equal(weight.detach().numpy(), table)
