"""Issue 18, step 1: the technique tagger's ONNX graph with its intermediate encoder layers as
extra outputs, so that other heads (check-worthiness) can read the tagger's pass.

The shipped graph (``models/techniques/tagger.int8.onnx``) already outputs ``probs`` and
``hidden`` (the last layer). :func:`add_layer_outputs` appends the outputs of earlier layers
(``/tagger/encoder/encoder/layer.{k}/output/LayerNorm/LayerNormalization_output_0``, the fused
SkipLayerNormalization after each layer's feed-forward block) as ``layer{k}``; nothing else in
the graph changes, so ``probs`` and ``hidden`` stay bit-identical (checked by
``tests/training/test_tagger_layers.py``). Needs the ``onnx`` package (the [train] extra).
"""

from __future__ import annotations

import json
from pathlib import Path

from spinscope.analysis import encoder
from spinscope.errors import ModelError

LAYER_TENSOR = "/tagger/encoder/encoder/layer.{k}/output/LayerNorm/LayerNormalization_output_0"


def add_layer_outputs(source: str | Path, out: str | Path, layers: tuple[int, ...]) -> Path:
    """Write ``source`` with the outputs of encoder ``layers`` (0-based) added as ``layer{k}``
    to ``out``; its shared-tensor sidecar is written beside it, pointing at the same files."""
    import onnx

    source, out = Path(source), Path(out)
    model = onnx.load(str(source), load_external_data=False)
    produced = {o for node in model.graph.node for o in node.output}
    for k in layers:
        name = LAYER_TENSOR.format(k=k)
        if name not in produced:
            raise ModelError(f"{source} has no tensor {name}: not the MiniLM tagger graph.")
        model.graph.node.append(onnx.helper.make_node("Identity", [name], [f"layer{k}"]))
        model.graph.output.append(
            onnx.helper.make_tensor_value_info(f"layer{k}", onnx.TensorProto.FLOAT, None)
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(out))
    sidecar = encoder.shared_sidecar(source)
    if sidecar.exists():
        spec = json.loads(sidecar.read_text(encoding="utf-8"))
        for entry in spec["initializers"].values():
            entry["file"] = str((sidecar.parent / entry["file"]).resolve())
        encoder.shared_sidecar(out).write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return out
