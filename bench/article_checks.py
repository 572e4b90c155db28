"""Issue 15: the "not news" checks (analysis._article_checks) on news. Prints, per split, the
largest verse and recipe measures seen (the thresholds must sit above the training maxima) and
how many held-out news articles each check fires on (false fires).

    PYTHONPATH=src python bench/article_checks.py [../shared/data]

Training news: SemEval-2023 subtask 1 train articles, all six languages. Held-out news: the
SemEval-2023 dev articles (FR, GE, IT, PO, RU; subtasks 1-3 folders, de-duplicated by id) and the
SemEval-2025 Task 10 dev documents (BG, EN, HI, PT, RU; subtask 2)."""

from __future__ import annotations

import sys
from pathlib import Path

from spinscope.analysis import _article_checks as checks

DATA = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")


def semeval23(split: str, subtasks: str = "*") -> dict[str, str]:
    out = {}
    pattern = f"*/{split}-articles-subtask-{subtasks}"
    for folder in sorted((DATA / "semeval2023-task3").glob(pattern)):
        for p in sorted(folder.glob("*.txt")):
            out[f"{folder.parent.name}/{p.name}"] = p.read_text(encoding="utf-8")
    return out


def semeval25_dev() -> dict[str, str]:
    out = {}
    for p in sorted((DATA / "semeval2025-task10" / "dev").glob("*/subtask-2-documents/*.txt")):
        out[f"{p.parent.parent.name}/{p.name}"] = p.read_text(encoding="utf-8")
    return out


def report(name: str, texts: dict[str, str]) -> None:
    shapes = {k: checks.shape(t) for k, t in texts.items()}
    many = {k: s for k, s in shapes.items() if s.lines >= checks.VERSE_MIN_LINES}
    verse = max(many.items(), key=lambda kv: kv[1].verse_share)
    words = max(many.items(), key=lambda kv: kv[1].short_word_share)
    both = max(many.items(), key=lambda kv: min(kv[1].verse_share, kv[1].short_word_share))
    recipe_n = max(shapes.items(), key=lambda kv: max(kv[1].ingredient_lines, kv[1].cooking_steps))
    recipe_s = max(shapes.items(), key=lambda kv: kv[1].recipe_share)
    fires = [k for k, t in texts.items() if checks.not_news(t)]
    print(f"{name}: {len(texts)} articles; max verse share (>= {checks.VERSE_MIN_LINES} lines) "
          f"{verse[1].verse_share:.3f} ({verse[0]}); max short-line word share "
          f"{words[1].short_word_share:.3f} ({words[0]}); max of the smaller of the two "
          f"{min(both[1].verse_share, both[1].short_word_share):.3f} ({both[0]}); "
          f"max ingredient lines / cooking steps "
          f"{recipe_n[1].ingredient_lines} / {recipe_n[1].cooking_steps} ({recipe_n[0]}); "
          f"max recipe share {recipe_s[1].recipe_share:.3f} ({recipe_s[0]}); "
          f"not-news fires {len(fires)}/{len(texts)} {fires[:5]}")


if __name__ == "__main__":
    train = semeval23("train", "1")
    report("SemEval-2023 ST1 train (all languages; thresholds sit above these)", train)
    # held out: dev articles the thresholds never saw (not in the ST1 train folders)
    known = set(train)
    dev = {k: v for k, v in semeval23("dev").items() if k not in known}
    report("SemEval-2023 dev (held out: not in ST1 train)", dev)
    report("SemEval-2025 dev (held out)", semeval25_dev())
    # (the PTC dev articles are all in SemEval-2023's English training set: not held out)
