"""The accurate tagger's build pieces, on stand-ins (the real base model is 438 MB of PyPI parts):
joining the parts, composing encoder + head, MPNet's special ids, and the one-line errors."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from spinscope.analysis import encoder
from spinscope.cli.main import main
from spinscope.errors import ModelError
from spinscope.training import techniques_accurate as ta


def test_special_ids_replace_berts():
    enc = encoder.Encoded(np.array([7, 8, 9]), np.array([[0, 1], [2, 3], [4, 5]]))
    wins = [encoder.Window(0, 3), encoder.Window(1, 2)]
    ids, mask = encoder.batch_inputs(enc, wins, ta.SPECIAL_IDS)
    assert ids.tolist() == [[0, 7, 8, 9, 2], [0, 8, 2, 1, 1]]
    assert mask.tolist() == [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]
    bert, _ = encoder.batch_inputs(enc, wins)
    assert bert.tolist() == [[101, 7, 8, 9, 102], [101, 8, 102, 0, 0]]


def _zip_parts(tmp_path, files: dict[str, bytes], n: int = 5) -> list:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    blob = buf.getvalue()
    step = -(-len(blob) // n)
    parts = []
    for k in range(n):
        path = tmp_path / f"all-mpnet-base-v2.zip.00{k + 1}"
        path.write_bytes(blob[k * step : (k + 1) * step])
        parts.append(path)
    return parts


def test_parts_join_in_order(tmp_path):
    payload = bytes(range(256)) * 400
    parts = _zip_parts(tmp_path, {"all-mpnet-base-v2/model.safetensors": payload,
                                  "all-mpnet-base-v2/tokenizer.json": b"{}"})  # fmt: skip
    folder = ta.base_from_parts(tmp_path / "out", parts)
    assert (folder / "model.safetensors").read_bytes() == payload
    assert not (tmp_path / "out" / "all-mpnet-base-v2.zip").exists()  # the joined copy is gone


def test_parts_out_of_order_fail_in_one_line(tmp_path):
    parts = _zip_parts(tmp_path, {"all-mpnet-base-v2/model.safetensors": b"x" * 5000})
    with pytest.raises(ModelError, match="do not join"):
        ta.base_from_parts(tmp_path / "out", parts[::-1])


def test_missing_parts_name_the_extra(monkeypatch):
    monkeypatch.setattr(ta, "PARTS", ("spinscope-no-such-part-001",))
    with pytest.raises(ModelError, match=r"pip install 'spinscope\[accurate\]'"):
        ta.part_files()


def test_unbuilt_accurate_model_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SPINSCOPE_HOME", str(tmp_path))
    sample = tmp_path / "a.txt"
    sample.write_text("The minister said the plan was a disgrace.", encoding="utf-8")
    code = main(["analyze", str(sample), "--quiet", "--set", "techniques.model=accurate"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 3  # the README's exit code for a missing model
    assert len(err) == 1 and "spinscope build-accurate" in err[0], err


def test_compose_appends_the_head(tmp_path):
    """A stand-in encoder (an embedding lookup of 1,536 numbers) + a random head: the composed
    graph's probabilities are the head's, computed here in NumPy."""
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxruntime.quantization")
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    table = rng.normal(size=(20, ta.FEATURES)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["feats"], axis=0, name="embed"),
         helper.make_node("Identity", ["attention_mask"], ["unused"], name="mask")],
        "stand_in",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "s"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "s"])],
        [helper.make_tensor_value_info("feats", TensorProto.FLOAT, ["b", "s", ta.FEATURES])],
        [numpy_helper.from_array(table, "table")],
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    encoder = tmp_path / "encoder.fp32.onnx"
    onnx.save(model, str(encoder))
    head = {
        "ln_w": rng.normal(1, 0.1, ta.FEATURES), "ln_b": rng.normal(0, 0.1, ta.FEATURES),
        "w1": rng.normal(0, 0.05, (ta.FEATURES, 16)), "b1": rng.normal(0, 0.1, 16),
        "w2": rng.normal(0, 0.3, (16, 38)), "b2": rng.normal(0, 0.1, 38),
    }  # fmt: skip
    path = ta.compose(encoder, head, tmp_path / "model")
    ids = np.array([[1, 5, 7, 2]], dtype=np.int64)
    probs, hidden = ort.InferenceSession(str(path)).run(
        None, {"input_ids": ids, "attention_mask": np.ones_like(ids)}
    )
    x = table[ids[0]]
    x = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5)
    x = x * head["ln_w"] + head["ln_b"]
    h = x @ head["w1"] + head["b1"]
    from math import erf

    h = h * 0.5 * (1 + np.vectorize(erf)(h / np.sqrt(2)))
    want = 1 / (1 + np.exp(-(h @ head["w2"] + head["b2"])))
    assert probs.shape == (1, 4, 38) and hidden.shape == (1, 4, ta.FEATURES)
    assert np.abs(probs[0] - want).max() < 1e-4
    assert not (tmp_path / "model" / "tagger.fp32.onnx").exists()


def test_the_shipped_head_fits_the_encoder_and_the_channels():
    from spinscope.analysis.spans import CHANNELS

    head, card = ta.load_head()
    assert head["ln_w"].shape == (ta.FEATURES,) and head["w1"].shape[0] == ta.FEATURES
    assert head["w2"].shape == (head["w1"].shape[1], len(CHANNELS))
    assert all(np.isfinite(v).all() for v in head.values())
    assert card["name"] == "spinscope-techniques-mpnet-accurate" and card["version"]


def test_a_built_tagger_reads_mpnet_ids_and_the_shipped_classifier(tmp_path, monkeypatch):
    """Where `spinscope build-accurate` has run (not in CI: it needs 470 MB of PyPI parts), the
    accurate tagger finds spans on the state-media column's kind of wording."""
    from spinscope.analysis.techniques import (
        SPAN_CLASSIFIER,
        TechniqueTagger,
        accurate_model_dir,
        shipped_model_dir,
    )

    folder = accurate_model_dir()
    if not (folder / "tagger.int8.onnx").exists():
        pytest.skip(f"the accurate tagger is not built in {folder} (spinscope build-accurate)")
    tagger = TechniqueTagger(model_dir=folder)
    assert tagger.card["special_ids"] == ta.SPECIAL_IDS
    assert tagger.labeller_dir == shipped_model_dir()
    assert (tagger.labeller_dir / SPAN_CLASSIFIER).exists()
    (scores,) = tagger.scores(["Western media spread false propaganda about our steadfast allies."])
    assert scores.probs.shape[1] == 38 and len(scores.probs) == len(scores.enc.ids)
    assert 0.0 <= scores.probs.min() and scores.probs.max() <= 1.0
