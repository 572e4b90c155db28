"""The shipped models stay within their size budget by sharing one word-embedding table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import spinscope
from spinscope.analysis import encoder
from spinscope.errors import ModelError

MODELS = Path(spinscope.__file__).parent / "models"
BUDGET_BYTES = 60_000_000  # issue #2: all shipped model files together under 60 MB


def test_shipped_models_fit_the_budget():
    total = sum(p.stat().st_size for p in MODELS.rglob("*") if p.is_file())
    assert total < BUDGET_BYTES, f"shipped models are {total / 1e6:.1f} MB"


def test_every_sidecar_names_an_existing_table_with_its_checksum():
    sidecars = sorted(MODELS.rglob(f"*{encoder.SHARED_SUFFIX}"))
    assert len(sidecars) == 3  # tagger, span classifier, check-worthiness model
    for sidecar in sidecars:
        for entry in json.loads(sidecar.read_text())["initializers"].values():
            table = sidecar.parent / entry["file"]
            assert table.resolve().parent == (MODELS / "shared").resolve()
            assert encoder.file_sha256(table) == entry["sha256"]


@pytest.fixture
def copied(tmp_path):
    """A copy of the span classifier and the shared table, laid out as shipped."""
    (tmp_path / "techniques").mkdir()
    for name in ("span_classifier.int8.onnx", "span_classifier.int8.shared.json"):
        shutil.copy(MODELS / "techniques" / name, tmp_path / "techniques" / name)
    shutil.copytree(MODELS / "shared", tmp_path / "shared")
    return tmp_path / "techniques" / "span_classifier.int8.onnx"


def test_a_model_with_a_shared_table_runs(copied):
    sess = encoder.session(str(copied))
    ids = np.array([[101, 2023, 2003, 1037, 3231, 102]], dtype=np.int64)
    feed = {
        "input_ids": ids,
        "attention_mask": np.ones_like(ids),
        "token_type_ids": np.zeros_like(ids),
    }
    out = sess.run(None, feed)[0]
    assert np.isfinite(out).all()


def test_a_missing_shared_table_is_a_clear_error(copied):
    shutil.rmtree(copied.parent.parent / "shared")
    encoder._shared_tensor.cache_clear()
    with pytest.raises(ModelError, match="missing"):
        encoder.session(str(copied))


def test_a_changed_shared_table_is_refused(copied):
    table = copied.parent.parent / "shared" / "word_embeddings.npy"
    data = np.load(table)
    data[0, 0] ^= 1
    np.save(table, data)
    encoder._shared_tensor.cache_clear()
    with pytest.raises(ModelError, match="does not match"):
        encoder.session(str(copied))


def test_sharing_a_table_keeps_a_model_that_already_had_it_unchanged(copied, tmp_path):
    pytest.importorskip("onnx", reason="needs the [train] extra")
    from spinscope.training.export import share_word_embeddings

    ids = np.array([[101, 7592, 2088, 102]], dtype=np.int64)
    feed = {
        "input_ids": ids,
        "attention_mask": np.ones_like(ids),
        "token_type_ids": np.zeros_like(ids),
    }
    before = encoder.session(str(copied)).run(None, feed)[0]
    table = tmp_path / "elsewhere" / "table.npy"
    changed = share_word_embeddings(copied, [copied], table)
    assert changed == {copied.name: None}  # its table was already external
    spec = json.loads(encoder.shared_sidecar(copied).read_text())["initializers"]
    assert [e["file"] for e in spec.values()] == ["../elsewhere/table.npy"]
    encoder._shared_tensor.cache_clear()
    after = encoder.session(str(copied)).run(None, feed)[0]
    np.testing.assert_array_equal(before, after)


def test_models_in_different_folders_read_the_shared_table_once(copied):
    other = copied.parent.parent / "checkworthy"
    other.mkdir()
    for name in ("span_classifier.int8.onnx", "span_classifier.int8.shared.json"):
        shutil.copy(copied.parent / name, other / name)
    encoder._shared_tensor.cache_clear()
    encoder.session(str(copied))
    encoder.session(str(other / "span_classifier.int8.onnx"))
    # "techniques/../shared/x.npy" and "checkworthy/../shared/x.npy" are one file: one copy
    assert encoder._shared_tensor.cache_info().currsize == 1
