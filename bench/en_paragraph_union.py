"""English SemEval-2023 findings as the tagger's spans united with the paragraph model's
findings (issue 14, s10-enpara): paragraph micro-F1 on English ST3 dev (the 75 PTC dev articles)
and on the CheckThat! 2024 Task 3 English dev half (ct24, measured only), for a grid of rules.

The tagger's rows are exactly those ``spinscope eval semeval23-st3 --lang EN`` and ``spinscope
eval checkthat24`` score (same line split, same spans); the paragraph model's probabilities come
from the official templates, keyed by (article, line). Rules: (1) add to a row's tagger labels
the paragraph model's techniques at one threshold (every one, only on rows the tagger left empty,
only the model's best, or both restrictions); (3) the same for the four techniques that dominate
news only; (4) add a technique where a tagger span at a lower span threshold and the paragraph
model agree (4b: the pair chosen on one half of EN dev, scored on the other); (2) per-technique
thresholds by coordinate ascent on EN dev, with the same half-split check. Each rule is also
scored on the state-media column against the s3-para helper's own annotation
(``bench/annotations/state-media-column-paragraphs.tsv``).

    python bench/en_paragraph_union.py [--data ../shared/data] [--cache DIR]
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

from spinscope.evaluation.semeval23 import Row, st3_score
from spinscope.model.taxonomy import LABELS_2023
from spinscope.settings import load_settings

HERE = Path(__file__).resolve().parent
LOWS = (0.2, 0.1)  # the tagger's lower span thresholds for the agreement rule
LABELS = list(LABELS_2023)


def tagger_rows_en(data: Path) -> tuple[list[Row], list[Row]]:
    from spinscope.corpora.ptc import load_ptc
    from spinscope.evaluation.predict import semeval23_st3_lines
    from spinscope.evaluation.semeval23 import parse_rows, read_gold
    from spinscope.registry import create_analyzer

    ids = {a.id for a in load_ptc(data / "ptc-semeval2020-task11", "dev")}
    en = data / "semeval2023-task3" / "en"
    gold = read_gold(en / "train-labels-subtask-3.txt", ids)
    tagger = create_analyzer("techniques", load_settings({}))
    pred = parse_rows(semeval23_st3_lines(tagger, en / "train-articles-subtask-3", ids))
    return pred, gold


def tagger_rows_ct24(data: Path) -> tuple[list[Row], list[Row]]:
    from spinscope.corpora.technique_spans import load_checkthat24
    from spinscope.evaluation.tasks import tagger_spans
    from spinscope.evaluation.technique_scores import gold_rows, paragraph_rows
    from spinscope.registry import create_analyzer

    docs = load_checkthat24(data / "checkthat2024-task3-en-dev")
    spans = tagger_spans(create_analyzer("techniques", load_settings({})), [d.text for d in docs])
    pred = [r for d, s in zip(docs, spans, strict=True) for r in paragraph_rows(d, s)]
    return pred, gold_rows(docs)


def model_probs(data: Path, which: str, settings: dict) -> dict[tuple[str, str], np.ndarray]:
    from spinscope.corpora.technique_paragraphs import load_checkthat24, load_split
    from spinscope.evaluation.paragraph_scores import paragraph_probs
    from spinscope.registry import create_analyzer

    par = (
        load_split(data, "EN", "dev")
        if which == "en"
        else load_checkthat24(data / "checkthat2024-task3-en-dev")
    )
    model = create_analyzer("techniques_paragraphs", load_settings(settings))
    assert list(model.labels) == LABELS
    probs = paragraph_probs(model, par)
    return {(a, str(n)): probs[k] for k, (a, n) in enumerate(zip(par.ids, par.lines, strict=True))}


def column_inputs(settings: dict) -> dict:
    """The state-media column as one more "set": the tagger's rows per line, the model's
    probabilities per line, and the s3-para helper's own annotation as gold."""
    from spinscope.evaluation.tasks import tagger_spans
    from spinscope.registry import create_analyzer

    sys.path.insert(0, str(HERE))
    from state_media_paragraphs import TEXT, load_gold

    text = TEXT.read_text(encoding="utf-8")
    spans = tagger_spans(create_analyzer("techniques", load_settings({})), [text])[0]
    model = create_analyzer("techniques_paragraphs", load_settings(settings))
    sc = model.scores([text], ["en"])[0]
    tagger, probs, pos = [], {}, 0
    for number, line in enumerate(text.split("\n"), 1):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        labels = frozenset(x[2] for x in spans if x[0] < end and x[1] > start)
        tagger.append(("col", str(number), labels))
        for k, (p0, p1) in enumerate(sc.paragraphs):
            if p0 < end and p1 > start and len(text[p0:p1].split()) >= 3:
                probs[("col", str(number))] = sc.probs[k]
    gold = {}
    for line, label in load_gold():
        gold.setdefault(str(line), set()).add(label)
    rows = [("col", n, frozenset(gold.get(n, ()))) for _, n, _ in tagger]
    return {"tagger": tagger, "gold": rows, "probs": probs}


