"""The technique tagger's shipped files and its human-readable model card."""

from __future__ import annotations

import shutil
from pathlib import Path

SHIPPED = ("tagger.int8.onnx", "span_heads.npz", "tokenizer.json", "card.json", "MODEL_CARD.md")


def copy_model(src: Path, dst: Path) -> None:
    """Copy the shippable files of a trained model (no fp32 graph, no checkpoints)."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED:
        shutil.copyfile(src / name, dst / name)


def card_markdown(card: dict) -> str:
    """The human-readable model card (MODEL_CARD.md) from card.json."""
    dev = card.get("dev")
    lines = _description(card) + (_dev_scores(card, dev) if dev else _no_dev_scores())
    return "\n".join(lines) + "\n"


def _description(card: dict) -> list[str]:
    """What the model is, its data, hyper-parameters and files."""
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
    return lines


def _dev_scores(card: dict, dev: dict) -> list[str]:
    """The PTC dev scores: each variant, the decoding and each technique."""
    lines = [
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
    return lines


def _no_dev_scores() -> list[str]:
    return [
        "",
        "Trained on train+dev: no held-out scores for this model; see the card of the",
        "train-only model with the same settings for dev scores.",
    ]
