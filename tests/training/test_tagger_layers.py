"""The tagger graph with intermediate layers as outputs keeps its technique outputs unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from spinscope.analysis import encoder
from spinscope.analysis.techniques import TechniqueTagger, shipped_model_dir

pytest.importorskip("onnx", reason="the onnx package (the [train] extra) is not installed")


def test_layer_outputs_leave_probs_and_hidden_bit_identical(tmp_path):
    from spinscope.training.tagger_layers import add_layer_outputs

    source = shipped_model_dir() / "tagger.int8.onnx"
    path = add_layer_outputs(source, tmp_path / "tagger.int8.onnx", (1, 3))
    edited, shipped = encoder.session(str(path)), TechniqueTagger()._session
    assert [o.name for o in edited.get_outputs()] == ["probs", "hidden", "layer1", "layer3"]
    tok = TechniqueTagger()._tokenizer
    texts = ["Only a fool would believe the crooked elites.", "Taxes rose by 12% in 2019."]
    encs = [encoder.encode(tok, t).ids.tolist() for t in texts]
    width = max(len(e) for e in encs) + 2
    ids = np.zeros((2, width), np.int64)
    mask = np.zeros_like(ids)
    for r, e in enumerate(encs):
        ids[r, : len(e) + 2] = [encoder.CLS_ID, *e, encoder.SEP_ID]
        mask[r, : len(e) + 2] = 1
    feed = {"input_ids": ids, "attention_mask": mask}
    new, old = edited.run(None, feed), shipped.run(None, feed)
    assert np.array_equal(new[0], old[0]) and np.array_equal(new[1], old[1])
    assert new[2].shape == new[3].shape == old[1].shape
    assert not np.array_equal(new[3], old[1])


def test_not_a_tagger_graph_is_refused(tmp_path):
    from spinscope.errors import ModelError
    from spinscope.training.tagger_layers import add_layer_outputs

    with pytest.raises(ModelError, match="not the MiniLM tagger"):
        add_layer_outputs(shipped_model_dir() / "tagger.int8.onnx", tmp_path / "x.onnx", (9,))
