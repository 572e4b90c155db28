"""Held-out ECE of every shipped article-level label task (issue 15), each with the curve method it
ships (``calibrate_labels.pooled_method``) and the same measure (``genre_calibration.ece_report``:
5-fold cross-fit by article over 10 fold draws, leave-one-split-out where there are splits, and
the band perfectly calibrated scores would measure on that many answers).

- genre (``sigmoid_cv``, and the plain sigmoid shipped before), frames: the shipped
  multilingual heads on FR/DE/IT/PL/RU dev (+ the English shifted-mix split for genre), the
  answers their calibration was fitted on;
- narratives, sub-narratives: the shipped English model's recipe, out-of-fold on English train
  (5 folds), the labels the analyser lists (as ``training.calibrate_labels.framing_records``);
- roles: the shipped roles model's out-of-fold main roles (``calibrate_labels.roles_records``).

    PYTHONPATH=src python bench/label_ece.py --data ../shared/data --cache /work/cache-label/feats
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from spinscope.analysis.feature_cache import load_cache
from spinscope.analysis.framing import FramingAnalyzer, shipped_model_dir
from spinscope.model.jsonable import dumps
from spinscope.training import framing_multilingual as fm
from spinscope.training import framing_task as ft
from spinscope.training.calibrate_labels import pooled_method
from spinscope.training.genre_calibration import ece_report


def report(recs: list, per_article: int = 1, splits: list | None = None, method=None) -> dict:
    groups = [str(k // per_article) for k in range(len(recs))]
    return ece_report([r[1] for r in recs], [r[2] for r in recs], groups,
                      method or pooled_method(len(recs)), splits)  # fmt: skip


def narrative_records(root25: Path) -> dict[str, list]:
    from spinscope.analysis.framing_vectors import article_vectors
    from spinscope.training import narratives as nt

    analyzer = FramingAnalyzer(calibrated=False)
    card = json.loads((shipped_model_dir() / "narratives.json").read_text(encoding="utf-8"))
    keys = ("gate_threshold", "threshold", "subnarrative_threshold")
    ids, texts, labels = nt.dataset(root25)
    vectors = article_vectors(texts)
    x = np.stack([v.article for v in vectors])
    gold = [labels[i] for i in ids]
    out: dict[str, list] = {"narrative": [], "subnarrative": []}
    for held, model in nt.fold_models(x, gold):
        analyzer.__dict__["narratives"] = {**model, **{k: card[k] for k in keys}}
        for k in held:
            truth = {"narrative": set(gold[k].narratives),
                     "subnarrative": set(gold[k].subnarratives)}  # fmt: skip
            for lab in analyzer._narratives(texts[k], vectors[k]):
                out[lab.task].append((lab.label, lab.score, int(lab.label in truth[lab.task])))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--tasks", default="genre,frame,narrative,roles")
    a = ap.parse_args()
    tasks = a.tasks.split(",")
    out = {}
    if {"genre", "frame"} & set(tasks):
        d23 = fm.load_all(a.data / "semeval2023-task3", load_cache(a.cache))
        with np.load(shipped_model_dir() / "framing.npz") as z:
            w = {k: z[k].astype(np.float64) for k in z.files}
        card = json.loads((shipped_model_dir() / "card.json").read_text(encoding="utf-8"))
        rec = ft._records_genre(d23, w, set(card["en_shifted_ids"]))
        out["genre"] = report(rec, splits=[r[3] for r in rec], method=ft.GENRE_CURVE)
        out["genre_plain_sigmoid"] = report(rec, splits=[r[3] for r in rec], method="sigmoid")
        rec = ft._records_frames(d23, w)
        out["frame"] = report(rec, 14, [r[3] for r in rec])
        print(dumps(out, indent=1), flush=True)
    if "narrative" in tasks:
        nrec = narrative_records(a.data / "semeval2025-task10")
        out["narrative"] = report(nrec["narrative"])
        out["subnarrative"] = report(nrec["subnarrative"])
        print(dumps({k: out[k] for k in ("narrative", "subnarrative")}, indent=1), flush=True)
    if "roles" in tasks:
        from spinscope.analysis.roles import RoleAnalyzer
        from spinscope.training.calibrate_labels import roles_records

        card = RoleAnalyzer(calibrated=False).card
        acc = roles_records(a.data / "semeval2025-task10", card)
        groups = acc["groups"]
        recs = acc["records"]
        out["roles"] = ece_report([r[1] for r in recs], [r[2] for r in recs], groups, "isotonic")
        print(dumps({"roles": out["roles"]}, indent=1), flush=True)


if __name__ == "__main__":
    main()
