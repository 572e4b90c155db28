"""How many pieces each choice of pruning corpus keeps, and the int8 size that follows.

Tokenises every text of the pruning corpora once with the restored full tokenizer, grouped by
(corpus, language, split), then counts what ``vocab_prune.keep_ids`` keeps for several unions.
The int8 size is estimated as the measured pruned model's size minus its table, plus 384 bytes
a piece (one int8 row); it is an estimate, not an export.

    python bench/e5_prune_variants.py --artifacts /work/e5-artifacts [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SE23_SIX = ("en", "fr", "ge", "it", "po", "ru")


def group_of(rel: Path) -> tuple[str, str, str]:
    parts = rel.parts
    if parts[0].startswith("ptc"):
        return ("ptc", "en", parts[1].split("-")[0])
    if parts[0].startswith("semeval2023"):
        return ("semeval23", parts[1], parts[2].split("-")[0])
    return ("semeval25", parts[2].lower(), parts[1])


VARIANTS = {
    "all (the default)": lambda g: True,
    "PTC + SemEval-2023, six training languages, all splits": lambda g: (
        g[0] == "ptc" or (g[0] == "semeval23" and g[1] in SE23_SIX)
    ),
    "PTC + SemEval-2023 six languages + SemEval-2025 (BG, EN, PT, RU)": lambda g: (
        g[0] != "semeval23" or g[1] in SE23_SIX
    ),
    "PTC train + SemEval-2023 six languages, train only": lambda g: (
        g[2] == "train" and g[0] != "semeval25" and g[1] in SE23_SIX
    ),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--artifacts", type=Path, default=Path("/work/e5-artifacts"))
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()

    from tokenizers import Tokenizer

    from spinscope.model.jsonable import dumps
    from spinscope.training import vocab_prune as vp
    from spinscope.training.multilingual_encoder import TOKENIZER
    from spinscope.training.multilingual_encoder_export import ONNX_INT8

    tok_json = json.loads((args.artifacts / "float" / TOKENIZER).read_text(encoding="utf-8"))
    tok = Tokenizer.from_str(json.dumps(tok_json))
    tok.no_padding()
    groups: dict[tuple, set[int]] = defaultdict(set)
    files = defaultdict(list)
    for path in vp.corpus_files(args.data):
        files[group_of(path.relative_to(args.data))].append(path)
    for group, paths in files.items():
        groups[group] = vp.used_ids(tok, vp.read_texts(paths))
    kept_now = len(__import__("numpy").load(args.artifacts / "pruned" / "kept_ids.npy"))
    int8_mb = (args.artifacts / "onnx" / ONNX_INT8).stat().st_size / 1e6
    base_mb = int8_mb - kept_now * 384 / 1e6
    rows = {}
    for name, pick in VARIANTS.items():
        seen = set().union(*(ids for g, ids in groups.items() if pick(g)))
        with_chars = len(vp.keep_ids(tok_json, seen))
        rows[name] = {
            "pieces": with_chars,
            "pieces_without_single_characters": len(seen | {0, 1, 2, 3}),
            "int8_mb_estimate": round(base_mb + with_chars * 384 / 1e6, 1),
        }
    print(dumps({"measured_pruned": {"pieces": kept_now, "int8_mb": round(int8_mb, 1)},
                 "variants": rows}, indent=1))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
