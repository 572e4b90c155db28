"""Encoder calls grouped by length: every sequence in exactly one call, no call over the row
limit, and the fewest padded tokens (plus the per-call overhead) of any grouping."""

from __future__ import annotations

import itertools

import pytest

from spinscope.analysis.encoder import length_batches


def cost(lengths: list[int], batches: list[list[int]], overhead: int) -> int:
    return sum(overhead + len(b) * max(lengths[i] for i in b) for b in batches)


def brute_force(lengths: list[int], max_rows: int, overhead: int) -> int:
    """The cheapest split of the longest-first order into runs (tried one by one)."""
    width = sorted(lengths, reverse=True)
    n = len(width)
    best = None
    for cuts in itertools.product([False, True], repeat=n - 1):
        runs, start = [], 0
        for i, cut in enumerate(cuts, start=1):
            if cut:
                runs.append((start, i))
                start = i
        runs.append((start, n))
        if any(b - a > max_rows for a, b in runs):
            continue
        c = sum(overhead + (b - a) * width[a] for a, b in runs)
        best = c if best is None else min(best, c)
    assert best is not None
    return best


@pytest.mark.parametrize(
    "lengths",
    [[12], [30, 30, 30], [90, 12, 45, 44, 13, 60, 11, 12], [5, 80, 6, 7, 81, 8, 9, 79, 10]],
)
@pytest.mark.parametrize("max_rows", [1, 2, 3, 16])
def test_batches_cover_once_within_limits_at_least_cost(lengths, max_rows) -> None:
    batches = length_batches(lengths, max_rows, overhead=32)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(1 <= len(b) <= max_rows for b in batches)
    assert cost(lengths, batches, 32) == brute_force(lengths, max_rows, 32)


def test_one_articles_windows_are_not_padded_to_the_longest() -> None:
    lengths = [90, 88, 85] + [20] * 30  # a few long sentences, many short ones
    batches = length_batches(lengths, 16)
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    fixed = 16 * 90 + 16 * 20 + 1 * 20  # sixteen at a time, longest first
    assert padded < fixed and padded - sum(lengths) < 32  # less than one more call costs


def test_empty_input_and_bad_limit() -> None:
    assert length_batches([], 8) == []
    with pytest.raises(ValueError, match="max_rows"):
        length_batches([3], 0)
