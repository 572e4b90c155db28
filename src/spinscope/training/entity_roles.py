"""Entity roles (SemEval-2025 Task 10 subtask 1): train and evaluate the model the ``roles``
analyser ships (see ``spinscope.analysis.roles``).

Everything is chosen by 5-fold cross-validation on the training mentions, grouped by article:
the features (the mention's vector, or its sentence's and its own), the regularisation C and the
minority threshold by main-role accuracy, then the fine-role threshold by exact-match ratio.
Dev is scored once, after. Needs scikit-learn (the [train] extra).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis.role_entities import mention_features
from spinscope.analysis.roles import CARD, MAINS, WEIGHTS, RoleAnalyzer, fine_roles, main_roles
from spinscope.corpora.semeval25 import (
    EntityMention,
    load_entity_roles,
    load_role_taxonomy,
    read_documents,
)
from spinscope.evaluation.article_labels import entity_role_scores

FEATURES = ("mention", "sentence+mention")
CS = (0.3, 1.0, 4.0)
MINORITY = (None, 0.5, 0.6, 0.7, 0.8)
FINE_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def features(texts: dict[str, str], mentions: list[EntityMention], which: str) -> np.ndarray:
    return mention_features([(texts[m.doc_id], m.start, m.end_exclusive) for m in mentions], which)


def fit(x: np.ndarray, mentions: list[EntityMention], fine_names: list[str], c: float) -> dict:
    """Weights as the analyser reads them: main_W/main_b (classes in MAINS order), fine_W/fine_b."""
    from sklearn.linear_model import LogisticRegression

    main = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    main.fit(x, [m.main_role for m in mentions])
    order = [list(main.classes_).index(r) for r in MAINS]
    fine_w, fine_b = [], []
    for name in fine_names:
        y = np.array([name in m.fine_roles for m in mentions], dtype=int)
        if 0 < y.sum() < len(y):
            lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
            fine_w.append(lr.coef_[0])
            fine_b.append(lr.intercept_[0])
        else:  # never (or always) seen: a constant score
            fine_w.append(np.zeros(x.shape[1]))
            fine_b.append(-20.0 if y.sum() == 0 else 20.0)
    return {
        "main_W": main.coef_[order], "main_b": main.intercept_[order],
        "fine_W": np.asarray(fine_w), "fine_b": np.asarray(fine_b),
    }  # fmt: skip


def _scores(w: dict, x: np.ndarray, fine_names: list[str]):
    z = x @ w["main_W"].T + w["main_b"]
    p = np.exp(z - z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    f = 1.0 / (1.0 + np.exp(-(x @ w["fine_W"].T + w["fine_b"])))
    return p, [{n: float(f[i, j]) for j, n in enumerate(fine_names)} for i in range(len(x))]


def predictions(p, fine, minority, taxonomy, fine_threshold) -> list[tuple[str, tuple]]:
    mains = main_roles(p, MAINS, minority)
    return [
        (m, tuple(fine_roles(f, m, taxonomy, fine_threshold)))
        for m, f in zip(mains, fine, strict=True)
    ]


def training_mentions(root: Path, lang: str = "EN"):
    """The role taxonomy, the fine-role names, the training texts and their aligned mentions."""
    taxonomy = load_role_taxonomy(root)
    fine_names = sorted({r for roles in taxonomy.values() for r in roles})
    texts = read_documents(root, lang, "train", 1)
    return taxonomy, fine_names, texts, [
        m for m in load_entity_roles(root, lang, "train", texts) if m.aligned
    ]  # fmt: skip


def cv_folds(mentions: list[EntityMention]) -> list:
    """The 5 cross-validation folds, grouped by article (a held-out article's mentions all are)."""
    from sklearn.model_selection import GroupKFold

    y = [m.main_role for m in mentions]
    return list(GroupKFold(5).split(np.zeros(len(y)), y, [m.doc_id for m in mentions]))


def out_of_fold(x: np.ndarray, mentions: list[EntityMention], folds, fine_names, c: float):
    """Each mention's main-role probabilities (in MAINS order) and fine-role scores from the fold
    model that did not train on its article; also what the shipped calibration is fitted on
    (``spinscope.training.calibrate_labels.calibrate_roles``)."""
    p = np.zeros((len(mentions), 3))
    fine: list = [None] * len(mentions)
    for fit_idx, held in folds:
        w = fit(x[fit_idx], [mentions[k] for k in fit_idx], fine_names, c)
        ph, fh = _scores(w, x[held], fine_names)
        p[held] = ph
        for k, f in zip(held, fh, strict=True):
            fine[k] = f
    return p, fine


def train(root: Path, lang: str = "EN", out: Path | None = None) -> dict:
    """Choose by CV, fit on all of ``lang``'s training mentions; write the model to ``out``."""
    root = Path(root)
    taxonomy, fine_names, texts, train_ms = training_mentions(root, lang)
    y = np.array([m.main_role for m in train_ms])
    folds = cv_folds(train_ms)
    cv_main, cv_out = {}, {}
    for which in FEATURES:
        x = features(texts, train_ms, which)
        for c in CS:
            p, fine = out_of_fold(x, train_ms, folds, fine_names, c)
            cv_out[(which, c)] = (p, fine)
            for t in MINORITY:
                cv_main[(which, c, t)] = float(np.mean(np.array(main_roles(p, MAINS, t)) == y))
    which, c, minority = max(cv_main, key=lambda k: (cv_main[k], k[0] == "mention", -k[1]))
    p, fine = cv_out[(which, c)]
    keys = [(m.doc_id, m.start, m.end_exclusive) for m in train_ms]
    cv_emr = {
        t: entity_role_scores(
            train_ms, dict(zip(keys, predictions(p, fine, minority, taxonomy, t), strict=True))
        )["emr"]
        for t in FINE_THRESHOLDS
    }
    fine_threshold = max(FINE_THRESHOLDS, key=lambda t: cv_emr[t])
    x = features(texts, train_ms, which)
    weights = fit(x, train_ms, fine_names, c)
    majority = max(MAINS, key=lambda r: int(np.sum(y == r)))
    card = {
        "name": f"spinscope-roles-{lang.lower()}",
        "version": date.today().isoformat(),
        "task": "SemEval-2025 Task 10 subtask 1 (entity roles)",
        "language": lang,
        "classes": list(MAINS),
        "fine_roles": fine_names,
        "taxonomy": {k: list(v) for k, v in taxonomy.items()},
        "features": which,
        "C": c,
        "minority_threshold": minority,
        "fine_threshold": fine_threshold,
        "training_mentions": len(train_ms),
        "cv": {
            "main_role_accuracy": {
                f"{f}|C={cc}|minority={t}": round(v, 4) for (f, cc, t), v in cv_main.items()
            },
            "emr_by_fine_threshold": {str(t): round(v, 4) for t, v in cv_emr.items()},
            "majority_class": majority,
            "majority_class_accuracy": round(float(np.mean(y == majority)), 4),
        },
    }
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        arrays_out: dict[str, Any] = {k: np.asarray(v, np.float32) for k, v in weights.items()}
        np.savez(out / WEIGHTS, **arrays_out)
        (out / CARD).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return {"card": card, "weights": weights}


def evaluate(root: Path, lang: str = "EN", model_dir: Path | None = None) -> dict:
    """Score dev with the given mentions: English with the shipped model (or ``model_dir``),
    another language with a model trained on its own training mentions first."""
    import tempfile

    root = Path(root)
    with tempfile.TemporaryDirectory() as tmp:
        if lang != "EN" and model_dir is None:
            model_dir = Path(tmp)
            train(root, lang, model_dir)
        analyzer = RoleAnalyzer(model_dir=str(model_dir) if model_dir else None)
        card = analyzer.card
        dev_texts = read_documents(root, lang, "dev", 1)
        dev = load_entity_roles(root, lang, "dev", dev_texts)
        x = features(dev_texts, dev, card["features"])
        p, fine = analyzer.predict(x)
        fine_rows = [{n: float(v[i]) for n, v in fine.items()} for i in range(len(dev))]
        pred = dict(
            zip(
                [(m.doc_id, m.start, m.end_exclusive) for m in dev],
                predictions(
                    p,
                    fine_rows,
                    card["minority_threshold"],
                    card["taxonomy"],
                    card["fine_threshold"],
                ),  # fmt: skip
                strict=True,
            )
        )
    scores = entity_role_scores(dev, pred)
    majority = card["cv"]["majority_class"]
    return {
        "task": "semeval2025-task10-st1",
        "language": lang,
        "split": "dev (given mentions)",
        "model": card["name"],
        "mentions": len(dev),
        "training_mentions": card["training_mentions"],
        "features": card["features"],
        "C": card["C"],
        "minority_threshold": card["minority_threshold"],
        "fine_threshold": card["fine_threshold"],
        "emr": round(scores["emr"], 4),
        "main_role_accuracy": round(scores["main_role_accuracy"], 4),
        "main_role_accuracy_of_majority_class": round(
            sum(m.main_role == majority for m in dev) / max(len(dev), 1), 4
        ),
        "fine_f1": round(scores["f1"], 4),
    }
