"""Experiment: do the technique tagger's contextual features tell entity roles apart better than
the mention's static vector? Features per mention: the shipped features (model2vec mention
vector), the tagger's hidden states averaged over the mention's word pieces and over its
sentence, and the tagger's technique scores in the sentence. Class-balanced logistic regression,
5-fold CV grouped by article on the English training mentions (main-role accuracy); then the
best CV configuration is scored once on English dev.

    python bench/roles_tagger_features.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from _tagger_cache import tagger_rows

from spinscope.analysis import span_geometry
from spinscope.analysis.roles import MAINS, main_roles
from spinscope.analysis.techniques import TechniqueTagger
from spinscope.corpora.semeval25 import load_entity_roles, read_documents
from spinscope.training.entity_roles import cv_folds, features, training_mentions


def tagger_scores(tagger, texts: dict[str, str], cache: Path) -> dict:
    ids = sorted(texts)
    rows = tagger_rows(
        [texts[i] for i in ids],
        cache,
        lambda sc: (sc.enc.offsets, sc.probs.astype(np.float16), sc.hidden.astype(np.float16)),
        tagger,
    )
    return dict(zip(ids, rows, strict=True))


def ctx_features(scores: dict, texts: dict, mentions) -> np.ndarray:
    rows = []
    for m in mentions:
        offsets, probs, hidden = scores[m.doc_id]
        text = texts[m.doc_id]
        rng = span_geometry.token_range(offsets, m.start, m.end_exclusive) or (0, 1)
        s0 = max(text.rfind("\n", 0, m.start), text.rfind(". ", 0, m.start), 0)
        e0 = [
            x
            for x in (text.find("\n", m.end_exclusive), text.find(". ", m.end_exclusive))
            if x >= 0
        ]
        s1 = min(e0) if e0 else len(text)
        srng = span_geometry.token_range(offsets, s0, s1) or rng
        h_m = hidden[rng[0] : rng[1]].astype(np.float32).mean(0)
        h_s = hidden[srng[0] : srng[1]].astype(np.float32).mean(0)
        p_s = probs[srng[0] : srng[1], :15].astype(np.float32).max(0)
        rows.append(np.concatenate([h_m, h_s, p_s]))
    return np.asarray(rows)


def feature_sets(m2v: np.ndarray, ctx: np.ndarray) -> dict[str, np.ndarray]:
    """The feature sets compared: ``ctx`` is tagger mention (384), sentence (384), scores."""
    return {
        "mention vector (shipped)": m2v,
        "tagger mention": ctx[:, :384],
        "tagger sentence": ctx[:, 384:768],
        "tagger technique scores": ctx[:, 768:],
        "tagger all": ctx,
        "mention vector + tagger all": np.hstack([m2v, ctx]),
        "mention vector + technique scores": np.hstack([m2v, ctx[:, 768:]]),
    }


def cv_accuracy(x, mentions, folds, c):
    from sklearn.linear_model import LogisticRegression

    y = np.array([m.main_role for m in mentions])
    p = np.zeros((len(y), 3))
    for fit_idx, held in folds:
        lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(
            x[fit_idx], y[fit_idx]
        )
        order = [list(lr.classes_).index(r) for r in MAINS]
        p[held] = lr.predict_proba(x[held])[:, order]
    return {
        t: float(np.mean(np.array(main_roles(p, MAINS, t)) == y))
        for t in (None, 0.5, 0.6, 0.7, 0.8)
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    root = args.data / "semeval2025-task10"
    _, _, texts, train_ms = training_mentions(root)
    dev_texts = read_documents(root, "EN", "dev", 1)
    dev_ms = [m for m in load_entity_roles(root, "EN", "dev", dev_texts) if m.aligned]
    tagger = TechniqueTagger()
    sc_tr = tagger_scores(tagger, texts, Path("runs/roles_tagger/train"))
    sc_dev = tagger_scores(tagger, dev_texts, Path("runs/roles_tagger/dev"))
    folds = cv_folds(train_ms)
    m2v = features(texts, train_ms, "mention")
    ctx = ctx_features(sc_tr, texts, train_ms)
    from sklearn.preprocessing import StandardScaler

    sets = feature_sets(m2v, ctx)
    y = np.array([m.main_role for m in train_ms])
    print("majority on train", max(np.mean(y == r) for r in MAINS))
    best = None
    for name, x in sets.items():
        x = StandardScaler().fit_transform(x) if name != "mention vector (shipped)" else x
        for c in (0.01, 0.03, 0.1, 0.3, 1.0):
            acc = cv_accuracy(x, train_ms, folds, c)
            t, a = max(acc.items(), key=lambda kv: kv[1])
            print(f"{name:38s} C={c:<5} best minority {t}: CV acc {a:.3f}")
            if best is None or a > best[0]:
                best = (a, name, c, t)
    print("best", best)
    # dev, once, for the best CV configuration
    from sklearn.linear_model import LogisticRegression

    _, name, c, t = best
    dev_sets = feature_sets(
        features(dev_texts, dev_ms, "mention"), ctx_features(sc_dev, dev_texts, dev_ms)
    )
    xtr, xdv = sets[name], dev_sets[name]
    if name != "mention vector (shipped)":
        sc = StandardScaler().fit(xtr)
        xtr, xdv = sc.transform(xtr), sc.transform(xdv)
    lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(xtr, y)
    order = [list(lr.classes_).index(r) for r in MAINS]
    pd = lr.predict_proba(xdv)[:, order]
    yd = np.array([m.main_role for m in dev_ms])
    print(
        f"dev ({len(dev_ms)} mentions), {name} C={c} minority={t}:",
        round(float(np.mean(np.array(main_roles(pd, MAINS, t)) == yd)), 4),
        "majority",
        round(float(np.mean(yd == "Antagonist")), 4),
    )


if __name__ == "__main__":
    main()
