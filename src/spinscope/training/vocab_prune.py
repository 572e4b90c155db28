"""Prune the restored multilingual encoder's vocabulary to the pieces the supported languages use.

XLM-R's 250k-piece table is 96M of multilingual-e5-small's 118M parameters; int8 it alone would
be ~96 MB, past the whole model budget. A unigram tokenizer segments each word (Metaspace splits
at spaces) by the best-scoring path over its pieces, so keeping every piece that appears in the
best paths of a corpus, and dropping the rest, leaves that corpus's tokenisation unchanged: the
old best path is still there and nothing new was added. Text outside the corpus still
tokenises: every single-character piece of the scripts kept is retained, so a new word falls
back to shorter pieces instead of ``<unk>``.

The corpus is read at run time from the research data folder (never copied into the repo):
PTC articles, SemEval-2023 Task 3 articles in every language and split, SemEval-2025 Task 10
documents. CheckThat! 2024 is held out for measuring and is not read.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from spinscope.analysis.multilingual_tagger import pruned_tokenizer_json
from spinscope.errors import ConfigError
from spinscope.training.multilingual_encoder import TOKENIZER, WEIGHTS

WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
CORPORA = {
    "ptc": ("ptc-semeval2020-task11/*-articles/*.txt",),
    "semeval23": ("semeval2023-task3/*/*-articles-subtask-*/*.txt",),
    "semeval25": (
        "semeval2025-task10/train/*/raw-documents/*.txt",
        "semeval2025-task10/dev/*/subtask-*-documents/*.txt",
    ),
}
"""Corpus name -> globs under the data root (``--prune-on`` picks names)."""
# Never read: the out-of-domain dev set is for measuring only, and Hindi is not a language
# spinscope supports (its SemEval-2025 documents would add ~4k Devanagari pieces).
HELD_OUT_PARTS = frozenset({"checkthat2024-task3-en-dev", "HI"})
# Scripts whose single characters are kept whatever the corpus holds: the languages spinscope
# supports or tags zero-shot (Latin, Greek, Cyrillic, Georgian), plus digits, punctuation and
# symbols, so that unseen words in those languages never become <unk>.
KEEP_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "GEORGIAN", "DIGIT", "NUMBER")
KEEP_CATEGORIES = ("P", "S", "N", "Z")
# Scripts of the languages the tagger reads zero-shot with almost no text of theirs in the corpus
# (Greek, Georgian: a few hundred unlabelled test articles): every piece of them is kept, so new
# text is cut as e5 was pretrained to cut it (without this, 34% of the words of held-out Georgian
# articles were cut otherwise; bench/zero_shot_tagger.py --held-out, BENCHMARKS.md issue 14).
WHOLE_SCRIPTS = ("GREEK", "GEORGIAN")
PREFIXES = "passage: query: "  # e5's input prefixes, tokenised once (words are segmented alone)


def corpus_files(data_root: Path, corpora: Iterable[str] = tuple(CORPORA)) -> list[Path]:
    """The text files pruning reads, sorted and de-duplicated; never the held-out sets."""
    root = Path(data_root)
    unknown = sorted(set(corpora) - set(CORPORA))
    if unknown:
        raise ConfigError(f"Unknown corpus {unknown[0]!r}. Available: {', '.join(CORPORA)}.")
    files = {p for name in corpora for g in CORPORA[name] for p in root.glob(g)}
    return sorted(p for p in files if not HELD_OUT_PARTS & set(p.relative_to(root).parts))


def read_texts(files: Iterable[Path]) -> Iterator[str]:
    """Each distinct text once (SemEval-2023 keeps one copy of an article per subtask)."""
    seen: set[int] = set()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if hash(text) not in seen:
            seen.add(hash(text))
            yield text


def _char_piece(piece: str) -> bool:
    """A single character (alone or after "▁") of a kept script, digit, punctuation or symbol."""
    ch = piece[1:] if piece.startswith("▁") and len(piece) == 2 else piece
    if len(ch) != 1:
        return False
    if unicodedata.category(ch)[0] in KEEP_CATEGORIES:
        return True
    name = unicodedata.name(ch, "")
    return any(script in name for script in KEEP_SCRIPTS)


def _script_piece(piece: str) -> bool:
    """A piece whose letters (one at least) are all of one of ``WHOLE_SCRIPTS``."""
    names = {unicodedata.name(ch, "").split(" ")[0] for ch in piece if ch.isalpha()}
    return len(names) == 1 and names <= set(WHOLE_SCRIPTS)


def used_ids(tokenizer, texts: Iterable[str], batch: int = 64) -> set[int]:
    """Every token id the tokenizer produces on ``texts`` and on e5's prefixes."""
    seen: set[int] = set(tokenizer.encode(PREFIXES).ids)
    chunk: list[str] = []
    for text in texts:
        chunk.append(text)
        if len(chunk) >= batch:
            seen.update(i for enc in tokenizer.encode_batch(chunk) for i in enc.ids)
            chunk = []
    if chunk:
        seen.update(i for enc in tokenizer.encode_batch(chunk) for i in enc.ids)
    return seen


def keep_ids(tokenizer_json: dict, seen: set[int]) -> list[int]:
    """Sorted old ids to keep: special tokens, pieces seen, single-character pieces of the kept
    scripts, every piece of ``WHOLE_SCRIPTS``."""
    vocab = tokenizer_json["model"]["vocab"]
    specials = {t["id"] for t in tokenizer_json.get("added_tokens", [])}
    keep = set(seen) | specials
    keep.update(
        i for i, (piece, _) in enumerate(vocab) if _char_piece(piece) or _script_piece(piece)
    )
    return sorted(keep)


def prune(model_dir: Path, out_dir: Path, texts: Iterable[str]) -> dict:
    """Write a pruned copy of a restored encoder folder (weights, config, tokenizer)."""
    from safetensors.numpy import load_file, save_file
    from tokenizers import Tokenizer

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    tok_json = json.loads((model_dir / TOKENIZER).read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_str(json.dumps(tok_json))
    tokenizer.no_padding()
    keep = keep_ids(tok_json, used_ids(tokenizer, texts))
    weights = load_file(str(model_dir / WEIGHTS))
    weights[WORD_EMBEDDINGS] = np.ascontiguousarray(weights[WORD_EMBEDDINGS][keep])
    config = json.loads((model_dir / "config.json").read_text())
    new_id = {old: new for new, old in enumerate(keep)}
    config["vocab_size"] = len(keep)
    for name in ("pad_token_id", "bos_token_id", "eos_token_id"):
        if config.get(name) is not None:
            config[name] = new_id[config[name]]
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(weights, str(out_dir / WEIGHTS), metadata={"format": "pt"})
    (out_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    pruned = pruned_tokenizer_json(tok_json, keep)
    (out_dir / TOKENIZER).write_text(json.dumps(pruned, ensure_ascii=False), encoding="utf-8")
    np.save(out_dir / "kept_ids.npy", np.asarray(keep, dtype=np.int64))
    return {
        "pieces_before": len(tok_json["model"]["vocab"]),
        "pieces_after": len(keep),
        "parameters": int(sum(w.size for w in weights.values())),
    }
