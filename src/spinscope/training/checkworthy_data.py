"""The check-worthiness trainer's examples (``training.checkworthy``): sentences as word-piece
ids for one head, the CheckThat! negatives subsampled, and length-bucketed batches."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from spinscope.corpora.checkworthy import Sentence

if TYPE_CHECKING:
    from spinscope.training.checkworthy import TrainConfig


@dataclass(frozen=True)
class Example:
    """A tokenised training sentence: word-piece ids (with [CLS]/[SEP]), its head and label."""

    ids: tuple[int, ...]
    head: int
    label: int


def subsample_negatives(sentences: list[Sentence], fraction: float, seed: int) -> list[Sentence]:
    """All positives and a seeded random ``fraction`` of the negatives, in their original order."""
    if fraction >= 1.0:
        return list(sentences)
    rng = np.random.default_rng(seed)
    keep = rng.random(len(sentences)) < fraction
    return [s for s, k in zip(sentences, keep, strict=True) if s.label == 1 or k]


def encode(sentences: Sequence[Sentence], head: int, tokenizer) -> list[Example]:
    encs = tokenizer.encode_batch([s.text for s in sentences])
    return [Example(tuple(e.ids), head, s.label) for s, e in zip(sentences, encs, strict=True)]


def batches(examples: list[Example], cfg: TrainConfig, epoch: int) -> list[list[Example]]:
    """Length-bucketed batches: shuffle, sort chunks of ``bucket_chunk`` batches by length, cut,
    shuffle the batches. Deterministic in (seed, epoch)."""
    rng = random.Random(cfg.seed * 1000 + epoch)
    order = list(range(len(examples)))
    rng.shuffle(order)
    chunk = cfg.batch_size * cfg.bucket_chunk
    out = []
    for lo in range(0, len(order), chunk):
        part = sorted(order[lo : lo + chunk], key=lambda i: len(examples[i].ids))
        for b in range(0, len(part), cfg.batch_size):
            out.append([examples[i] for i in part[b : b + cfg.batch_size]])
    rng.shuffle(out)
    return out
