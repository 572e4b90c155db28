"""Train narratives and sub-narratives (SemEval-2025 Task 10 ST2) on all five languages' training
articles, over the multilingual passage features, and score each language's dev set.

The heads and the decision rule are those of ``training.narratives`` (a class-balanced logistic
regression per label and a gate; below the gate "Other"; else the narratives above their
threshold or the likeliest one; under each, the sub-narratives above theirs). C is chosen, and
the three thresholds are chosen, on the pooled dev sets of the five languages (samples-F1 on
sub-narratives). So that each language's reported dev score is not the one the thresholds were
tuned on, it is scored with thresholds chosen on the *other* four languages' dev sets
(``dev_loo``); ``dev`` is with the shipped (pooled) thresholds. English texts that name neither
topic are "Other" (``analysis.framing.on_topic``, whose terms are English). Needs scikit-learn.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from spinscope.analysis.feature_cache import vectors
from spinscope.analysis.framing import on_topic
from spinscope.corpora.semeval25 import LANGS, NarrativeLabels
from spinscope.evaluation.article_labels import narrative_scores
from spinscope.training import narratives as nar

CS = (4.0, 16.0)
OTHER = NarrativeLabels((nar.OTHER,), (nar.OTHER,))


def load_all(root: Path, cache: dict) -> dict:
    """Per (language, split): ids, article vectors, gold labels and texts."""
    out = {}
    for lang in LANGS:
        for split in ("train", "dev"):
            ids, texts, labels = nar.dataset(root, lang, split)
            out[lang, split] = (ids, vectors(texts, cache), [labels[i] for i in ids], texts)
    return out


def fit(data: dict, c: float) -> dict:
    nar.C = c  # training.narratives reads its module constant
    x = np.concatenate([data[lang, "train"][1] for lang in LANGS])
    y = [lab for lang in LANGS for lab in data[lang, "train"][2]]
    return nar.fit_model(x, y)


def decide(model: dict, data: dict, lang: str, t: tuple) -> list[NarrativeLabels]:
    _, x, _, texts = data[lang, "dev"]
    rows = zip(*nar.probabilities(model, x), strict=True)
    out = [nar._decide(model, g, pn, ps, t) for g, pn, ps in rows]
    if lang == "EN":
        out = [p if on_topic(s) else OTHER for p, s in zip(out, texts, strict=True)]
    return out


def scores(data: dict, lang: str, pred: list[NarrativeLabels]) -> dict:
    gold = dict(enumerate(data[lang, "dev"][2]))
    return narrative_scores({str(k): v for k, v in gold.items()},
                            {str(k): v for k, v in enumerate(pred)})  # fmt: skip


def grid() -> list[tuple[float, float, float]]:
    return [(g, n, s) for g in nar.GATE_THRESHOLDS for n in nar.THRESHOLDS
            for s in nar.SUB_THRESHOLDS]  # fmt: skip


def pooled_fine(per_lang: dict[str, dict[tuple, dict]], langs, t) -> float:
    """Samples-F1 (fine) over the pooled dev articles of ``langs`` at thresholds ``t``."""
    n = {lang: per_lang[lang][t]["fine"]["n"] for lang in langs}
    return sum(per_lang[lang][t]["fine"]["f1"] * n[lang] for lang in langs) / sum(n.values())


def train(data: dict) -> dict:
    """Fit per C, score the threshold grid per language, choose; leave-one-language-out dev."""
    best = None
    for c in CS:
        model = fit(data, c)
        per_lang = {lang: {t: scores(data, lang, decide(model, data, lang, t)) for t in grid()}
                    for lang in LANGS}  # fmt: skip
        t = max(grid(), key=lambda t: pooled_fine(per_lang, LANGS, t))
        f1 = pooled_fine(per_lang, LANGS, t)
        if best is None or f1 > best[0]:
            best = (f1, c, model, per_lang, t)
    f1, c, model, per_lang, t = best
    dev, loo = {}, {}
    for lang in LANGS:
        s = per_lang[lang][t]
        dev[lang] = {"fine": round(s["fine"]["f1"], 4), "coarse": round(s["coarse"]["f1"], 4),
                     "documents": len(data[lang, "dev"][0])}  # fmt: skip
        others = [x for x in LANGS if x != lang]
        tl = max(grid(), key=lambda u: pooled_fine(per_lang, others, u))
        s = per_lang[lang][tl]
        loo[lang] = {"fine": round(s["fine"]["f1"], 4), "coarse": round(s["coarse"]["f1"], 4),
                     "thresholds": tl}  # fmt: skip
    nar.C = 16.0
    return {
        "model": model,
        "C": c,
        "gate_threshold": t[0],
        "threshold": t[1],
        "subnarrative_threshold": t[2],
        "dev_pooled_fine": round(f1, 4),
        "dev": dev,
        "dev_loo": loo,
        "train_articles": sum(len(data[lang, "train"][0]) for lang in LANGS),
    }
