"""The technique tagger's training data (``training.techniques``): each word piece's gold
channels, an article's sentence windows with their gold spans, length-bucketed batches and their
tensors."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from spinscope.analysis import encoder, span_geometry
from spinscope.analysis.spans import CHANNELS, span_feature_extras
from spinscope.corpora.ptc import Article
from spinscope.model.taxonomy import LABELS_2020, LABELS_2023, PTC2020, SEMEVAL2023

if TYPE_CHECKING:
    from spinscope.training.techniques import TrainConfig


@dataclass
class WindowExample:
    article: int
    ids: np.ndarray
    labels: np.ndarray  # (n, channels) float32
    spans: list[tuple[int, int, str, int, np.ndarray]]  # (i, j, taxonomy, label idx, extras)


def token_labels(enc: encoder.Encoded, art: Article) -> np.ndarray:
    """Per word piece, the channels whose gold spans it overlaps."""
    lab = np.zeros((len(enc.ids), len(CHANNELS)), dtype=np.float32)
    index = {name: k for k, name in enumerate(CHANNELS)}
    for taxonomy, spans in art.spans.items():
        for sp in spans:
            rng = span_geometry.token_range(enc.offsets, sp.start, sp.end)
            if rng is None:
                continue
            lab[rng[0] : rng[1], index[f"{taxonomy}:{sp.label}"]] = 1
            if taxonomy == PTC2020:
                lab[rng[0] : rng[1], 0] = 1
    return lab


def build_examples(articles: list[Article], tokenizer, cfg: TrainConfig) -> list[WindowExample]:
    label_index = {PTC2020: list(LABELS_2020), SEMEVAL2023: list(LABELS_2023)}
    out = []
    for a_idx, art in enumerate(articles):
        enc = encoder.encode(tokenizer, art.text)
        if len(enc.ids) == 0:
            continue
        lab = token_labels(enc, art)
        wins = span_geometry.text_windows(
            art.text, enc, cfg.window, cfg.stride, by_sentence=cfg.by_sentence
        )
        lower = art.text.lower()
        for w in wins:
            spans = []
            for taxonomy, gold in art.spans.items():
                for sp in gold:
                    rng = span_geometry.token_range(enc.offsets, sp.start, sp.end)
                    if rng and w.lo <= rng[0] and rng[1] <= w.hi:
                        extras = span_feature_extras(lower, art.text[sp.start : sp.end], rng)
                        spans.append(
                            (
                                rng[0] - w.lo,
                                rng[1] - w.lo,
                                taxonomy,
                                label_index[taxonomy].index(sp.label),
                                extras,
                            )
                        )
            out.append(WindowExample(a_idx, enc.ids[w.lo : w.hi], lab[w.lo : w.hi], spans))
    return out


class _ById(Protocol):
    """Windows by index, each with ``.ids`` (a list of examples, or an adapter)."""

    def __getitem__(self, i: int, /) -> Any: ...


def bucket_by_length(
    order: list[int], examples: _ById, batch_size: int, rng: random.Random
) -> list[int]:
    """Sort shuffled windows by length within chunks of 50 batches, then shuffle the batches."""
    chunk = batch_size * 50
    batches = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c : c + chunk], key=lambda i: len(examples[i].ids))
        batches += [part[b : b + batch_size] for b in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return [i for batch in batches for i in batch]


def collate(batch: list[WindowExample]):
    import torch

    n = max(len(ex.ids) for ex in batch) + 2
    ids = torch.zeros((len(batch), n), dtype=torch.long)
    mask = torch.zeros((len(batch), n), dtype=torch.long)
    labels = torch.zeros((len(batch), n, len(CHANNELS)))
    for r, ex in enumerate(batch):
        k = len(ex.ids)
        ids[r, 0] = encoder.CLS_ID
        ids[r, 1 : k + 1] = torch.from_numpy(ex.ids)
        ids[r, k + 1] = encoder.SEP_ID
        mask[r, : k + 2] = 1
        labels[r, 1 : k + 1] = torch.from_numpy(ex.labels)
    return ids, mask, labels
