"""The article-label calibrations (framing, entity roles), fitted on the out-of-fold scores of
the cross-validations their training runs on the training articles; the shared fitting and
measuring is in ``training.calibrate``."""

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
    Calibration,
    ece,
    reliability_bins,
)
from spinscope.training.calibrate import (
    POOLED,
    SIGMOID_BELOW,
    crossfit,
    fit_calibration,
    reliability_of,
    summary,
    write,
)

# -- framing --------------------------------------------------------------------------------

FRAMING_TASKS = ("genre", "frame", "narrative", "subnarrative")


def _records() -> dict[str, Any]:
    return {"records": [], "groups": [], "gold": Counter(), "found": Counter()}


def framing_records(
    analyzer, root23: Path, root25: Path, thresholds: dict[str, float]
) -> dict[str, dict[str, Any]]:
    """Per task, out-of-fold records ``(label, raw score, right?)`` from the training
    cross-validations: each held-out article is read by the analyser (``calibrated=False``) with
    the weights of the fold that did not train on it, so the records are what the analyser emits.

    Genre and frames: the 5 folds of ``training.framing.cross_validate`` on the English SemEval-2023
    training articles; a genre is right when it is the gold genre. Frames are scored for every
    frame of every article (right: a gold frame), not only the emitted ones, so the curve covers
    every score (which frames are emitted, those at or above ``framing.threshold`` with evidence,
    does not change what a score means). Narratives and sub-narratives: the 5 folds of
    ``training.narratives.choose_threshold`` on the English SemEval-2025 training articles, with the
    shipped model's ``thresholds``; the labels the rule emits, right when gold has them."""
    out = {task: _records() for task in (*FRAMING_TASKS, "frame_emitted")}
    _genre_frame_records(out, analyzer, Path(root23))
    _narrative_records(out, analyzer, Path(root25), thresholds)
    return out


def _genre_frame_records(out: dict, analyzer, root23: Path) -> None:
    """``framing_records``' genre, frame and emitted-frame records (SemEval-2023 folds)."""
    from spinscope.analysis.framing import sigmoid
    from spinscope.analysis.framing_vectors import article_vectors
    from spinscope.training import framing as framing_training

    ids, texts, genres, frames = framing_training.dataset(root23)
    vectors = article_vectors(texts)
    x = np.stack([v.article for v in vectors])
    card = analyzer.card
    for held, weights in framing_training.fold_fits(x, ids, genres, frames):
        analyzer.__dict__.update(weights=weights, narratives=None)
        for k in held:
            gold_frames = set(frames[ids[k]])
            for lab in analyzer._labels(texts[k], vectors[k]):
                task = "genre" if lab.task == "genre" else "frame_emitted"
                right = lab.label == genres[ids[k]] if task == "genre" else lab.label in gold_frames
                out[task]["records"].append((lab.label, lab.score, int(right)))
                out[task]["groups"].append(ids[k])
                out[task]["found"][lab.label] += int(right)
                out["frame"]["found"][lab.label] += int(right and task == "frame_emitted")
            out["genre"]["gold"].update([genres[ids[k]]])
            out["frame"]["gold"].update(gold_frames)
            p = sigmoid(weights["frames_W"] @ x[k] + weights["frames_b"])
            for frame, score in zip(card["frames"], p, strict=True):
                out["frame"]["records"].append((frame, float(score), int(frame in gold_frames)))
                out["frame"]["groups"].append(ids[k])


def _narrative_records(out: dict, analyzer, root25: Path, thresholds: dict[str, float]) -> None:
    """``framing_records``' narrative and sub-narrative records (SemEval-2025 folds)."""
    from spinscope.analysis.framing_vectors import article_vectors
    from spinscope.training import narratives as narrative_training

    ids, texts, labels = narrative_training.dataset(root25)
    vectors = article_vectors(texts)
    x = np.stack([v.article for v in vectors])
    gold = [labels[i] for i in ids]
    for held, model in narrative_training.fold_models(x, gold):
        analyzer.__dict__["narratives"] = {**model, **thresholds}
        for k in held:
            truth = {
                "narrative": set(gold[k].narratives),
                "subnarrative": set(gold[k].subnarratives),
            }
            for lab in analyzer._narratives(texts[k], vectors[k]):
                right = lab.label in truth[lab.task]
                out[lab.task]["records"].append((lab.label, lab.score, int(right)))
                out[lab.task]["groups"].append(ids[k])
                out[lab.task]["found"][lab.label] += int(right)
            for task, names in truth.items():
                for name in names:
                    if name != "Other" and not name.endswith(": Other"):
                        out[task]["gold"][name] += 1