def column_pr(d: dict, thr: np.ndarray, mode: str) -> str:
    pred = {(n, x) for _, n, labels in united(d, thr, mode) for x in labels}
    gold = {(n, x) for _, n, labels in d["gold"] for x in labels}
    right = len(pred & gold)
    p = right / len(pred) if pred else 0.0
    return f"{len(pred):3d} pairs P {p:.3f} R {right / len(gold):.3f}"


def low_spans(data: Path, threshold: float) -> dict:
    """The tagger's SemEval-2023 spans at a lower span threshold, as {(article, line): {label:
    highest confidence}} for EN dev, ct24 and the column (lines of the article files)."""
    from spinscope.corpora.ptc import load_ptc, read_articles
    from spinscope.evaluation.tasks import tagger_spans
    from spinscope.evaluation.technique_scores import line_bounds
    from spinscope.registry import create_analyzer

    sys.path.insert(0, str(HERE))
    from state_media_paragraphs import TEXT

    ids = {a.id for a in load_ptc(data / "ptc-semeval2020-task11", "dev")}
    arts = read_articles(data / "semeval2023-task3" / "en" / "train-articles-subtask-3")
    texts = {"en": {i: t for i, t in arts.items() if i in ids}}
    ct = read_articles(data / "checkthat2024-task3-en-dev" / "articles")
    texts["ct24"] = ct
    texts["column"] = {"col": TEXT.read_text(encoding="utf-8")}
    tagger = create_analyzer("techniques", load_settings({"techniques.threshold": threshold}))
    out: dict = {}
    for which, by_id in texts.items():
        found = tagger_spans(tagger, list(by_id.values()))
        rows: dict = {}
        for (i, text), spans in zip(by_id.items(), found, strict=True):
            for number, (start, end) in line_bounds(text).items():
                best: dict[str, float] = {}
                for s0, s1, label, conf in spans:
                    if s0 < end and s1 > start:
                        best[label] = max(best.get(label, 0.0), float(conf))
                rows[(i, str(number))] = best
        out[which] = rows
    return out


def other_dev(data: Path, settings: dict) -> dict:
    """The paragraph model's probabilities and gold on the five other languages' ST3 dev."""
    from spinscope.corpora.technique_paragraphs import load_split
    from spinscope.evaluation.paragraph_scores import gold_of, paragraph_probs
    from spinscope.registry import create_analyzer

    model = create_analyzer("techniques_paragraphs", load_settings(settings))
    out = {}
    for lang in ("FR", "DE", "IT", "PL", "RU"):
        par = load_split(data, lang, "dev")
        out[lang] = {"probs": paragraph_probs(model, par), "gold": gold_of(par)}
    return out


