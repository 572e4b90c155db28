"""Story clustering quality on a weak same-event gold built from SemEval-2025 Task 10 (own gold).

How the gold is built (nothing is copied into the repository; the data stays in ../shared/data):
every train and dev article of SemEval-2025 Task 10 (BG, EN, HI, PT, RU) whose title + first
40 words match exactly one of the event patterns below (names of specific events or places,
in Latin and Cyrillic spellings) is labelled with that event; ``--distractors`` articles that
match no pattern are added as one-article stories. This is a weak, keyword-derived gold: an
event here is "the same named event or place", so it mixes days of one running story, and the
articles carry no dates, so the time window is not exercised. Pairwise precision, recall and F1
are over all pairs of gold articles; English-Russian pairs are also scored on their own.

    python bench/stories_quality.py [--data ../shared/data/semeval2025-task10]
        [--centre none|corpus|language] [--half all|tune|report] [--weights 0 0.3 ...]
        [--thresholds 0.3 0.5 ...] [--unmasked] [--show]

``--half`` scores one half of a split of the gold articles by article (``halves``): choose
settings on ``tune``, report ``report``. ``--weights`` adds that weight x the shared evidence
keys (``store.story_evidence.evidence_keys``: names and numbers, Cyrillic transliterated) to the
cosine; the gold's own pattern words are removed from the evidence (``masked``) unless
``--unmasked`` (a circular reference run). ``--show`` prints sampled gold pairs and non-pairs
and stops.

``--centre`` subtracts a mean vector before clustering (an experiment, not what
``spinscope stories`` does): the mean of every article of the set (``corpus``) or of every
article in the same language (``language``; the encoder's vectors carry a strong language
component). The script also prints the ranking quality of the raw similarities (AUC of
same-event against other pairs) and the mean similarity of same-language pairs of different
events and of cross-language pairs of the same event.
"""

from __future__ import annotations

import argparse
import glob
import random
import re
import time
from itertools import combinations
from pathlib import Path

import numpy as np
from stories_gold_eval import pair_scores  # bench/, beside this script

from spinscope.analysis._multilingual import load_encoder
from spinscope.store.stories import cluster, encode, lead_text
from spinscope.store.story_evidence import evidence_keys

EVENTS = {
    "crocus": r"crocus|крокус",
    "navalny": r"navalny|навальн|навални",
    "kakhovka": r"kakhovk|каховк",
    "nordstream": r"nord stream|северн\w+ поток",
    "zaporizhzhia_npp": r"zaporizhzhia (nuclear|npp|power)|заэс|запорожск\w+ аэс",
    "kursk": r"kursk|курск",
    "peace_summit": r"peace summit|саммит\w* мира|bürgenstock|бюргеншток|cimeira de paz",
    "f16": r"f-16",
    "cop28": r"cop ?28",
    "sevastopol": r"sevastopol|севастопол",
    "avdiivka": r"avdiivka|avdeevka|авдеевк|авдіївк",
    "bakhmut": r"bakhmut|бахмут|artemovsk|артемовск",
}


def articles(data: Path) -> list[tuple[str, str, str]]:
    """(language, title, text) of every train and dev article."""
    files = sorted(glob.glob(str(data / "train/*/raw-documents/*.txt")))
    files += sorted(glob.glob(str(data / "dev/*/subtask-2-documents/*.txt")))
    out = []
    for f in files:
        text = Path(f).read_text(encoding="utf-8").lstrip("\ufeff")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            out.append((Path(f).parent.parent.name, lines[0], "\n".join(lines[1:])))
    return out


def gold(docs, distractors: int, seed: int = 0):
    labelled, rest = [], []
    for lang, title, text in docs:
        lead = lead_text(title, text)
        hits = [e for e, p in EVENTS.items() if re.search(p, lead, re.I)]
        if len(hits) == 1:
            labelled.append((lang, lead, hits[0]))
        elif not hits:
            rest.append((lang, lead))
    random.Random(seed).shuffle(rest)
    labelled += [(lang, lead, f"single-{k}") for k, (lang, lead) in enumerate(rest[:distractors])]
    return labelled


def pairwise(pred, true, keep=lambda i, j: True):
    """Pairwise precision, recall, F1 and the number of gold pairs (``stories_gold_eval``'s)."""
    s = pair_scores(true, pred, keep)
    return s["p"], s["r"], s["f1"], s["tp"] + s["fn"]


