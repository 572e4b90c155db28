"""Language-independent signals for English-Russian same-event pairs (issue 20; measured only).

For each half of the story gold (bench/gold/stories_gold.tsv), every pair of an English and a
Russian article is scored on signals that do not depend on the language, and the gold
same-event EN-RU pairs are ranked among all the half's EN-RU pairs (rank 1 = the highest score;
"a-b" where it ties with others), as BENCHMARKS.md s12-e5stories ranked the centred cosines:

- ``numbers``: figures of two or more digits (separators removed, e.g. "1,200" and "1 200" ->
  "1200"; decimals kept) shared by both texts, each weighted by its idf over the half's English
  and Russian articles: the idf-weighted cosine of the two sets (0 to 1);
- ``names``: capitalised words, the Russian ones transliterated to Latin, reduced to a consonant
  skeleton (lower case, vowels and y/j/w/h dropped, doubled letters once, the first four kept;
  e.g. Truss / Трасс -> "trs", Biden / Байден -> "bdn", Zelensky / Зеленского -> "zlns"),
  skeletons of three or more consonants only; scored as ``numbers``;
- ``both``: the mean of the two.

Each is measured on the title + lead (``lead_text``, what the story vectors see) and on the
whole text. ``--encoder NAME --means FILE`` (bench/story_encoders.py, stories_language_means.py
--out) adds the centred cosine of the title+lead vectors, for comparison. Only ids, event ids and
scores are printed.

    python bench/stories_enru_signals.py [--data ../shared/data] [--top 3]
        [--encoder NAME --means FILE]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from stories_gold_eval import HALVES, article_path, read_gold  # noqa: E402

NUMBER = re.compile(r"\d[\d,. \u00a0\u202f]*\d|\d\d")
WORD = re.compile(r"\b[A-ZА-ЯЁ][\w'-]+")
LATIN = "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya"
CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", LATIN.split(), strict=True))
DROP = set("aeiouyjwh_")


def numbers(text: str) -> set[str]:
    out = set()
    for m in NUMBER.finditer(text):
        n = re.sub(r"[,\s\u00a0\u202f]", "", m.group()).strip(".")
        if len(re.sub(r"\D", "", n)) >= 2:
            out.add(n)
    return out


def skeleton(word: str) -> str:
    latin = "".join(CYR.get(c, c) for c in word.lower())
    cons = [c for c in latin if c.isalpha() and c not in DROP]
    out = [c for k, c in enumerate(cons) if k == 0 or c != cons[k - 1]]
    return "".join(out[:4])


def names(text: str) -> set[str]:
    return {s for w in WORD.findall(text) if len(s := skeleton(w)) >= 3}


def overlap(a: set[str], b: set[str], idf: Callable[[str], float]) -> float:
    """The idf-weighted cosine of two sets (each item weighted by its idf)."""
    norm = math.sqrt(sum(idf(x) ** 2 for x in a) * sum(idf(x) ** 2 for x in b))
    return sum(idf(x) ** 2 for x in a & b) / norm if norm else 0.0


def _idf(sets: Sequence[set[str]]) -> Callable[[str], float]:
    df = Counter(x for s in sets for x in s)
    return lambda x: math.log(len(sets) / df[x])


def ranks(scores: dict[tuple[int, int], float], gold: Sequence[tuple[int, int]]) -> list[str]:
    """Each gold pair's rank among all pairs, "best-worst" where it ties with others."""
    out = []
    for g in gold:
        best = 1 + sum(s > scores[g] for s in scores.values())
        worst = sum(s >= scores[g] for s in scores.values())
        out.append(str(best) if best == worst else f"{best}-{worst}")
    return out


def half_signals(data: Path, half: str, top: int, encoder=None, means=None) -> None:
    from spinscope.ingest.files import read_path
    from spinscope.store.stories import lead_text

    part = [a for a in read_gold() if a.half == half and a.language in ("en", "ru")]
    docs = [read_path(article_path(data, a)) for a in part]
    texts = {"lead": [lead_text(d.title, d.text) for d in docs],
             "full": [f"{d.title or ''}\n{d.text}" for d in docs]}  # fmt: skip
    en = [k for k, a in enumerate(part) if a.language == "en"]
    ru = [k for k, a in enumerate(part) if a.language == "ru"]
    pairs = list(product(en, ru))
    gold = [(i, j) for i, j in pairs if part[i].event == part[j].event]
    if encoder is not None:
        from spinscope.store.stories import encode
        from spinscope.store.story_space import centre

        vecs = centre(encode(texts["lead"], encoder), [a.language for a in part], means)
        cos = {(i, j): float(vecs[i] @ vecs[j]) for i, j in pairs}
        _print(half, "lead", "centred cosine", part, pairs, gold, cos, top)
    for where, (kind, fn) in product(texts, [("numbers", numbers), ("names", names)]):
        sets = [fn(t) for t in texts[where]]
        idf = _idf(sets)
        score = {(i, j): overlap(sets[i], sets[j], idf) for i, j in pairs}
        _print(half, where, kind, part, pairs, gold, score, top)
        if kind == "numbers":
            nums = score
        else:
            both = {p: (nums[p] + score[p]) / 2 for p in pairs}
            _print(half, where, "both", part, pairs, gold, both, top)


def _print(half, where, kind, part, pairs, gold, score, top) -> None:
    rk = ranks(score, gold)
    gold_txt = ", ".join(f"{part[i].file_id}~{part[j].file_id} {score[(i, j)]:.2f} (#{r})"
                         for (i, j), r in zip(gold, rk, strict=True))  # fmt: skip
    others = sorted((s, part[i].event, part[j].event) for (i, j), s in score.items()
                    if part[i].event != part[j].event)[::-1][:top]  # fmt: skip
    above = "; ".join(f"{a}/{b} {s:.2f}" for s, a, b in others)
    print(f"| {half} | {where} | {kind} | {len(pairs)} | {gold_txt} | {above} |")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--top", type=int, default=3, help="different-event pairs shown")
    ap.add_argument("--encoder", default=None, help="also rank by this encoder's centred cosine")
    ap.add_argument("--means", default=None, help="its language means (--out of the means)")
    a = ap.parse_args(argv)
    encoder = means = None
    if a.encoder:
        from stories_gold_eval import read_means
        from story_encoders import make_encoder

        encoder, means = make_encoder(a.encoder), read_means(Path(a.means))
    print("| half | text | signal | EN-RU pairs | gold pairs: score (rank) | top other pairs |")
    print("|---|---|---|---|---|---|")
    for half in HALVES:
        half_signals(Path(a.data), half, a.top, encoder, means)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
