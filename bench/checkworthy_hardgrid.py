"""Issue 18: the hard-label CheckThat! 2019 head on the tagger's layers 1-5, its settings chosen on
a leave-transcripts-out split of the CT19 training transcripts only (no teacher, so nothing of
the held-out transcripts leaks into the choice), then CT19 test MAP over the batchings of
``bench/checkworthy_distil.py`` (run that first: this reads its caches).

Grid: logistic regression C x training rows (``sub``: the shipped model's sentences, all
positives + 0.3 of the negatives, seed 13; ``all``: every training sentence, class-balanced
weights). Inner MAP: 5 groups of transcripts (``names[k::5]``), all sentences of the held-out
ones. Usage:

    python bench/checkworthy_hardgrid.py [--data ../shared/data] [--cache /work/cache-cwshared]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import checkworthy_distil as cd  # noqa: E402
import checkworthy_shared as cs  # noqa: E402

CS = (0.0001, 0.0003, 0.001, 0.003, 0.01)


def fit(c: float, rows: str, x: np.ndarray, y: np.ndarray, in_sub: np.ndarray):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if rows == "sub":
        return cs.head(c).fit(x[in_sub], y[in_sub])
    lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    return make_pipeline(StandardScaler(), lr).fit(x, y)


def inner(c: float, rows: str, x: np.ndarray, y: np.ndarray, g: np.ndarray, in_sub) -> float:
    names, scores = sorted(set(g.tolist())), np.zeros(len(y))
    for k in range(5):
        held = np.isin(g, names[k::5])
        model = fit(c, rows, x[~held], y[~held], in_sub[~held])
        scores[held] = model.decision_function(x[held])
    return cs.map_of(y, scores, g)


def main() -> None:
    from spinscope.corpora.checkworthy import load_checkthat19
    from spinscope.training.checkworthy import TrainConfig
    from spinscope.training.checkworthy_cv import _ct19_training

    args = cd.parse_args(__doc__)
    ct19 = args.data / "checkthat2019-task1-en"
    texts, extra = cd.distil_texts(args.data)
    row_of = {t: k for k, t in enumerate(texts + extra)}
    x_all = np.concatenate([np.load(args.cache / "distil_x.npy"),
                            np.load(args.cache / "distil_x_extra.npy")])  # fmt: skip
    tr, te = load_checkthat19(ct19, "training"), load_checkthat19(ct19, "test")
    sub = {(s.group, s.line) for s in _ct19_training(ct19, TrainConfig())}
    x = x_all[[row_of[s.text] for s in tr]]
    y, g = np.array([s.label for s in tr]), np.array([s.group for s in tr])
    in_sub = np.array([(s.group, s.line) in sub for s in tr])
    grid = {}
    for rows in ("sub", "all"):
        for c in CS:
            grid[(rows, c)] = inner(c, rows, x, y, g, in_sub)
            print(json.dumps({"rows": rows, "C": c, "inner_map": grid[(rows, c)]}), flush=True)
    rows, c = max(grid, key=lambda k: grid[k])
    model = fit(c, rows, x, y, in_sub)
    y_te, g_te = np.array([s.label for s in te]), np.array([s.group for s in te])
    feats = cd.test_features(args, te)
    maps = {k: cs.map_of(y_te, model.decision_function(f), g_te) for k, f in feats.items()}
    print(json.dumps({"chosen": {"rows": rows, "C": c}, "ct19_test": cd.summary(maps)}))


if __name__ == "__main__":
    main()
