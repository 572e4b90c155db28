"""Experiment: do the Portuguese (and Bulgarian) training mentions help the English entity-role
model? The shipped features (the mention's model2vec vector) mostly carry a prior on the name,
and names such as Putin, Zelensky or NATO are written alike in Portuguese. 5-fold CV grouped by
article on the English training mentions (other languages' mentions are added to every training
part, never scored), main-role accuracy at the shipped C and minority threshold; the best CV
configuration is then scored once on English dev.

    python bench/roles_other_languages.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from spinscope.analysis.roles import MAINS, main_roles
from spinscope.corpora.semeval25 import load_entity_roles, read_documents
from spinscope.training.entity_roles import cv_folds, features, training_mentions


def fit_predict(x_tr, y_tr, w_tr, x_te, c):
    from sklearn.linear_model import LogisticRegression
    from sklearn.utils.class_weight import compute_sample_weight

    sw = compute_sample_weight("balanced", y_tr) * w_tr
    lr = LogisticRegression(C=c, max_iter=3000).fit(x_tr, y_tr, sample_weight=sw)
    order = [list(lr.classes_).index(r) for r in MAINS]
    return lr.predict_proba(x_te)[:, order]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    root = args.data / "semeval2025-task10"
    _, _, texts, en = training_mentions(root)
    x_en = features(texts, en, "mention")
    y_en = np.array([m.main_role for m in en])
    extra = {}
    for lang in ("PT", "BG"):
        t = read_documents(root, lang, "train", 1)
        ms = [m for m in load_entity_roles(root, lang, "train", t) if m.aligned]
        extra[lang] = (features(t, ms, "mention"), np.array([m.main_role for m in ms]))
        print(lang, len(ms), "mentions")
    folds = cv_folds(en)
    configs = {"EN only": [], "EN + PT": ["PT"], "EN + PT + BG": ["PT", "BG"]}
    best = None
    for name, langs in configs.items():
        for weight in (1.0, 0.3) if langs else (1.0,):
            for c in (0.3, 1.0):
                p = np.zeros((len(en), 3))
                for tr, te in folds:
                    xs = [x_en[tr]] + [extra[lg][0] for lg in langs]
                    ys = [y_en[tr]] + [extra[lg][1] for lg in langs]
                    ws = [np.ones(len(tr))] + [np.full(len(extra[lg][1]), weight) for lg in langs]
                    p[te] = fit_predict(np.vstack(xs), np.concatenate(ys), np.concatenate(ws),
                                        x_en[te], c)  # fmt: skip
                for t in (None, 0.5, 0.6, 0.7):
                    acc = float(np.mean(np.array(main_roles(p, MAINS, t)) == y_en))
                    print(f"{name:14s} weight {weight} C={c} minority {t}: CV {acc:.3f}")
                    if best is None or acc > best[0]:
                        best = (acc, langs, weight, c, t)
    print("best", best)
    acc, langs, weight, c, t = best
    dev_t = read_documents(root, "EN", "dev", 1)
    dev = [m for m in load_entity_roles(root, "EN", "dev", dev_t) if m.aligned]
    xs = [x_en] + [extra[lg][0] for lg in langs]
    ys = [y_en] + [extra[lg][1] for lg in langs]
    ws = [np.ones(len(en))] + [np.full(len(extra[lg][1]), weight) for lg in langs]
    p = fit_predict(np.vstack(xs), np.concatenate(ys), np.concatenate(ws),
                    features(dev_t, dev, "mention"), c)  # fmt: skip
    yd = np.array([m.main_role for m in dev])
    print(f"dev ({len(dev)}): {np.mean(np.array(main_roles(p, MAINS, t)) == yd):.4f}")


if __name__ == "__main__":
    main()
