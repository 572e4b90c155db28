"""Issue 14: does refitting the techniques calibration on data closer to recent text lower the
ECE of the tagger's SemEval-2023 findings on late-2023 news (CheckThat! 2024 en dev, "ct24")
while PTC dev ECE stays honest and < 0.05?

The English labelled span data: PTC train (the tagger's training data), PTC dev (the shipped
calibration's data; it is also the 75 non-PTC-train articles of SemEval-2023 EN train, which is
PTC train + PTC dev and nothing else), SemEval-2021 Task 6 meme texts (2020-21, never used for
training; mapped onto the 2023 names) and ct24 (measured only: nothing is fitted or chosen on it).

Records (label, raw confidence, right?) are computed once with the uncalibrated tagger and kept
in ``--cache``; each variant is then fitted on its pool and scored:
* PTC dev ECE, cross-fitted: PTC dev articles split in folds (the shipped task's 2 folds, and 5
  random 5-fold splits); the curve that scores a fold never saw it (the added pool is always in).
* ct24 ECE: the curve fitted on the whole pool, applied to ct24's findings; a paired article
  bootstrap gives its 95% interval and that of the change against ``--baseline`` (a
  calibration.json; default the shipped one).
* Brier scores beside the ECE (a curve can lower ECE by flattening; Brier would then rise), and
  how many findings each curve shows as 0.00 (the report hides those by default).

    git show 3daeeb1:src/spinscope/models/techniques/calibration.json > /tmp/before.json
    PYTHONPATH=src python bench/technique_calibration_shift.py --data ../shared/data \
        --cache /work/cache-cal/records.json --baseline /tmp/before.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

from spinscope.analysis.calibration import Calibration, ece
from spinscope.training.calibrate import fit_calibration, technique_records

TAX = "semeval2023"
SHIPPED = Path(__file__).resolve().parents[1] / "src/spinscope/models/techniques"


def _overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def doc_records(tagger, docs) -> tuple[list, list]:
    """Records and groups of the tagger's SemEval-2023 spans on ``SpanDocument``s."""
    from spinscope.evaluation.predict import semeval23_tagger

    st3 = semeval23_tagger(tagger)
    records, groups = [], []
    for k in range(0, len(docs), 8):
        chunk = docs[k : k + 8]
        for doc, sc in zip(chunk, st3.scores([d.text for d in chunk]), strict=True):
            for s in st3.spans(sc, TAX):
                right = any(g.label == s.label and _overlaps((s.start, s.end), (g.start, g.end))
                            for g in doc.spans)  # fmt: skip
                records.append((s.label, float(s.confidence), int(right)))
                groups.append(doc.id)
    return records, groups


def compute(data: Path) -> dict:
    from spinscope.analysis.techniques import TechniqueTagger
    from spinscope.corpora.ptc import add_semeval23_layer, load_ptc
    from spinscope.corpora.technique_spans import load_checkthat24, load_semeval21_spans

    tagger = TechniqueTagger(calibrated=False)
    arts = load_ptc(data / "ptc-semeval2020-task11", "dev")
    add_semeval23_layer(arts, data / "semeval2023-task3" / "en")
    both = technique_records(tagger, arts)
    out = {"ptc_dev": {"records": both[TAX]["records"], "groups": both[TAX]["groups"]},
           "ptc_dev_2020": {"records": both["ptc2020"]["records"],
                            "groups": both["ptc2020"]["groups"]}}  # fmt: skip
    r, g = doc_records(tagger, load_checkthat24(data / "checkthat2024-task3-en-dev"))
    out["ct24"] = {"records": r, "groups": g}
    for split in ("train", "dev", "test"):
        r, g = doc_records(tagger, load_semeval21_spans(data / "semeval2021-task6", split))
        out[f"se21_{split}"] = {"records": r, "groups": [f"se21{split}-{x}" for x in g]}
    return out


def fit(records, how: str) -> Calibration:
    method = "sigmoid" if how.startswith("sigmoid") else "isotonic"
    cal = fit_calibration(records, method)
    return Calibration(pooled=cal.pooled) if how.endswith("pooled") else cal


def apply(cal: Calibration, records) -> np.ndarray:
    """Confidences as the tagger reports them (rounded to 4 places)."""
    return np.array([round(cal.confidence(lab, s), 4) for lab, s, _ in records])


def crossfit_probs(ptc, extra, how: str, folds: int, seed: int | None) -> np.ndarray:
    recs, groups = [tuple(r) for r in ptc["records"]], ptc["groups"]
    keys = sorted(set(groups))
    if seed is not None:
        random.Random(seed).shuffle(keys)
    fold_of = {g: k % folds for k, g in enumerate(keys)}
    probs = np.zeros(len(recs))
    for f in range(folds):
        pool = [r for r, g in zip(recs, groups, strict=True) if fold_of[g] != f] + extra
        cal = fit(pool, how)
        for i, (r, g) in enumerate(zip(recs, groups, strict=True)):
            if fold_of[g] == f:
                probs[i] = cal.confidence(r[0], r[1])
    return probs


def crossfit_ece(ptc, extra, how: str, folds: int, seed: int | None) -> float:
    return ece(crossfit_probs(ptc, extra, how, folds, seed), [r[2] for r in ptc["records"]])


def brier(probs, right) -> float:
    return round(float(np.mean((np.asarray(probs) - np.asarray(right)) ** 2)), 4)


