"""Held-out precision of the shown main role as a function of its score (issue 15: "a role is
shown only where its held-out precision at that score is at least 0.7").

The score is the main role's probability from the shipped (English) roles model, the number the
analyser's gate reads. Held out two ways:
- cross-fitted on the EN training mentions (grouped 5-fold CV by article, the records the
  calibration is fitted on): the gate is chosen here;
- EN dev with the given mentions (91): only checked, never tuned on.
Per predicted main role: fixed score bins with their count, precision and Wilson 95% interval
(precision *at* that score, not of everything above it), and an isotonic fit of right-or-wrong
on the score; the gate is the least score at which the isotonic precision reaches 0.7 with at
least MIN_SUPPORT cross-fitted predictions at or above it. Then: how many roles the analyser
would show on the EN dev articles under the old and the new gate.

Usage: PYTHONPATH=src python bench/roles_precision_by_score.py [DATA_DIR] [--json OUT]"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from spinscope.analysis.roles import MAINS, RoleAnalyzer, main_roles
from spinscope.corpora.semeval25 import load_entity_roles, read_documents
from spinscope.model.document import Document
from spinscope.training import entity_roles, entity_roles_gating
from spinscope.training.calibrate_labels import roles_records

FLOOR = entity_roles_gating.PRECISION_FLOOR
MIN_SUPPORT = entity_roles_gating.MIN_SUPPORT
wilson, bins = entity_roles_gating.wilson, entity_roles_gating.precision_bins


def isotonic_curve(records, role):
    """The isotonic precision of ``role`` as a step function [(from score, precision)], and the
    gate ``entity_roles_gating.local_show_from`` reads off it."""
    from sklearn.isotonic import IsotonicRegression

    mine = sorted((p, r) for rr, p, r in records if rr == role)
    if len(mine) < MIN_SUPPORT:
        return None, []
    x = np.array([p for p, _ in mine])
    y = np.array([r for _, r in mine], dtype=float)
    fit = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(x, y)
    yhat = fit.predict(x)
    curve = []  # the step function: (from score, precision)
    for xi, yi in zip(x, yhat, strict=True):
        if not curve or round(yi, 4) != curve[-1][1]:
            curve.append((round(float(xi), 4), round(float(yi), 4)))
    return entity_roles_gating.local_show_from(records, role), curve


def shown_on_dev(root: Path, gate: dict[str, float | None], min_score: float = 0.5) -> Counter:
    """What the analyser does with the EN dev articles' entities under ``gate`` (card's
    show_from), by outcome."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "roles"
        shutil.copytree(RoleAnalyzer().model_dir, folder)
        card = json.loads((folder / "roles.json").read_text())
        card["show_from"] = gate
        (folder / "roles.json").write_text(json.dumps(card))
        texts = read_documents(root, "EN", "dev", 1)
        labels = RoleAnalyzer(model_dir=str(folder), min_score=min_score).analyze(
            [Document(t) for t in texts.values()]
        )
    out: Counter = Counter()
    for doc in labels:
        for x in doc:
            if x.entity is None:
                out["under roles.min_score (one label per article)"] += 1
            elif not x.unsure:
                out[f"shown: {x.entity['main_role']}"] += 1
            elif "headline" in x.explanation:
                out["not sure: only the headline"] += 1
            elif "at no score" in x.explanation:
                out[f"not sure: {x.best} never reaches {FLOOR}"] += 1
            else:
                out[f"not sure: {x.best} under its gate"] += 1
    return out


def main(root: Path, out: Path | None) -> None:
    analyzer = RoleAnalyzer(calibrated=False)
    card = analyzer.card
    cv = roles_records(root, card)["records"]
    dev_texts = read_documents(root, "EN", "dev", 1)
    dev = load_entity_roles(root, "EN", "dev", dev_texts)
    p, _ = analyzer.predict(entity_roles.features(dev_texts, dev, card["features"]))
    predicted = main_roles(p, MAINS, card["minority_threshold"])
    dev_rec = [(r, float(row[MAINS.index(r)]), int(r == m.main_role))
               for r, row, m in zip(predicted, p, dev, strict=True)]  # fmt: skip
    report: dict = {"cv_mentions": len(cv), "dev_mentions": len(dev), "roles": {}}
    for role in MAINS:
        gate, curve = isotonic_curve(cv, role)
        report["roles"][role] = {
            "predicted_cv": sum(r == role for r, _, _ in cv),
            "predicted_dev": sum(r == role for r, _, _ in dev_rec),
            "bins_cv": bins(cv, role),
            "bins_dev": bins(dev_rec, role),
            "isotonic_cv": curve,
            "gate": gate,
        }
        if gate is not None:
            for name, rec in (("cv", cv), ("dev", dev_rec)):
                above = [r for rr, pp, r in rec if rr == role and pp >= gate]
                below = [r for rr, pp, r in rec if rr == role and pp < gate]
                report["roles"][role][f"above_gate_{name}"] = [
                    len(above), round(sum(above) / max(len(above), 1), 3),
                    wilson(sum(above), len(above))]  # fmt: skip
                report["roles"][role][f"below_gate_{name}"] = [
                    len(below), round(sum(below) / max(len(below), 1), 3),
                    wilson(sum(below), len(below))]  # fmt: skip
    new_gate = {role: report["roles"][role]["gate"] for role in MAINS}
    old_gate = {"Protagonist": None, "Antagonist": 0.3, "Innocent": None}  # 2026-12-05 card
    report["shown_on_dev"] = {
        f"{name}, min_score {m}": dict(shown_on_dev(root, g, m))
        for m in (0.5, 0.0)
        for name, g in (("old gate (precision above 0.30)", old_gate), ("new gate", new_gate))
    }
    report["old_show_from"] = card.get("show_from")
    report["new_show_from"] = new_gate
    text = json.dumps(report, indent=1)
    print(text)
    if out:
        out.write_text(text + "\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    dest = None
    if "--json" in args:
        k = args.index("--json")
        dest = Path(args[k + 1])
        del args[k : k + 2]
    data = Path(args[0]) if args else Path("../shared/data")
    main(data / "semeval2025-task10", dest)
