"""Sentence-level check-worthiness: the fine-tuned MiniLM classifier as an int8 ONNX graph.

``CheckworthinessScorer.score(sentences)`` returns, per sentence, two probabilities:

* column 0, ``claimbuster``: a check-worthy factual sentence (trained on ClaimBuster);
* column 1, ``checkthat19``: a sentence fact-checkers picked in a debate (CheckThat! 2019).

The model was trained on US political debates and speeches; news is out of its domain (see the
model's MODEL_CARD.md). No torch here: onnxruntime and tokenizers only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spinscope.analysis import encoder
from spinscope.analysis.base import model_file, read_card
from spinscope.errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

DEFAULT_MODEL_DIR = Path(__file__).parent.parent / "models" / "checkworthy"
MODEL_FILE = "classifier.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
CARD_FILE = "card.json"
HEADS = ("claimbuster", "checkthat19")


class CheckworthinessScorer:
    """Scores sentences for check-worthiness with the shipped (or a given) model folder.

    The model and tokenizer load once, on first use. Sentences are sorted by length into batches
    of ``batch_size`` (little padding) and truncated to the card's ``max_len`` word pieces;
    results come back in input order.
    """

    def __init__(self, model_dir: str | None = None, batch_size: int = 32) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.model_dir = Path(model_dir) if model_dir is not None else DEFAULT_MODEL_DIR
        self.batch_size = batch_size
        self._session: Any = None  # an onnxruntime.InferenceSession once loaded (no stubs)
        self._tokenizer: Tokenizer | None = None
        self._special = (0, 0)  # the [CLS] and [SEP] ids, set by _load
        self._card: dict[str, Any] | None = None
        self._lock = threading.Lock()

    # -- loading ----------------------------------------------------------------------------

    def _path(self, name: str) -> Path:
        return model_file(self.model_dir / name, "check-worthiness", "checkworthy")

    @property
    def card(self) -> dict[str, Any]:
        """The model's card.json."""
        if self._card is None:
            self._card = read_card(self.model_dir / CARD_FILE, "check-worthiness", "checkworthy")
        return self._card

    @property
    def heads(self) -> tuple[str, ...]:
        return tuple(self.card.get("heads", HEADS))

    @property
    def max_len(self) -> int:
        return int(self.card.get("max_len", 128))

    @cached_property
    def model_sha256(self) -> str:
        """sha256 of the int8 ONNX file as it is on disk (computed once)."""
        return encoder.model_sha256(self._path(MODEL_FILE))

    def load(self) -> None:
        """Load the model and tokenizer now (``score`` loads them on first use otherwise)."""
        self._load()

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            model = self._path(MODEL_FILE)
            tok_path = self._path(TOKENIZER_FILE)
            try:  # shared with the tagger where the files are the same: not changed here
                tok = encoder.load_tokenizer(str(tok_path))
                cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
            except Exception as exc:  # tokenizers raises a bare Exception on bad files
                raise ModelError(f"Tokenizer {tok_path} is unreadable: {exc}") from exc
            if cls is None or sep is None:
                raise ModelError(f"Tokenizer {tok_path} has no [CLS] or [SEP] token.")
            self._special = (cls, sep)
            try:
                session = encoder.session(str(model))
            except ModelError:
                raise
            except Exception as exc:  # onnxruntime's errors are not one class
                raise ModelError(f"Model {model} could not be loaded: {exc}") from exc
            self._tokenizer = tok
            self._session = session

    # -- scoring ----------------------------------------------------------------------------

    def word_pieces(self, texts: list[str]) -> list[list[int]]:
        """``[CLS]`` + a text's word pieces cut to ``max_len`` - 2 + ``[SEP]``: what the model
        was trained on (its tokenizer with truncation to ``max_len`` and special tokens), made
        from the shared, untruncated tokenizer."""
        assert self._tokenizer is not None  # _load set it (or raised)
        cls, sep = self._special
        keep = max(self.max_len - 2, 0)
        encs = self._tokenizer.encode_batch(texts, add_special_tokens=False)
        return [[cls, *e.ids[:keep], sep] for e in encs]

    def score(
        self, sentences: Sequence[str], *, update: Callable[[int, int], object] | None = None
    ) -> np.ndarray:
        """Probabilities (n, 2) float32: [:, 0] claimbuster head, [:, 1] checkthat19 head;
        ``update(done, n)`` after each batch (a progress bar)."""
        texts = list(sentences)
        if not texts:
            return np.zeros((0, len(HEADS)), dtype=np.float32)
        self._load()
        assert self._tokenizer is not None  # _load set it (or raised)
        rows = self.word_pieces(texts)
        lengths = [len(r) for r in rows]
        out, done = np.zeros((len(texts), len(HEADS)), dtype=np.float32), 0
        for idx in encoder.length_batches(lengths, self.batch_size):  # like lengths together
            width = max(lengths[i] for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                ids[row, : lengths[i]] = rows[i]
                mask[row, : lengths[i]] = 1
            probs = self._session.run(["probs"], {"input_ids": ids, "attention_mask": mask})[0]
            out[idx] = probs
            done += len(idx)
            if update is not None:
                update(done, len(texts))
        return out
