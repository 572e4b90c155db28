"""The check-worthiness calibration (``training.calibrate`` fits and measures it): one curve per
head name, fitted on the out-of-fold scores of the ClaimBuster 5-fold cross-validation
(``oof.tsv``, written by ``spinscope eval claimbuster --out runs/checkworthy/cv``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis.calibration import Reliability
from spinscope.training.calibrate import fit_calibration, summary, write

CLAIMS_LABEL = "checkworthy"


CLAIMS_THRESHOLD = 0.5  # the default claims.threshold, on the calibrated score


def read_oof(path: Path) -> list[dict[str, Any]]:
    """The rows of the ClaimBuster cross-validation's ``oof.tsv`` (sentence_id, label, fold,
    p_claimbuster, p_checkthat19), as ``spinscope eval claimbuster --out DIR`` writes it."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"), strict=True)) for line in lines[1:] if line]


def calibrate_claims(oof: Path, out: Path | None = None):
    """Fit and (with ``out``) write the check-worthiness calibration, one per head name.

    The held-out scores are the out-of-fold predictions of the 5-fold ClaimBuster (2.5xNCS)
    cross-validation (``spinscope eval claimbuster --out runs/checkworthy/cv`` writes
    ``oof.tsv``): each fold's model, trained by the shipped model's recipe in torch on the other
    folds (plus CheckThat! 2019 minus the held-out sentences), scored the held-out fold. A
    sentence is right when ClaimBuster labels it a check-worthy factual claim; every sentence is
    a record (the analyser reports the score of every claim it lists). Cross-fitted by fold; the
    precision and recall are those of ``CLAIMS_THRESHOLD`` on the cross-fitted calibrated scores
    (the analyser's threshold applies to the calibrated score).
    """
    from spinscope.analysis.claims import HEAD_NAMES, head_scores

    rows = read_oof(oof)
    probs = np.array([[float(r["p_claimbuster"]), float(r["p_checkthat19"])] for r in rows])
    right = [int(r["label"]) for r in rows]
    groups = [f"fold{r['fold']}" for r in rows]
    shipped, report = {}, {}
    for head in HEAD_NAMES:
        records = [(CLAIMS_LABEL, float(s), c)
                   for s, c in zip(head_scores(probs, head), right, strict=True)]  # fmt: skip
        meta: dict[str, Any]
        meta = {"fitted_on": f"ClaimBuster 2.5xNCS, out-of-fold scores of a 5-fold "
                f"cross-validation ({len(rows)} sentences; fold models trained in torch by the "
                "shipped model's recipe)", "right": "ClaimBuster labels the sentence a "
                "check-worthy factual claim", "head": head,
                "threshold": CLAIMS_THRESHOLD, "date": date.today().isoformat()}  # fmt: skip
        cal = fit_calibration(records, **meta)
        report[head] = summary(records, groups)
        predicted = [c for c, p in zip(right, report[head]["_calibrated"], strict=True)
                     if p >= CLAIMS_THRESHOLD]  # fmt: skip
        reliability = {CLAIMS_LABEL: Reliability(
            precision=round(sum(predicted) / len(predicted), 4) if predicted else None,
            recall=round(sum(predicted) / max(sum(right), 1), 4),
            support=int(sum(right)), predicted=len(predicted))}  # fmt: skip
        shipped[head] = replace(cal, reliability=reliability)
    if out is not None:
        write(shipped, out)
    return shipped, report
