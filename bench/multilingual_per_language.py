"""Issue 14: would a threshold or a Platt curve of each language's own beat the one rule of the
combination (tagger 0.5 + paragraph model 0.5 >= 0.2, one Platt curve)? Each ST3 dev set is cut in
two halves by article (crc32 of the id, mod 2); the threshold (F1) and curve (ECE of the findings)
are fitted on one half and scored on the other, both ways, mean of the two. Reads the inputs that
``bench/multilingual_ensemble.py --cache DIR`` stores (``DIR/ensemble-inputs.pkl``).

    python bench/multilingual_per_language.py [--cache /tmp/spinscope-ensemble]
"""

from __future__ import annotations

import argparse
import json
import pickle
import zlib
from pathlib import Path

import numpy as np

from spinscope.analysis.multilingual_tagger import confidence, shipped_delta_dir
from spinscope.model.taxonomy import LABELS_2023
from spinscope.training.techniques_paragraphs import ece, fit_platt, micro_f1

LABELS = list(LABELS_2023)
THRESHOLDS = [round(float(x), 3) for x in np.arange(0.08, 0.5, 0.02)]


def matrices(inputs: dict, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Combined scores, gold and each paragraph's article half, for one dev set."""
    rule = json.loads((shipped_delta_dir() / "ensemble.json").read_text())
    d = inputs[name]
    tagger = next(k for k in d if k not in ("gold", "model"))
    w = float(rule["weight"])
    y = np.array([[label in labels for label in LABELS] for _, _, labels in d["gold"]])
    halves = np.array([zlib.crc32(a.encode()) % 2 for a, _, _ in d["gold"]])
    return w * d[tagger] + (1 - w) * d["model"], y, halves


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/spinscope-ensemble"))
    inputs = pickle.loads((ap.parse_args().cache / "ensemble-inputs.pkl").read_bytes())
    rule = json.loads((shipped_delta_dir() / "ensemble.json").read_text())
    t0, pooled = float(rule["threshold"]), rule["platt"]
    for name in ("EN", "FR", "DE", "IT", "PL", "RU"):
        c, y, halves = matrices(inputs, name)
        rows: dict[str, list[float]] = {"f1_one_rule": [], "f1_own_t": [], "own_t": [],
                                        "ece_one_curve": [], "ece_own_curve": []}  # fmt: skip
        for h in (0, 1):
            fit, sc = halves != h, halves == h
            t = max(THRESHOLDS, key=lambda t: micro_f1(y[fit], c[fit] >= t))
            found = c[sc] >= t0
            rows["own_t"].append(t)
            rows["f1_one_rule"].append(micro_f1(y[sc], c[sc] >= t0))
            rows["f1_own_t"].append(micro_f1(y[sc], c[sc] >= t))
            rows["ece_one_curve"].append(ece(confidence(c[sc][found], pooled), y[sc][found]))
            own = fit_platt(c[fit], y[fit])
            rows["ece_own_curve"].append(ece(confidence(c[sc][found], own), y[sc][found]))
        print(name, json.dumps({k: v if k == "own_t" else round(float(np.mean(v)), 4)
                                for k, v in rows.items()}))  # fmt: skip


if __name__ == "__main__":
    main()
