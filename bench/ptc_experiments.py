"""Experiments on trained taggers that did not make it into the shipped model (PTC dev).

    python bench/ptc_experiments.py ensemble MODEL_DIR MODEL_DIR ...
        average token scores and span-head probabilities of several taggers: TC micro-F1 and
        the best SI decoding of the ensemble;
    python bench/ptc_experiments.py refit MODEL_DIR
        refit the PTC span head on frozen features of the train articles (needs torch): dev TC
        of the joint head and of refitted heads.

PTC is read from ../shared/data.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from spinscope.analysis.spans import classify, span_features
from spinscope.analysis.techniques import TechniqueTagger
from spinscope.corpora.ptc import load_ptc
from spinscope.evaluation.ptc import tc_score
from spinscope.evaluation.tagger import assign_labels, search_decoding
from spinscope.model.taxonomy import LABELS_2020, PTC2020

PTC = Path(__file__).resolve().parents[2] / "shared" / "data" / "ptc-semeval2020-task11"


def all_scores(tagger, arts):
    out = []
    for k in range(0, len(arts), 8):
        out += tagger.scores([a.text for a in arts[k : k + 8]])
    return out


def ensemble(model_dirs: list[str]) -> None:
    arts = load_ptc(PTC, "dev")
    taggers = [TechniqueTagger(model_dir=m) for m in model_dirs]
    scores = [all_scores(t, arts) for t in taggers]
    gold = [(a.id, sp.label, sp.start, sp.end) for a in arts for sp in a.spans[PTC2020]]
    pred = []
    for i, a in enumerate(arts):
        spans = [(sp.start, sp.end) for sp in a.spans[PTC2020]]
        probs = np.mean(
            [
                classify(s[i], spans, t.span_head, PTC2020)
                for s, t in zip(scores, taggers, strict=True)
            ],
            0,
        )
        labels = assign_labels(probs, spans, LABELS_2020)
        pred += [(a.id, lab, s, e) for (s, e), lab in zip(spans, labels, strict=True)]
    print("TC micro-F1 of the ensemble:", round(tc_score(pred, gold)["f1"], 4))
    mean = [
        replace(first, probs=np.mean([s[i].probs for s in scores], 0))
        for i, first in enumerate(scores[0])
    ]
    print("best SI decoding of the ensemble:", search_decoding(arts, mean)[0])


def features(tagger, arts):
    rows, labels = [], []
    for a, sc in zip(arts, all_scores(tagger, arts), strict=True):
        spans = [(sp.start, sp.end) for sp in a.spans[PTC2020]]
        feats, kept = span_features(sc, spans)
        rows += list(feats)
        labels += [LABELS_2020.index(a.spans[PTC2020][k].label) for k in kept]
    return np.stack(rows).astype(np.float32), np.array(labels)


def refit(model_dir: str) -> None:
    import torch

    tagger = TechniqueTagger(model_dir=model_dir)
    x_tr, y_tr = features(tagger, load_ptc(PTC, "train"))
    x_dv, y_dv = features(tagger, load_ptc(PTC, "dev"))
    joint = tagger.span_head(PTC2020, x_dv).argmax(1)
    print("joint head, dev TC accuracy:", round(float((joint == y_dv).mean()), 4))
    mu, sd = x_tr.mean(0), x_tr.std(0) + 1e-6
    x, y, xd = torch.tensor((x_tr - mu) / sd), torch.tensor(y_tr), torch.tensor((x_dv - mu) / sd)
    for hidden, drop, wd in ((384, 0.3, 1e-2), (256, 0.5, 1e-2)):
        torch.manual_seed(0)
        head = torch.nn.Sequential(
            torch.nn.Dropout(drop),
            torch.nn.Linear(x.shape[1], hidden),
            torch.nn.GELU(),
            torch.nn.Dropout(drop),
            torch.nn.Linear(hidden, len(LABELS_2020)),
        )
        opt = torch.optim.AdamW(head.parameters(), lr=1e-3, weight_decay=wd)
        for epoch in range(1, 31):
            head.train()
            perm = torch.randperm(len(x))
            for i in range(0, len(x), 64):
                idx = perm[i : i + 64]
                loss = torch.nn.functional.cross_entropy(head(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
            if epoch % 10 == 0:
                head.eval()
                acc = float((head(xd).argmax(1).numpy() == y_dv).mean())
                print(f"refit hidden={hidden} dropout={drop} epoch {epoch}: dev TC {acc:.4f}")


if __name__ == "__main__":
    {"ensemble": lambda: ensemble(sys.argv[2:]), "refit": lambda: refit(sys.argv[2])}[sys.argv[1]]()
