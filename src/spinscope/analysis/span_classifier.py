"""Label given technique spans with a dedicated MiniLM pair classifier (ONNX, no torch).

The input for one span of a text is a BERT sentence pair, built by ``pair_input``:

    [CLS] span text [SEP] sentence(s) the span lies in + repetition note [SEP]

* segment A (``token_type_ids`` 0) is the span's own text;
* segment B (``token_type_ids`` 1) is the sentence, or run of sentences, that the span lies in
  (sentence boundaries from ``span_geometry.window_starts``), followed by a note such as
  "(this phrase appears 3 times in the article)". The count is how often the span's exact text
  occurs in the whole text: Repetition is a technique that no single sentence shows.

At most ``max_len`` word pieces in all. The context is cut first, to a window centred on the span,
and the note is always kept; a span is cut (its first and last pieces kept) only when it alone
leaves fewer than ``MIN_CONTEXT`` pieces for the context. Training
(``spinscope.training.span_classifier``) imports ``pair_input`` from here, so a model sees the
same inputs in training and at inference.

A model folder holds ``span_classifier.int8.onnx`` (inputs ``input_ids``, ``attention_mask``,
``token_type_ids``; outputs ``ptc2020`` (batch, 14) and ``semeval2023`` (batch, 23) softmax
probabilities), ``tokenizer.json`` and ``span_classifier.json`` (its card).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spinscope.analysis import encoder, span_geometry
from spinscope.analysis._occurrences import Occurrences
from spinscope.analysis.base import model_file, read_card
from spinscope.errors import ConfigError
from spinscope.model.taxonomy import LABELS

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MODEL_INT8 = "span_classifier.int8.onnx"
MODEL_FP32 = "span_classifier.fp32.onnx"
TOKENIZER = "tokenizer.json"
CARD = "span_classifier.json"
MAX_LEN = 128
MIN_CONTEXT = 16  # word pieces of context a long span must leave room for


@dataclass(frozen=True)
class PairInput:
    """One span's encoder input, without padding."""

    ids: np.ndarray  # (n,) int64: [CLS] span [SEP] context note [SEP]
    type_ids: np.ndarray  # (n,) int64: 0 for [CLS] span [SEP], 1 for the rest


def repetition_note(count: int) -> str:
    """The note that tells the model how often the span's text occurs in the article."""
    return f"(this phrase appears {count} time{'' if count == 1 else 's'} in the article)"


def span_context(
    text: str, start: int, end: int, starts: np.ndarray | None = None
) -> tuple[int, int]:
    """Character range ``[lo, hi)`` of the sentence(s) that ``[start, end)`` lies in, without
    trailing whitespace. ``starts`` are ``span_geometry.window_starts(text)`` (computed if None)."""
    if starts is None:
        starts = span_geometry.window_starts(text)
    first = int(np.searchsorted(starts, start, side="right")) - 1
    last = int(np.searchsorted(starts, max(end - 1, start), side="right")) - 1
    lo = int(starts[max(first, 0)])
    hi = int(starts[last + 1]) if last + 1 < len(starts) else len(text)
    while hi > end and text[hi - 1].isspace():
        hi -= 1
    return min(lo, start), max(hi, end)


def _window(n: int, i: int, j: int, budget: int) -> tuple[int, int]:
    """A window of at most ``budget`` of ``n`` items, centred on ``[i, j)`` where it fits."""
    if n <= budget:
        return 0, n
    lo = i - (budget - (j - i)) // 2
    lo = max(0, min(lo, n - budget))
    return lo, lo + budget


def pair_input(
    tokenizer: Tokenizer,
    text: str,
    start: int,
    end: int,
    *,
    max_len: int = MAX_LEN,
    starts: np.ndarray | None = None,
    count: Callable[[str], int] | None = None,
) -> PairInput:
    """The pair input for the character span ``[start, end)`` of ``text`` (see module doc).

    ``tokenizer`` is a ``tokenizers.Tokenizer`` without truncation or padding
    (``encoder.load_tokenizer``); pass ``starts`` and ``count`` (``text.count``, or the same
    from an ``Occurrences`` index) when classifying many spans of one text.
    """
    span_text = text[start:end]
    times = max((count or text.count)(span_text), 1) if span_text else 1
    note = tokenizer.encode(repetition_note(times), add_special_tokens=False).ids
    span = tokenizer.encode(span_text, add_special_tokens=False).ids
    lo, hi = span_context(text, start, end, starts)
    ctx = encoder.encode(tokenizer, text[lo:hi])

    room = max_len - 3 - len(note)  # for span + context
    max_span = max(room - MIN_CONTEXT, 2)
    if len(span) > max_span:
        head = max_span - max_span // 2
        span = span[:head] + span[len(span) - (max_span - head) :]
    budget = max(room - len(span), 0)
    rng = span_geometry.token_range(ctx.offsets, start - lo, end - lo) if len(ctx.ids) else None
    i, j = rng if rng else (0, 0)
    c_lo, c_hi = _window(len(ctx.ids), i, j, budget)
    context = ctx.ids[c_lo:c_hi].tolist()

    first = [encoder.CLS_ID, *span, encoder.SEP_ID]
    second = [*context, *note, encoder.SEP_ID]
    ids = np.asarray(first + second, dtype=np.int64)[:max_len]
    type_ids = np.asarray([0] * len(first) + [1] * len(second), dtype=np.int64)[:max_len]
    return PairInput(ids, type_ids)


