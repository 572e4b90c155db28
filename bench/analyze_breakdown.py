"""Where an article's analysis time goes: each model pass and the rest, in ms per article.

    python bench/analyze_breakdown.py [--data ../shared/data] [--articles 48]

Times, over PTC dev articles in batches of 8 (models loaded first): the tagger's encoder pass, the
span classifier over the spans it finds, the check-worthiness model over every sentence, and the
two analysers end to end (the claims analyser's rest is mostly the spaCy parse).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def main() -> None:
    from spinscope.analysis.claims import ClaimAnalyzer, sentences
    from spinscope.analysis.spans import decode_si
    from spinscope.analysis.techniques import TechniqueTagger
    from spinscope.corpora.ptc import load_ptc
    from spinscope.ingest import from_text

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--articles", type=int, default=48)
    args = ap.parse_args()
    arts = load_ptc(args.data / "ptc-semeval2020-task11", "dev")[: args.articles]
    docs = [from_text(a.text) for a in arts]
    tagger, claims = TechniqueTagger(), ClaimAnalyzer()
    tagger.analyze(docs[:1])
    claims.analyze(docs[:1])
    totals: dict[str, float] = {}

    def timed(name, fn):
        start = time.perf_counter()
        out = fn()
        totals[name] = totals.get(name, 0.0) + time.perf_counter() - start
        return out

    for k in range(0, len(docs), 8):
        batch = docs[k : k + 8]
        scores = timed("tagger encoder", lambda b=batch: tagger.scores([d.text for d in b]))
        items = [
            (s.text, [(x.start, x.end) for x in decode_si(s, tagger.decoding)]) for s in scores
        ]
        if hasattr(tagger.labeller, "classifier"):
            timed("span classifier", lambda i=items: tagger.labeller.classifier.classify_many(i))
        sents = [d.text[s:e] for d in batch for s, e in sentences(d.text)]
        timed("check-worthiness model", lambda t=sents: claims.scorer.score(t))
        timed("techniques analyser, all", lambda b=batch: tagger.analyze(b))
        timed("claims analyser, all", lambda b=batch: claims.analyze(b))
    for name, seconds in totals.items():
        print(f"{name:28s} {1000 * seconds / len(docs):6.1f} ms/article")


if __name__ == "__main__":
    main()
