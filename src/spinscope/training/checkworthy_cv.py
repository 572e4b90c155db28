"""Check-worthiness experiments on the model of ``training.checkworthy``.

``spinscope train checkworthy-select|checkworthy-cv|checkworthy-final``:

* ``select``: train on one inner split of the training data, evaluate after every epoch, so the
  number of epochs is chosen before any cross-validation;
* ``cv``: k-fold cross-validation on ClaimBuster 2.5xNCS (folds stratified, identical normalised
  texts kept together; CheckThat! 2019 training sentences whose text is in the held-out fold are
  dropped from that fold's training data). The held-out fold is scored with the claimbuster head
  at the fixed threshold 0.5;
* ``final``: train on all ClaimBuster 2.5xNCS (minus sentences in the CheckThat! 2019 test files)
  plus CheckThat! 2019 training, then export the int8 ONNX model, tokenizer, card and model card.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.corpora.checkworthy import Sentence, load_checkthat19, load_claimbuster, normalise
from spinscope.training.checkworthy import (
    HEADS,
    INNER_CT19_TRANSCRIPTS,
    THRESHOLD,
    TrainConfig,
    _log,
    base_tokenizer,
    predict,
    train,
)
from spinscope.training.checkworthy_data import encode, subsample_negatives

# ---------------------------------------------------------------------------------------------
# data sets for the experiments


def _ct19_training(ct19_root: str | Path, cfg: TrainConfig) -> list[Sentence]:
    return subsample_negatives(
        load_checkthat19(ct19_root, "training"), cfg.ct19_negative_fraction, cfg.seed
    )


def claimbuster_folds(sentences: list[Sentence], folds: int, seed: int) -> np.ndarray:
    """Fold index of every sentence: stratified by label, identical normalised texts together."""
    from sklearn.model_selection import StratifiedGroupKFold

    texts = [normalise(s.text) for s in sentences]
    index = {t: k for k, t in enumerate(dict.fromkeys(texts))}
    groups = np.asarray([index[t] for t in texts])
    labels = np.asarray([s.label for s in sentences])
    fold_of = np.full(len(sentences), -1, dtype=np.int64)
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(labels)), labels, groups)):
        fold_of[test] = k
    return fold_of


OOF_HEADER = "sentence_id\tlabel\tfold\tp_claimbuster\tp_checkthat19\n"


def _summary(values: list[float]) -> dict:
    arr = np.asarray(values, dtype=np.float64)
    return {
        "mean": float(arr.mean()),
        "sd": float(arr.std(ddof=1)) if arr.size > 1 else 0.0,
    }


def _inner_split(
    cb_root: str | Path, ct19_root: str | Path, cfg: TrainConfig
) -> tuple[list[Sentence], list[Sentence], list[Sentence], list[Sentence]]:
    """``(cb_train, cb_val, ct_train, ct_val)`` of ``select_epochs`` (see there)."""
    cb = load_claimbuster(cb_root, "2.5xNCS")
    fold_of = claimbuster_folds(cb, 5, cfg.seed + 1)
    cb_val = [s for s, f in zip(cb, fold_of, strict=True) if f == 0]
    ct_all = load_checkthat19(ct19_root, "training")
    ct_val = [s for s in ct_all if s.group in INNER_CT19_TRANSCRIPTS]
    held = {normalise(s.text) for s in cb_val} | {normalise(s.text) for s in ct_val}
    cb_train = [
        s for s, f in zip(cb, fold_of, strict=True) if f != 0 and normalise(s.text) not in held
    ]
    ct_train = subsample_negatives(
        [
            s
            for s in ct_all
            if s.group not in INNER_CT19_TRANSCRIPTS and normalise(s.text) not in held
        ],
        cfg.ct19_negative_fraction,
        cfg.seed,
    )
    return cb_train, cb_val, ct_train, ct_val


def _inner_evaluator(cb_val: list[Sentence], ct_val: list[Sentence], cfg: TrainConfig):
    """The ``on_epoch`` of ``select_epochs``: ClaimBuster P/R/F1 and CheckThat! 2019 MAP."""
    from spinscope.evaluation.checkworthy import mean_average_precision, positive_f1

    def evaluate(model, epoch: int) -> dict:
        p_cb = predict(model, [s.text for s in cb_val], cfg.max_len)
        p_ct = predict(model, [s.text for s in ct_val], cfg.max_len)
        y_cb = [s.label for s in cb_val]
        prec, rec, f1 = positive_f1(y_cb, (p_cb[:, 0] >= THRESHOLD).astype(int))
        groups = sorted({s.group for s in ct_val})
        y_ct = np.asarray([s.label for s in ct_val])
        g_ct = np.asarray([s.group for s in ct_val])
        out: dict[str, Any] = {
            "cb_precision": prec,
            "cb_recall": rec,
            "cb_f1": f1,
            "ct19_val_map": {
                head: mean_average_precision((y_ct[g_ct == g], p_ct[g_ct == g, h]) for g in groups)
                for h, head in enumerate(HEADS)
            },
        }
        out["ct19_val_map"]["mean"] = mean_average_precision(
            (y_ct[g_ct == g], p_ct[g_ct == g].mean(1)) for g in groups
        )
        return out

    return evaluate


def select_epochs(
    cb_root: str | Path,
    ct19_root: str | Path,
    cfg: TrainConfig,
    out_dir: str | Path,
    *,
    max_steps: int | None = None,
) -> dict:
    """Train once on an inner split of the training data, evaluating after every epoch.

    Inner validation = one ClaimBuster fold (a 5-fold split with seed ``cfg.seed + 1``, so not
    the CV's folds) and the CheckThat! 2019 training transcripts in ``INNER_CT19_TRANSCRIPTS``.
    Neither CheckThat! test set nor any CV held-out fold is looked at. CheckThat! training
    sentences whose text is in the ClaimBuster validation part are dropped from training, and
    ClaimBuster sentences whose text is in the held-out transcripts likewise.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if max_steps is not None:
        cfg.max_steps = max_steps
    cb_train, cb_val, ct_train, ct_val = _inner_split(cb_root, ct19_root, cfg)
    tok = base_tokenizer(cfg.max_len)
    examples = encode(cb_train, 0, tok) + encode(ct_train, 1, tok)
    evaluate = _inner_evaluator(cb_val, ct_val, cfg)

    t0 = time.perf_counter()
    _, stats = train(examples, cfg, out_dir / "model", on_epoch=evaluate)
    result = {
        "what": "inner validation split for choosing the number of epochs",
        "config": asdict(cfg),
        "cb_train": len(cb_train),
        "cb_val": len(cb_val),
        "ct19_train": len(ct_train),
        "ct19_val": len(ct_val),
        "ct19_val_transcripts": list(INNER_CT19_TRANSCRIPTS),
        "epochs": stats["epochs"],
        "seconds": round(time.perf_counter() - t0, 1),
    }
    (out_dir / "select.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def _run_fold(
    k: int,
    held: list[Sentence],
    cb_train: list[Sentence],
    ct_all: list[Sentence],
    tok,
    cfg: TrainConfig,
    fold_dir: Path,
    log_path: Path,
) -> None:
    """Train fold ``k`` (without CheckThat! sentences shared with ``held``), score ``held`` and
    write ``fold_dir/oof.tsv`` and ``fold_dir/result.json``."""
    from spinscope.evaluation.checkworthy import average_precision, positive_f1

    held_texts = {normalise(s.text) for s in held}
    ct_train = [s for s in ct_all if normalise(s.text) not in held_texts]
    _log(
        log_path,
        f"fold {k}: train cb {len(cb_train)} + ct19 {len(ct_train)} "
        f"(dropped {len(ct_all) - len(ct_train)} shared), held out {len(held)}",
    )
    examples = encode(cb_train, 0, tok) + encode(ct_train, 1, tok)
    model, stats = train(examples, cfg, fold_dir)
    probs = predict(model, [s.text for s in held], cfg.max_len)
    y = [s.label for s in held]
    p, r, f1 = positive_f1(y, (probs[:, 0] >= THRESHOLD).astype(int))
    result = {
        "fold": k,
        "held_out": len(held),
        "held_out_positives": int(sum(y)),
        "train_claimbuster": len(cb_train),
        "train_checkthat19": len(ct_train),
        "checkthat19_dropped_shared": len(ct_all) - len(ct_train),
        "precision": p,
        "recall": r,
        "f1": f1,
        "ap": average_precision(y, probs[:, 0]),
        "epochs": stats["epochs"],
    }
    with (fold_dir / "oof.tsv").open("w", encoding="utf-8") as fh:
        fh.write(OOF_HEADER)
        for s, pr in zip(held, probs, strict=True):
            fh.write(f"{s.line}\t{s.label}\t{k}\t{pr[0]:.6f}\t{pr[1]:.6f}\n")
    (fold_dir / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    (fold_dir / "last.pt").unlink(missing_ok=True)  # the fold's model is not needed later
    _log(log_path, f"fold {k}: P {p:.4f} R {r:.4f} F1 {f1:.4f}")


def _cv_summary(out_dir: Path, folds: int, cfg: TrainConfig) -> dict:
    """The summary of the folds finished so far; writes the pooled ``out_dir/oof.tsv``."""
    from spinscope.evaluation.checkworthy import positive_f1

    results = []
    for k in range(folds):
        path = out_dir / f"fold{k}" / "result.json"
        if path.exists():
            results.append(json.loads(path.read_text(encoding="utf-8")))
    oof_rows = []
    for k in range(folds):
        path = out_dir / f"fold{k}" / "oof.tsv"
        if path.exists():
            oof_rows += path.read_text(encoding="utf-8").splitlines()[1:]
    (out_dir / "oof.tsv").write_text(
        OOF_HEADER + "".join(r + "\n" for r in oof_rows), encoding="utf-8"
    )
    summary: dict = {
        "dataset": "claimbuster 2.5xNCS",
        "folds": folds,
        "folds_done": [r["fold"] for r in results],
        "threshold": THRESHOLD,
        "config": asdict(cfg),
        "per_fold": [
            {key: r[key] for key in ("fold", "precision", "recall", "f1", "ap", "held_out")}
            for r in results
        ],
    }
    if results:
        for key in ("precision", "recall", "f1", "ap"):
            summary[key] = _summary([r[key] for r in results])
        oof_y = np.asarray([int(r.split("\t")[1]) for r in oof_rows])
        oof_s = np.asarray([float(r.split("\t")[3]) for r in oof_rows])
        p, r_, f1 = positive_f1(oof_y, (oof_s >= THRESHOLD).astype(int))
        summary["pooled_out_of_fold"] = {"precision": p, "recall": r_, "f1": f1}
        summary["seconds_per_epoch"] = _summary(
            [e["seconds"] for res in results for e in res["epochs"]]
        )
    return summary


def cross_validate_claimbuster(
    cb_root: str | Path,
    ct19_root: str | Path,
    cfg: TrainConfig,
    folds: int = 5,
    out_dir: str | Path = "runs/checkworthy/cv",
    max_steps: int | None = None,
    *,
    only_folds: Sequence[int] | None = None,
) -> dict:
    """k-fold CV on ClaimBuster 2.5xNCS; returns per-fold and mean/sd P, R, F1 (threshold 0.5).

    Each fold trains on the other folds plus CheckThat! 2019 training minus every sentence whose
    normalised text is in the held-out fold. Out-of-fold scores go to ``out_dir/oof.tsv``, each
    fold's result to ``out_dir/fold{k}/result.json`` (a finished fold is not retrained), and the
    summary to ``out_dir/cv.json``. ``only_folds`` runs a subset (the summary covers the folds
    finished so far).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if max_steps is not None:
        cfg.max_steps = max_steps
    cb = load_claimbuster(cb_root, "2.5xNCS")
    fold_of = claimbuster_folds(cb, folds, cfg.seed)
    ct_all = _ct19_training(ct19_root, cfg)
    tok = base_tokenizer(cfg.max_len)
    log_path = out_dir / "cv.log"
    for k in range(folds):
        fold_dir = out_dir / f"fold{k}"
        if (fold_dir / "result.json").exists() or (only_folds is not None and k not in only_folds):
            continue
        held = [s for s, f in zip(cb, fold_of, strict=True) if f == k]
        cb_train = [s for s, f in zip(cb, fold_of, strict=True) if f != k]
        _run_fold(k, held, cb_train, ct_all, tok, cfg, fold_dir, log_path)
    summary = _cv_summary(out_dir, folds, cfg)
    (out_dir / "cv.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary
