"""The multilingual tagger's export (``training.techniques_multilingual_export``): a tiny random
encoder with an XLM-R-like vocabulary goes through the real export, and the analyser reads the
folder with the channels decoder (no span heads), giving the torch model's token scores back."""

from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
pytest.importorskip("onnxruntime")

from spinscope.analysis.spans import CHANNELS  # noqa: E402
from spinscope.analysis.techniques import TechniqueTagger  # noqa: E402
from spinscope.model.document import Document  # noqa: E402
from spinscope.training import techniques_multilingual_export as tme  # noqa: E402
from spinscope.training.techniques_multilingual import make_model  # noqa: E402

WORDS = ["▁un", "▁texte", "▁honteux", "▁et", "▁faux", ".", "▁la", "▁propagande"]


def tiny_encoder(folder):
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    vocab += [(w, -1.0) for w in WORDS]
    tok = Tokenizer(models.Unigram(vocab, unk_id=3, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    folder.mkdir()
    tok.save(str(folder / "tokenizer.json"))
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=64,
                                     max_position_embeddings=160, pad_token_id=1)  # fmt: skip
    torch.manual_seed(0)
    transformers.BertModel(config, add_pooling_layer=False).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("ml")
    enc = tiny_encoder(root / "encoder")
    model = make_model(str(enc))
    torch.save(model.state_dict(), root / "checkpoint-epoch1.pt")
    tme.export(root / "checkpoint-epoch1.pt", enc, root / "out", epoch=1)
    return model.eval(), root / "out"


def test_the_card_carries_the_vocabularys_special_ids_and_languages(exported):
    _, out = exported
    card = json.loads((out / "card.json").read_text())
    assert card["special_ids"] == {"cls": 0, "sep": 2, "pad": 1}
    assert card["languages"] == ["en", "fr", "de", "it", "pl", "ru"]
    assert card["hidden_size"] == 32 and card["windowing"] == "sentences"
    assert sorted(p.name for p in out.iterdir()) == ["card.json", "tagger.int8.onnx",
                                                     "tokenizer.json"]  # fmt: skip


def test_the_analyser_reads_the_torch_models_scores_back(exported):
    model, out = exported
    text = "un texte honteux et faux la propagande."  # one sentence: one window
    tagger = TechniqueTagger(model_dir=out, decoder="channels", calibrated=False)
    (sc,) = tagger.scores([text], hidden=False)
    ids = torch.tensor([[0, *sc.enc.ids.tolist(), 2]])
    with torch.no_grad():
        logits, _ = model(ids, torch.ones_like(ids))
    want = torch.sigmoid(logits)[0, 1:-1].numpy()
    assert sc.probs.shape == (len(sc.enc.ids), len(CHANNELS))
    assert np.abs(sc.probs - want).max() < 0.05  # int8 weights


def test_the_channels_decoder_needs_no_span_heads(exported):
    _, out = exported
    tagger = TechniqueTagger(model_dir=out, decoder="channels", threshold=0.0, calibrated=False)
    (found,) = tagger.analyze([Document(text="un texte honteux et faux.")])
    assert found and all(f.analyzer == "techniques" for f in found)
    assert tagger.provenance()["span_classifier_sha256"] is None
    with pytest.raises(Exception, match="has no span heads: use --set techniques.decoder=channels"):
        TechniqueTagger(model_dir=out, decoder="hybrid", span_labeller="heads").analyze(
            [Document(text="un texte honteux.")]
        )


def test_special_ids_names_a_missing_token(tmp_path):
    from tokenizers import Tokenizer, models

    tok = Tokenizer(models.Unigram([("<unk>", 0.0), ("a", -1.0)], unk_id=0, byte_fallback=False))
    tok.save(str(tmp_path / "tokenizer.json"))
    with pytest.raises(ValueError, match="no cls token"):
        tme.special_ids(tmp_path / "tokenizer.json")


def test_a_run_with_adapters_exports_the_merged_model(tmp_path):
    enc = tiny_encoder(tmp_path / "encoder")
    model = make_model(str(enc), lora_rank=2, lora_alpha=4.0)
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert "encoder.embeddings.word_embeddings.weight" not in trainable
    assert "encoder.encoder.layer.0.attention.self.query.base.weight" not in trainable
    assert "encoder.encoder.layer.0.output.dense.lora_B" in trainable
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n.endswith("lora_B"):
                p.normal_(0, 0.5)  # as if trained: the adapters now change the output
    torch.save(model.state_dict(), tmp_path / "checkpoint-epoch1.pt")
    tme.export(tmp_path / "checkpoint-epoch1.pt", enc, tmp_path / "out", lora_alpha=4.0)
    text = "un texte honteux et faux la propagande."
    (sc,) = TechniqueTagger(model_dir=tmp_path / "out", decoder="channels").scores([text])
    ids = torch.tensor([[0, *sc.enc.ids.tolist(), 2]])
    with torch.no_grad():
        want = torch.sigmoid(model.eval()(ids, torch.ones_like(ids))[0])[0, 1:-1].numpy()
        plain = make_model(str(enc))
        plain.load_state_dict(
            {k: v for k, v in model.state_dict().items() if "lora_" not in k and ".base." not in k}
            | {k.replace(".base.", "."): v for k, v in model.state_dict().items() if ".base." in k}
        )
        unadapted = torch.sigmoid(plain.eval()(ids, torch.ones_like(ids))[0])[0, 1:-1].numpy()
    assert np.abs(sc.probs - want).max() < 0.05
    assert np.abs(unadapted - want).max() > 0.05  # the adapters mattered