def load_all(data: Path, cache: Path, settings: dict) -> dict:
    """Every input, computed once and kept in ``cache`` (delete it after changing a model)."""
    path = cache / "union-inputs.pkl"
    out = pickle.loads(path.read_bytes()) if path.is_file() else {}
    for which, rows in (("en", tagger_rows_en), ("ct24", tagger_rows_ct24)):
        if which not in out:
            pred, gold = rows(data)
            out[which] = {"tagger": pred, "gold": gold, "probs": model_probs(data, which, settings)}
    if "column" not in out:
        out["column"] = column_inputs(settings)
    if "other" not in out:
        out["other"] = other_dev(data, settings)
    for low in LOWS:
        if f"low{low}" not in out:
            out[f"low{low}"] = low_spans(data, low)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def united(d: dict, thr: np.ndarray, mode: str = "union") -> list[Row]:
    """The tagger's rows plus the model's techniques at ``thr``: ``union`` adds every one,
    ``empty`` only on rows where the tagger found nothing, ``top1`` only the model's best
    technique, ``empty-top1`` both restrictions."""
    out = []
    for a, n, labels in d["tagger"]:
        p = d["probs"].get((a, n))
        extra: set[str] = set()
        if p is not None and not (mode.startswith("empty") and labels):
            keep = p >= thr
            if mode.endswith("top1"):
                best = int(np.argmax(np.where(keep, p, -1.0)))
                keep = np.zeros_like(keep)
                keep[best] = p[best] >= thr[best]
            extra = {LABELS[j] for j in np.flatnonzero(keep)}
        out.append((a, n, frozenset(labels) | extra))
    return out


def agreeing(d: dict, low: dict, tau: float, theta: float) -> dict:
    """``d`` with the tagger's rows widened by each technique on which both weak signals agree:
    a tagger span at the lower threshold with confidence >= ``tau`` and the paragraph model
    >= ``theta``."""
    rows = []
    for a, n, labels in d["tagger"]:
        p = d["probs"].get((a, n))
        weak = low.get((a, n), {})
        extra = {x for x, c in weak.items() if c >= tau and p is not None
                 and p[LABELS.index(x)] >= theta}  # fmt: skip
        rows.append((a, n, frozenset(labels) | extra))
    return {**d, "tagger": rows}


def score(d: dict, thr: np.ndarray, ids: set[str] | None = None, mode: str = "union") -> float:
    keep = (lambda r: r[0] in ids) if ids is not None else (lambda r: True)
    pred = [r for r in united(d, thr, mode) if keep(r)]
    gold = [r for r in d["gold"] if keep(r)]
    return float(st3_score(pred, gold, LABELS)["micro_f1"])


GRID = [1.01, 0.7, 0.6, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1]


def per_technique(d: dict, base: float, ids: set[str] | None = None, rounds: int = 2):
    """Coordinate ascent from a global threshold: each technique's threshold in turn, the best
    on ``d`` (rows of ``ids``), kept only if it gains."""
    thr = np.full(len(LABELS), base)
    best = score(d, thr, ids)
    for _ in range(rounds):
        for j in range(len(LABELS)):
            for t in GRID:
                trial = thr.copy()
                trial[j] = t
                s = score(d, trial, ids)
                if s > best + 1e-9:
                    best, thr = s, trial
    return thr, best


def density(data: Path, inputs: dict) -> None:
    """Gold and predicted techniques a paragraph, and the share of paragraphs of more than one
    sentence, in EN dev and ct24 (the label base rates the two sets were annotated with)."""
    from spinscope.analysis.technique_paragraphs import sentence_texts
    from spinscope.corpora.technique_paragraphs import load_checkthat24, load_split

    ct24 = load_checkthat24(data / "checkthat2024-task3-en-dev")
    sets = {"EN dev": (load_split(data, "EN", "dev"), inputs["en"]), "ct24": (ct24, inputs["ct24"])}
    for name, (par, d) in sets.items():
        n = np.array([len(sentence_texts(t)) for t in par.texts])
        g = np.array([len(x) for x in par.labels])
        tagged = np.mean([len(x) for _, _, x in d["tagger"]])
        model = np.mean([(p >= 0.2).sum() for p in d["probs"].values()])
        print(
            f"  {name}: gold {g.mean():.2f} a paragraph ({g[n == 1].mean():.2f} in one-sentence "
            f"paragraphs, {g[n > 1].mean():.2f} in longer ones; {np.mean(n > 1):.3f} longer); "
            f"tagger {tagged:.2f}; paragraph model at 0.20 {model:.2f}"
        )


def counts(pred: list[Row], gold: list[Row]) -> dict[str, np.ndarray]:
    """Per article: (tp, fp, fn) over (paragraph, technique) pairs, as ``st3_score`` counts."""
    g = {(a, n): x for a, n, x in gold}
    p = {(a, n): x for a, n, x in pred}
    out: dict[str, np.ndarray] = {}
    for key in set(g) | set(p):
        x, y = p.get(key, frozenset()), g.get(key, frozenset())
        out.setdefault(key[0], np.zeros(3))
        out[key[0]] += (len(x & y), len(x - y), len(y - x))
    return out