def text_pairs(
    tokenizer: Tokenizer, text: str, spans: Sequence[tuple[int, int]], *, max_len: int = MAX_LEN
) -> list[PairInput]:
    """``pair_input`` for each span of one text (sentence boundaries found once, phrases
    counted from one index of the text)."""
    starts = span_geometry.window_starts(text)
    count = Occurrences(text).count
    return [
        pair_input(tokenizer, text, s, e, max_len=max_len, starts=starts, count=count)
        for s, e in spans
    ]


def pad_pairs(pairs: Sequence[PairInput]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``input_ids``, ``attention_mask`` and ``token_type_ids`` (batch, longest) for pairs."""
    n = max(len(p.ids) for p in pairs)
    ids = np.full((len(pairs), n), encoder.PAD_ID, dtype=np.int64)
    mask = np.zeros((len(pairs), n), dtype=np.int64)
    types = np.zeros((len(pairs), n), dtype=np.int64)
    for row, p in enumerate(pairs):
        k = len(p.ids)
        ids[row, :k] = p.ids
        mask[row, :k] = 1
        types[row, :k] = p.type_ids
    return ids, mask, types


def check_spans(text: str, spans: Sequence[tuple[int, int]]) -> None:
    for start, end in spans:
        if not 0 <= start < end <= len(text):
            raise ConfigError(
                f"Span ({start}, {end}) is not a non-empty character range of a text of "
                f"{len(text)} characters."
            )


class SpanClassifier:
    """Technique probabilities for given character spans of a text (the TC task)."""

    def __init__(
        self, model_dir: str | Path, *, variant: str = "int8", batch_size: int = 32
    ) -> None:
        self.model_dir = Path(model_dir)
        self.variant = variant
        self.batch_size = batch_size

    @property
    def model_path(self) -> Path:
        return self.model_dir / (MODEL_INT8 if self.variant == "int8" else MODEL_FP32)

    @cached_property
    def card(self) -> dict[str, Any]:
        for path in (self.model_path, self.model_dir / TOKENIZER):
            model_file(path, "span classifier", "span-classifier-export")
        return read_card(self.model_dir / CARD, "span classifier", "span-classifier-export")

    @cached_property
    def _session(self) -> Any:  # an onnxruntime.InferenceSession (onnxruntime has no stubs)
        self.card  # noqa: B018 -- names a missing file before onnxruntime does
        return encoder.session(str(self.model_path))

    @cached_property
    def _tokenizer(self) -> Tokenizer:
        self.card  # noqa: B018
        return encoder.load_tokenizer(str(self.model_dir / TOKENIZER))

    @property
    def max_len(self) -> int:
        return int(self.card.get("max_len", MAX_LEN))

    def labels(self, taxonomy: str) -> tuple[str, ...]:
        if taxonomy not in LABELS:
            raise ConfigError(f"Unknown taxonomy {taxonomy!r}. Available: {', '.join(LABELS)}.")
        return tuple(self.card.get("labels", {}).get(taxonomy, LABELS[taxonomy]))

    def classify_all(self, text: str, spans: Sequence[tuple[int, int]]) -> dict[str, np.ndarray]:
        """Probabilities of both taxonomies: ``{taxonomy: (len(spans), n_labels)}``."""
        return self.classify_many([(text, spans)])[0]

    def classify_many(
        self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]]
    ) -> list[dict[str, np.ndarray]]:
        """``classify_all`` for several texts at once: the spans of all texts are batched
        together by length (fuller batches, less padding)."""
        outputs = [o.name for o in self._session.get_outputs()]
        results, pairs, where = [], [], []
        for k, (text, spans) in enumerate(items):
            check_spans(text, spans)
            results.append(
                {
                    name: np.zeros((len(spans), len(self.labels(name))), np.float32)
                    for name in outputs
                }  # fmt: skip
            )
            if spans:
                pairs += text_pairs(self._tokenizer, text, spans, max_len=self.max_len)
                where += [(k, row) for row in range(len(spans))]
        for rows in encoder.length_batches([len(p.ids) for p in pairs], self.batch_size):
            ids, mask, types = pad_pairs([pairs[k] for k in rows])
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            for name, probs in zip(outputs, self._session.run(outputs, feed), strict=True):
                for r, p in zip(rows, probs, strict=True):
                    k, row = where[r]
                    results[k][name][row] = p
        return results

    def classify(self, text: str, spans: Sequence[tuple[int, int]], taxonomy: str) -> np.ndarray:
        """Probabilities ``(len(spans), n_labels)`` of ``taxonomy``'s techniques for the given
        ``[start, end)`` character spans of ``text`` (rows sum to one)."""
        self.labels(taxonomy)
        return self.classify_all(text, spans)[taxonomy]
