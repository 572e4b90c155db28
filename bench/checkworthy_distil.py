"""Issue 18: distil the shipped check-worthiness model into linear heads on the technique
tagger's layers 1-5 (the features of ``bench/checkworthy_shared.py``), and measure the CheckThat!
2019 test MAP over several batchings next to the shipped model's, measured the same way.

Distillation set (deduplicated texts; every text that occurs in the CheckThat! 2019 *test*
transcripts is dropped): ClaimBuster 2xNCS/2.5xNCS/3xNCS, all CheckThat! 2019 training
sentences, CheckThat! 2020 training tweets, PTC training article lines (≥ 20 characters). Targets:
the shipped model's two heads (``analysis.checkworthy``), as logits clipped to ±8. Head: ridge
regression on standardised features (statistics of the whole distillation set, no labels), one
per teacher head; a prediction ≥ 0 is "check-worthy" (probability 0.5).

Choosing (never on CT19 test): the ``claimbuster`` head's ridge alpha by ClaimBuster 2.5xNCS
5-fold CV F1 (the shipped model's folds, seed 13; every text of the held-out fold is removed from
the distillation set, whatever its source); the ``checkthat19`` head's alpha by the mean AP of a
5-way leave-transcripts-out split of the CT19 training transcripts (texts of the held-out
transcripts removed). Caveat: the teacher itself was trained on all of ClaimBuster 2.5xNCS and
CT19 training, so its targets carry those labels; the CV numbers compare heads, not a clean
estimate.

Test: CT19 test MAP of the final heads (trained on the whole set) on the tagger's features at
tagger batch sizes ``--batches`` (sentences alone) and from the transcripts' own windows; the
shipped model's MAP at scorer batch sizes ``--batches``; and the hard-label head of
``checkworthy_shared`` (C 0.003) on the same features; and a blend ``(1 - lam) * hard + lam *
distilled`` (logits), lam chosen on the same leave-transcripts-out split. Usage:

    python bench/checkworthy_distil.py [--data ../shared/data] [--cache DIR] [--batches 8,16,32,64]
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import checkworthy_shared as cs  # noqa: E402

ALPHAS = (10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0)
LAYERS = (1, 2, 3, 4, 5)


def distil_texts(data: Path) -> tuple[list[str], list[str]]:
    """(texts to train on, the left-out texts that occur in the CT19 test transcripts)."""
    from spinscope.corpora.checkworthy import load_checkthat19, load_checkthat20, load_claimbuster

    ct19 = data / "checkthat2019-task1-en"
    texts = [s.text for v in ("2xNCS", "2.5xNCS", "3xNCS")
             for s in load_claimbuster(data / "claimbuster", v)]  # fmt: skip
    texts += [s.text for s in load_checkthat19(ct19, "training")]
    texts += [s.text for s in load_checkthat20(data / "checkthat2020-task1-en", "training")]
    for f in sorted(glob.glob(str(data / "ptc-semeval2020-task11/train-articles/*.txt"))):
        lines = Path(f).read_text(encoding="utf-8").splitlines()
        texts += [ln.strip() for ln in lines if len(ln.strip()) >= 20]
    test = {s.text for s in load_checkthat19(ct19, "test")}
    unique = list(dict.fromkeys(texts))
    return [t for t in unique if t not in test], [t for t in unique if t in test]


def both(stem: Path, texts: list[str], extra: list[str], build) -> np.ndarray:
    """``build`` over the training texts, then the left-out ones (each part cached)."""
    first = cs.cached(Path(f"{stem}.npy"), lambda: build(texts))
    return np.concatenate([first, cs.cached(Path(f"{stem}_extra.npy"), lambda: build(extra))])


def logits(p: np.ndarray) -> np.ndarray:
    p = np.clip(p.astype(np.float64), 1e-6, 1 - 1e-6)
    return np.clip(np.log(p / (1 - p)), -8, 8)


class Ridge:
    """Ridge regression by Gram matrices, so that leaving rows out costs one subtraction (the
    left-out rows' Gram matrix is computed once per split and reused for every alpha and head)."""

    def __init__(self, x: np.ndarray, n_train: int) -> None:
        """Rows from ``n_train`` on are only read (features of evaluation sentences), never
        trained on."""
        self.n = n_train
        self.mu, self.sd = x[:n_train].mean(0), x[:n_train].std(0) + 1e-6
        self.z = self.std(x)
        self.gram = self.z[:n_train].T @ self.z[:n_train]
        self._drops: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def std(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mu) / self.sd
        return np.concatenate([z, np.ones((len(z), 1), z.dtype)], 1)

    def fit(self, t: np.ndarray, alpha: float, key: str = "", drop: np.ndarray | None = None):
        gram, xt = self.gram, self.z[: self.n].T @ t[: self.n]
        if drop is not None:
            if key not in self._drops:
                drop = drop & (np.arange(len(drop)) < self.n)
                zd = self.z[drop]
                self._drops[key] = (zd.T @ zd, drop)
            gd, d = self._drops[key]
            gram, xt = gram - gd, xt - self.z[d].T @ t[d]
        reg = alpha * np.eye(len(gram))
        reg[-1, -1] = 0.0  # the bias is not shrunk
        return np.linalg.solve(gram + reg, xt)


def cb_cv(model: Ridge, t: np.ndarray, row_of: dict, cb: list, fold_of: np.ndarray,
          alpha: float) -> dict:  # fmt: skip
    from spinscope.evaluation.checkworthy import positive_f1

    y = np.array([s.label for s in cb])
    cb_rows = np.array([row_of[s.text] for s in cb])
    pred = np.zeros(len(cb), np.float64)
    texts = np.array(list(row_of))
    for k in range(int(fold_of.max()) + 1):
        held = fold_of == k
        drop = np.isin(texts, [s.text for s, h in zip(cb, held, strict=True) if h])
        pred[held] = model.z[cb_rows[held]] @ model.fit(t, alpha, f"cb{k}", drop)
    p, r, f1 = positive_f1(y, (pred >= 0).astype(np.int64))
    return {"alpha": alpha, "cb_p": round(p, 4), "cb_r": round(r, 4), "cb_f1": round(f1, 4),
            "cb_ece": ece(y, 1 / (1 + np.exp(-pred)))}  # fmt: skip


def ece(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    idx = np.minimum((p * bins).astype(int), bins - 1)
    err = sum(abs(p[idx == b].mean() - y[idx == b].mean()) * (idx == b).sum()
              for b in range(bins) if (idx == b).any())  # fmt: skip
    return round(float(err / len(y)), 4)


def ct19_inner(model: Ridge, t: np.ndarray, row_of: dict, tr: list, alpha: float) -> float:
    y, groups = np.array([s.label for s in tr]), np.array([s.group for s in tr])
    names, texts = sorted(set(groups.tolist())), np.array(list(row_of))
    scores = np.zeros(len(tr))
    for k in range(5):
        held = np.isin(groups, names[k::5])
        drop = np.isin(texts, [s.text for s, h in zip(tr, held, strict=True) if h])
        rows = [row_of[s.text] for s, h in zip(tr, held, strict=True) if h]
        scores[held] = model.z[rows] @ model.fit(t, alpha, f"ct{k}", drop)
    return cs.map_of(y, scores, groups)


LAMBDAS = (0.0, 0.25, 0.5, 0.75, 1.0)


def blend_inner(model: Ridge, t: np.ndarray, alpha: float, row_of: dict, tr: list,
                sub: list) -> dict[float, float]:  # fmt: skip
    """Leave-transcripts-out MAP of ``(1 - lam) * hard + lam * distilled`` (both logits): the
    hard-label head (C 0.003) trained on the shipped model's CT19 training sentences ``sub`` of
    the other transcripts, the distilled head on the distillation set less those transcripts."""
    y, groups = np.array([s.label for s in tr]), np.array([s.group for s in tr])
    names, texts = sorted(set(groups.tolist())), np.array(list(row_of))
    x = model.z[:, :-1]
    sub_rows, sub_y = np.array([row_of[s.text] for s in sub]), np.array([s.label for s in sub])
    sub_g = np.array([s.group for s in sub])
    hard, dist = np.zeros(len(tr)), np.zeros(len(tr))
    for k in range(5):
        held = np.isin(groups, names[k::5])
        drop = np.isin(texts, [s.text for s, h in zip(tr, held, strict=True) if h])
        rows = [row_of[s.text] for s, h in zip(tr, held, strict=True) if h]
        dist[held] = model.z[rows] @ model.fit(t, alpha, f"ct{k}", drop)
        keep = ~np.isin(sub_g, names[k::5])
        fitted = cs.head(0.003).fit(x[sub_rows[keep]], sub_y[keep])
        hard[held] = fitted.decision_function(x[rows])
    return {lam: cs.map_of(y, (1 - lam) * hard + lam * dist, groups) for lam in LAMBDAS}


def test_features(args: argparse.Namespace, te: list) -> dict[str, np.ndarray]:
    tag = cs.tagger(args.tagger_cache, LAYERS)
    out = {}
    for b in args.batches:
        tag.batch_size = b
        path = args.cache / f"te_alone_b{b}.npy"
        out[f"alone_b{b}"] = cs.cached(path, lambda: cs.alone(tag, [s.text for s in te]))
    out["windows_b16"] = np.load(args.tagger_cache / "te_windows_L12345.npy")
    return out


def shipped_maps(args: argparse.Namespace, te: list) -> dict[str, float]:
    from spinscope.analysis.checkworthy import CheckworthinessScorer

    y, g = np.array([s.label for s in te]), np.array([s.group for s in te])
    out = {}
    for b in args.batches:
        p = cs.cached(args.cache / f"te_shipped_b{b}.npy",
                      lambda: CheckworthinessScorer(batch_size=b).score([s.text for s in te]))  # noqa: B023  # fmt: skip
        out[f"shipped_b{b}"] = cs.map_of(y, p[:, 1], g)
    return out


def summary(values: dict[str, float]) -> dict:
    v = np.array(list(values.values()))
    return {"mean": round(float(v.mean()), 4), "min": float(v.min()), "max": float(v.max()),
            "sd": round(float(v.std()), 4), "runs": values}  # fmt: skip


def parse_args(doc: str | None) -> argparse.Namespace:
    """The options this script and ``checkworthy_hardgrid.py`` share."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path, default=Path("/work/cache-cwshared"))
    ap.add_argument(
        "--tagger-cache",
        type=Path,
        default=Path("/work/cache-cwhead/bench"),
        help="checkworthy_shared.py's --cache (the layered tagger and its CT19 features)",
    )
    ap.add_argument("--batches", default="8,16,32,64")
    args = ap.parse_args()
    args.batches = [int(b) for b in args.batches.split(",")]
    return args


def main() -> None:
    from spinscope.analysis.checkworthy import CheckworthinessScorer
    from spinscope.corpora.checkworthy import load_checkthat19, load_claimbuster
    from spinscope.training.checkworthy import TrainConfig
    from spinscope.training.checkworthy_cv import _ct19_training, claimbuster_folds

    args = parse_args(__doc__)
    args.cache.mkdir(parents=True, exist_ok=True)
    texts, extra = distil_texts(args.data)
    print(json.dumps({"distil_texts": len(texts), "left_out": len(extra)}), flush=True)
    tag = cs.tagger(args.tagger_cache, LAYERS)
    x = both(args.cache / "distil_x", texts, extra, lambda tx: cs.alone(tag, tx))
    teacher = both(args.cache / "distil_teacher", texts, extra, CheckworthinessScorer().score)
    x = x.astype(np.float64)
    n_train, texts = len(texts), texts + extra
    row_of = {t: k for k, t in enumerate(texts)}
    ct19 = args.data / "checkthat2019-task1-en"
    cb = load_claimbuster(args.data / "claimbuster", "2.5xNCS")
    tr, te = load_checkthat19(ct19, "training"), load_checkthat19(ct19, "test")
    fold_of = claimbuster_folds(cb, 5, TrainConfig().seed)
    heads = {}
    model = Ridge(x, n_train)
    for h, name in enumerate(("claimbuster", "checkthat19")):
        t = logits(teacher[:, h])
        rows = []
        for a in ALPHAS:
            row = cb_cv(model, t, row_of, cb, fold_of, a) if h == 0 else {"alpha": a}
            row["ct19_inner_map"] = ct19_inner(model, t, row_of, tr, a)
            print(json.dumps({"head": name, **row}), flush=True)
            rows.append(row)
        key = "cb_f1" if h == 0 else "ct19_inner_map"
        best = max(rows, key=lambda r: r[key])  # noqa: B023
        heads[name] = (model, model.fit(t, best["alpha"]), best)
    sub = _ct19_training(ct19, TrainConfig())
    blend = blend_inner(model, t, heads["checkthat19"][2]["alpha"], row_of, tr, sub)
    print(json.dumps({"blend_inner_map": blend}), flush=True)
    lam = max(blend, key=lambda k: blend[k])
    sub_rows = [row_of[s.text] for s in sub]
    hard = cs.head(0.003).fit(x[sub_rows], np.array([s.label for s in sub]))
    report_test(args, heads, te, (lam, hard))


def report_test(args: argparse.Namespace, heads: dict, te: list, blend: tuple) -> None:
    from spinscope.training.checkworthy import TrainConfig
    from spinscope.training.checkworthy_cv import _ct19_training

    y, g = np.array([s.label for s in te]), np.array([s.group for s in te])
    feats = test_features(args, te)
    model, w, best = heads["checkthat19"]
    dist = {k: model.std(f.astype(np.float64)) @ w for k, f in feats.items()}
    distil = {k: cs.map_of(y, d, g) for k, d in dist.items()}
    lam, hard_x = blend
    blended = {k: cs.map_of(y, (1 - lam) * hard_x.decision_function(f) + lam * dist[k], g)
               for k, f in feats.items()}  # fmt: skip

    sub = _ct19_training(args.data / "checkthat2019-task1-en", TrainConfig())
    hard = cs.head(0.003).fit(np.load(args.tagger_cache / "tr_alone_L12345.npy"),
                              np.array([s.label for s in sub]))  # fmt: skip
    hard_maps = {k: cs.map_of(y, hard.predict_proba(f)[:, 1], g) for k, f in feats.items()}
    print(json.dumps({"chosen": {k: v[2] for k, v in heads.items()},
                      "ct19_test_distilled": summary(distil),
                      f"ct19_test_blend_lambda{lam}": summary(blended),
                      "ct19_test_hard_label_C0.003": summary(hard_maps),
                      "ct19_test_shipped": summary(shipped_maps(args, te))}))  # fmt: skip
    np.savez(args.cache / "heads.npz", **{f"{k}_w": v[1] for k, v in heads.items()},
             mu=model.mu, sd=model.sd)  # fmt: skip


if __name__ == "__main__":
    main()
