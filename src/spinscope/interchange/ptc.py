"""Corrected annotations as training data: the PTC layout (``spinscope train techniques --ptc``)
and, for SemEval-2023 annotations, the SemEval-2023 Task 3 layout (``--semeval23``). Written
only; ``corpora.ptc`` reads both layouts.

The PTC layout holds PTC-2020 names: SemEval-2023 labels are mapped to their PTC-2020
predecessor (spans of the five techniques that have none are left out of that layer), and the
SemEval-2023 spans are also written unchanged in the SemEval-2023 layout.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from spinscope.errors import IngestError
from spinscope.interchange.annotated import AnnotatedDoc
from spinscope.model.taxonomy import SEMEVAL2023

# SemEval-2023 technique -> the PTC-2020 technique it refines (the 2023 task's own lineage).
SE23_TO_PTC = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_Popularity": "Bandwagon,Reductio_ad_hitlerum",
    "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",
    "Appeal_to_Fear-Prejudice": "Appeal_to_fear-prejudice",
    "Flag_Waving": "Flag-Waving",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "False_Dilemma-No_Choice": "Black-and-White_Fallacy",
    "Straw_Man": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Appeal_to_Hypocrisy": "Whataboutism,Straw_Men,Red_Herring",
    "Slogans": "Slogans",
    "Conversation_Killer": "Thought-terminating_Cliches",
    "Loaded_Language": "Loaded_Language",
    "Repetition": "Repetition",
    "Exaggeration-Minimisation": "Exaggeration,Minimisation",
    "Name_Calling-Labeling": "Name_Calling,Labeling",
    "Doubt": "Doubt",
}  # no predecessor: Appeal_to_Values, Consequential_Oversimplification, Appeal_to_Time,
#    Obfuscation-Vagueness-Confusion, Questioning_the_Reputation


def split_dev(doc_ids: Iterable[str]) -> set[str]:
    """A deterministic fifth of the documents for dev (by the hash of their ids; at least one
    when there are two or more)."""
    ids = sorted(doc_ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    n_dev = max(1, round(len(ids) / 5)) if len(ids) >= 2 else 0
    return set(ids[:n_dev])


def write_training_folder(docs: Sequence[AnnotatedDoc], out: str | Path) -> dict[str, Any]:
    """Write the PTC layout (``train-articles/``, ``dev-articles/``, ``*-task-flc-tc.labels``)
    and ``ids.tsv`` (article id -> document id); for SemEval-2023 annotations also
    ``semeval23/`` in the SemEval-2023 Task 3 layout. A folder from an earlier import is
    replaced; any other non-empty folder is refused.

    Returns:
        Counts: documents in train and dev, spans written, spans left out of the PTC layer.
    """
    out = Path(out)
    _prepare_out(out)
    dev = split_dev(d.doc_id for d in docs)
    se23 = bool(docs) and docs[0].taxonomy == SEMEVAL2023
    labels: dict[str, list[str]] = {"train": [], "dev": []}
    rows, dropped, n_spans = ["article_id\tdoc_id\tsplit"], 0, 0
    for k, doc in enumerate(sorted(docs, key=lambda d: d.doc_id), 1):
        split = "dev" if doc.doc_id in dev else "train"
        _write(out / f"{split}-articles" / f"article{k}.txt", doc.text)
        rows.append(f"{k}\t{doc.doc_id}\t{split}")
        for s in doc.spans:
            ptc = SE23_TO_PTC.get(s.label) if se23 else s.label
            dropped += ptc is None
            n_spans += ptc is not None
            if ptc:
                labels[split].append(f"{k}\t{ptc}\t{s.start}\t{s.end}")
        if se23:
            base = out / "semeval23"
            _write(base / "train-articles-subtask-3" / f"article{k}.txt", doc.text)
            spans = "".join(f"{k}\t{s.label}\t{s.start}\t{s.end}\n" for s in doc.spans)
            _write(base / "train-labels-subtask-3-spans" / f"article{k}-labels-subtask-3.txt",
                   spans)  # fmt: skip
    for split, lines in labels.items():
        (out / f"{split}-articles").mkdir(parents=True, exist_ok=True)
        _write(out / f"{split}-task-flc-tc.labels", "".join(f"{x}\n" for x in lines))
    _write(out / "ids.tsv", "\n".join(rows) + "\n")
    n_dev = len(dev)
    return {"train": len(docs) - n_dev, "dev": n_dev, "spans": n_spans, "left_out": dropped,
            "semeval23": str(out / "semeval23") if se23 else None}  # fmt: skip


def _prepare_out(out: Path) -> None:
    if out.exists() and not out.is_dir():  # was a NotADirectoryError traceback
        raise IngestError(f"{out} is a file, not a folder; give a new folder for --out.")
    if out.exists() and any(out.iterdir()):
        if not (out / "ids.tsv").exists():
            raise IngestError(
                f"{out} is not empty and not an earlier import; give a new folder for --out."
            )
        for name in ("train-articles", "dev-articles", "semeval23"):
            shutil.rmtree(out / name, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def _write(path: Path, text: str) -> None:
    """Write exactly (no newline translation: offsets count every character)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
