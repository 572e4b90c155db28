"""Experiment: does what the technique tagger finds in an article (how much of it is persuasive,
and with which techniques) tell opinion from reporting and satire better than the article's
mean vector alone? 5-fold stratified CV on the English SemEval-2023 training articles, macro-F1,
over 5 fold seeds; C chosen on the same CV (so the best row is optimistic).

    python bench/genre_tagger_features.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from _tagger_cache import tagger_rows

from spinscope.analysis.framing_vectors import article_vectors
from spinscope.analysis.spans import channel_slice, decode_si
from spinscope.analysis.techniques import TechniqueTagger
from spinscope.evaluation.article_labels import genre_macro_f1
from spinscope.model.taxonomy import PTC2020
from spinscope.training.framing import dataset


def tagger_features(texts: list[str], cache: Path) -> np.ndarray:
    tagger = TechniqueTagger()

    def row(sc) -> np.ndarray:
        p = sc.probs
        tech = p[:, channel_slice(PTC2020)]
        spans = decode_si(sc, tagger.decoding)
        covered = sum(s.end - s.start for s in spans) / max(len(sc.text), 1)
        n_words = max(len(sc.text.split()), 1)
        return np.concatenate([
            [p[:, 0].mean(), (p[:, 0] >= 0.5).mean(), covered, len(spans) / n_words * 100,
             np.log(n_words)],
            tech.mean(0), (tech >= 0.5).mean(0), p[:, 1:].max(0),
        ])  # fmt: skip

    return np.asarray(tagger_rows(texts, cache, row, tagger))


def cv(x, g, c, seed):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    pred = np.empty(len(g), dtype=object)
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, g):
        lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x[tr], g[tr])
        pred[te] = lr.predict(x[te])
    ids = [str(k) for k in range(len(g))]
    return genre_macro_f1(dict(zip(ids, g, strict=True)), dict(zip(ids, pred, strict=True)))[
        "macro_f1"
    ]


def main() -> None:
    from sklearn.preprocessing import StandardScaler

    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    ids, texts, genres, _ = dataset(args.data / "semeval2023-task3")
    g = np.array([genres[i] for i in ids])
    mean = np.stack([v.article for v in article_vectors(texts)])
    tag = StandardScaler().fit_transform(tagger_features(texts, Path("runs/genre_tagger/x")))
    sets = {"mean vector (shipped)": mean, "tagger features": tag,
            "mean vector + tagger features": np.hstack([mean, tag * 0.3])}  # fmt: skip
    for name, x in sets.items():
        for c in (0.1, 1.0, 4.0, 16.0, 64.0):
            f = [cv(x, g, c, s) for s in range(5)]
            print(f"{name:32s} C={c:<5} seed 0 {f[0]:.3f}  mean of 5 seeds {np.mean(f):.3f}")


if __name__ == "__main__":
    main()
