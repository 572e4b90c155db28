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
    PYTHONPATH=src python bench/genre_shift.py ... --style

``--style``: instead, the shipped rule with nine language-light style features beside the vectors
(quote marks, digits, ? and ! per sentence, sentence length, length, brackets, lines, capitalised
words; standardised on train, times a scale), over a scale x C grid; and the same with the other
languages' dev sets added to training (``lodo``: each split scored by a model that saw the four
other dev sets, never its own).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np

from spinscope.analysis.calibration import ece
from spinscope.analysis.feature_cache import load_cache
from spinscope.corpora.semeval23_articles import GENRES
from spinscope.model.jsonable import dumps
from spinscope.training import framing_multilingual as fm
from spinscope.training import genre_calibration as gc

QUOTES = re.compile(r'["“”«»„]')


def style(t: str) -> np.ndarray:
    words = t.split()
    n = max(len(words), 1)
    lines = [x for x in t.splitlines() if x.strip()]
    sents = max(len(re.findall(r"[.!?…]+(\s|$)", t)), 1)
    return np.array([
        np.log(n), len(QUOTES.findall(t)) / n * 10,
        sum(c.isdigit() for c in t) / max(len(t), 1) * 100,
        t.count("?") / sents, t.count("!") / sents, n / sents / 20, t.count("(") / n * 100,
        len(lines) / n * 10, sum(w[:1].isupper() for w in words) / n,
    ])  # fmt: skip


def style_grid(root: Path, data: dict) -> dict:
    s = {}
    for lang in fm.LANGS:
        for split in ("train", "dev") if lang != "EN" else ("train",):
            s[lang, split] = np.stack([style(t) for t in fm.split_data(root, lang, split, 1)[1]])
    ids, x, y = data[1, "EN", "train"]
    held = fm.en_shifted_ids(ids, y)
    keep = np.array([i not in held for i in ids])
    xtr = np.concatenate([x[keep]] + [data[1, lang, "train"][1] for lang in fm.DEV_LANGS])
    st = np.concatenate([s["EN", "train"][keep]] + [s[lang, "train"] for lang in fm.DEV_LANGS])
    ytr = [g for g, k in zip(y, keep, strict=True) if k]
    ytr += [g for lang in fm.DEV_LANGS for g in data[1, lang, "train"][2]]
    mu, sd = st.mean(0), st.std(0) + 1e-9
    splits = {lang: (data[1, lang, "dev"][1], s[lang, "dev"], data[1, lang, "dev"][2])
              for lang in fm.DEV_LANGS}  # fmt: skip
    splits["EN_shifted"] = (x[~keep], s["EN", "train"][~keep],
                            [g for g, k in zip(y, keep, strict=True) if not k])  # fmt: skip
    out = {}
    for lodo in (False, True):
        for scale in (0.0, 0.1, 0.3, 1.0):
            for c in (0.5, 2.0, 8.0):
                if lodo and (scale not in (0.0, 1.0) or c == 0.5):
                    continue

                def f(a, b, scale=scale):
                    return np.hstack([a, scale * (b - mu) / sd]) if scale else a

                res = {}
                for name, (a, b, gold) in splits.items():
                    others = [m for m in fm.DEV_LANGS if m != name] if lodo else []
                    xs = np.concatenate([f(xtr, st)] + [f(data[1, m, "dev"][1], s[m, "dev"])
                                                        for m in others])  # fmt: skip
                    ys = ytr + [q for m in others for q in data[1, m, "dev"][2]]
                    w = fm.fit_genre(xs, ys, c)
                    res[name] = macro(gold, [GENRES[k] for k in gc.logits(w, f(a, b)).argmax(1)])
                res["mean_dev"] = round(float(np.mean([res[m] for m in fm.DEV_LANGS])), 4)
                out[f"{'lodo ' if lodo else ''}scale {scale} C {c}"] = res
                print(dumps({f"{'lodo ' if lodo else ''}scale {scale} C {c}": res}), flush=True)
    return out


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
    ap.add_argument("--style", action="store_true")
    a = ap.parse_args()
    data = fm.load_all(a.data / "semeval2023-task3", load_cache(a.cache))
    if a.style:
        style_grid(a.data / "semeval2023-task3", data)
        return
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
