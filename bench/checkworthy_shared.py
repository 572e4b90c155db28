"""Issue 18: can check-worthiness heads read the technique tagger's pass instead of their own
encoder? Frozen tagger states + logistic regression, measured with the shipped model's protocol.

Features of a sentence: the mean over its word pieces of the tagger's hidden states at encoder
layers ``--layers`` (0-based; 5 = the shipped ``hidden`` output), concatenated. The earlier layers
come from the tagger graph with extra outputs (``training.tagger_layers``, probs/hidden
bit-identical). Two ways to get them: ``alone`` = each sentence encoded on its own (what
``spinscope eval checkthat19`` scores), ``windows`` = the sentence's word pieces pooled out of the
tagger's own windows over the whole CheckThat! 2019 transcript, as one shared pass over an article
would give (ClaimBuster sentences have no context: their rows are ``alone``).

Heads: standardised logistic regression, C from ``--cs``. ClaimBuster 2.5xNCS: 5-fold CV with the
shipped model's folds (``checkworthy_cv.claimbuster_folds``, seed 13), threshold 0.5,
positive-class F1. CheckThat! 2019: the head is trained on the shipped model's CheckThat! 2019
training sentences (``_ct19_training``: all positives, 0.3 of the negatives); C is chosen on the
inner MAP of a 5-way transcript-grouped split of that training data (the test split is not looked
at to choose); test MAP over the 7 transcripts, sentences ``alone`` and from ``windows``.
Features are cached in ``--cache``. Usage:

    python bench/checkworthy_shared.py [--data ../shared/data] [--cache DIR] [--cs 0.003,0.01]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


class LayerSession:
    """An onnxruntime session on the edited tagger whose ``hidden`` is the chosen layers side by
    side (so that ``TechniqueTagger.scores`` windows and merges them as usual)."""

    def __init__(self, path: Path, layers: tuple[int, ...]) -> None:
        from spinscope.analysis import encoder

        self.session = encoder.session(str(path))
        names = [o.name for o in self.session.get_outputs()]
        self.picks = [names.index("hidden" if k == 5 else f"layer{k}") for k in layers]

    def run(self, _names: object, feed: dict) -> list[np.ndarray]:
        out = self.session.run(None, feed)
        return [out[0], np.concatenate([out[i] for i in self.picks], -1)]


def tagger(cache: Path, layers: tuple[int, ...]):
    from spinscope.analysis.techniques import TechniqueTagger, shipped_model_dir
    from spinscope.training.tagger_layers import add_layer_outputs

    path = cache / "tagger_layers" / "tagger.int8.onnx"
    if not path.exists():
        add_layer_outputs(shipped_model_dir() / "tagger.int8.onnx", path, (1, 2, 3, 4))
    t = TechniqueTagger()
    t.__dict__["_session"] = LayerSession(path, layers)  # the cached_property, replaced
    return t


def mean_rows(hidden: np.ndarray, sel: np.ndarray | slice = slice(None)) -> np.ndarray:
    rows = hidden[sel]
    return rows.mean(0) if len(rows) else np.zeros(hidden.shape[1], np.float32)


def alone(tag, texts: list[str], chunk: int = 512) -> np.ndarray:
    rows = []
    for b in range(0, len(texts), chunk):
        rows += [mean_rows(s.hidden) for s in tag.scores(texts[b : b + chunk])]
    return np.stack(rows)


def windows(tag, sentences: list) -> np.ndarray:
    """Each transcript as one text (its sentences joined by newlines), pooled per sentence."""
    out: list[np.ndarray | None] = [None] * len(sentences)
    by_group: dict[str, list[int]] = {}
    for k, s in enumerate(sentences):
        by_group.setdefault(s.group, []).append(k)
    for idx in by_group.values():
        starts = np.cumsum([0] + [len(sentences[k].text) + 1 for k in idx])
        sc = tag.scores(["".join(sentences[k].text + "\n" for k in idx)])[0]
        for j, k in enumerate(idx):
            lo, hi = starts[j], starts[j] + len(sentences[k].text)
            out[k] = mean_rows(
                sc.hidden, (sc.enc.offsets[:, 0] >= lo) & (sc.enc.offsets[:, 1] <= hi)
            )
    return np.stack(out)  # type: ignore[arg-type]


def cached(path: Path, build) -> np.ndarray:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, build())
    return np.load(path)


def head(c: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=3000))


def map_of(labels: np.ndarray, scores: np.ndarray, groups: np.ndarray) -> float:
    from spinscope.evaluation.checkworthy import mean_average_precision

    names = sorted(set(groups.tolist()))
    return round(
        mean_average_precision((labels[groups == g], scores[groups == g]) for g in names), 4
    )


def claimbuster_cv(x: np.ndarray, y: np.ndarray, fold_of: np.ndarray, c: float) -> dict:
    from spinscope.evaluation.checkworthy import positive_f1

    pred, f1s = np.zeros(len(y), np.int64), []
    for k in range(int(fold_of.max()) + 1):
        held = fold_of == k
        pred[held] = head(c).fit(x[~held], y[~held]).predict_proba(x[held])[:, 1] >= 0.5
        f1s.append(positive_f1(y[held], pred[held])[2])
    p, r, f1 = positive_f1(y, pred)
    return {"cb_p": round(p, 4), "cb_r": round(r, 4), "cb_f1": round(f1, 4),
            "cb_f1_sd": round(float(np.std(f1s)), 4)}  # fmt: skip


def inner_map(x: np.ndarray, y: np.ndarray, groups: np.ndarray, c: float) -> float:
    names = sorted(set(groups.tolist()))
    scores = np.zeros(len(y))
    for k in range(5):
        held = np.isin(groups, names[k::5])
        scores[held] = head(c).fit(x[~held], y[~held]).predict_proba(x[held])[:, 1]
    return map_of(y, scores, groups)


def features(args: argparse.Namespace, cb: list, tr: list, full_tr: list, te: list) -> dict:
    tag = tagger(args.cache, args.layers)
    tag_key = "L" + "".join(map(str, args.layers))
    get = lambda name, build: cached(args.cache / f"{name}_{tag_key}.npy", build)  # noqa: E731
    rows = {(s.group, s.line): k for k, s in enumerate(full_tr)}
    return {
        "cb": get("cb_alone", lambda: alone(tag, [s.text for s in cb])),
        "tr": get("tr_alone", lambda: alone(tag, [s.text for s in tr])),
        "te": get("te_alone", lambda: alone(tag, [s.text for s in te])),
        "tr_windows": get(
            "tr_windows", lambda: windows(tag, full_tr)[[rows[(s.group, s.line)] for s in tr]]
        ),  # fmt: skip
        "te_windows": get("te_windows", lambda: windows(tag, te)),
    }


def speed(args: argparse.Namespace) -> None:
    """Ratio (median of alternating pairs) of the tagger's pass over ``--speed`` files with the
    chosen layers read out vs the shipped graph; and the check-worthiness encoder over the same
    texts' sentences (what the shared pass would save)."""
    import time

    from spinscope.analysis.checkworthy import CheckworthinessScorer
    from spinscope.analysis.techniques import TechniqueTagger

    texts = [Path(f).read_text(encoding="utf-8") for f in args.speed]
    sentences = [ln.strip() for t in texts for ln in t.replace(". ", ".\n").splitlines()]
    sentences = [s for s in sentences if s]
    plain, layered, scorer = (
        TechniqueTagger(),
        tagger(args.cache, args.layers),
        CheckworthinessScorer(),
    )
    jobs = {"shipped": lambda: plain.scores(texts), "layers": lambda: layered.scores(texts),
            "checkworthy": lambda: scorer.score(sentences)}  # fmt: skip
    times: dict[str, list[float]] = {k: [] for k in jobs}
    for _ in range(args.repeats + 1):  # the first round warms up and is dropped
        for name, job in jobs.items():
            t0 = time.process_time()
            job()
            times[name].append(time.process_time() - t0)
    med = {k: float(np.median(v[1:])) for k, v in times.items()}
    ratio = {f"{k}_over_shipped_cpu": round(med[k] / med["shipped"], 3) for k in jobs}
    print(json.dumps({"texts": len(texts), "sentences": len(sentences), **ratio}))


