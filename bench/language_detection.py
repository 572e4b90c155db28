"""Accuracy and cost of spinscope's language detection (analysis.language, py3langid) on the
SemEval-2023 Task 3 articles (dev for FR DE IT PL RU; EN has no dev here, so its train articles;
test articles for the zero-shot ES EL KA) and the SemEval-2025 Task 10 dev documents (BG EN HI
PT RU). Every article is in one language, so a document or paragraph given another code is an
error (its results would be dropped, or kept, wrongly).

    PYTHONPATH=src python bench/language_detection.py [DATA_ROOT]

DATA_ROOT defaults to ../shared/data next to the repository (read only).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from spinscope.analysis import language
from spinscope.corpora.semeval23_articles import read_article_texts
from spinscope.corpora.semeval25 import read_documents

ROOT = (
    Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/data"
)
SE23 = {  # folder -> (split, ISO 639-1)
    "en": ("train", "en"), "fr": ("dev", "fr"), "ge": ("dev", "de"), "it": ("dev", "it"),
    "po": ("dev", "pl"), "ru": ("dev", "ru"), "es": ("test", "es"), "gr": ("test", "el"),
    "ka": ("test", "ka"),
}  # fmt: skip
SE25 = ("BG", "EN", "HI", "PT", "RU")


def sets():
    for folder, (split, code) in SE23.items():
        texts = read_article_texts(ROOT / "semeval2023-task3", folder, split, 3)
        yield f"SemEval-2023 {folder} {split}", code, list(texts.values())
    for lang in SE25:
        texts = read_documents(ROOT / "semeval2025-task10", lang, "dev", 2)
        yield f"SemEval-2025 {lang} dev", lang.lower(), list(texts.values())


def main() -> None:
    t, cpu = time.perf_counter(), time.process_time()
    language._load()
    print(f"detector load: {time.perf_counter() - t:.2f} s ({time.process_time() - cpu:.2f} s CPU)")
    print(
        "| set | articles | document right | paragraphs right | judged alone | wrong codes "
        "(paragraphs) | ms/article | CPU ms/article | chars/article |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    totals = Counter()
    for name, code, texts in sets():
        t, cpu = time.perf_counter(), time.process_time()
        found = [language.detect(text) for text in texts]
        ms = (time.perf_counter() - t) * 1000 / len(texts)
        cpu_ms = (time.process_time() - cpu) * 1000 / len(texts)
        paras = [p for lang in found for p in lang.paragraphs]
        doc_ok = sum(lang.code == code for lang in found)
        para_ok = sum(p.code == code for p in paras)
        alone = sum(not p.inherited for p in paras)
        wrong = Counter(p.code for p in paras if p.code != code).most_common(4)
        chars = sum(map(len, texts)) / len(texts)
        totals.update(docs=len(texts), doc_ok=doc_ok, paras=len(paras), para_ok=para_ok)
        totals.update(ms=ms * len(texts), cpu_ms=cpu_ms * len(texts), chars=chars * len(texts))
        n_paras = max(len(paras), 1)
        codes = ", ".join(f"{c} {n}" for c, n in wrong) or "-"
        print(
            f"| {name} | {len(texts)} | {doc_ok / len(texts):.3f} | "
            f"{para_ok / n_paras:.4f} ({len(paras)}) | {alone / n_paras:.2f} | {codes} | "
            f"{ms:.1f} | {cpu_ms:.1f} | {chars:,.0f} |"
        )
    n = totals["docs"]
    print(
        f"| all | {n} | {totals['doc_ok'] / n:.3f} | "
        f"{totals['para_ok'] / totals['paras']:.4f} ({totals['paras']}) | | | "
        f"{totals['ms'] / n:.1f} | {totals['cpu_ms'] / n:.1f} | {totals['chars'] / n:,.0f} |"
    )


if __name__ == "__main__":
    main()
