"""``spinscope eval ptc``: official SemEval-2020 T11 metrics of a tagger on a PTC split."""

from __future__ import annotations

from pathlib import Path

from spinscope.analysis.spans import DECODERS
from spinscope.analysis.techniques import TechniqueTagger
from spinscope.corpora.ptc import Article, load_ptc
from spinscope.evaluation.tagger import score_ptc


def evaluate_ptc(
    tagger: TechniqueTagger, ptc_dir: Path, split: str = "dev", *, progress=None
) -> dict:
    """SI, TC, full-task and per-technique scores of ``tagger`` on a PTC split, and the model
    folder it read (two taggers trained the same day have the same name and version)."""
    result = evaluate_articles(tagger, load_ptc(ptc_dir, split), split, progress=progress)
    return {**result, "model_dir": str(tagger.model_dir)}


def evaluate_articles(
    tagger: TechniqueTagger, articles: list[Article], split: str, *, progress=None
) -> dict:
    """The scores of ``evaluate_ptc`` on given PTC articles."""
    scores = []
    for k in range(0, len(articles), 8):
        scores += tagger.scores([a.text for a in articles[k : k + 8]])
        if progress:
            progress(len(scores), len(articles))
    result = score_ptc(
        articles,
        scores,
        tagger.labeller,
        decoding=tagger.decoding,
        channel_weight=tagger.channel_weight,
    )
    full = result[f"full_{tagger.decoder}"]
    return {
        "task": "semeval2020-task11",
        "split": split,
        "model": tagger.card.get("name"),
        "model_version": tagger.card.get("version"),
        "variant": tagger.variant,
        "threshold": tagger.threshold,
        "decoding": result["decoding"],
        "decoder": tagger.decoder,
        "span_labeller": "classifier" if tagger.labeller_sha256 else "heads",
        "si_f1": round(result["si"]["f1"], 4),
        "si_precision": round(result["si"]["precision"], 4),
        "si_recall": round(result["si"]["recall"], 4),
        "tc_micro_f1": round(result["tc"]["f1"], 4),
        "tc_channel_weight": tagger.channel_weight,
        "tc_f1_by_channel_weight": result["tc_f1_by_channel_weight"],
        "full_task_f1": round(full["f1"], 4),
        "full_task_precision": round(full["precision"], 4),
        "full_task_recall": round(full["recall"], 4),
        "tc_per_technique_f1": {k: round(v["f1"], 4) for k, v in result["tc"]["per_label"].items()},
        "full_task_per_technique_f1": full["per_label"],
        "si_f1_by_threshold": result["si_f1_by_threshold"],
        "full_task_f1_by_decoder": {d: round(result[f"full_{d}"]["f1"], 4) for d in DECODERS},
        "n_articles": result["n_articles"],
    }


def evaluate_semeval23_st3(tagger: TechniqueTagger, data_dir: Path) -> dict:
    """ST3 micro-F1 on the PTC dev articles in their SemEval-2023 form (held out from training)."""
    from spinscope.evaluation.predict import semeval23_st3_lines
    from spinscope.evaluation.semeval23 import parse_rows, read_gold, st3_score
    from spinscope.model.taxonomy import LABELS_2023

    ids = {a.id for a in load_ptc(data_dir / "ptc-semeval2020-task11", "dev")}
    en = data_dir / "semeval2023-task3" / "en"
    gold = read_gold(en / "train-labels-subtask-3.txt", ids)
    pred = parse_rows(semeval23_st3_lines(tagger, en / "train-articles-subtask-3", ids))
    result = st3_score(pred, gold, LABELS_2023)
    return {
        "task": "semeval2023-task3-st3",
        "split": "en, the 75 PTC dev articles (held out from training)",
        "model": tagger.card.get("name"),
        "model_version": tagger.card.get("version"),
        "model_dir": str(tagger.model_dir),
        "variant": tagger.variant,
        "threshold": tagger.threshold,
        "decoder": tagger.decoder,
        "n_articles": len({r[0] for r in gold}),
        "n_paragraphs": len(gold),
        **result,
    }