def _interval(xs) -> list[float]:
    return [round(float(np.percentile(xs, 2.5)), 4), round(float(np.percentile(xs, 97.5)), 4)]


def bootstrap(groups, right, probs_by: dict[str, np.ndarray], base: str, n: int = 1000):
    """95% intervals of each variant's ECE and of its change against ``base`` (articles drawn)."""
    keys = sorted(set(groups))
    idx = {k: [i for i, g in enumerate(groups) if g == k] for k in keys}
    rng = random.Random(7)
    draws: dict[str, list] = {v: [] for v in probs_by}
    diffs: dict[str, list] = {v: [] for v in probs_by}
    for _ in range(n):
        rows = [i for k in (rng.choice(keys) for _ in keys) for i in idx[k]]
        base_e = ece(probs_by[base][rows], right[rows])
        for v, p in probs_by.items():
            e = ece(p[rows], right[rows])
            draws[v].append(e)
            diffs[v].append(e - base_e)
    return {
        v: {"ct24_ece_ci": _interval(draws[v]), "ct24_change_vs_baseline_ci": _interval(diffs[v])}
        for v in probs_by
    }


POOLS = {"ptc_dev": [], "ptc_dev+se21": ["se21_train", "se21_dev", "se21_test"]}
HOWS = ["isotonic", "isotonic_pooled", "sigmoid", "sigmoid_pooled"]


def _rows(part) -> list[tuple]:
    return [tuple(r) for r in part["records"]]


def _variant(rec, extra, how: str, ct, right) -> tuple[dict, np.ndarray]:
    """One fitting recipe: PTC dev ECE and Brier cross-fitted, ct24 ECE of the whole-pool fit."""
    ptc = rec["ptc_dev"]
    gold = [r[2] for r in ptc["records"]]
    probs = apply(fit(_rows(ptc) + extra, how), ct)
    five = [crossfit_ece(ptc, extra, how, 5, s) for s in range(5)]
    return {
        "ptc_dev_ece_crossfit_2fold": round(crossfit_ece(ptc, extra, how, 2, None), 4),
        "ptc_dev_ece_crossfit_5fold_5seeds_min_mean_max": [
            round(min(five), 4), round(float(np.mean(five)), 4), round(max(five), 4)],
        "ptc_dev_brier_crossfit_2fold": brier(crossfit_probs(ptc, extra, how, 2, None), gold),
        "ptc_dev_brier_crossfit_5fold_seed0": brier(crossfit_probs(ptc, extra, how, 5, 0), gold),
        "ct24_ece": round(ece(probs, right), 4),
        "ct24_brier": brier(probs, right),
        "ct24_shown_as_0.00": int((np.round(probs, 2) <= 0).sum()),
    }, probs  # fmt: skip


def _ptc2020(p20) -> dict:
    gold = [r[2] for r in p20["records"]]
    return {how: {
        "ece_crossfit_2fold": round(crossfit_ece(p20, [], how, 2, None), 4),
        "ece_crossfit_5fold_5seeds_mean": round(
            float(np.mean([crossfit_ece(p20, [], how, 5, s) for s in range(5)])), 4),
        "brier_crossfit_2fold": brier(crossfit_probs(p20, [], how, 2, None), gold),
    } for how in HOWS}  # fmt: skip


def report(rec: dict, baseline: Calibration) -> dict:
    ct = _rows(rec["ct24"])
    right = np.array([r[2] for r in ct])
    base = apply(baseline, ct)
    out: dict = {
        "counts": {k: len(v["records"]) for k, v in rec.items()},
        "share_right": {k: round(float(np.mean([r[2] for r in v["records"]])), 4)
                        for k, v in rec.items()},  # fmt: skip
        "ct24_raw_ece": round(ece([r[1] for r in ct], right), 4),
        "ct24_brier_constant_ptc_dev_rate": brier(
            np.full(len(right), float(np.mean([r[2] for r in rec["ptc_dev"]["records"]]))), right
        ),
        "variants": {"baseline file": {"ct24_ece": round(ece(base, right), 4),
                                       "ct24_brier": brier(base, right),
                                       "ct24_shown_as_0.00": int((np.round(base, 2) <= 0).sum())}},
    }  # fmt: skip
    probs_by = {"baseline file": base}
    for pool, extra_keys in POOLS.items():
        extra = [tuple(r) for k in extra_keys for r in rec[k]["records"]]
        for how in HOWS:
            name = f"{pool}/{how}"
            out["variants"][name], probs_by[name] = _variant(rec, extra, how, ct, right)
    for name, b in bootstrap(rec["ct24"]["groups"], right, probs_by, "baseline file").items():
        out["variants"][name].update(b)
    if "ptc_dev_2020" in rec:
        out["ptc2020_ptc_dev"] = _ptc2020(rec["ptc_dev_2020"])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument(
        "--baseline",
        type=Path,
        default=SHIPPED / "calibration.json",
        help="the calibration.json to compare against (default: the shipped one)",
    )
    args = ap.parse_args(argv)
    try:
        baseline = Calibration.from_dict(json.loads(args.baseline.read_text())[TAX])
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: no {TAX} calibration in {args.baseline}: {exc}", file=sys.stderr)
        return 2
    if args.cache.is_file():
        rec = json.loads(args.cache.read_text())
    else:
        rec = compute(args.data)
        args.cache.write_text(json.dumps(rec))
    print(json.dumps(report(rec, baseline), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
