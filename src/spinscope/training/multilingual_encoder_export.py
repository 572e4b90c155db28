"""The restored multilingual encoder (``training.multilingual_encoder``) as the ONNX graph the
analysers run: fused BERT graph, int8 weights, tokenizer beside it; and e5's pooling."""

from __future__ import annotations

from pathlib import Path

from spinscope.training._common import SEQ, to_onnx
from spinscope.training.multilingual_encoder import TOKENIZER


def mean_pool(hidden, mask):
    """Mean of the token states under the attention mask (e5's pooling), L2-normalised."""
    import torch

    m = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1)
    return torch.nn.functional.normalize(pooled, dim=-1)


ONNX_FP32 = "encoder.fp32.onnx"


ONNX_INT8 = "encoder.int8.onnx"


def export_onnx(model_dir: Path, out_dir: Path, *, keep_fp32: bool = False) -> dict[str, Path]:
    """The encoder alone (inputs ``input_ids``, ``attention_mask``; output ``hidden``) as the
    fused BERT graph, int8 with dynamic per-channel weights, made the way every shipped model is
    (``training.export.fuse_and_quantize``). The tokenizer is copied beside it."""
    import shutil

    from transformers import BertModel

    from spinscope.training.export import fuse_and_quantize, with_fp32

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = BertModel.from_pretrained(
        str(model_dir), add_pooling_layer=False, attn_implementation="eager"
    ).eval()

    def graph(encoder, input_ids, attention_mask):
        return encoder(input_ids=input_ids, attention_mask=attention_mask)[0]

    raw = to_onnx(model, out_dir / "encoder.raw.onnx", {"hidden": SEQ}, graph, name="encoder")
    fp32, int8 = out_dir / ONNX_FP32, out_dir / ONNX_INT8
    fuse_and_quantize(raw, fp32, int8, model.config)
    shutil.copyfile(model_dir / TOKENIZER, out_dir / TOKENIZER)
    return with_fp32({"int8": int8, "tokenizer": out_dir / TOKENIZER}, fp32, keep_fp32)
