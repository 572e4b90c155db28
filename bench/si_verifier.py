"""Experiment: a span verifier for SI. The tagger proposes propaganda spans (the shipped decoding,
optionally at a lower threshold); a small logistic model on features of each candidate keeps or
drops it. The tagger saw the PTC train articles, so candidates there look too good: the verifier
is trained and scored by 5-fold cross-fitting over the PTC dev articles (each article's spans are
judged by a verifier that never saw that article; the keep threshold is chosen inside the
training folds).

    python bench/si_verifier.py [--data ../shared/data] [--cache-dir runs/si_verifier]
"""

from __future__ import annotations

import argparse
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
from _tagger_cache import tagger_rows

from spinscope.analysis.spans import (
    channel_slice,
    decode_si,
)
from spinscope.analysis.techniques import TechniqueTagger
from spinscope.corpora.ptc import load_ptc
from spinscope.evaluation.ptc import si_score
from spinscope.model.taxonomy import PTC2020


def features(sc, span) -> list[float]:
    from spinscope.analysis import span_geometry

    rng = span_geometry.token_range(sc.enc.offsets, span.start, span.end)
    i, j = rng if rng else (0, 1)
    p = sc.probs[i:j]
    anyc = p[:, 0]
    tech = p[:, channel_slice(PTC2020)]
    noisy = 1 - np.prod(1 - tech, axis=1)
    text = sc.text[span.start : span.end]
    lower = sc.text.lower()
    count = lower.count(text.lower().strip()) if text.strip() else 1
    # the sentence the span is in
    s0 = max(sc.text.rfind("\n", 0, span.start), 0)
    s1 = sc.text.find("\n", span.end)
    s1 = len(sc.text) if s1 < 0 else s1
    sent_len = max(s1 - s0, 1)
    words = text.split()
    return [
        span.confidence,
        float(anyc.mean()),
        float(anyc.max()),
        float(anyc.min()),
        float(noisy.mean()),
        float(noisy.max()),
        float(tech.max(1).mean()),
        math.log(j - i),
        math.log(len(text) + 1),
        len(words),
        (span.end - span.start) / sent_len,
        math.log1p(count - 1),
        float(count > 1),
        float(any(c in text for c in '"\u201c\u201d')),
        float(text[:1].isupper()),
        float("!" in text or "?" in text),
        float(i == 0),  # the span starts the article
    ]


def coverage(span, gold: list[tuple[int, int]]) -> float:
    covered = np.zeros(span.end - span.start, bool)
    for s, e in gold:
        lo, hi = max(s, span.start), min(e, span.end)
        if lo < hi:
            covered[lo - span.start : hi - span.start] = True
    return float(covered.mean()) if len(covered) else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache-dir", type=Path, default=Path("runs/si_verifier"))
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    arts = load_ptc(args.data / "ptc-semeval2020-task11", "dev")
    tagger = TechniqueTagger()
    scores = tagger_rows([a.text for a in arts], args.cache_dir / "scores", tagger=tagger)
    gold = [(a.id, s.start, s.end) for a in arts for s in a.spans[PTC2020]]
    gold_by = {a.id: [(s.start, s.end) for s in a.spans[PTC2020]] for a in arts}
    base = tagger.decoding
    print("shipped decoding", base)
    for thr in (0.5, 0.45, 0.4, 0.35, 0.3):
        dec = replace(base, threshold=thr)
        cands = []  # (article index, span, features, coverage)
        for ai, (a, sc) in enumerate(zip(arts, scores, strict=True)):
            for sp in decode_si(sc, dec):
                cands.append((ai, sp, features(sc, sp), coverage(sp, gold_by[a.id])))
        X = np.asarray([c[2] for c in cands], np.float64)
        y = np.asarray([c[3] for c in cands])
        groups = np.asarray([c[0] for c in cands])
        plain = si_score([(arts[c[0]].id, c[1].start, c[1].end) for c in cands], gold)
        kept = []
        art_fold = np.random.default_rng(0).permutation(len(arts)) % args.folds
        for f in range(args.folds):
            tr = art_fold[groups] != f
            inner = oof_scores(X[tr], y[tr] >= 0.5, groups[tr], args.folds - 1)
            t = best_keep([c for c, m in zip(cands, tr, strict=True) if m], inner, arts, gold)
            model = fit(X[tr], y[tr] >= 0.5)
            test = model.predict_proba(X[~tr])[:, 1]
            kept += [
                c
                for c, s in zip(
                    [c for c, m in zip(cands, tr, strict=True) if not m], test, strict=True
                )
                if s >= t
            ]
        res = si_score([(arts[c[0]].id, c[1].start, c[1].end) for c in kept], gold)
        print(
            f"thr {thr}: {len(cands)} candidates, plain SI {plain['f1']:.4f} "
            f"(P {plain['precision']:.3f} R {plain['recall']:.3f}); "
            f"verified {res['f1']:.4f} (P {res['precision']:.3f} R {res['recall']:.3f}, "
            f"{len(kept)} kept)"
        )


def fit(X, y):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=0.3, max_iter=2000)).fit(X, y)


def oof_scores(X, y, groups, folds):
    """Out-of-fold verifier scores, folds by article."""
    uniq = np.unique(groups)
    fold_of = dict(zip(uniq, np.random.default_rng(1).permutation(len(uniq)) % folds, strict=True))
    fold = np.asarray([fold_of[g] for g in groups])
    out = np.zeros(len(y))
    for f in range(folds):
        te = fold == f
        out[te] = fit(X[~te], y[~te]).predict_proba(X[te])[:, 1]
    return out


def best_keep(cands, scores, arts, gold):
    """The keep threshold with the best SI F1 over these candidates' articles."""
    ids = {arts[c[0]].id for c in cands}
    g = [x for x in gold if x[0] in ids]
    best = (-1.0, 0.0)
    for t in np.arange(0.0, 0.7, 0.025):
        p = [
            (arts[c[0]].id, c[1].start, c[1].end)
            for c, s in zip(cands, scores, strict=True)
            if s >= t
        ]
        best = max(best, (si_score(p, g)["f1"], t))
    return best[1]


if __name__ == "__main__":
    main()
