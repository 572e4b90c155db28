"""Genre under a change of class mix (issue 15): decision rules and calibrations compared on the
same splits (FR/DE/IT/PL/RU dev and the English shifted-mix split), every model trained on the
six languages' train splits without the English split (as ``training.framing_multilingual``).

Rules: ``balanced`` (the shipped class-balanced softmax, the uniform-prior rule); ``divided``
(plain softmax, training priors divided out); ``em`` / ``em_t`` (Saerens EM over each split as a
batch, on the raw and on the temperature-scaled posteriors; the temperature is fitted with
class-balanced weights on out-of-fold training posteriors, so the posteriors are calibrated for a
uniform prior, which is what EM assumes); ``map_em_t`` (EM with a Dirichlet pull toward uniform).
Calibration of the emitted genre's score (ECE, 10 bins): curves fitted on the out-of-fold
training answers only, scored on the held-out dev and English-split answers.

    PYTHONPATH=src python bench/genre_shift.py --data ../shared/data --cache /work/cache-label/feats
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from spinscope.analysis.calibration import ece
from spinscope.analysis.feature_cache import load_cache
from spinscope.corpora.semeval23_articles import GENRES
from spinscope.model.jsonable import dumps
from spinscope.training import framing_multilingual as fm
from spinscope.training import genre_calibration as gc


def macro(gold: list[str], pred: list[str]) -> float:
    from sklearn.metrics import f1_score

    return round(
        float(f1_score(gold, pred, labels=list(GENRES), average="macro", zero_division=0)), 4
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--C", type=float, default=2.0)
    a = ap.parse_args()
    data = fm.load_all(a.data / "semeval2023-task3", load_cache(a.cache))
    splits = gc.held_splits(data)
    xtr, ytr, langs = gc.train_rows(data)
    prior = np.array([ytr.count(g) / len(ytr) for g in GENRES])
    out: dict = {"train_mix": dict(zip(GENRES, prior.round(3).tolist(), strict=True)), "rules": {}}
    w_bal = fm.fit_genre(xtr, ytr, a.C)
    w_plain = gc.fit_plain(xtr, ytr, a.C)
    oof = gc.out_of_fold_logits(xtr, ytr, langs, a.C)
    t = gc.fit_temperature(oof, ytr)
    out["temperature"] = round(t, 3)
    rules: dict[str, dict] = {k: {} for k in ("balanced", "divided", "em", "em_t", "map_em_t")}
    for name, (x, gold) in splits.items():
        z = gc.logits(w_bal, x)
        p = gc.softmax(z)
        pt = gc.softmax(z / t)
        pd = gc.softmax(gc.logits(w_plain, x)) / prior
        pd /= pd.sum(1, keepdims=True)
        preds = {
            "balanced": p,
            "divided": pd,
            "em": fm.em_priors(p)[1],
            "em_t": fm.em_priors(pt)[1],
            "map_em_t": gc.map_em(pt)[1],
        }
        for rule, q in preds.items():
            rules[rule][name] = macro(gold, [GENRES[k] for k in q.argmax(1)])
        rules.setdefault("mix", {})[name] = {g: round(gold.count(g) / len(gold), 3) for g in GENRES}
        rules.setdefault("em_t_mix", {})[name] = dict(
            zip(GENRES, fm.em_priors(pt)[0].round(3).tolist(), strict=True)
        )
    for rule in ("balanced", "divided", "em", "em_t", "map_em_t"):
        rules[rule]["mean_dev"] = round(float(np.mean([rules[rule][g] for g in fm.DEV_LANGS])), 4)
    out["rules"] = rules
    # calibration of the answered genre's score: fitted on out-of-fold training answers only
    oof_p = gc.softmax(oof)
    fit_s, fit_c = oof_p.max(1), (oof_p.argmax(1) == np.array([GENRES.index(g) for g in ytr]))
    held_s, held_c = [], []
    for x, gold in splits.values():
        p = gc.softmax(gc.logits(w_bal, x))
        held_s.append(p.max(1))
        held_c.append(p.argmax(1) == np.array([GENRES.index(g) for g in gold]))
    hs, hc = np.concatenate(held_s), np.concatenate(held_c).astype(int)
    cal: dict = {"held_answers": len(hs), "held_accuracy": round(float(hc.mean()), 4),
                 "oof_answers": len(fit_s), "oof_accuracy": round(float(fit_c.mean()), 4),
                 "raw": round(ece(hs, hc), 4)}  # fmt: skip
    for method in ("sigmoid", "isotonic"):
        curve = gc.fit_curve(fit_s, fit_c.astype(int), method)
        cal[f"{method}_fit_oof"] = round(ece(curve(hs), hc), 4)
    both_s, both_c = np.concatenate([fit_s, hs]), np.concatenate([fit_c.astype(int), hc])
    groups = np.arange(len(both_s))
    for method in ("sigmoid", "isotonic"):
        cf = gc.crossfit_curve(both_s, both_c, groups, method)
        cal[f"{method}_crossfit_all"] = round(ece(cf, both_c), 4)
        cal[f"{method}_crossfit_all_on_held"] = round(ece(cf[len(fit_s) :], hc), 4)
        cal[f"{method}_noise_all"] = gc.ece_noise(cf)
        cal[f"{method}_noise_held"] = gc.ece_noise(cf[len(fit_s) :])
    out["calibration"] = cal
    print(dumps(out, indent=1))


if __name__ == "__main__":
    main()