def bootstrap(d: dict, rows: list[Row], draws: int = 2000) -> tuple[float, float, float]:
    """Micro-F1 of ``rows`` minus the tagger's alone on ``d``, and its 95% interval over
    articles drawn with replacement (paired)."""
    base, new = counts(d["tagger"], d["gold"]), counts(rows, d["gold"])
    ids = sorted(base)
    b = np.stack([base[i] for i in ids])
    m = np.stack([new[i] for i in ids])
    pick = np.random.default_rng(1).integers(0, len(ids), (draws, len(ids)))

    def f1(c: np.ndarray) -> np.ndarray:
        tp, fp, fn = c[..., 0], c[..., 1], c[..., 2]
        return 2 * tp / np.maximum(2 * tp + fp + fn, 1)

    diff = f1(m[pick].sum(1)) - f1(b[pick].sum(1))
    lo, hi = np.percentile(diff, [2.5, 97.5])
    return float(f1(m.sum(0)) - f1(b.sum(0))), float(lo), float(hi)


def intervals(inputs: dict) -> None:
    off = np.full(len(LABELS), 1.01)
    rules = {f"union at {t}": lambda d, w, t=t: united(d, np.full(len(LABELS), t))
             for t in (0.3, 0.25, 0.2, 0.1)}  # fmt: skip
    for tau, theta in ((0.2, 0.25), (0.2, 0.2), (0.1, 0.25)):
        low = "low0.1" if tau < 0.2 else "low0.2"
        rules[f"agreement tau {tau} theta {theta}"] = lambda d, w, tau=tau, theta=theta, low=low: (
            united(agreeing(d, inputs[low][w], tau, theta), off)
        )
    for name, rule in rules.items():
        parts = []
        for w in ("en", "ct24"):
            diff, lo, hi = bootstrap(inputs[w], rule(inputs[w], w))
            parts.append(f"{w} {diff:+.4f} [{lo:+.4f}, {hi:+.4f}]")
        print(f"  {name:28s} " + "   ".join(parts))


