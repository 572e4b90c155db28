"""Transliterated names as a tie-breaker for cross-language story joins (issue 20; measured only).

The stories of each half of the story gold (bench/gold/stories_gold.tsv) are built as
``stories_gold_eval.py`` builds them (an encoder, its language means, a threshold and a cross
threshold; ``--centre-all`` as there). Then, for every pair of articles in different languages
that sit in different stories, a rule may join their two stories:

- ``and``: centred cosine of the title+lead vectors >= ``low`` AND name score >= ``s``;
- ``add``: centred cosine + ``w`` x name score >= the cross threshold.

The name score is ``stories_enru_signals.names`` over the whole text (title + body): capitalised
words, Russian ones transliterated, reduced to consonant skeletons, as an idf-weighted set
cosine; the idf is taken over the half's articles, or with ``--idf-corpus`` over every English and
Russian SemEval-2023/2025 article in ``--data`` (about 1,400; nearer what a store would give).
Joins are transitive (a join merges two whole stories). Scores as ``stories_gold_eval``: pairwise
over the half, with EN-RU and cross-language pairs also on their own. Each grid row is printed;
choose a rule on ``enru-choose`` (and check ``choose``), then run it once on the report halves
with ``--lows L --names-min S`` (or ``--weights W``) of one value each.

    python bench/stories_enru_tiebreak.py --half enru-choose [--encoder e5-onnx --means F]
        [--centre-all] [--threshold T] [--cross C] [--lows ...] [--names-min ...] [--weights ...]
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from stories_enru_signals import _idf, names, overlap  # noqa: E402
from stories_gold_eval import (  # noqa: E402
    GOLD,
    HALF_CHOICES,
    Cached,
    _centre_all,
    evaluate,
    load_half,
    read_gold,
    read_means,
    score_half,
    zero_means,
)

LOWS = (0.0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30)
NAMES_MIN = (0.02, 0.03, 0.04, 0.06, 0.08, 0.10, 0.12, 0.15, 0.20)
WEIGHTS = (0.5, 1.0, 2.0, 3.0)


def corpus_idf(data: Path):
    """The idf of name skeletons over every English and Russian article of the SemEval sets."""
    from stories_gold_candidates import corpus, read_article

    sets = []
    for lang, path in corpus(data).values():
        if lang in ("en", "ru"):
            title, text = read_article(path)
            sets.append(names(f"{title}\n{text}"))
    df, n = Counter(x for s in sets for x in s), len(sets)
    return lambda x: math.log(n / max(df[x], 1))


def pair_signals(data: Path, part, encoder: Any, means, idf=None) -> dict[tuple[int, int], tuple]:
    """``{(i, j): (centred cosine, name score)}`` for every cross-language pair of ``part``
    (``idf``: of name skeletons; the half's by default)."""
    from spinscope.store.stories import encode, lead_text
    from spinscope.store.story_space import centre

    docs = load_half(data, part)
    langs = [a.language for a in part]
    vecs = centre(encode([lead_text(r.doc.title, r.doc.text) for r in docs], encoder),
                  langs, means)  # fmt: skip
    sets = [names(f"{r.doc.title or ''}\n{r.doc.text}") for r in docs]
    idf = idf or _idf(sets)
    return {(i, j): (float(vecs[i] @ vecs[j]), overlap(sets[i], sets[j], idf))
            for i, j in combinations(range(len(part)), 2) if langs[i] != langs[j]}  # fmt: skip


def joined(stories: Sequence[Any], pairs: Sequence[tuple[int, int]]) -> list[Any]:
    """``stories`` with the stories of each pair merged (transitively)."""
    parent = {s: s for s in stories}

    def root(s):
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for i, j in pairs:
        a, b = root(stories[i]), root(stories[j])
        if a != b:
            parent[b] = a
    return [root(s) for s in stories]


def _row(half: str, rule: str, part, stories, base: dict) -> str:
    s = score_half(part, stories)
    a, er, cr = s["all"], s["en_ru"], s["cross"]
    return (f"| {half} | {rule} | {a['p']:.3f} | {a['r']:.3f} | {a['f1']:.3f} "
            f"({a['f1'] - base['all']['f1']:+.3f}) | {er['tp']} of {er['tp'] + er['fn']} | "
            f"{er['fp']} | {cr['tp']} of {cr['tp'] + cr['fn']} | {cr['fp']} |")  # fmt: skip


def grid(half, part, stories, sig, cross, lows, names_min, weights) -> list[str]:
    """One row a rule setting (the base stories first)."""
    base = score_half(part, stories)
    rows = [_row(half, "none (base)", part, stories, base)]
    for low in lows:
        for s in names_min:
            pairs = [p for p, (c, n) in sig.items() if c >= low and n >= s]
            rows.append(_row(half, f"and: cos >= {low:.2f}, names >= {s:.2f}", part,
                             joined(stories, pairs), base))  # fmt: skip
    for w in weights:
        pairs = [p for p, (c, n) in sig.items() if c + w * n >= cross]
        rows.append(_row(half, f"add: cos + {w:.1f} x names >= {cross:.2f}", part,
                         joined(stories, pairs), base))  # fmt: skip
    return rows


def show_pairs(half: str, part, sig: dict, top: int = 5) -> None:
    """The gold EN-RU pairs' signals and the different-event cross-language pairs highest on
    names (ids and event ids only)."""
    for (i, j), (c, n) in sig.items():
        if part[i].event == part[j].event:
            print(f"| {half} | gold | {part[i].file_id} ~ {part[j].file_id} | {c:.3f} | {n:.3f} |")
    others = sorted(((n, c, i, j) for (i, j), (c, n) in sig.items()
                     if part[i].event != part[j].event), reverse=True)[:top]  # fmt: skip
    for n, c, i, j in others:
        print(f"| {half} | other | {part[i].event} ~ {part[j].event} | {c:.3f} | {n:.3f} |")


def _setup(a) -> tuple[Any, Any]:
    from story_encoders import make_encoder

    from spinscope.store.story_space import language_means

    encoder = Cached(make_encoder(a.encoder))
    means = read_means(Path(a.means)) if a.means else None
    if means is None and a.encoder != "stories":
        means = zero_means()
    if a.centre_all:
        encoder, means = _centre_all(Path(a.data), Path(a.gold), encoder,
                                     means or language_means())  # fmt: skip
    return encoder, means or language_means()


def main(argv: Sequence[str] | None = None) -> int:
    from spinscope.store.stories import CROSS_THRESHOLD, THRESHOLD

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--half", choices=list(HALF_CHOICES), default="enru-choose")
    ap.add_argument("--encoder", default="stories")
    ap.add_argument("--means", default=None)
    ap.add_argument("--centre-all", action="store_true")
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    ap.add_argument("--cross", type=float, default=CROSS_THRESHOLD)
    ap.add_argument("--lows", type=float, nargs="*", default=list(LOWS))
    ap.add_argument("--names-min", type=float, nargs="*", default=list(NAMES_MIN))
    ap.add_argument("--weights", type=float, nargs="*", default=list(WEIGHTS))
    ap.add_argument("--idf-corpus", action="store_true", help="name idf over all EN/RU articles")
    a = ap.parse_args(argv)
    encoder, means = _setup(a)
    data, halves = Path(a.data), HALF_CHOICES[a.half]
    res = evaluate(data, Path(a.gold), halves, [a.threshold], encoder, False, a.cross, means)
    gold = read_gold(Path(a.gold))
    print(f"encoder: {a.encoder}{' centre-all' if a.centre_all else ''}, threshold "
          f"{a.threshold:.2f}, cross {a.cross:.2f}, name idf over "
          f"{'the EN/RU corpus' if a.idf_corpus else 'the half'}")  # fmt: skip
    print("\n| half | kind | pair | centred cosine | names |\n|---|---|---|---|---|")
    sigs, idf = {}, corpus_idf(data) if a.idf_corpus else None
    for half in halves:
        part = [g for g in gold if g.half == half]
        sigs[half] = pair_signals(data, part, encoder, means, idf)
        show_pairs(half, part, sigs[half])
    print("\n| half | rule | P | R | F1 (vs base) | EN-RU linked | EN-RU false links | "
          "cross-lang linked | cross-lang false links |\n|---|---|---|---|---|---|---|---|---|")
    for half in halves:
        part = [g for g in gold if g.half == half]
        stories = res[half][a.threshold]["stories"]
        for row in grid(half, part, stories, sigs[half], a.cross, a.lows, a.names_min,
                        a.weights):  # fmt: skip
            print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
