"""The ONNX exporters of the tree on PYTHONPATH, run on fixed untrained models; prints the
sha256 of every file they write, as JSON. Run it in two trees and diff the output to show that a
change to the exporters leaves the exported files byte-identical (issue 19, s10-dups2).

    PYTHONPATH=src python bench/onnx_export_identity.py SCRATCH_DIR > hashes.json

Models (seed 0, from the installed all-MiniLM-L6-v2; heads untrained): the technique tagger
(``training.export``), the span classifier, the check-worthiness classifier, the multilingual
encoder exporter (given MiniLM as its BERT), and the accurate tagger's encoder exporter on a
random 12-layer BERT (hidden 768, as its fusion expects; all-mpnet-base-v2 is not installed
here). Needs the [train] extra; about a minute on a 2-core CPU.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import torch


def _random_bert(folder: Path) -> Path:
    from transformers import BertConfig, BertModel

    if not (folder / "config.json").exists():
        torch.manual_seed(0)
        config = BertConfig(
            vocab_size=200, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
            intermediate_size=128, max_position_embeddings=64,
        )  # fmt: skip
        BertModel(config).save_pretrained(folder)
    return folder


def export(which: str, out: Path, base: str) -> None:
    torch.manual_seed(0)
    if which == "tagger":
        from spinscope.training import export as tagger_export
        from spinscope.training.techniques import make_model

        tagger_export.export_onnx(make_model(base).eval(), out)
    elif which == "span":
        from spinscope.training import span_classifier
        from spinscope.training.span_classifier_export import export_onnx

        export_onnx(span_classifier.make_model(base).eval(), out)
    elif which == "cw":
        from spinscope.training import checkworthy
        from spinscope.training.checkworthy_export import _export_graphs

        _export_graphs(checkworthy.make_model(base).eval(), out)
    elif which == "enc":
        from spinscope.training.multilingual_encoder_export import export_onnx

        export_onnx(Path(base), out, keep_fp32=True)
    elif which == "accurate":
        from spinscope.training.techniques_accurate import export_encoder

        export_encoder(_random_bert(out.parent / "random-bert"), out)


def main() -> None:
    from spinscope.training._common import base_model_path

    scratch = Path(sys.argv[1])
    hashes = {}
    for which in sys.argv[2:] or ["tagger", "span", "cw", "enc", "accurate"]:
        out = scratch / which
        out.mkdir(parents=True, exist_ok=True)
        export(which, out, base_model_path())
        for f in sorted(out.iterdir()):
            hashes[f"{which}/{f.name}"] = hashlib.sha256(f.read_bytes()).hexdigest()
    json.dump(hashes, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
