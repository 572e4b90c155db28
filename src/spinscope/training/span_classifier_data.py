"""The span classifier's inputs (``training.span_classifier``): one example per distinct gold
span of an article with every instance that labels it, their length-bucketed batches and their
tensors."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from spinscope.analysis import span_geometry
from spinscope.analysis.span_classifier import PairInput, pad_pairs, pair_input
from spinscope.corpora.ptc import Article
from spinscope.model.taxonomy import LABELS, PTC2020, SEMEVAL2023

TAXONOMIES = (PTC2020, SEMEVAL2023)


@dataclass
class SpanExample:
    """One distinct (article, span) input with every gold instance that labels it."""

    article: str
    start: int
    end: int
    pair: PairInput
    targets: list[tuple[str, int]]  # (taxonomy, label index), one per gold instance


def build_examples(
    articles: Sequence[Article], tokenizer, max_len: int, taxonomies=TAXONOMIES
) -> list[SpanExample]:
    """The distinct span inputs of ``articles`` and their gold instances, in article order."""
    out = []
    for art in articles:
        starts = span_geometry.window_starts(art.text)
        by_span: dict[tuple[int, int], list[tuple[str, int]]] = {}
        for tax in taxonomies:
            index = {label: k for k, label in enumerate(LABELS[tax])}
            for sp in art.spans.get(tax, []):
                by_span.setdefault((sp.start, sp.end), []).append((tax, index[sp.label]))
        for (start, end), targets in by_span.items():
            pair = pair_input(tokenizer, art.text, start, end, max_len=max_len, starts=starts)
            out.append(SpanExample(art.id, start, end, pair, targets))
    return out


def bucket_order(
    examples: Sequence[SpanExample], batch_size: int, rng: random.Random, buckets: bool = True
) -> list[list[int]]:
    """Shuffled batches; with ``buckets``, inputs of similar length share a batch (sorted
    within chunks of 50 batches, then the batches are shuffled)."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    if not buckets:
        return [order[b : b + batch_size] for b in range(0, len(order), batch_size)]
    chunk = batch_size * 50
    batches = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c : c + chunk], key=lambda i: len(examples[i].pair.ids))
        batches += [part[b : b + batch_size] for b in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def tensors(pairs: Sequence[PairInput]):
    import torch

    return tuple(torch.from_numpy(a) for a in pad_pairs(pairs))
