"""MODEL_CARD.md of the check-worthiness model, from its card."""

from __future__ import annotations

import json

from spinscope.training.checkworthy import MODEL_INT8


def _fmt(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _commands(card: dict) -> list[str]:
    """The commands recorded in the card (``notes["command"]`` of the runs), in run order."""
    cfg = card.get("config", {})
    cv_cfg = card.get("metrics", {}).get("claimbuster_cv", {}).get("config", {})
    out = [
        cfg.get("notes", {}).get("select_command"),
        cv_cfg.get("notes", {}).get("command") or cfg.get("notes", {}).get("cv_command"),
        cfg.get("notes", {}).get("command"),
    ]
    return [c for c in out if c] or ["(not recorded)"]


def model_card_markdown(card: dict) -> str:
    """MODEL_CARD.md from the card's fields."""
    lines = [*_head(card), *_data_and_training(card), *_metrics(card.get("metrics", {}))]
    lines += _closing(card)
    return "\n".join(lines)


def _head(card: dict) -> list[str]:
    """The title, what the model is and its outputs."""
    lines = [
        f"# {card['name']} {card['version']}: sentence-level check-worthiness",
        "",
        "A MiniLM-L6 encoder (all-MiniLM-L6-v2) fine-tuned with mean pooling and two sigmoid "
        "heads, shipped as a fused int8 (dynamic, per-channel) ONNX graph.",
        "",
        "| output | head | meaning |",
        "|---|---|---|",
    ]
    for k, h in enumerate(card["heads"]):
        lines.append(f"| probs[:, {k}] | `{h}` | {card['heads_meaning'][h]} |")
    return lines


def _data_and_training(card: dict) -> list[str]:
    """The Data and Training sections, up to the Metrics heading."""
    data = card.get("training_data", {})
    cb = data.get("claimbuster_2.5xNCS", {})
    ct = data.get("checkthat19_training", {})
    cfg = card.get("config", {})
    return [
        "",
        "## Data",
        "",
        f"- ClaimBuster 2.5xNCS (US presidential debates 1960-2016): {cb.get('sentences')} "
        f"sentences, {cb.get('positives')} check-worthy factual; "
        f"{cb.get('dropped_in_checkthat19_test')} dropped because their text is in the "
        "CheckThat! 2019 test files.",
        f"- CheckThat! 2019 Task 1 training (2016 debates, speeches, press events): "
        f"{ct.get('sentences')} sentences, {ct.get('positives')} check-worthy (all positives, "
        f"a random {ct.get('negative_fraction_kept')} of the negatives).",
        "- Each sentence trains only its own dataset's head (masked BCE).",
        "",
        "## Training",
        "",
        f"AdamW lr {cfg.get('lr')}, linear decay with {cfg.get('warmup')} warm-up, batch "
        f"{cfg.get('batch_size')}, {cfg.get('epochs')} epochs, max {cfg.get('max_len')} word "
        f"pieces, length-bucketed dynamic padding, seed {cfg.get('seed')}, "
        f"bf16 autocast {cfg.get('bf16')}.",
        "",
        *[
            f"- {v}" if k.startswith("note") else f"- {k}: {v}"
            for k, v in cfg.get("notes", {}).items()
            if "command" not in k
        ],
        "",
        "## Metrics",
        "",
    ]


def _metrics(m: dict) -> list[str]:
    """The cross-validation and test-set tables."""
    lines: list[str] = []
    cv = m.get("claimbuster_cv")
    if cv and "f1" in cv:
        lines += [
            f"ClaimBuster 2.5xNCS, {len(cv['folds_done'])}-of-{cv['folds']}-fold cross-validation "
            f"(claimbuster head, threshold {cv['threshold']}), positive class: "
            f"P {cv['precision']['mean']:.3f} ± {cv['precision']['sd']:.3f}, "
            f"R {cv['recall']['mean']:.3f} ± {cv['recall']['sd']:.3f}, "
            f"F1 {cv['f1']['mean']:.3f} ± {cv['f1']['sd']:.3f}. Each fold's CheckThat! 2019 "
            "training data excludes sentences whose text is in the held-out fold.",
            "",
            "| fold | P | R | F1 |",
            "|---|---|---|---|",
        ]
        for f in cv["per_fold"]:
            lines.append(
                f"| {f['fold']} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} |"
            )
        lines.append("")
    for name, title in (
        ("checkthat19_test", "CheckThat! 2019 test (MAP over 7 transcripts)"),
        ("checkthat20_test", "CheckThat! 2020 test, COVID tweets (MAP)"),
    ):
        if name not in m:
            continue
        lines += [
            f"{title}:",
            "",
            "| scoring | int8 MAP | fp32 MAP | int8 R-prec | int8 P@5 |",
            "|---|---|---|---|---|",
        ]
        for label, rep in m[name]["int8"].items():
            lines.append(
                f"| {label} | {_fmt(rep['map'])} | {_fmt(m[name]['fp32'][label]['map'])} | "
                f"{_fmt(rep['r_precision'])} | {_fmt(rep['p_at_5'])} |"
            )
        lines.append("")
    return lines


def _closing(card: dict) -> list[str]:
    """int8 against fp32, speed, the commands and the Limits section."""
    agree = card.get("int8_vs_fp32", {})
    return [
        f"int8 vs fp32 ONNX: {json.dumps(agree)}. Dynamic int8 quantisation scales activations "
        "per batch tensor, so a sentence's scores move slightly with the other sentences in its "
        "batch.",
        "",
        *([f"Inference speed: {json.dumps(card['speed'])}.", ""] if card.get("speed") else []),
        "Commands (run from the repository root, datasets at ../shared/data):",
        "",
        "```",
        *_commands(card),
        "```",
        "",
        "## Limits",
        "",
        "- Trained on US political debates and speeches (1960-2019). News articles, tweets and "
        "other languages are out of domain; the CheckThat! 2020 tweet scores above are one "
        "out-of-domain measurement.",
        "- `claimbuster` = is this a factual claim worth checking; `checkthat19` = would a "
        "fact-checker have picked it in that debate (much rarer, context-dependent). Sentences "
        "are scored alone, without their neighbours or speaker.",
        "- Probabilities are not calibrated for news; the 0.5 threshold was fixed in advance for "
        "ClaimBuster.",
        "",
        f"sha256 of {MODEL_INT8}: `{card['sha256'][MODEL_INT8]}`",
        "",
    ]
