"""SemEval-2023 Task 3 subtask 3 (techniques per paragraph): the official micro-F1 and macro-F1.

Predictions and gold are ``(article_id, paragraph, techniques)`` rows; a paragraph with no
technique contributes only to false positives. The English dev set is withheld in this project,
so ``eval semeval23-st3`` scores the 75 PTC dev articles in their 2023 form (their 2023 labels
never reach training, which reads PTC train only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from spinscope.corpora.ptc import read_text
from spinscope.errors import DataError

Row = tuple[str, str, frozenset[str]]


def parse_rows(lines: Iterable[str]) -> list[Row]:
    rows = []
    for line in lines:
        parts = line.rstrip("\r\n").split("\t")
        if len(parts) < 2 or not parts[0].strip():
            continue
        labels = frozenset(x for x in (parts[2] if len(parts) > 2 else "").split(",") if x)
        rows.append((parts[0], parts[1], labels))
    return rows


def read_gold(path: Path, ids: set[str] | None = None) -> list[Row]:
    if not Path(path).exists():
        raise DataError(f"SemEval-2023 labels {path} not found.")
    rows = parse_rows(read_text(Path(path)).splitlines())
    return [r for r in rows if ids is None or r[0] in ids]


def st3_score(pred: list[Row], gold: list[Row], labels: Iterable[str]) -> dict:
    """Micro- and macro-F1 over (paragraph, technique) pairs, as the task's scorer defines."""
    gold_map = {(a, p): t for a, p, t in gold}
    pred_map = {(a, p): t for a, p, t in pred}
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for key in set(gold_map) | set(pred_map):
        g, p = gold_map.get(key, frozenset()), pred_map.get(key, frozenset())
        tp.update(g & p)
        fp.update(p - g)
        fn.update(g - p)

    def f1(t: int, f_p: int, f_n: int) -> float:
        return 2 * t / (2 * t + f_p + f_n) if t else 0.0

    per_label = {label: round(f1(tp[label], fp[label], fn[label]), 4) for label in labels}
    micro = f1(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {
        "micro_f1": round(micro, 4),
        "macro_f1": round(sum(per_label.values()) / max(len(per_label), 1), 4),
        "per_label_f1": per_label,
    }