def pooled_thresholds(other: dict) -> np.ndarray:
    """Per-technique thresholds of the paragraph model alone, by coordinate ascent on the
    pooled dev of the five other languages (from the global 0.20)."""
    rows = [
        (f"{lang}-{a}", n, labels, p)
        for lang, d in other.items()
        for (a, n, labels), p in zip(d["gold"], d["probs"], strict=True)
    ]
    gold = [(a, n, labels) for a, n, labels, _ in rows]
    probs = np.stack([p for *_, p in rows])

    def f1(thr: np.ndarray) -> float:
        found = probs >= thr
        pred = [(a, n, frozenset(LABELS[j] for j in np.flatnonzero(found[k])))
                for k, (a, n, _) in enumerate(gold)]  # fmt: skip
        return float(st3_score(pred, gold, LABELS)["micro_f1"])

    thr = np.full(len(LABELS), 0.2)
    best = f1(thr)
    print(f"  pooled other-language dev at the global 0.20: {best:.4f}")
    for _ in range(2):
        for j in range(len(LABELS)):
            for t in (0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05):
                trial = thr.copy()
                trial[j] = t
                s = f1(trial)
                if s > best + 1e-9:
                    best, thr = s, trial
    print(f"  per-technique: {best:.4f}")
    return thr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=Path("/work/cache-s10-enpara"))
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.set)
    inputs = load_all(args.data, args.cache, settings)
    en, ct, col = inputs["en"], inputs["ct24"], inputs["column"]
    print("techniques a paragraph:")
    density(args.data, inputs)
    for name, d in (("EN dev", en), ("ct24", ct)):
        covered = sum((a, n) in d["probs"] for a, n, _ in d["gold"])
        print(f"{name}: {len(d['gold'])} gold rows, {covered} with model probabilities")
    print(
        "\n(1) one threshold for the paragraph part; modes: union (every technique at the "
        "threshold), empty (only rows where the tagger found nothing), top1 (only the model's "
        "best technique), empty-top1 (both)"
    )
    print(f"{'mode':>10} {'threshold':>10} {'EN dev':>8} {'ct24':>8}   column")
    for mode in ("union", "empty", "top1", "empty-top1"):
        for t in GRID:
            thr = np.full(len(LABELS), t)
            print(
                f"{mode:>10} {t:10.2f} {score(en, thr, mode=mode):8.4f} "
                f"{score(ct, thr, mode=mode):8.4f}   {column_pr(col, thr, mode)}"
            )
    news = ("Loaded_Language", "Name_Calling-Labeling", "Questioning_the_Reputation", "Doubt")
    print(
        "\n(3) only techniques that dominate news (Loaded_Language; the first four), one threshold"
    )
    for kept in (news[:1], news):
        for t in GRID:
            thr = np.full(len(LABELS), 1.01)
            thr[[LABELS.index(x) for x in kept]] = t
            print(
                f"{len(kept):>10} {t:10.2f} {score(en, thr):8.4f} {score(ct, thr):8.4f}   "
                f"{column_pr(col, thr, 'union')}"
            )
    print(
        "\n(4) agreement: the tagger at a lower span threshold (span confidence >= tau) and "
        "the model >= theta"
    )
    off = np.full(len(LABELS), 1.01)
    for tau in (0.1, 0.15, 0.2, 0.3, 0.4):
        low = inputs["low0.1" if tau < 0.2 else "low0.2"]
        for theta in (0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.0):
            e, c, k = (agreeing(inputs[w], low[w], tau, theta)
                       for w in ("en", "ct24", "column"))  # fmt: skip
            print(
                f"  tau {tau:.2f} theta {theta:.2f}  EN {score(e, off):.4f}  ct24 "
                f"{score(c, off):.4f}   {column_pr(k, off, 'union')}"
            )
    print("\n(4b) agreement, tau and theta chosen on one half of EN dev, scored on the other")
    ids = sorted({a for a, _, _ in en["gold"]})
    np.random.default_rng(0).shuffle(ids)
    halves = [set(ids[::2]), set(ids[1::2])]
    grid = [(tau, theta) for tau in (0.1, 0.15, 0.2, 0.3, 0.4)
            for theta in (0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.0)]  # fmt: skip
    for k, half in enumerate(halves):

        def on(ids_: set[str], tau: float, theta: float) -> float:
            low = inputs["low0.1" if tau < 0.2 else "low0.2"]["en"]
            return score(agreeing(en, low, tau, theta), off, ids_)

        tau, theta = max(grid, key=lambda g: on(half, *g))
        print(
            f"  half {k}: chose tau {tau} theta {theta} ({on(half, tau, theta):.4f}); other half "
            f"{on(halves[1 - k], tau, theta):.4f} "
            f"(tagger alone {score(en, off, halves[1 - k]):.4f})"
        )
    print("\n(5) change against the tagger alone, 95% paired bootstrap interval over articles")
    intervals(inputs)
    print(
        "\n(2b) per-technique thresholds chosen on the pooled FR DE IT PL RU dev, used for English"
    )
    thr = pooled_thresholds(inputs["other"])
    print(
        f"  EN dev {score(en, thr):.4f}  ct24 {score(ct, thr):.4f}   {column_pr(col, thr, 'union')}"
    )
    print("  thresholds", {x: float(t) for x, t in zip(LABELS, thr, strict=True)})
    print("\n(2) per-technique thresholds on EN dev (coordinate ascent from 1.01 = off)")
    ids = sorted({a for a, _, _ in en["gold"]})
    rng = np.random.default_rng(0)
    rng.shuffle(ids)
    halves = [set(ids[::2]), set(ids[1::2])]
    for k, half in enumerate(halves):
        other = halves[1 - k]
        thr, fit = per_technique(en, 1.01, half)
        print(
            f"  fit on half {k}: {fit:.4f}; held-out half {score(en, thr, other):.4f} "
            f"(tagger alone {score(en, np.full(len(LABELS), 1.01), other):.4f})"
        )
    thr, fit = per_technique(en, 1.01)
    chosen = {LABELS[j]: float(thr[j]) for j in range(len(LABELS)) if thr[j] <= 1.0}
    print(f"  all EN dev: {fit:.4f}; ct24 {score(ct, thr):.4f}; thresholds {chosen}")


if __name__ == "__main__":
    main()
