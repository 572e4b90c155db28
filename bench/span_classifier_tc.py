"""TC on PTC dev: the exported span classifier against the shipped tagger's span heads, one run.

For each of the 75 PTC dev articles both models label the article's distinct gold spans (the
SemEval-2020 Task 11 TC task: gold spans given, 14 techniques); a span listed k times gets its k
most probable techniques (``assign_labels``), and the official TC scorer gives micro-F1 and
per-technique F1. Also prints the even/odd article halves (the span classifier's epoch was chosen
on the whole of dev) and the time per article of each model after a warm-up article:

* span classifier: building the pair inputs and running the pair encoder on every span;
* tagger: one encoder pass over the whole article (``TechniqueTagger.scores``, which
  ``spinscope analyze`` runs anyway to find spans) plus its span heads (``classify_spans``).

Usage:

    python bench/span_classifier_tc.py [--model-dir runs/span_classifier/export] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from spinscope.analysis.span_classifier import SpanClassifier
from spinscope.analysis.techniques import TechniqueTagger
from spinscope.corpora.ptc import load_ptc
from spinscope.evaluation.ptc import tc_score
from spinscope.evaluation.tagger import assign_labels
from spinscope.model.taxonomy import LABELS_2020, PTC2020

ROOT = Path(__file__).resolve().parents[1]


def run_model(name: str, articles, probs_fn) -> dict:
    """Label every article's gold PTC spans with ``probs_fn(article, distinct spans)``."""
    probs_fn(articles[0], sorted({(s.start, s.end) for s in articles[0].spans[PTC2020]}))  # warm
    pred, seconds, n_distinct, by_article = [], [], 0, {}
    for art in articles:
        spans = [(sp.start, sp.end) for sp in art.spans[PTC2020]]
        distinct = sorted(set(spans))
        start = time.perf_counter()
        probs = probs_fn(art, distinct) if distinct else np.zeros((0, len(LABELS_2020)))
        seconds.append(time.perf_counter() - start)
        n_distinct += len(distinct)
        row = {span: k for k, span in enumerate(distinct)}
        labels = assign_labels([probs[row[s]] for s in spans], spans, LABELS_2020)
        p = [(art.id, lab, s, e) for (s, e), lab in zip(spans, labels, strict=True)]
        by_article[art.id] = p
        pred += p
    gold = [(a.id, sp.label, sp.start, sp.end) for a in articles for sp in a.spans[PTC2020]]
    scored = tc_score(pred, gold, LABELS_2020)
    halves = {}
    for half, part in (("even", articles[::2]), ("odd", articles[1::2])):
        g = [(a.id, sp.label, sp.start, sp.end) for a in part for sp in a.spans[PTC2020]]
        p = [x for a in part for x in by_article[a.id]]
        halves[half] = round(tc_score(p, g, LABELS_2020)["f1"], 4)
    total = sum(seconds)
    return {
        "model": name,
        "tc_micro_f1": round(scored["f1"], 4),
        "tc_micro_f1_even_half": halves["even"],
        "tc_micro_f1_odd_half": halves["odd"],
        "per_technique_f1": {k: round(v["f1"], 4) for k, v in scored["per_label"].items()},
        "support": {k: v["support"] for k, v in scored["per_label"].items()},
        "n_articles": len(articles),
        "n_spans": len(gold),
        "n_distinct_spans": n_distinct,
        "ms_per_article": round(1000 * total / len(articles), 1),
        "ms_per_article_median": round(1000 * float(np.median(seconds)), 1),
        "distinct_spans_per_s": round(n_distinct / total, 1) if total else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", type=Path, default=ROOT / "runs" / "span_classifier" / "export")
    ap.add_argument("--variant", default="int8", choices=("int8", "fp32"))
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--articles", type=int, default=0, help="first N dev articles (0: all)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    articles = load_ptc(args.data / "ptc-semeval2020-task11", "dev")
    if args.articles:
        articles = articles[: args.articles]
    clf = SpanClassifier(args.model_dir, variant=args.variant)
    tagger = TechniqueTagger()

    def clf_probs(art, spans):
        return clf.classify(art.text, spans, PTC2020)

    def tagger_probs(art, spans):
        return tagger.classify_spans(tagger.scores([art.text])[0], spans, PTC2020)

    rows = [
        run_model(f"span classifier ({args.variant})", articles, clf_probs),
        run_model("shipped tagger span heads (int8)", articles, tagger_probs),
    ]
    if args.json:
        print(json.dumps({"model_dir": str(args.model_dir), "results": rows}, indent=1))
        return
    print(
        f"PTC dev TC, {rows[0]['n_articles']} articles, {rows[0]['n_spans']} spans "
        f"({rows[0]['n_distinct_spans']} distinct)\n"
    )
    print("| model | TC micro-F1 | even half | odd half | ms/article | distinct spans/s |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['model']} | {r['tc_micro_f1']:.4f} | {r['tc_micro_f1_even_half']:.4f} | "
            f"{r['tc_micro_f1_odd_half']:.4f} | {r['ms_per_article']:.1f} | "
            f"{r['distinct_spans_per_s']} |"
        )
    print(f"\n| technique | dev spans | {rows[0]['model']} | {rows[1]['model']} |")
    print("|---|---|---|---|")
    for label in LABELS_2020:
        print(
            f"| {label} | {rows[0]['support'][label]} | {rows[0]['per_technique_f1'][label]:.3f}"
            f" | {rows[1]['per_technique_f1'][label]:.3f} |"
        )


if __name__ == "__main__":
    main()
