"""SemEval-2023 ST3 paragraphs with their gold techniques, from the official ``.template`` files
(the ST3 input: ``id<TAB>line<TAB>text``) joined with the paragraph label files; the CheckThat!
2024 Task 3 English dev half in the same form; SemEval-2021 Task 6 meme texts as one paragraph
each (labels mapped onto the 2023 names).

English: the dataset's English dev set is withheld in this project, so English "dev" is the 75
PTC dev articles in their 2023 form and English "train" the other 371 training articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spinscope.corpora.ptc import load_ptc, read_json, read_text
from spinscope.corpora.technique_spans import (
    SEMEVAL21_SPLITS,
    SEMEVAL21_TO_2023,
    read_paragraph_labels,
)
from spinscope.errors import DataError

LANGS = {"EN": "en", "FR": "fr", "DE": "ge", "IT": "it", "PL": "po", "RU": "ru"}


@dataclass
class Paragraphs:
    """Paragraphs of one corpus split: article id, line, text, gold labels, language."""

    ids: list[str]
    lines: list[int]
    texts: list[str]
    labels: list[frozenset[str]]
    lang: list[str]

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, keep: Sequence[int]) -> Paragraphs:
        return Paragraphs(*([getattr(self, f)[k] for k in keep] for f in
                            ("ids", "lines", "texts", "labels", "lang")))  # fmt: skip

    def __add__(self, other: Paragraphs) -> Paragraphs:
        return Paragraphs(self.ids + other.ids, self.lines + other.lines, self.texts + other.texts,
                          self.labels + other.labels, self.lang + other.lang)  # fmt: skip


def read_template(template: Path, labels: Path, lang: str) -> Paragraphs:
    """An ST3 ``.template`` (``id<TAB>line<TAB>text``) joined with its label file."""
    gold = read_paragraph_labels(labels)
    out = Paragraphs([], [], [], [], [])
    for row in read_text(template).splitlines():
        parts = row.split("\t", 2)
        if len(parts) < 3 or not parts[1].strip().isdigit():
            continue
        art, line = parts[0].removeprefix("article").lstrip("\ufeff"), int(parts[1])
        if line not in gold.get(art, {}):
            continue
        out.ids.append(art)
        out.lines.append(line)
        out.texts.append(parts[2])
        out.labels.append(gold[art][line])
        out.lang.append(lang)
    return out


def ptc_dev_ids(data: Path) -> set[str]:
    folder = Path(data) / "ptc-semeval2020-task11"
    if not folder.is_dir():
        raise DataError(f"PTC not found at {folder}: pass --data FOLDER.")
    return {a.id for a in load_ptc(folder, "dev")}


def load_split(data: Path, lang: str, split: str) -> Paragraphs:
    """ST3 paragraphs of ``lang`` (EN FR DE IT PL RU); EN "train" excludes the PTC dev articles,
    EN "dev" is exactly them (the English dev set is withheld in this project)."""
    folder = Path(data) / "semeval2023-task3" / LANGS[lang]
    file_split = "train" if lang == "EN" else split
    template = folder / f"{file_split}-labels-subtask-3.template"
    labels = folder / f"{file_split}-labels-subtask-3.txt"
    if not template.is_file() or not labels.is_file():
        raise DataError(f"SemEval-2023 ST3 files not found under {folder}: pass --data FOLDER.")
    par = read_template(template, labels, lang)
    if lang == "EN":
        dev = ptc_dev_ids(data)
        par = par.subset([k for k, i in enumerate(par.ids) if (i in dev) == (split == "dev")])
    return par


def load_checkthat24(folder: Path) -> Paragraphs:
    """The CheckThat! 2024 Task 3 English dev half (``checkthat2024-task3-en-dev``), for
    measuring only: evaluation reads it, training never does."""
    folder = Path(folder)
    if not (folder / "labels-subtask-3.template").is_file():
        raise DataError(f"CheckThat! 2024 Task 3 templates not found in {folder}.")
    return read_template(
        folder / "labels-subtask-3.template", folder / "labels-subtask-3.txt", "EN"
    )


def load_semeval21(data: Path, split: str = "train") -> Paragraphs:
    path = Path(data) / "semeval2021-task6" / f"{SEMEVAL21_SPLITS[split]}_task2.txt"
    records = read_json(path, f"SemEval-2021 Task 6 file {path} not found.")
    out = Paragraphs([], [], [], [], [])
    for rec in records:
        out.ids.append(f"se21-{rec['id']}")
        out.lines.append(1)
        out.texts.append(" ".join(rec["text"].split()))
        out.labels.append(frozenset(SEMEVAL21_TO_2023[x["technique"]] for x in rec["labels"]))
        out.lang.append("EN")
    return out
