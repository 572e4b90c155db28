"""Score tagger folders on every technique dev set at several thresholds, one encoder pass per
set and folder: ST3 paragraph micro-F1 on EN (the 75 PTC dev articles in their 2023 form), FR,
DE, IT, PL, RU dev, and the CheckThat! 2024 English dev half (measure only).

    python bench/multilingual_tagger.py --model-dir DIR [--model-dir DIR2] \
        [--threshold 0.1 --threshold 0.2 ...] [--decoder channels] [--json OUT]

The EN gold here is read from the span layer's lines (``corpora.technique_spans``), as for the
other languages; `spinscope eval semeval23-st3 --lang EN` reads the official paragraph file and
can differ in the third decimal. Final numbers go through `spinscope eval`.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from spinscope.analysis.techniques import TechniqueTagger
from spinscope.corpora.ptc import load_ptc
from spinscope.corpora.technique_spans import load_checkthat24, load_semeval23_spans
from spinscope.evaluation.technique_scores import score_spans
from spinscope.model.taxonomy import SEMEVAL2023

SETS = ("EN", "FR", "DE", "IT", "PL", "RU", "ct24")


def load_set(data: Path, name: str):
    se23 = data / "semeval2023-task3"
    if name == "ct24":
        return load_checkthat24(data / "checkthat2024-task3-en-dev")
    if name == "EN":
        ids = {a.id for a in load_ptc(data / "ptc-semeval2020-task11", "dev")}
        return [d for d in load_semeval23_spans(se23, "EN", "train") if d.id in ids]
    return load_semeval23_spans(se23, name, "dev")


def spans_at(tagger: TechniqueTagger, scores, threshold: float) -> list[list[tuple]]:
    tagger.threshold = threshold
    out = []
    for sc in scores:
        found = tagger.spans(sc, SEMEVAL2023)
        out.append([(s.start, s.end, s.label, float(s.confidence)) for s in found])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", action="append", required=True)
    ap.add_argument("--threshold", action="append", type=float)
    ap.add_argument("--decoder", default="channels")
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    thresholds = args.threshold or [0.1, 0.15, 0.2, 0.25, 0.3, 0.5]
    sets = args.sets.split(",")
    rows = []
    for folder in args.model_dir:
        tagger = TechniqueTagger(model_dir=folder, taxonomies=(SEMEVAL2023,),
                                 decoder=args.decoder, calibrated=False)  # fmt: skip
        for name in sets:
            docs = load_set(args.data, name)
            t0 = time.time()
            scores = tagger.scores([d.text for d in docs], hidden=args.decoder != "channels")
            took = time.time() - t0
            for thr in thresholds:
                r = score_spans(docs, spans_at(tagger, scores, thr))
                row = {"model": folder, "set": name, "threshold": thr, "micro_f1": r["micro_f1"],
                       "macro_f1": r["macro_f1"], "span_f1": r["span_f1"], "ece": r.get("ece"),
                       "encode_s": round(took, 1)}  # fmt: skip
                rows.append(row)
                print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