def centred(vecs, langs, docs, how: str, encoder):
    """``vecs`` minus the mean of all articles (``corpus``) or of their language's articles."""
    if how == "none":
        return vecs
    all_vecs = encode([lead_text(t, x) for _, t, x in docs], encoder)
    all_langs = np.array([lang for lang, _, _ in docs])
    if how == "corpus":
        out = vecs - all_vecs.mean(0)
    else:
        means = {lang: all_vecs[all_langs == lang].mean(0) for lang in set(all_langs)}
        out = vecs - np.stack([means[lang] for lang in langs])
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def separation(vecs, true, langs) -> None:
    sims = vecs @ vecs.T
    i, j = np.triu_indices(len(true), 1)
    same = np.array([true[a] == true[b] for a, b in zip(i, j, strict=True)])
    same_lang = np.array([langs[a] == langs[b] for a, b in zip(i, j, strict=True)])
    s = sims[i, j]
    pos, neg = s[same], s[~same]
    auc = float((pos[:, None] > neg[None, :]).mean())
    print(f"AUC same-event vs other pairs {auc:.3f}; mean cosine: same event {pos.mean():.3f}, "
          f"other {neg.mean():.3f}, same language + other event {s[~same & same_lang].mean():.3f}"
          f", other language + same event {s[same & ~same_lang].mean():.3f}")  # fmt: skip


def masked(lead: str) -> str:
    """``lead`` without the words that the gold patterns match, so that the evidence keys cannot
    find an article's event through the very words that labelled it."""
    for pattern in EVENTS.values():
        lead = re.sub(r"\w*(?:" + pattern + r")\w*", " ", lead, flags=re.I)
    return lead


def halves(n: int, seed: int = 1) -> tuple[list[int], list[int]]:
    """A random split of the gold articles (by article) into a tuning and a reporting half."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return sorted(order[: n // 2]), sorted(order[n // 2 :])


def show(items, k: int = 6, seed: int = 2) -> None:
    rng = random.Random(seed)
    same = [(i, j) for i, j in combinations(range(len(items)), 2) if items[i][2] == items[j][2]]
    other = [(i, j) for i, j in combinations(range(len(items)), 2)
             if items[i][2] != items[j][2] and not items[i][2].startswith("single")]  # fmt: skip
    for name, pairs in (("gold pair", same), ("non-pair", other)):
        for i, j in rng.sample(pairs, k):
            print(f"{name} [{items[i][2]} / {items[j][2]}]\n  {items[i][0]}: {items[i][1][:150]}"
                  f"\n  {items[j][0]}: {items[j][1][:150]}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/semeval2025-task10")
    ap.add_argument("--distractors", type=int, default=200)
    ap.add_argument("--centre", choices=("none", "corpus", "language"), default="none")
    ap.add_argument("--half", choices=("all", "tune", "report"), default="all")
    ap.add_argument("--weights", type=float, nargs="+", default=[0.0])
    ap.add_argument("--thresholds", type=float, nargs="+")
    ap.add_argument("--show", action="store_true", help="print gold pairs and non-pairs")
    ap.add_argument("--unmasked", action="store_true")
    args = ap.parse_args()
    docs = articles(Path(args.data))
    items = gold(docs, args.distractors)
    if args.show:
        show(items)
        return
    t0 = time.perf_counter()
    encoder = load_encoder()
    vecs = centred(encode([x[1] for x in items], encoder), [x[0] for x in items], docs,
                   args.centre, encoder)  # fmt: skip
    # Document frequency of each key over every article of the set (the store keeps a running
    # count the same way).
    df: dict[str, int] = {}
    for _, title, text in docs:
        for key in evidence_keys(
            lead_text(title, text) if args.unmasked else masked(lead_text(title, text))
        ):
            df[key] = df.get(key, 0) + 1
    n_docs = len(docs)
    idf = lambda key: float(np.log((n_docs + 1) / (df.get(key, 0) + 1)))  # noqa: E731
    if args.half != "all":
        keep = halves(len(items))[args.half == "report"]
        items, vecs = [items[k] for k in keep], vecs[keep]
    langs = [x[0] for x in items]
    true = [x[2] for x in items]
    mask = (lambda lead: lead) if args.unmasked else masked
    keys = [evidence_keys(mask(x[1])) for x in items]
    print(
        f"{len(items)} articles ({sum(not t.startswith('single') for t in true)} in "
        f"{len({t for t in true if not t.startswith('single')})} events; half {args.half}), "
        f"encoded in {time.perf_counter() - t0:.1f} s"
    )
    separation(vecs, true, langs)
    en_ru = lambda i, j: {langs[i], langs[j]} == {"EN", "RU"}  # noqa: E731
    ths = args.thresholds or list(np.arange(0.10 if args.centre != "none" else 0.30, 0.86, 0.05))
    for w in args.weights:
        for th in ths:
            pred = cluster(vecs, [None] * len(items), threshold=float(th), keys=keys,
                           evidence_weight=w, idf=idf)  # fmt: skip
            p, r, f, n = pairwise(pred, true)
            ep, er, ef, en = pairwise(pred, true, en_ru)
            print(
                f"weight {w:.2f} threshold {th:.2f}: P {p:.3f} R {r:.3f} F1 {f:.3f} "
                f"({n} gold pairs) | EN-RU P {ep:.3f} R {er:.3f} F1 {ef:.3f} ({en} gold pairs)"
            )


if __name__ == "__main__":
    main()
