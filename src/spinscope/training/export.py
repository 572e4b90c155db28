"""Export a trained tagger to the files spinscope ships: ONNX (fp32 and int8), heads, tokenizer.

The int8 model is the fused BERT graph from onnxruntime's optimizer, quantised dynamically with
per-channel weights (per-tensor int8 visibly hurts fidelity on MiniLM; see MODELS.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

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

    class Graph(torch.nn.Module):
        def __init__(self, tagger) -> None:
            super().__init__()
            self.tagger = tagger

        def forward(self, input_ids, attention_mask):
            logits, hidden = self.tagger(input_ids, attention_mask)
            return torch.sigmoid(logits), hidden

    raw = out_dir / "tagger.raw.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        Graph(model).eval(),
        (ids, mask),
        str(raw),
        input_names=["input_ids", "attention_mask"],
        output_names=["probs", "hidden"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            "probs": {0: "batch", 1: "seq"},
            "hidden": {0: "batch", 1: "seq"},
        },
        opset_version=17,
        dynamo=False,
    )
    fp32, int8 = out_dir / MODEL_FP32, out_dir / MODEL_INT8
    fuse_and_quantize(raw, fp32, int8, model.encoder.config)
    heads = {
        k: v.detach().cpu().numpy().astype(np.float32)
        for k, v in model.span_heads.state_dict().items()
    }
    np.savez(out_dir / HEADS, **heads)
    paths = {"int8": int8, "heads": out_dir / HEADS}
    if keep_fp32:
        paths["fp32"] = fp32
    else:
        fp32.unlink()
    return paths


def fuse_and_quantize(raw: Path, fp32: Path, int8: Path, encoder_config) -> None:
    """The raw ONNX export of a MiniLM-based model -> the fused BERT graph (``fp32``) -> int8 with
    dynamic per-channel weight quantisation (``int8``); ``raw`` is removed. Shared by every model
    spinscope ships, so they are all made the same way."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    fused = optimize_model(
        str(raw),
        model_type="bert",
        num_heads=encoder_config.num_attention_heads,
        hidden_size=encoder_config.hidden_size,
    )
    fused.save_model_to_file(str(fp32))
    Path(raw).unlink()
    quantize_dynamic(
        str(fp32),
        str(int8),
        per_channel=True,
        weight_type=QuantType.QInt8,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def warmup_linear(optimizer, total_steps: int, warmup: float):
    """Learning rate: linear warm-up over ``warmup`` of the steps, then linear decay to zero."""
    import torch

    warm = max(1, int(warmup * total_steps))
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: min((s + 1) / warm, max(0.0, (total_steps - s) / max(1, total_steps - warm))),
    )


def copy_tokenizer(base_path: str, out_dir: Path) -> Path:
    dst = Path(out_dir) / TOKENIZER
    shutil.copyfile(Path(base_path) / TOKENIZER, dst)
    return dst
