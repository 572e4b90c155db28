"""Entity roles (SemEval-2025 Task 10 subtask 1): for a given entity mention, its main role
(protagonist, antagonist, innocent) and its fine roles. A first, evaluation-only baseline.

Features of a mention: the model2vec vector of the sentence it is in and the vector of the mention
itself (256 + 256 dimensions). A softmax regression picks the main role; one class-balanced
logistic regression per fine role scores the fine roles, and the mention gets those of its main
role's fine roles that score at least the threshold, or else the best one (every gold mention has
at least one). The
threshold is chosen by 5-fold CV on the training mentions (exact-match ratio), before dev is
scored. Needs scikit-learn (the [train] extra).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from spinscope.analysis._embed import load_embedder
from spinscope.analysis._onnx import sentence_starts
from spinscope.corpora.semeval25 import (
    EntityMention,
    load_entity_roles,
    load_role_taxonomy,
    read_documents,
)
from spinscope.evaluation.article_labels import entity_role_scores

C = 4.0
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MAINS = ("Protagonist", "Antagonist", "Innocent")


def mention_features(texts: dict[str, str], mentions: list[EntityMention]) -> np.ndarray:
    """[sentence vector, mention vector] per mention (unit vectors)."""
    sents, names = [], []
    for m in mentions:
        text = texts[m.doc_id]
        starts = list(sentence_starts(text)) + [len(text)]
        k = int(np.searchsorted(starts, m.start, side="right")) - 1
        lo, hi = starts[max(k, 0)], starts[min(k + 1, len(starts) - 1)]
        sents.append(text[lo : max(hi, m.end_exclusive)] or m.text)
        names.append(m.text)
    vecs = np.asarray(load_embedder().encode(sents + names), dtype=np.float64)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    return np.hstack([vecs[: len(mentions)], vecs[len(mentions) :]])


def fit(x: np.ndarray, mentions: list[EntityMention], fine_names: list[str]) -> dict:
    from sklearn.linear_model import LogisticRegression

    main = LogisticRegression(C=C, max_iter=3000)  # unweighted: the main role is scored by accuracy
    main.fit(x, [m.main_role for m in mentions])
    fine = {}
    for name in fine_names:
        y = np.array([name in m.fine_roles for m in mentions], dtype=int)
        if 0 < y.sum() < len(y):
            fine[name] = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x, y)
    return {"main": main, "fine": fine}


def predict(model: dict, x: np.ndarray, taxonomy: dict, threshold: float) -> list[tuple]:
    mains = model["main"].predict(x)
    scores = {n: lr.predict_proba(x)[:, 1] for n, lr in model["fine"].items()}
    out = []
    for k, main in enumerate(mains):
        allowed = [n for n in taxonomy[main] if n in scores]
        chosen = [n for n in allowed if scores[n][k] >= threshold]
        if not chosen and allowed:
            chosen = [max(allowed, key=lambda n: scores[n][k])]
        out.append((str(main), tuple(chosen)))
    return out


def evaluate(root: Path, lang: str = "EN") -> dict:
    """Train on ``lang``'s training mentions, choose the threshold by CV there, score dev."""
    from sklearn.model_selection import KFold

    root = Path(root)
    taxonomy = load_role_taxonomy(root)
    fine_names = sorted({r for roles in taxonomy.values() for r in roles})
    train_texts = read_documents(root, lang, "train", 1)
    train = [m for m in load_entity_roles(root, lang, "train", train_texts) if m.aligned]
    x = mention_features(train_texts, train)
    cv_pred: dict[float, dict] = {t: {} for t in THRESHOLDS}
    for fit_idx, held in KFold(5, shuffle=True, random_state=0).split(x):
        model = fit(x[fit_idx], [train[k] for k in fit_idx], fine_names)
        for t in THRESHOLDS:
            for k, p in zip(held, predict(model, x[held], taxonomy, t), strict=True):
                m = train[k]
                cv_pred[t][(m.doc_id, m.start, m.end_exclusive)] = p
    cv = {t: entity_role_scores(train, cv_pred[t])["emr"] for t in THRESHOLDS}
    threshold = max(THRESHOLDS, key=lambda t: cv[t])
    model = fit(x, train, fine_names)
    dev_texts = read_documents(root, lang, "dev", 1)
    dev = load_entity_roles(root, lang, "dev", dev_texts)
    pred = dict(
        zip(
            [(m.doc_id, m.start, m.end_exclusive) for m in dev],
            predict(model, mention_features(dev_texts, dev), taxonomy, threshold),
            strict=True,
        )
    )
    scores = entity_role_scores(dev, pred)
    majority = max(MAINS, key=lambda r: sum(m.main_role == r for m in train))
    return {
        "task": "semeval2025-task10-st1",
        "language": lang,
        "split": "dev (given mentions)",
        "mentions": len(dev),
        "training_mentions": len(train),
        "threshold": threshold,
        "cv_emr_by_threshold": {str(t): round(v, 4) for t, v in cv.items()},
        "emr": round(scores["emr"], 4),
        "main_role_accuracy": round(scores["main_role_accuracy"], 4),
        "main_role_accuracy_of_majority_class": round(
            sum(m.main_role == majority for m in dev) / max(len(dev), 1), 4
        ),
        "fine_f1": round(scores["f1"], 4),
    }


if __name__ == "__main__":
    import sys

    print(json.dumps(evaluate(Path(sys.argv[1]), *(sys.argv[2:3] or ["EN"])), indent=1))
