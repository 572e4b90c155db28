"""Paragraph-level SemEval-2023 techniques from the multilingual tagger, the paragraph model, or
both (issue 14): ST3 paragraph micro-F1 on EN (the 75 PTC dev articles), FR, DE, IT, PL, RU dev
and the CheckThat! 2024 English dev half (ct24, measured only).

A paragraph's tagger score for a technique is the highest token score of that technique's
channel on the paragraph's line; the paragraph model's is its calibrated probability on the
official template. A rule ``w, t`` reports a technique where ``w * tagger + (1 - w) * model >=
t``. The rule for each ST3 language is chosen on the other five languages' dev sets (leave one
language out) and, for ct24, on all six; the in-sample best is printed beside it.

    python bench/multilingual_ensemble.py --model-dir DIR [--cache DIR] [--data ../shared/data]
        [--write DELTA_DIR]

``--write`` chooses the shipped rule with ``training.multilingual_rule`` (on all six ST3 dev
sets; each language's held-out score and ECE from the other five) for the last ``--model-dir``
and writes it as ``DELTA_DIR/ensemble.json``, which the paragraph analyser reads.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

from spinscope.evaluation.semeval23 import st3_score
from spinscope.model.taxonomy import LABELS_2023, SEMEVAL2023
from spinscope.settings import load_settings

HERE = Path(__file__).resolve().parent
ST3 = ("EN", "FR", "DE", "IT", "PL", "RU")
WEIGHTS = (0.0, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0)
THRESHOLDS = tuple(round(x, 3) for x in np.arange(0.08, 0.5, 0.02))
LABELS = list(LABELS_2023)


def paragraphs(data: Path, name: str):
    from spinscope.corpora.technique_paragraphs import load_checkthat24, load_split

    if name == "ct24":
        return load_checkthat24(data / "checkthat2024-task3-en-dev")
    return load_split(data, name, "dev")


def tagger_maxima(model_dir: str, data: Path, name: str) -> dict[tuple[str, int], np.ndarray]:
    """{(article, line): the highest score of each 2023 channel on that line}."""
    from spinscope.analysis.multilingual_tagger import paragraph_maxima
    from spinscope.analysis.techniques import TechniqueTagger
    from spinscope.evaluation.technique_scores import line_bounds

    sys.path.insert(0, str(HERE))
    from multilingual_tagger import load_set

    docs = load_set(data, name)
    tagger = TechniqueTagger(model_dir=model_dir, taxonomies=(SEMEVAL2023,), decoder="channels",
                             calibrated=False)  # fmt: skip
    out = {}
    for k in range(0, len(docs), 8):
        chunk = docs[k : k + 8]
        for doc, sc in zip(chunk, tagger.scores([d.text for d in chunk], hidden=False),
                           strict=True):  # fmt: skip
            lines = line_bounds(doc.text)
            maxima = paragraph_maxima(sc, list(lines.values()))
            out.update({(doc.id, number): row for number, row in zip(lines, maxima, strict=True)})
    return out


def model_probs(data: Path, par) -> np.ndarray:
    from spinscope.evaluation.paragraph_scores import paragraph_probs
    from spinscope.registry import create_analyzer

    model = create_analyzer("techniques_paragraphs", load_settings({}))
    return paragraph_probs(model, par)


def load_inputs(model_dirs: list[str], data: Path, cache: Path) -> dict:
    path = cache / "ensemble-inputs.pkl"
    out = pickle.loads(path.read_bytes()) if path.is_file() else {}
    for name in (*ST3, "ct24"):
        par = paragraphs(data, name)
        if name not in out:
            out[name] = {"gold": [(a, str(n), lab) for a, n, lab in
                                  zip(par.ids, par.lines, par.labels, strict=True)],
                         "model": model_probs(data, par)}  # fmt: skip
        for md in model_dirs:
            if md not in out[name]:
                found = tagger_maxima(md, data, name)
                zero = np.zeros(len(LABELS))
                out[name][md] = np.stack([found.get((a, n), zero) for a, n in
                                          zip(par.ids, par.lines, strict=True)])  # fmt: skip
            cache.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps(out))
    return out


def score(d: dict, md: str, w: float, t: float) -> float:
    s = w * d[md] + (1 - w) * d["model"]
    pred = [(a, n, frozenset(LABELS[j] for j in np.flatnonzero(row >= t)))
            for (a, n, _), row in zip(d["gold"], s, strict=True)]  # fmt: skip
    return float(st3_score(pred, d["gold"], LABELS)["micro_f1"])


def _lolo(grid: dict, name: str, others: list[str], w: float) -> tuple[float, float]:
    """One source alone (``w`` 0: the paragraph model, 1: the tagger): its F1 on ``name`` at
    the threshold that is best on ``others``, and that threshold."""
    t = max(THRESHOLDS, key=lambda t: np.mean([grid[(w, t)][n] for n in others]))
    return round(grid[(w, t)][name], 4), t


def write_rule(inputs: dict, md: str, delta_dir: Path, data: Path) -> None:
    from spinscope.analysis.multilingual_tagger import ENSEMBLE
    from spinscope.training.multilingual_rule import choose
    from spinscope.training.techniques_paragraphs import targets

    sets = {n: (inputs[n][md], inputs[n]["model"], targets(paragraphs(data, n))) for n in ST3}
    rule = {"chosen_on": "SemEval-2023 ST3 dev EN FR DE IT PL RU (bench/multilingual_ensemble.py)",
            **choose(sets, LABELS)}  # fmt: skip
    rule["tagger_only"] = choose(sets, LABELS, weights=(1.0,))
    for r in (rule, rule["tagger_only"]):
        r["ct24_micro_f1_measured_only"] = round(
            score(inputs["ct24"], md, r["weight"], r["threshold"]), 4)
    (delta_dir / ENSEMBLE).write_text(json.dumps(rule, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(rule, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", action="append", required=True)
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path, default=Path("/tmp/spinscope-ensemble"))
    ap.add_argument("--write", type=Path, help="write the chosen rule into this delta folder")
    args = ap.parse_args()
    inputs = load_inputs(args.model_dir, args.data, args.cache)
    if args.write:
        write_rule(inputs, args.model_dir[-1], args.write, args.data)
        return
    for md in args.model_dir:
        grid = {(w, t): {n: score(inputs[n], md, w, t) for n in (*ST3, "ct24")}
                for w in WEIGHTS for t in THRESHOLDS}  # fmt: skip
        result = {}
        for name in (*ST3, "ct24"):
            others = [n for n in ST3 if n != name]
            chosen = max(grid, key=lambda r: np.mean([grid[r][n] for n in others]))
            best = max(grid, key=lambda r: grid[r][name])
            model_only = _lolo(grid, name, others, 0.0)
            tagger_only = _lolo(grid, name, others, 1.0)
            result[name] = {
                "chosen_rule": chosen,
                "f1": round(grid[chosen][name], 4),
                "in_sample_best": [best, round(grid[best][name], 4)],
                "model_only": model_only,
                "tagger_only": tagger_only,
            }
        print(json.dumps({"model_dir": md, **result}, indent=1, default=str))


if __name__ == "__main__":
    main()
