"""Issue 15, roles main-role accuracy: does reading more of the article than the mention's own
sentence help? Compares, on SemEval-2025 ST1 English (given mentions), the features
"sentence+mention" (static model2vec vectors of the mention's sentence and the mention) with those
plus
(a) the mean of the vectors of every sentence in which the same entity is named (the shared
mention finder's key: "Putin" joins "Vladimir Putin") and (b) the article's mean sentence vector.
C and the minority threshold are chosen by 5-fold grouped CV on train, as the shipped trainer
does; dev is scored once per feature set. Needs scikit-learn.

The shipped model uses the mention vector alone (its CV chose that); see roles_multilingual.py
for that recipe re-run.

Usage: python bench/roles_context.py [DATA_DIR]"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from spinscope.analysis import mentions as finder
from spinscope.analysis._embed import load_embedder
from spinscope.analysis.role_entities import mention_features
from spinscope.analysis.roles import MAINS, main_roles
from spinscope.analysis.span_geometry import sentence_starts
from spinscope.corpora.semeval25 import load_entity_roles, read_documents
from spinscope.training.entity_roles import CS, MINORITY, cv_folds, fit, out_of_fold


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def context(texts: dict[str, str], ms, emb) -> np.ndarray:
    """Per mention: the mean vector of the sentences naming its entity, and the article's mean."""
    cache: dict[str, tuple] = {}
    rows = []
    for m in ms:
        t = texts[m.doc_id]
        if m.doc_id not in cache:
            starts = [*sentence_starts(t), len(t)]
            spans = [(a, b) for a, b in zip(starts, starts[1:], strict=False) if t[a:b].strip()]
            vecs = unit(np.asarray(emb.encode([t[a:b] for a, b in spans]), dtype=np.float64))
            names = finder.find(t)
            cache[m.doc_id] = (starts, spans, vecs, names)
        starts, spans, vecs, names = cache[m.doc_id]
        key = finder.key(m.text)
        where = [n.start for n in names if n.key == key] + [m.start]
        idx = sorted({max(int(np.searchsorted([a for a, _ in spans], s, side="right")) - 1, 0)
                      for s in where})  # fmt: skip
        rows.append(np.hstack([unit(vecs[idx].mean(0)), unit(vecs.mean(0))]))
    return np.asarray(rows)


def main(root: Path) -> None:
    emb = load_embedder()
    tr_texts = read_documents(root, "EN", "train", 1)
    tr = [m for m in load_entity_roles(root, "EN", "train", tr_texts) if m.aligned]
    dv_texts = read_documents(root, "EN", "dev", 1)
    dv = load_entity_roles(root, "EN", "dev", dv_texts)
    fine_names = ["(none)"]  # main roles only: one constant fine score
    y, ydev = np.array([m.main_role for m in tr]), np.array([m.main_role for m in dv])
    base_tr = mention_features([(tr_texts[m.doc_id], m.start, m.end_exclusive) for m in tr])
    base_dv = mention_features([(dv_texts[m.doc_id], m.start, m.end_exclusive) for m in dv])
    ctx_tr, ctx_dv = context(tr_texts, tr, emb), context(dv_texts, dv, emb)
    sets = {
        "sentence+mention": (base_tr, base_dv),
        "+ entity sentences": (np.hstack([base_tr, ctx_tr[:, :256]]),
                               np.hstack([base_dv, ctx_dv[:, :256]])),
        "+ entity sentences + article": (np.hstack([base_tr, ctx_tr]),
                                         np.hstack([base_dv, ctx_dv])),
    }  # fmt: skip
    folds = cv_folds(tr)
    majority = max(MAINS, key=lambda r: int(np.sum(y == r)))
    print(f"train {len(tr)} mentions, dev {len(dv)}; dev majority ({majority}) "
          f"{np.mean(ydev == majority):.3f}")  # fmt: skip
    for name, (xtr, xdv) in sets.items():
        best = None
        for c in CS:
            p, _ = out_of_fold(xtr, tr, folds, fine_names, c)
            for t in MINORITY:
                acc = float(np.mean(np.array(main_roles(p, MAINS, t)) == y))
                if best is None or acc > best[0]:
                    best = (acc, c, t)
        acc, c, t = best
        w = fit(xtr, tr, fine_names, c)
        z = xdv @ w["main_W"].T + w["main_b"]
        pd = np.exp(z - z.max(1, keepdims=True))
        pd /= pd.sum(1, keepdims=True)
        dev_acc = float(np.mean(np.array(main_roles(pd, MAINS, t)) == ydev))
        print(f"{name}: CV {acc:.3f} (C={c}, minority={t}); dev main-role accuracy {dev_acc:.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/semeval2025-task10"))