def calibrate_framing(data: Path, out: Path | None = None, model_dir: str | None = None):
    """Fit and (with ``out``) write the framing calibration: one per task (genre, frame,
    narrative, subnarrative); returns it and the report (with ``frame_emitted``: the frames the
    analyser lists, scored by the cross-fitted curve of all frame scores)."""
    from spinscope.analysis.framing import NARRATIVES, FramingAnalyzer, model_id

    analyzer = FramingAnalyzer(model_dir=model_dir, calibrated=False)
    card = analyzer.card
    if card.get("encoder") == "usem3":
        from spinscope.errors import ConfigError

        raise ConfigError(
            "This framing model is the multilingual one: `spinscope train framing` writes its "
            "calibration (fitted on held-out dev articles) with it."
        )
    narratives_card = json.loads((analyzer.model_dir / NARRATIVES).read_text(encoding="utf-8"))
    keys = ("gate_threshold", "threshold", "subnarrative_threshold")
    per_task = framing_records(analyzer, Path(data) / "semeval2023-task3",
                               Path(data) / "semeval2025-task10",
                               {k: narratives_card[k] for k in keys})  # fmt: skip
    fitted_on = {
        "genre": "English SemEval-2023 Task 3 training articles, out-of-fold (5-fold CV)",
        "frame": "English SemEval-2023 Task 3 training articles, out-of-fold (5-fold CV); every "
        "frame score of every article",
        "narrative": "English SemEval-2025 Task 10 training articles, out-of-fold (5-fold CV); "
        "the narratives the rule emits",
        "subnarrative": "English SemEval-2025 Task 10 training articles, out-of-fold (5-fold "
        "CV); the sub-narratives the rule emits",
    }
    shipped, report = {}, {}
    for task in FRAMING_TASKS:
        acc = per_task[task]
        model = model_id(card if task in ("genre", "frame") else narratives_card)
        method = pooled_method(len(acc["records"]))
        cal = fit_pooled(acc["records"], method, fitted_on=fitted_on[task], model=model,
                         date=date.today().isoformat(), curve=method)  # fmt: skip
        emitted = per_task["frame_emitted"] if task == "frame" else acc
        rel = reliability_of(emitted["records"], acc["gold"], acc["found"])
        shipped[task] = replace(cal, reliability=rel)
        report[task] = summary(pooled_records(acc["records"]), acc["groups"], method)
        if method != "isotonic":
            report[task]["ece_calibrated_isotonic_crossfit"] = round(
                ece(crossfit(pooled_records(acc["records"]), acc["groups"]),
                    report[task]["_right"]), 4)  # fmt: skip
        report[task]["ece_calibrated_per_label_crossfit"] = round(
            ece(crossfit(acc["records"], acc["groups"]), report[task]["_right"]), 4
        )
    report["frame_emitted"] = _subset_summary(per_task["frame"], per_task["frame_emitted"])
    # the analyser as a whole: all it lists (genre, listed frames, narratives, sub-narratives)
    report["all_listed"] = analyser_ece(report, ("genre", "frame_emitted", "narrative",
                                                 "subnarrative"))  # fmt: skip
    if out is not None:
        write(shipped, out)
    return shipped, report


def pooled_records(records: Sequence[tuple[str, float, int]]) -> list[tuple[str, float, int]]:
    """The records under one label, so that only the pooled curve is fitted (and cross-fitted)."""
    return [(POOLED, s, c) for _, s, c in records]


def pooled_method(n: int) -> str:
    """Isotonic for a pooled curve of SIGMOID_BELOW records or more, else a sigmoid."""
    return "isotonic" if n >= SIGMOID_BELOW else "sigmoid"


def fit_pooled(
    records: Sequence[tuple[str, float, int]], method: str = "isotonic", **meta: Any
) -> Calibration:
    """One curve for all labels. Chosen for the framing and roles tasks, whose few hundred
    held-out articles or mentions are too few for a curve per label: in the cross-fit, curves
    per label (``fit_calibration``) had the larger calibration error on every task (reported as
    ``ece_calibrated_per_label_crossfit``)."""
    return replace(fit_calibration(pooled_records(records), method, **meta), labels={})


