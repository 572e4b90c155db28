"""Where framing's "which language is this?" answer changed when its function-word guess
(``_multilingual.guess_language``, removed) gave way to ``analysis.language``: on the SemEval-2023
ST1 articles (EN train, FR DE IT PL RU dev, ES EL KA test) and the SemEval-2025 dev documents,
count the articles whose genre/frames model would switch between answering and "not sure"
(the card's languages: EN FR DE IT PL RU) or answer as another covered language.

    PYTHONPATH=src python bench/framing_language_gate.py --baseline-src <src of a commit with
    guess_language, e.g. eb3866f unpacked by git archive> [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections import Counter
from pathlib import Path

from spinscope.analysis import language
from spinscope.corpora.semeval23_articles import read_article_texts
from spinscope.corpora.semeval25 import read_documents

COVERED = {"EN", "FR", "DE", "IT", "PL", "RU"}
SE23 = [("en", "train"), ("fr", "dev"), ("ge", "dev"), ("it", "dev"), ("po", "dev"),
        ("ru", "dev"), ("es", "test"), ("gr", "test"), ("ka", "test")]  # fmt: skip


def old_guess(src: Path):
    path = src / "spinscope" / "analysis" / "_multilingual.py"
    spec = importlib.util.spec_from_file_location("old_multilingual", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_multilingual"] = module
    spec.loader.exec_module(module)
    return module.guess_language


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-src", type=Path, required=True)
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data"
    )
    args = ap.parse_args()
    guess = old_guess(args.baseline_src)
    texts = [
        (f, t)
        for f, s in SE23
        for t in read_article_texts(args.data / "semeval2023-task3", f, s, 1).values()
    ]
    se25 = args.data / "semeval2025-task10"
    for lang in ("BG", "EN", "HI", "PT", "RU"):
        texts += [(lang, t) for t in read_documents(se25, lang, "dev", 2).values()]
    changed = Counter()
    for tag, text in texts:
        old, new = guess(text)[0], language.detect(text).code.upper()
        if (old in COVERED) != (new in COVERED) or (old in COVERED and old != new):
            changed[f"{tag}: {old} -> {new}"] += 1
    print(f"{len(texts)} articles; framing's decision changes on {sum(changed.values())}:")
    for what, n in changed.most_common():
        print(f"  {what}: {n}")


if __name__ == "__main__":
    main()
