"""Issue 14: would a Loaded_Language word list learned from PTC train, added where the English
tagger's token score agrees (>= tau), give new text the recall the tagger lacks? The list: words
seen at least ``nmin`` times in PTC train of which a share >= ``r`` lie inside a gold
Loaded_Language span. A word of the list whose tagger score (the "any technique" channel, or the
SemEval-2023 Loaded_Language channel) is >= tau adds Loaded_Language to its paragraph. Paragraph
micro-F1 on EN ST3 dev (the 75 PTC dev articles), ct24 (``checkthat2024-task3-en-dev``) and the
state-media column against our own annotation
(``bench/annotations/state-media-column-paragraphs.tsv``), for a grid of (nmin, r, channel,
tau); nothing is trained on ct24.

    python bench/loaded_lexicon.py [--data ../shared/data] [--cache runs/loaded-lexicon.pkl]
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spinscope.analysis.spans import CHANNELS
from spinscope.corpora.ptc import load_ptc, read_articles
from spinscope.evaluation.semeval23 import st3_score
from spinscope.evaluation.technique_scores import line_bounds
from spinscope.model.taxonomy import LABELS_2023, PTC2020

D = Path("../shared/data")
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
C = Path("runs/loaded-lexicon.pkl")


def lexstats():
    tr = load_ptc(D / "ptc-semeval2020-task11", "train")
    tot, ins = Counter(), Counter()
    for a in tr:
        ll = [(g.start, g.end) for g in a.spans[PTC2020] if g.label == "Loaded_Language"]
        for m in WORD.finditer(a.text):
            w = m.group().lower()
            tot[w] += 1
            if any(s <= m.start() and m.end() <= e for s, e in ll):
                ins[w] += 1
    return tot, ins


def inputs():
    if C.exists():
        return pickle.loads(C.read_bytes())
    import state_media_paragraphs as smp
    from en_paragraph_union import tagger_rows_ct24, tagger_rows_en

    from spinscope.analysis.techniques import TechniqueTagger

    tagger = TechniqueTagger()
    ids = {a.id for a in load_ptc(D / "ptc-semeval2020-task11", "dev")}
    arts = read_articles(D / "semeval2023-task3/en/train-articles-subtask-3")
    texts = {
        "en": {i: t for i, t in arts.items() if i in ids},
        "ct24": read_articles(D / "checkthat2024-task3-en-dev/articles"),
        "column": {"col": smp.TEXT.read_text(encoding="utf-8")},
    }
    out = {}
    ci = [CHANNELS.index("any"), CHANNELS.index("semeval2023:Loaded_Language")]
    for which, by_id in texts.items():
        keys = list(by_id)
        words = {}
        for k in range(0, len(keys), 8):
            batch = keys[k : k + 8]
            for i, sc in zip(batch, tagger.scores([by_id[i] for i in batch]), strict=True):
                offs = sc.enc.offsets
                ws = []
                for m in WORD.finditer(sc.text):
                    sel = (offs[:, 0] < m.end()) & (offs[:, 1] > m.start())
                    if sel.any():
                        ws.append(
                            (
                                m.start(),
                                m.end(),
                                m.group().lower(),
                                float(sc.probs[sel, ci[0]].max()),
                                float(sc.probs[sel, ci[1]].max()),
                            )
                        )
                words[i] = ws
        out[which] = {"texts": by_id, "words": words}
    out["en"]["pred"], out["en"]["gold"] = tagger_rows_en(D)
    out["ct24"]["pred"], out["ct24"]["gold"] = tagger_rows_ct24(D)
    col = {}
    for line, label in smp.load_gold():
        col.setdefault(str(line), set()).add(label)
    from spinscope.evaluation.tasks import tagger_spans

    text = out["column"]["texts"]["col"]
    spans = tagger_spans(tagger, [text])[0]
    pr, gd = [], []
    for n, (s, e) in line_bounds(text).items():
        if not text[s:e].strip():
            continue
        pr.append(("col", str(n), frozenset(x[2] for x in spans if x[0] < e and x[1] > s)))
        gd.append(("col", str(n), frozenset(col.get(str(n), ()))))
    out["column"]["pred"], out["column"]["gold"] = pr, gd
    C.write_bytes(pickle.dumps(out))
    return out


def apply(d, lex, tau, ch):
    add = {}
    for i, ws in d["words"].items():
        b = line_bounds(d["texts"][i])
        for s, _e, w, pa, pl in ws:
            if w in lex and (pa if ch == 0 else pl) >= tau:
                for n, (ls, le) in b.items():
                    if ls <= s < le:
                        add.setdefault((i, str(n)), set()).add("Loaded_Language")
    return [(a, n, frozenset(labels) | add.get((a, n), set())) for a, n, labels in d["pred"]]


def main() -> None:
    global D, C
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=D)
    ap.add_argument("--cache", type=Path, default=C)
    args = ap.parse_args()
    D, C = args.data, args.cache
    C.parent.mkdir(parents=True, exist_ok=True)
    tot, ins = lexstats()
    X = inputs()
    base = {
        k: st3_score(X[k]["pred"], X[k]["gold"], list(LABELS_2023))["micro_f1"]
        for k in ("en", "ct24", "column")
    }
    print("base", {k: round(v, 4) for k, v in base.items()})
    for nmin in (3, 5, 10):
        for r in (0.3, 0.5, 0.7):
            lex = {w for w, c in tot.items() if c >= nmin and ins[w] / c >= r}
            for ch in (0, 1):
                for tau in (0.02, 0.05, 0.1, 0.2):
                    sc = {
                        k: st3_score(apply(X[k], lex, tau, ch), X[k]["gold"], list(LABELS_2023))[
                            "micro_f1"
                        ]
                        for k in ("en", "ct24", "column")
                    }
                    print(
                        nmin,
                        r,
                        len(lex),
                        ch,
                        tau,
                        {k: round(v, 4) for k, v in sc.items()},
                        flush=True,
                    )


if __name__ == "__main__":
    main()