def main() -> None:
    from spinscope.corpora.checkworthy import load_checkthat19, load_claimbuster
    from spinscope.training.checkworthy import TrainConfig
    from spinscope.training.checkworthy_cv import _ct19_training, claimbuster_folds

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path, default=Path("/work/cache-cwhead/bench"))
    ap.add_argument("--layers", default="1,2,3,4,5", help="encoder layers, 0-based (5 = hidden)")
    ap.add_argument("--cs", default="0.003,0.01", help="logistic regression C values")
    ap.add_argument("--speed", nargs="*", help="time the tagger on these text files instead")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    args.layers = tuple(int(k) for k in args.layers.split(","))
    if args.speed:
        speed(args)
        return
    cfg = TrainConfig()
    cb = load_claimbuster(args.data / "claimbuster", "2.5xNCS")
    ct19 = args.data / "checkthat2019-task1-en"
    full_tr, te = load_checkthat19(ct19, "training"), load_checkthat19(ct19, "test")
    tr = _ct19_training(ct19, cfg)
    x = features(args, cb, tr, full_tr, te)
    y_cb, y_tr = np.array([s.label for s in cb]), np.array([s.label for s in tr])
    y_te = np.array([s.label for s in te])
    g_tr, g_te = np.array([s.group for s in tr]), np.array([s.group for s in te])
    fold_of = claimbuster_folds(cb, 5, cfg.seed)
    results = []
    for c in (float(v) for v in args.cs.split(",")):
        row: dict = {"layers": args.layers, "C": c, **claimbuster_cv(x["cb"], y_cb, fold_of, c)}
        row["ct19_inner_map"] = inner_map(x["tr"], y_tr, g_tr, c)
        for src in ("", "_windows"):
            fitted = head(c).fit(x["tr" + src], y_tr)
            row["ct19_test_map" + (src or "_alone")] = map_of(
                y_te, fitted.predict_proba(x["te" + src])[:, 1], g_te)  # fmt: skip
        fitted = head(c).fit(x["tr"], y_tr)  # trained alone, read from the shared pass
        row["ct19_test_map_alone_head_on_windows"] = map_of(
            y_te, fitted.predict_proba(x["te_windows"])[:, 1], g_te)  # fmt: skip
        results.append(row)
        print(json.dumps(row), flush=True)
    best = max(results, key=lambda r: r["ct19_inner_map"])
    print(json.dumps({"chosen_by_inner_map": best}))


if __name__ == "__main__":
    main()
