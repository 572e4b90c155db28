"""English SemEval-2023 findings with the paragraph analyser switched on for English too
(``--set techniques_paragraphs.languages=en,fr,de,it,pl,ru``, issue 14): paragraph micro-F1 of
the English tagger alone, of the paragraph analyser alone (paragraph model and multilingual
tagger, as ``analyze`` decides), and of both united, on English ST3 dev (the 75 PTC dev articles)
and on the CheckThat! 2024 Task 3 English dev half (ct24, measured only).

The tagger's rows are those ``spinscope eval semeval23-st3 --lang EN`` and ``eval checkthat24``
score (``bench/en_paragraph_union.py``); the paragraph analyser's come from
``evaluation.paragraph_scores.paragraph_decisions`` on the official templates.

    python bench/en_multilingual_union.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from spinscope.corpora.technique_paragraphs import load_checkthat24, load_split
from spinscope.evaluation.paragraph_scores import paragraph_decisions
from spinscope.evaluation.semeval23 import st3_score
from spinscope.model.taxonomy import LABELS_2023
from spinscope.registry import create_analyzer
from spinscope.settings import load_settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from en_paragraph_union import tagger_rows_ct24, tagger_rows_en  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    data = ap.parse_args().data
    model = create_analyzer("techniques_paragraphs", load_settings({}))
    sets = (
        ("EN dev (PTC dev articles)", tagger_rows_en, load_split(data, "EN", "dev")),
        ("ct24", tagger_rows_ct24, load_checkthat24(data / "checkthat2024-task3-en-dev")),
    )
    labels = list(LABELS_2023)
    for name, rows_of, par in sets:
        tagged, gold = rows_of(data)
        _, found = paragraph_decisions(model, par)
        extra = {
            (a, str(n)): frozenset(labels[j] for j in np.flatnonzero(found[k]))
            for k, (a, n) in enumerate(zip(par.ids, par.lines, strict=True))
        }
        none: frozenset[str] = frozenset()
        paragraphs = [(a, n, extra.get((a, str(n)), none)) for a, n, _ in tagged]
        united = [(a, n, frozenset(x) | extra.get((a, str(n)), none)) for a, n, x in tagged]
        for what, rows in (("English tagger", tagged), ("paragraph analyser", paragraphs),
                           ("both", united)):  # fmt: skip
            f1 = st3_score(rows, gold, labels)["micro_f1"]
            print(f"{name:28s} {what:20s} micro-F1 {f1:.4f}", flush=True)


if __name__ == "__main__":
    main()
