"""How far two check-worthiness models agree on every ClaimBuster sentence (claimbuster head,
threshold 0.5): used to check the shipped model after it began sharing the tagger's word
embeddings. Usage: python bench/checkworthy_agreement.py OLD_MODEL_DIR NEW_MODEL_DIR [DATA_DIR]
(an older model folder: `git show REV:src/spinscope/models/checkworthy/FILE` for card.json,
tokenizer.json and classifier.int8.onnx)."""

import sys

import numpy as np

from spinscope.analysis.checkworthy import CheckworthinessScorer
from spinscope.corpora.checkworthy import load_claimbuster

old_dir, new_dir = sys.argv[1], sys.argv[2]
data = sys.argv[3] if len(sys.argv) > 3 else "../shared/data"
texts = [s.text for s in load_claimbuster(f"{data}/claimbuster")]
old, new = (CheckworthinessScorer(d).score(texts)[:, 0] for d in (old_dir, new_dir))
a, b = old >= 0.5, new >= 0.5
f1 = 2 * (a & b).sum() / (a.sum() + b.sum())
print(
    f"n={len(texts)} same side of 0.5: {(a == b).mean():.4f}; F1 of new against old decisions "
    f"{f1:.4f}; mean |diff| {np.abs(old - new).mean():.4f}"
)
