"""When a role may be shown (issue 15): the precision by score of the entity-role model's main
roles, out of fold on the training mentions and on dev, and the least score per role at which it
reaches ``PRECISION_FLOOR`` (the card's ``show_from``, read by ``spinscope.analysis.roles``).
``spinscope train roles-gating``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np

from spinscope.analysis.roles import CARD, MAINS, RoleAnalyzer, main_roles
from spinscope.corpora.semeval25 import load_entity_roles, read_documents
from spinscope.training.entity_roles import features

PRECISION_FLOOR = 0.7  # a role is shown only where its held-out precision reaches this


SHOW_GRID = tuple(round(0.30 + 0.05 * k, 2) for k in range(14))  # 0.30 .. 0.95


MIN_SUPPORT = 10  # fewest held-out predictions a precision is read from


def precision_by_score(records, grid=SHOW_GRID) -> dict[str, dict[str, list]]:
    """Per predicted main role, for each threshold of the grid: how many predictions of that role
    have a probability at least that high, and how often they are right. ``records``: (role,
    probability, right) triples."""
    out: dict[str, dict[str, list]] = {}
    for role in MAINS:
        mine = [(p, r) for rr, p, r in records if rr == role]
        n = [sum(p >= t for p, _ in mine) for t in grid]
        right = [sum(r for p, r in mine if p >= t) for t in grid]
        out[role] = {
            "threshold": list(grid),
            "n": n,
            "precision": [round(k / m, 4) if m else None for k, m in zip(right, n, strict=True)],
        }
    return out


def show_threshold(curve: dict[str, list], floor: float = PRECISION_FLOOR) -> float | None:
    """The lowest threshold from which every threshold up, read on at least ``MIN_SUPPORT``
    predictions, has a precision of at least ``floor``; None where there is none. The precision
    of everything above a threshold: kept for comparison, the gate reads ``local_show_from``."""
    rows = [(t, n, p) for t, n, p in zip(*curve.values(), strict=True) if n >= MIN_SUPPORT]
    for k, (t, _, _) in enumerate(rows):
        if all(p >= floor for _, _, p in rows[k:]):
            return t
    return None


BIN_EDGES = (0.0, 0.30, 0.35, 0.40, 0.45, 0.50, 0.60, 0.70, 1.0)


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson 95% interval of a proportion ``k / n`` (None when n is 0)."""
    if n == 0:
        return None
    p, d = k / n, 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * float(np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / d
    return round(c - h, 3), round(c + h, 3)


def precision_bins(records, role: str, edges=BIN_EDGES) -> list[dict]:
    """Precision *at* a score: per bin ``[from, to)`` of the probability (the last one closed),
    how many predictions of ``role`` fall there, how many are right, and the Wilson interval."""
    out = []
    for k, (lo, hi) in enumerate(zip(edges, edges[1:], strict=False)):
        last = k == len(edges) - 2
        mine = [r for rr, p, r in records if rr == role and lo <= p and (p < hi or last)]
        n, right = len(mine), int(sum(mine))
        out.append({"from": lo, "to": hi, "n": n, "right": right,
                    "precision": round(right / n, 4) if n else None,
                    "wilson95": wilson(right, n)})  # fmt: skip
    return out


def local_show_from(records, role: str, floor: float = PRECISION_FLOOR) -> float | None:
    """The least probability (rounded up to 0.01) at which the held-out precision *at that
    score* of ``role`` reaches ``floor``: an isotonic (non-decreasing) fit of right-or-wrong on
    the probability, so every higher score reaches it too; at least ``MIN_SUPPORT`` predictions
    at or above it. None where there is none (the role is never shown)."""
    from sklearn.isotonic import IsotonicRegression

    mine = sorted((p, r) for rr, p, r in records if rr == role)
    if len(mine) < MIN_SUPPORT:
        return None
    x = np.array([p for p, _ in mine])
    y = np.array([r for _, r in mine], dtype=float)
    fitted = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(x, y).predict(x)
    for i, (xi, yi) in enumerate(zip(x, fitted, strict=True)):
        if yi >= floor and len(x) - i >= MIN_SUPPORT:
            return float(np.ceil(round(xi * 100, 6)) / 100)
    return None


def gating(root: Path, lang: str = "EN", model_dir: Path | None = None) -> dict:
    """Precision by score of the shipped (or ``model_dir``) model's main roles: out-of-fold on the
    training mentions (5-fold CV grouped by article, the calibration's records), and on dev;
    the threshold per role is chosen on the cross-validation and checked on dev. What
    ``spinscope.analysis.roles`` reads as ``show_from`` in the card."""
    from spinscope.training.calibrate_labels import roles_records

    root = Path(root)
    analyzer = RoleAnalyzer(model_dir=str(model_dir) if model_dir else None, calibrated=False)
    card = analyzer.card
    cv_records = roles_records(root, card)["records"]
    cv = precision_by_score(cv_records)
    dev_texts = read_documents(root, lang, "dev", 1)
    dev = load_entity_roles(root, lang, "dev", dev_texts)
    p, _ = analyzer.predict(features(dev_texts, dev, card["features"]))
    predicted = main_roles(p, MAINS, card["minority_threshold"])
    dev_records = [
        (r, float(row[MAINS.index(r)]), int(r == m.main_role))
        for r, row, m in zip(predicted, p, dev, strict=True)
    ]
    dev_curve = precision_by_score(dev_records)
    show = {role: local_show_from(cv_records, role) for role in MAINS}
    # precision and count of the predictions at or above the threshold
    at: dict[str, dict[str, list[float]]] = {}
    for role, t in show.items():
        if t is None:
            continue
        at[role] = {}
        for name, rec in (("cv", cv_records), ("dev", dev_records)):
            above = [r for rr, p, r in rec if rr == role and p >= t]
            at[role][name] = [round(sum(above) / max(len(above), 1), 4), len(above)]
    y = [m.main_role for m in dev]
    majority = card["cv"]["majority_class"]
    return {
        "model": f"{card['name']} {card['version']}",
        "precision_floor": PRECISION_FLOOR,
        "min_support": MIN_SUPPORT,
        "show_from": show,
        "precision_at_show_from": at,
        "bins": {
            role: {"cv": precision_bins(cv_records, role), "dev": precision_bins(dev_records, role)}
            for role in MAINS
        },
        "cv": cv,
        "dev": dev_curve,
        "dev_main_role_accuracy": round(float(np.mean(np.array(predicted) == np.array(y))), 4),
        "dev_majority_accuracy": round(float(np.mean(np.array(y) == majority)), 4),
        "dev_mentions": len(dev),
    }


def write_gating(report: dict, model_dir: Path) -> Path:
    """Store the thresholds of ``gating`` in the model's card (key ``show_from``, with how they
    were measured under ``show_from_measured``)."""
    path = Path(model_dir) / CARD
    card = json.loads(path.read_text(encoding="utf-8"))
    card["show_from"] = report["show_from"]
    card["show_from_measured"] = {
        "on": "main-role probability of held-out mentions: out-of-fold on EN train (5-fold CV "
        "grouped by article; chosen there), checked on EN dev",
        "rule": "least probability at which the isotonic fit of right-or-wrong on the "
        "probability (precision at that score, not above it) reaches the floor, with at least "
        "min_support out-of-fold predictions at or above it",
        "bins": {role: report["bins"][role]["cv"] for role in report["bins"]},
        "bins_dev": {role: report["bins"][role]["dev"] for role in report["bins"]},
        "command": "spinscope train roles-gating --data ../shared/data --write",
        "precision_floor": report["precision_floor"],
        "min_support": report["min_support"],
        "precision_and_n_at_threshold": report["precision_at_show_from"],
        "date": date.today().isoformat(),
    }
    path.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return path
