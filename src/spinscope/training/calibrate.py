"""Fit the calibration each analyser ships (``analysis.calibration``) on held-out data, and
measure it honestly: the expected calibration error before and after is cross-fitted (the curves
that score a held-out article were fitted on the other articles), while the shipped curves are
fitted on all of the held-out data.

Techniques: the 75 PTC dev articles (never used for training); a finding is right when it
overlaps a gold span with the same technique in its taxonomy (PTC-2020 gold for ``ptc2020``,
the SemEval-2023 span layer of the same articles for ``semeval2023``). Needs scikit-learn.

Claims (``calibrate_claims``): the out-of-fold scores of the ClaimBuster 5-fold cross-validation
(``oof.tsv``, written by ``spinscope eval claimbuster --out runs/checkworthy/cv``). Framing and
roles (``calibrate_labels``): the out-of-fold scores of the cross-validations their training
already runs on the training articles (the English SemEval-2023 and SemEval-2025 training sets;
never dev or test). Reproduce with
``spinscope train calibrate-{claims,framing,roles} --out MODEL_DIR --diagram PNG``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis.calibration import (
    FILE,
    Calibration,
    Curve,
    Reliability,
    ece,
    reliability_bins,
)

POOLED = "*"  # the one label of records fitted as one pool
MIN_PER_LABEL = 40  # held-out findings a label needs for a curve of its own
FOLDS = 2


SIGMOID_BELOW = 500  # a pooled task curve with fewer records is a sigmoid (Platt), not isotonic


def fit_curve(
    scores: Sequence[float] | np.ndarray,
    correct: Sequence[int] | np.ndarray,
    method: str = "isotonic",
) -> Curve:
    """Isotonic regression (or, with ``method="sigmoid"``, Platt scaling on the score's logit)
    from score to correctness, as a piecewise-linear curve."""
    if method == "sigmoid":
        return _sigmoid_curve(scores, correct)
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(np.asarray(scores, float), np.asarray(correct, float))
    xs = [round(float(x), 6) for x in iso.X_thresholds_]
    ys = [round(float(y), 6) for y in iso.y_thresholds_]
    return Curve(tuple(xs), tuple(ys))


def _sigmoid_curve(
    scores: Sequence[float] | np.ndarray, correct: Sequence[int] | np.ndarray
) -> Curve:
    """Platt scaling: a two-parameter logistic curve over logit(score), which needs far fewer
    records than isotonic regression (whose end blocks jump to 0 or 1 on a few hundred)."""
    from sklearn.linear_model import LogisticRegression

    def logit(x):
        x = np.clip(np.asarray(x, float), 1e-4, 1 - 1e-4)
        return np.log(x / (1 - x))

    y = np.asarray(correct, int)
    if y.min() == y.max():  # one class only: a constant curve at its rate
        return Curve((0.0, 1.0), (float(y[0]), float(y[0])))
    lr = LogisticRegression(C=1e4, max_iter=1000).fit(logit(scores)[:, None], y)
    xs = np.linspace(0.0, 1.0, 101)
    ys = lr.predict_proba(logit(xs)[:, None])[:, 1]
    return Curve(tuple(round(float(x), 6) for x in xs), tuple(round(float(v), 6) for v in ys))


def fit_calibration(
    records: Sequence[tuple[str, float, int]],
    method: str = "isotonic",
    per_label: bool = True,
    **meta: Any,
) -> Calibration:
    """Curves from ``(label, raw score, right?)`` records: pooled, and (with ``per_label``) per
    label where the label has at least MIN_PER_LABEL records."""
    labels = Counter(label for label, _, _ in records) if per_label else Counter()
    pooled = fit_curve([s for _, s, _ in records], [c for _, _, c in records], method)
    own = {
        label: fit_curve(
            [s for lab, s, _ in records if lab == label],
            [c for lab, _, c in records if lab == label],
            method,
        )  # fmt: skip
        for label, n in labels.items()
        if n >= MIN_PER_LABEL
    }
    return Calibration(pooled=pooled, labels=own, meta=meta)


def crossfit(
    records: Sequence[tuple[str, float, int]],
    groups: Sequence[str],
    folds: int = FOLDS,
    method: str = "isotonic",
    per_label: bool = True,
) -> np.ndarray:
    """Calibrated probabilities of each record from curves fitted on the other groups' records."""
    keys = sorted(set(groups))
    fold_of = {g: k % folds for k, g in enumerate(keys)}
    out = np.zeros(len(records))
    for f in range(folds):
        fit_on = [r for r, g in zip(records, groups, strict=True) if fold_of[g] != f]
        cal = fit_calibration(fit_on, method, per_label)
        for i, (r, g) in enumerate(zip(records, groups, strict=True)):
            if fold_of[g] == f:
                out[i] = cal.confidence(r[0], r[1])
    return out


def summary(records, groups, method: str = "isotonic", per_label: bool = True) -> dict[str, Any]:
    """ECE of the raw scores and of the cross-fitted calibration, with reliability bins."""
    raw = np.array([s for _, s, _ in records])
    right = np.array([c for _, _, c in records])
    calibrated = crossfit(records, groups, method=method, per_label=per_label)
    return {
        "findings": len(records),
        "accuracy": round(float(right.mean()), 4) if len(right) else None,
        "ece_raw": round(ece(raw, right), 4),
        "ece_calibrated_crossfit": round(ece(calibrated, right), 4),
        "method": method,
        "bins_raw": reliability_bins(raw, right),
        "bins_calibrated_crossfit": reliability_bins(calibrated, right),
        "_raw": raw, "_calibrated": calibrated, "_right": right,
    }  # fmt: skip


# -- techniques -----------------------------------------------------------------------------


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def technique_records(tagger, articles) -> dict[str, dict[str, Any]]:
    """Per taxonomy: records ``(label, raw confidence, right?)``, their article ids, and per
    label the held-out precision and recall of the findings as emitted."""
    from spinscope.model.document import Document

    out: dict[str, dict[str, Any]] = {
        t: {"records": [], "groups": [], "gold": Counter(), "found": Counter()}
        for t in tagger.taxonomies
    }
    for k in range(0, len(articles), 8):
        chunk = articles[k : k + 8]
        for art, findings in zip(chunk, tagger.analyze([Document(a.text) for a in chunk]),
                                 strict=True):  # fmt: skip
            for taxonomy, acc in out.items():
                gold = art.spans.get(taxonomy, [])
                mine = [f for f in findings if f.taxonomy == taxonomy]
                for f in mine:
                    right = any(g.label == f.label and _overlaps((f.start, f.end), (g.start, g.end))
                                for g in gold)  # fmt: skip
                    acc["records"].append((f.label, f.confidence, int(right)))
                    acc["groups"].append(art.id)
                for g in gold:
                    acc["gold"][g.label] += 1
                    acc["found"][g.label] += any(
                        f.label == g.label and _overlaps((f.start, f.end), (g.start, g.end))
                        for f in mine
                    )
    return out


def reliability_of(records, gold: Counter, found: Counter) -> dict[str, Reliability]:
    labels = sorted(set(gold) | {lab for lab, _, _ in records})
    out = {}
    for label in labels:
        mine = [c for lab, _, c in records if lab == label]
        out[label] = Reliability(
            precision=round(sum(mine) / len(mine), 4) if mine else None,
            recall=round(found[label] / gold[label], 4) if gold[label] else None,
            support=int(gold[label]),
            predicted=len(mine),
        )
    return out


TECHNIQUE_CURVES = "one isotonic curve per taxonomy, pooled over techniques"
"""Per-technique curves (isotonic, 40+ findings) were dropped in issue 14 (s12-cal): on the PTC
dev articles, cross-fitted, one pooled curve per taxonomy has the lower ECE and Brier score
(BENCHMARKS.md, "Issue 14: technique calibration for new text")."""


def calibrate_techniques(
    data: Path, out: Path | None = None, model_dir: str | None = None, per_label: bool = False
):
    """Fit and (with ``out``) write the techniques calibration; returns the report."""

    from spinscope.analysis.techniques import TechniqueTagger
    from spinscope.corpora.ptc import add_semeval23_layer, load_ptc

    articles = load_ptc(Path(data) / "ptc-semeval2020-task11", "dev")
    add_semeval23_layer(articles, Path(data) / "semeval2023-task3" / "en")
    tagger = TechniqueTagger(model_dir=model_dir, calibrated=False)
    per_tax = technique_records(tagger, articles)
    config = {"span_labeller": tagger.span_labeller, "decoder": tagger.decoder,
              "threshold": tagger.threshold, "variant": tagger.variant}  # fmt: skip
    shipped, report = {}, {}
    for taxonomy, acc in per_tax.items():
        meta: dict[str, Any] = {"fitted_on": "PTC dev (75 articles, held out from training)",
                "curves": "one per technique with 40+ findings, pooled otherwise" if per_label
                else TECHNIQUE_CURVES, "date": date.today().isoformat(), **config}  # fmt: skip
        cal = fit_calibration(acc["records"], per_label=per_label, **meta)
        cal = replace(cal, reliability=reliability_of(acc["records"], acc["gold"], acc["found"]))
        shipped[taxonomy] = cal
        report[taxonomy] = summary(acc["records"], acc["groups"], per_label=per_label)
    if out is not None:
        write(shipped, out)
    return shipped, report


def write(calibrations: dict[str, Calibration], folder: Path) -> Path:
    Path(folder).mkdir(parents=True, exist_ok=True)
    path = Path(folder) / FILE
    data = {k: v.to_dict() for k, v in calibrations.items()}
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def reliability_diagram(report: dict[str, dict], path: Path, title: str) -> None:
    """A PNG: observed accuracy against confidence, raw and calibrated (cross-fitted)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    report = {k: r for k, r in report.items() if "bins_raw" in r}  # not the summary rows
    fig, axes = plt.subplots(1, len(report), figsize=(5 * len(report), 4.5), squeeze=False)
    for ax, (name, r) in zip(axes[0], report.items(), strict=True):
        ax.plot([0, 1], [0, 1], color="#999", lw=1, ls="--")
        for key, style in (("bins_raw", "o-"), ("bins_calibrated_crossfit", "s-")):
            bins = r[key]
            name = "raw" if key == "bins_raw" else "calibrated"
            err = r["ece_raw" if key == "bins_raw" else "ece_calibrated_crossfit"]
            ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], style,
                    label=f"{name} (ECE {err:.3f})")  # fmt: skip
        ax.set_title(f"{title}: {name} ({r['findings']})", fontsize=10)
        ax.set_xlabel("confidence")
        ax.set_ylabel("share right")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
