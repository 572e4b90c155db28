"""Technique spans of a tagger on every language's SemEval-2023 ST3 dev set and on the CheckThat!
2024 Task 3 English dev half, each beside its constant floor (issue #14).

    python bench/technique_spans.py                       # the shipped tagger
    python bench/technique_spans.py --model DIR           # any tagger folder (card + ONNX)
    python bench/technique_spans.py --langs FR,DE --json runs/spans.json

Per row: paragraph micro-F1 (the official ST3 measure), the constant floor (one label set on every
paragraph, chosen on that language's train: the most frequent techniques, as many as maximise
train micro-F1), span F1 (partial overlap, same technique) and ECE of the findings' confidences.
EN scores the 75 PTC dev articles in their 2023 form (the English dev set is withheld; these
articles are never trained on); its floor is chosen on the other 371 English train articles.
The same numbers come from `spinscope eval semeval23-st3 --lang XX --json` and
`spinscope eval checkthat24 --json` (add `--model-dir DIR` for another tagger).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from spinscope.evaluation.tasks import Options, run_task
from spinscope.model.jsonable import dumps
from spinscope.settings import load_settings

LANGS = ("EN", "FR", "DE", "IT", "PL", "RU")


def english_floor(data: Path) -> dict:
    """The constant floor on the 75 PTC dev articles' 2023 paragraphs, chosen on the rest of en
    train."""
    from spinscope.corpora.ptc import load_ptc
    from spinscope.corpora.technique_spans import load_semeval23_spans
    from spinscope.evaluation.semeval23 import st3_score
    from spinscope.evaluation.technique_scores import constant_floor, constant_rows, gold_rows
    from spinscope.model.taxonomy import LABELS_2023

    dev_ids = {a.id for a in load_ptc(data / "ptc-semeval2020-task11", "dev")}
    rows = gold_rows(load_semeval23_spans(data / "semeval2023-task3", "EN", "train"))
    train = [r for r in rows if r[0] not in dev_ids]
    dev = [r for r in rows if r[0] in dev_ids]
    chosen = constant_floor(train)
    return {
        "labels": chosen,
        "micro_f1": st3_score(constant_rows(dev, chosen), dev, LABELS_2023)["micro_f1"],
    }


def floors(data: Path, langs: list[str]) -> None:
    """No model: per dev set, the two constant answers chosen on train: the top-k techniques
    (the floor the eval reports) and the literal most frequent non-empty label set."""
    from collections import Counter

    from spinscope.corpora.ptc import load_ptc
    from spinscope.corpora.technique_spans import load_checkthat24, load_semeval23_spans
    from spinscope.evaluation.semeval23 import st3_score
    from spinscope.evaluation.technique_scores import constant_floor, constant_rows, gold_rows
    from spinscope.model.taxonomy import LABELS_2023

    se23 = data / "semeval2023-task3"
    en = gold_rows(load_semeval23_spans(se23, "EN", "train"))
    ptc_dev = {a.id for a in load_ptc(data / "ptc-semeval2020-task11", "dev")}
    pairs = {"ST3 EN": ([r for r in en if r[0] not in ptc_dev], [r for r in en if r[0] in ptc_dev])}
    for lang in langs:
        if lang != "EN":
            pairs[f"ST3 {lang}"] = (
                gold_rows(load_semeval23_spans(se23, lang, "train")),
                gold_rows(load_semeval23_spans(se23, lang, "dev")),
            )
    pairs["ct24 en dev"] = (en, gold_rows(load_checkthat24(data / "checkthat2024-task3-en-dev")))
    for key, (train, dev) in pairs.items():
        top = constant_floor(train)
        common = Counter(r[2] for r in train if r[2]).most_common(1)[0][0]
        f1_top = st3_score(constant_rows(dev, top), dev, LABELS_2023)["micro_f1"]
        f1_set = st3_score(constant_rows(dev, common), dev, LABELS_2023)["micro_f1"]
        print(
            f"{key:12s} top-k on train {f1_top:.4f} ({'+'.join(top)}); most frequent non-empty "
            f"set on train {f1_set:.4f} ({'+'.join(sorted(common))})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a tagger folder (default: the shipped tagger)")
    parser.add_argument(
        "--langs", default=",".join(LANGS), help="comma-separated, from " + ", ".join(LANGS)
    )
    parser.add_argument("--no-ct24", action="store_true", help="skip CheckThat! 2024")
    parser.add_argument("--floors", action="store_true", help="only the constant floors, no model")
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("SPINSCOPE_DATA", "../shared/data"))
    )
    parser.add_argument("--json", type=Path, help="also write every result here")
    args = parser.parse_args()
    if args.floors:
        floors(args.data, [lang for lang in args.langs.split(",") if lang])
        return 0
    overrides = {"techniques.model_dir": args.model} if args.model else {}
    settings = load_settings(overrides)
    results: dict[str, dict] = {}
    jobs = [("semeval23-st3", lang) for lang in args.langs.split(",") if lang]
    jobs += [] if args.no_ct24 else [("checkthat24", "EN")]
    for task, lang in jobs:
        t0 = time.perf_counter()
        result = run_task(task, Options(data=args.data, settings=lambda: settings, lang=lang))
        if task == "semeval23-st3" and lang == "EN":
            result["constant_floor"] = english_floor(args.data)
        result["seconds"] = round(time.perf_counter() - t0, 1)
        key = "ct24 en dev" if task == "checkthat24" else f"ST3 {lang}"
        results[key] = result
        floor = result.get("constant_floor", {})
        floor_labels = "+".join(floor.get("labels", []))
        span = f"{result['span_f1']:.4f}" if "span_f1" in result else "-"
        ece = f"{result['ece']:.4f}" if "ece" in result else "-"
        print(
            f"{key:12s} paragraphs {result['n_paragraphs']:5d}  micro-F1 {result['micro_f1']:.4f}  "
            f"floor {floor.get('micro_f1', float('nan')):.4f} "
            f"({floor_labels})  "
            f"span F1 {span}  ECE {ece}  {result['seconds']} s",
            flush=True,
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
