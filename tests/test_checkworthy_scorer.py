"""The shipped check-worthiness model: shapes, order, determinism, and a sanity ranking."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from spinscope.analysis.checkworthy import DEFAULT_MODEL_DIR, MODEL_FILE, CheckworthinessScorer
from spinscope.errors import ModelError

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / MODEL_FILE).is_file(), reason="the check-worthiness model is absent"
)

FACTUAL = "Unemployment fell from 10 percent to 4.7 percent between 2010 and 2016."
CLOSING = "Thank you very much, good night."
SENTENCES = [
    CLOSING,
    FACTUAL,
    "We spent 700 billion dollars on the bank bailout in 2008, and crime rose 12 percent.",
    "Well.",
    "I want to thank the moderators and the university for hosting us tonight, and everyone "
    "who came out to watch this debate.",
]


@pytest.fixture(scope="module")
def scorer() -> CheckworthinessScorer:
    return CheckworthinessScorer(batch_size=2)


def test_shapes_and_empty(scorer: CheckworthinessScorer) -> None:
    probs = scorer.score(SENTENCES)
    assert probs.shape == (len(SENTENCES), 2) and probs.dtype == np.float32
    assert np.all((probs >= 0) & (probs <= 1))
    empty = scorer.score([])
    assert empty.shape == (0, 2) and empty.dtype == np.float32


def test_input_order_preserved(scorer: CheckworthinessScorer) -> None:
    # one batch holds all sentences, so reordering the input only permutes the rows
    wide = CheckworthinessScorer(batch_size=64)
    probs = wide.score(SENTENCES)
    order = [3, 1, 4, 0, 2]
    np.testing.assert_allclose(wide.score([SENTENCES[i] for i in order]), probs[order], atol=1e-5)
    assert probs[1, 0] == pytest.approx(scorer.score([CLOSING, FACTUAL])[1, 0], abs=0.05)


def test_batching_changes_little(scorer: CheckworthinessScorer) -> None:
    # Dynamic int8 quantisation scales activations per batch tensor, so a sentence's scores
    # move slightly with the other sentences in its batch (measured: up to ~0.02 here).
    probs = scorer.score(SENTENCES)
    alone = np.vstack([scorer.score([s]) for s in SENTENCES])
    np.testing.assert_allclose(probs, alone, atol=0.05)
    np.testing.assert_allclose(
        CheckworthinessScorer(batch_size=64).score(SENTENCES), probs, atol=0.05
    )


def test_deterministic(scorer: CheckworthinessScorer) -> None:
    np.testing.assert_array_equal(scorer.score(SENTENCES), scorer.score(SENTENCES))


def test_long_input_is_truncated(scorer: CheckworthinessScorer) -> None:
    probs = scorer.score([FACTUAL + " And so on." * 400])
    assert probs.shape == (1, 2) and np.isfinite(probs).all()


def test_factual_sentence_beats_pleasantry(scorer: CheckworthinessScorer) -> None:
    probs = scorer.score([FACTUAL, CLOSING])
    assert probs[0, 0] > probs[1, 0] + 0.3  # the claimbuster head
    assert probs[0, 0] > 0.5 > probs[1, 0]


def test_card_and_sha(scorer: CheckworthinessScorer) -> None:
    card = scorer.card
    assert card["heads"] == ["claimbuster", "checkthat19"]
    assert card["max_len"] == 128
    digest = hashlib.sha256((DEFAULT_MODEL_DIR / MODEL_FILE).read_bytes()).hexdigest()
    assert scorer.model_sha256 == digest == card["sha256"][MODEL_FILE]
    assert json.loads((DEFAULT_MODEL_DIR / "card.json").read_text())["name"] == card["name"]


def test_missing_model_is_a_model_error(tmp_path) -> None:
    with pytest.raises(ModelError, match="missing") as err:
        CheckworthinessScorer(str(tmp_path)).score(["x"])
    assert "\n" not in str(err.value)
    assert CheckworthinessScorer(str(tmp_path)).score([]).shape == (0, 2)


def test_word_pieces_are_the_models_own_tokenizers(scorer: CheckworthinessScorer) -> None:
    """The scorer reads the tagger's tokenizer object (same file bytes) without truncation and
    adds [CLS]/[SEP] and the cut itself: the same ids as its own file with truncation."""
    from tokenizers import Tokenizer

    from spinscope.analysis import encoder
    from spinscope.analysis.techniques import shipped_model_dir

    own = Tokenizer.from_file(str(DEFAULT_MODEL_DIR / "tokenizer.json"))
    own.no_padding()
    own.enable_truncation(max_length=scorer.max_len)
    texts = [*SENTENCES, "", "   ", "word " * 400, "Цены 東京 ﬁ naïve ☃"]
    scorer.load()
    assert scorer.word_pieces(texts) == [e.ids for e in own.encode_batch(texts)]
    tagger_tok = encoder.load_tokenizer(str(shipped_model_dir() / "tokenizer.json"))
    assert scorer._tokenizer is tagger_tok
    assert tagger_tok.truncation is None and tagger_tok.padding is None  # not changed