def _subset_summary(whole: dict[str, Any], subset: dict[str, Any]) -> dict[str, Any]:
    """The summary of ``subset``'s records (the emitted frames, a subset of ``whole``'s: one
    record per label and group), with calibrated values from the pooled curves cross-fitted on
    ``whole`` (same groups, so the same folds)."""
    calibrated = crossfit(pooled_records(whole["records"]), whole["groups"])
    index = {(r[0], g): c for r, g, c in zip(whole["records"], whole["groups"], calibrated,
                                             strict=True)}  # fmt: skip
    raw = np.array([s for _, s, _ in subset["records"]])
    right = np.array([c for _, _, c in subset["records"]])
    cal = np.array([index[(r[0], g)] for r, g in zip(subset["records"], subset["groups"],
                                                      strict=True)])  # fmt: skip
    return {
        "findings": len(raw),
        "accuracy": round(float(right.mean()), 4) if len(right) else None,
        "ece_raw": round(ece(raw, right), 4),
        "ece_calibrated_crossfit": round(ece(cal, right), 4),
        "bins_raw": reliability_bins(raw, right),
        "bins_calibrated_crossfit": reliability_bins(cal, right),
        "_raw": raw, "_calibrated": cal, "_right": right,
    }  # fmt: skip


def analyser_ece(report: dict[str, dict], tasks: Sequence[str]) -> dict[str, float]:
    """ECE over everything an analyser lists (the tasks' records together), raw and cross-fitted."""
    parts = [report[t] for t in tasks]
    right = np.concatenate([r["_right"] for r in parts])
    return {
        "items": int(len(right)),
        "ece_raw": round(ece(np.concatenate([r["_raw"] for r in parts]), right), 4),
        "ece_calibrated_crossfit": round(
            ece(np.concatenate([r["_calibrated"] for r in parts]), right), 4
        ),
    }


# -- roles ----------------------------------------------------------------------------------

ROLES_KEY = "main_role"


def roles_records(root: Path, card: dict[str, Any]) -> dict[str, Any]:
    """Out-of-fold records ``(predicted main role, its probability, right?)``, one per training
    mention, from the grouped 5-fold cross-validation of ``training.entity_roles.train`` with the
    shipped model's features, C and minority threshold; right when the predicted main role is the
    gold one. Grouped by article."""
    from spinscope.analysis.roles import MAINS, main_roles
    from spinscope.training import entity_roles

    _, fine_names, texts, mentions = entity_roles.training_mentions(Path(root), card["language"])
    x = entity_roles.features(texts, mentions, card["features"])
    p, _ = entity_roles.out_of_fold(x, mentions, entity_roles.cv_folds(mentions), fine_names,
                                    card["C"])  # fmt: skip
    predicted = main_roles(p, MAINS, card["minority_threshold"])
    acc = _records()
    for m, row, role in zip(mentions, p, predicted, strict=True):
        right = role == m.main_role
        acc["records"].append((role, float(row[MAINS.index(role)]), int(right)))
        acc["groups"].append(m.doc_id)
        acc["gold"][m.main_role] += 1
        acc["found"][role] += int(right)
    return acc


def calibrate_roles(data: Path, out: Path | None = None, model_dir: str | None = None):
    """Fit and (with ``out``) write the entity-role calibration (key ``main_role``): one pooled
    curve from a mention's main-role probability to how often the main role is right. The
    analyser applies it to an entity's role score, the mean of its mentions' probabilities."""
    from spinscope.analysis.framing import model_id
    from spinscope.analysis.roles import RoleAnalyzer

    card = RoleAnalyzer(model_dir=model_dir, calibrated=False).card
    acc = roles_records(Path(data) / "semeval2025-task10", card)
    meta: dict[str, Any]
    meta = {"fitted_on": f"SemEval-2025 Task 10 {card['language']} training mentions, "
            "out-of-fold (5-fold CV grouped by article)", "model": model_id(card),
            "right": "the predicted main role is the gold one",
            "date": date.today().isoformat()}  # fmt: skip
    cal = fit_pooled(acc["records"], **meta)
    shipped = {ROLES_KEY: replace(cal, reliability=reliability_of(acc["records"], acc["gold"],
                                                                   acc["found"]))}  # fmt: skip
    report = {ROLES_KEY: summary(pooled_records(acc["records"]), acc["groups"])}
    report[ROLES_KEY]["ece_calibrated_per_label_crossfit"] = round(
        ece(crossfit(acc["records"], acc["groups"]), report[ROLES_KEY]["_right"]), 4
    )
    if out is not None:
        write(shipped, out)
    return shipped, report
