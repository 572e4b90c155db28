"""Encode every SemEval-2023 ST1/ST2 and SemEval-2025 ST2 article (train and dev, all languages)
once with the multilingual passage encoder and cache the article vectors, so that the training
and the comparisons below read them instead of re-encoding (``--cache DIR``, one .npz per corpus).

    PYTHONPATH=src python bench/multilingual_features.py --data ../shared/data --cache /tmp/feats \
        --corpus semeval23
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

import numpy as np

from spinscope.analysis._multilingual import article_vectors
from spinscope.corpora import semeval23_articles as s23
from spinscope.corpora import semeval25

S23_LANGS = ("en", "fr", "ge", "it", "po", "ru")


def texts_of(data: Path, corpus: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if corpus == "semeval23":
        root = data / "semeval2023-task3"
        for lang in S23_LANGS:
            for split in ("train", "dev"):
                for sub in (1, 2):
                    folder = root / lang / f"{split}-articles-subtask-{sub}"
                    if folder.is_dir():
                        found = s23.read_article_texts(root, lang, split, sub)
                        out.update({key(t): t for t in found.values()})
    else:
        root = data / "semeval2025-task10"
        for lang in semeval25.LANGS:
            for split in ("train", "dev"):
                out.update(
                    {key(t): t for t in semeval25.read_documents(root, lang, split, 2).values()}
                )
    return out


def key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--corpus", choices=("semeval23", "semeval25"), required=True)
    a = ap.parse_args()
    a.cache.mkdir(parents=True, exist_ok=True)
    texts = texts_of(a.data, a.corpus)
    keys = sorted(texts)
    start = time.perf_counter()
    vecs, norms = [], []
    for k in range(0, len(keys), 16):
        for v in article_vectors([texts[x] for x in keys[k : k + 16]]):
            vecs.append(v.article.astype(np.float32))
            norms.append(v.norm)
        if k % 160 == 0:
            print(f"{k + 16}/{len(keys)} {time.perf_counter() - start:.0f}s", flush=True)
    np.savez(
        a.cache / f"{a.corpus}.npz", keys=np.array(keys), x=np.stack(vecs), norm=np.array(norms)
    )
    print(f"done {len(keys)} articles in {time.perf_counter() - start:.0f}s")


if __name__ == "__main__":
    main()
