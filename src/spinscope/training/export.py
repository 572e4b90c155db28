"""Export a trained tagger to the files spinscope ships: ONNX (fp32 and int8), heads, tokenizer.

The int8 model is the fused BERT graph from onnxruntime's optimizer, quantised dynamically with
per-channel weights (per-tensor int8 visibly hurts fidelity on MiniLM; see MODELS.md).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

from spinscope.analysis.multilingual_tagger import fuse_and_quantize  # noqa: F401 -- shared
from spinscope.training._common import SEQ, to_onnx

MODEL_FP32 = "tagger.fp32.onnx"
MODEL_INT8 = "tagger.int8.onnx"
HEADS = "span_heads.npz"
TOKENIZER = "tokenizer.json"


def load_checkpoint(checkpoint: Path, base_path: str):
    import torch

    from spinscope.training.techniques import make_model

    model = make_model(base_path)
    model.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    model.eval()
    return model


def export_onnx(model, out_dir: Path, *, keep_fp32: bool = True) -> dict[str, Path]:
    """Write the fp32 and int8 ONNX graphs (inputs: input_ids, attention_mask; outputs: probs,
    hidden) and the span heads as NumPy arrays."""
    import torch

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    def graph(tagger, input_ids, attention_mask):
        logits, hidden = tagger(input_ids, attention_mask)
        return torch.sigmoid(logits), hidden

    raw = to_onnx(
        model, out_dir / "tagger.raw.onnx", {"probs": SEQ, "hidden": SEQ}, graph, name="tagger"
    )
    fp32, int8 = out_dir / MODEL_FP32, out_dir / MODEL_INT8
    fuse_and_quantize(raw, fp32, int8, model.encoder.config)
    heads = {
        k: v.detach().cpu().numpy().astype(np.float32)
        for k, v in model.span_heads.state_dict().items()
    }
    np.savez(out_dir / HEADS, **heads)
    return with_fp32({"int8": int8, "heads": out_dir / HEADS}, fp32, keep_fp32)


def with_fp32(paths: dict[str, Path], fp32: Path, keep_fp32: bool) -> dict[str, Path]:
    """The paths an export wrote, with the fp32 graph last where it is kept; removed otherwise
    (only the int8 graph ships)."""
    if keep_fp32:
        paths["fp32"] = fp32
    else:
        fp32.unlink()
    return paths


def copy_tokenizer(base_path: str, out_dir: Path) -> Path:
    dst = Path(out_dir) / TOKENIZER
    shutil.copyfile(Path(base_path) / TOKENIZER, dst)
    return dst


WORD_EMBEDDINGS = "word_embeddings.weight"


def _table_of(model) -> dict:
    """The int8 word-embedding table's initializers (``_quantized``, ``_scale``,
    ``_zero_point``) of an ONNX model."""
    found = {
        i.name.split(WORD_EMBEDDINGS)[1]: i
        for i in model.graph.initializer
        if WORD_EMBEDDINGS in i.name
    }
    if set(found) != {"_quantized", "_scale", "_zero_point"}:
        raise ValueError("not an int8 MiniLM graph (word-embedding table not found)")
    return found


def _table_array(path: Path, tensor) -> np.ndarray:
    """An initializer's values, read from the shared table where it is stored outside."""
    import onnx
    from onnx import numpy_helper

    from spinscope.analysis import encoder

    if tensor.data_location != onnx.TensorProto.EXTERNAL:
        return numpy_helper.to_array(tensor)
    entry = json.loads(encoder.shared_sidecar(path).read_text())["initializers"][tensor.name]
    return np.load(encoder.shared_sidecar(path).parent / entry["file"])


def share_word_embeddings(
    source: Path, targets: list[Path], table: Path
) -> dict[str, float | None]:
    """Make int8 models read one word-embedding table, stored once in ``table`` (``.npy``).

    Three MiniLM models with a 30522 x 384 table each (11.7 MB int8 apiece) do not fit the
    60 MB budget; sharing one saves two. The table (with its scale and zero point) is taken from
    ``source`` and written into every model in ``targets`` as an external initializer, listed in
    the model's sidecar (``encoder.shared_sidecar``) with the table's sha256. A target whose own
    table differed (a separately fine-tuned model) now uses the source's: measure it again.
    Returns, per target, the share of table entries that changed (None: it was shared already).
    """
    import onnx
    from onnx import numpy_helper

    from spinscope.analysis import encoder

    src = _table_of(onnx.load(str(source), load_external_data=False))
    values = {k: _table_array(Path(source), v) for k, v in src.items()}
    table = Path(table)
    table.parent.mkdir(parents=True, exist_ok=True)
    np.save(table, np.ascontiguousarray(values["_quantized"]))
    offset = table.stat().st_size - values["_quantized"].nbytes  # the .npy header
    sha = encoder.file_sha256(table)
    changed = {}
    for target in map(Path, targets):
        model = onnx.load(str(target), load_external_data=False)
        own = _table_of(model)
        old = numpy_helper.to_array(own["_quantized"]) if own["_quantized"].raw_data else None
        changed[target.name] = (
            float(np.mean(old != values["_quantized"])) if old is not None else None
        )
        for key in ("_scale", "_zero_point"):
            own[key].CopyFrom(numpy_helper.from_array(values[key], own[key].name))
        init = own["_quantized"]
        init.ClearField("raw_data")
        init.ClearField("external_data")
        init.dims[:] = values["_quantized"].shape
        init.data_type = onnx.helper.np_dtype_to_tensor_dtype(values["_quantized"].dtype)
        init.data_location = onnx.TensorProto.EXTERNAL
        rel = Path(os.path.relpath(table, target.parent)).as_posix()
        for key, value in (
            ("location", rel),
            ("offset", offset),
            ("length", values["_quantized"].nbytes),
        ):
            entry = init.external_data.add()
            entry.key, entry.value = key, str(value)
        onnx.save(model, str(target))
        encoder.shared_sidecar(target).write_text(
            json.dumps({"initializers": {init.name: {"file": rel, "sha256": sha}}}, indent=1)
            + "\n",
            encoding="utf-8",
        )
    return changed


def int8_word_embeddings(path: Path) -> np.ndarray:
    """The dequantised word-embedding table (float32) of an int8 MiniLM graph, shared or not."""
    import onnx
    from onnx import numpy_helper

    from spinscope.analysis import encoder

    model = onnx.load(str(path), load_external_data=False)
    parts = {i.name.split(WORD_EMBEDDINGS)[1]: i for i in model.graph.initializer
             if WORD_EMBEDDINGS in i.name}  # fmt: skip
    q = parts["_quantized"]
    if q.data_location == onnx.TensorProto.EXTERNAL:
        entry = json.loads(encoder.shared_sidecar(path).read_text())["initializers"][q.name]
        table = np.load(encoder.shared_sidecar(path).parent / entry["file"])
    else:
        table = numpy_helper.to_array(q)
    scale = float(numpy_helper.to_array(parts["_scale"]))
    zero = float(numpy_helper.to_array(parts["_zero_point"]))
    return ((table.astype(np.float32) - zero) * scale).astype(np.float32)
