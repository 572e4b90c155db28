"""Readers for SemEval-2025 Task 10: ST1 entity framing and ST2 narrative classification.

``root`` is the dataset folder (``.../semeval2025-task10``). Layout:

- ``train/XX/raw-documents/<file>.txt``: every training document (all subtasks share them);
- ``dev/XX/subtask-{1,2,3}-documents/<file>.txt``: one folder per subtask, different sets;
- ``{train,dev}/XX/subtask-1-annotations.txt``: ``file entity start end main fine1 [fine2 ...]``,
  ``end`` *inclusive*, offsets in code points of the file read with ``newline=""`` (CRLF kept,
  BOM counted);
- ``{train,dev}/XX/subtask-2-annotations.txt``: ``file narratives subnarratives``, ``;``-separated.

Document ids are the file names (``EN_CC_100013.txt``), exactly as the annotation files write them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from spinscope.corpora.ptc import read_json, read_text
from spinscope.errors import DataError

log = logging.getLogger(__name__)

LANGS = ("BG", "EN", "HI", "PT", "RU")
SPLITS = ("train", "dev")
MAIN_ROLES: tuple[str, ...] = ("Protagonist", "Antagonist", "Innocent")
OTHER = "Other"
"""The top-level label of ST2 when no narrative of the taxonomy applies."""


@dataclass(frozen=True)
class NarrativeLabels:
    """ST2 labels of one article: narratives (coarse) and subnarratives (fine), deduplicated."""

    narratives: tuple[str, ...]
    subnarratives: tuple[str, ...]


@dataclass(frozen=True)
class EntityMention:
    """One ST1 entity mention; ``aligned`` is False where ``doc[start:end_exclusive] != text``."""

    doc_id: str
    text: str
    start: int
    end_exclusive: int
    main_role: str
    fine_roles: tuple[str, ...]
    aligned: bool = True


@dataclass(frozen=True)
class Taxonomy:
    """The ST2 label inventory.

    ``tree`` is domain -> narrative -> subnarratives (from ``narratives_taxonomy.json``);
    ``narratives`` and ``subnarratives`` are the official label lists used by the scorer
    (``subtask2_narratives.txt``, ``subtask2_subnarratives.txt``), both including ``Other``.
    """

    tree: dict[str, dict[str, tuple[str, ...]]]
    narratives: tuple[str, ...]
    subnarratives: tuple[str, ...]


def _check(lang: str, split: str) -> None:
    if lang not in LANGS:
        raise DataError(f"Unknown SemEval-2025 language {lang!r}. Available: {', '.join(LANGS)}.")
    if split not in SPLITS:
        raise DataError(
            f"Unknown SemEval-2025 split {split!r}. Available: train, dev (test gold is withheld)."
        )


def _file(path: Path, what: str) -> Path:
    if not path.is_file():
        raise DataError(f"SemEval-2025 {what} {path} not found.")
    return path


def _label_list(path: Path) -> tuple[str, ...]:
    text = read_text(_file(path, "label list"))
    return tuple(x.strip() for x in text.splitlines() if x.strip())


def _json(path: Path) -> dict:
    data = read_json(path, f"SemEval-2025 taxonomy {path} not found.")
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a JSON object at the top level.")
    return data


def _split_labels(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x.strip() for x in value.split(";") if x.strip()))


def load_taxonomy(root: Path) -> Taxonomy:
    """The ST2 narrative taxonomy and the official narrative / subnarrative label lists."""
    root = Path(root)
    path = root / "narratives_taxonomy.json"
    tree: dict[str, dict[str, tuple[str, ...]]] = {}
    for domain, narratives in _json(path).items():
        if domain.startswith("_") or domain == OTHER:  # "Other" is a bare top-level label
            continue
        if not isinstance(narratives, dict):
            raise DataError(f"{path}: domain {domain!r} should map narratives to lists.")
        tree[domain] = {n: tuple(subs) for n, subs in narratives.items()}
    return Taxonomy(
        tree=tree,
        narratives=_label_list(root / "subtask2_narratives.txt"),
        subnarratives=_label_list(root / "subtask2_subnarratives.txt"),
    )


def load_role_taxonomy(root: Path) -> dict[str, tuple[str, ...]]:
    """ST1 roles: main role -> fine-grained roles (from ``entity_roles_taxonomy.json``)."""
    path = Path(root) / "entity_roles_taxonomy.json"
    out = {k: tuple(v) for k, v in _json(path).items() if not k.startswith("_")}
    if set(out) != set(MAIN_ROLES):
        raise DataError(f"{path}: expected main roles {', '.join(MAIN_ROLES)}, got {sorted(out)}.")
    return out


def read_documents(root: Path, lang: str = "EN", split: str = "train", subtask: int = 2) -> dict:
    """Documents by file name, read as stored (``newline=""``, BOM kept).

    Train has one folder for all subtasks (``raw-documents``); dev has one per subtask
    (``subtask-{k}-documents``), and the sets differ (EN dev: ST1 27, ST2 41, ST3 30).
    """
    _check(lang, split)
    if subtask not in (1, 2, 3):
        raise DataError(f"Unknown SemEval-2025 subtask {subtask!r}. Available: 1, 2, 3.")
    base = Path(root) / split / lang
    folder = base / ("raw-documents" if split == "train" else f"subtask-{subtask}-documents")
    if not folder.is_dir():
        raise DataError(f"SemEval-2025 documents folder {folder} not found.")
    docs = {p.name: read_text(p) for p in sorted(folder.glob("*.txt")) if p.is_file()}
    if not docs:
        raise DataError(f"No .txt documents in {folder}.")
    return docs


def load_narratives(
    root: Path, lang: str = "EN", split: str = "train"
) -> dict[str, NarrativeLabels]:
    """ST2 gold: document id -> narratives and subnarratives (duplicates removed, order kept)."""
    _check(lang, split)
    path = _file(Path(root) / split / lang / "subtask-2-annotations.txt", "ST2 annotations")
    out: dict[str, NarrativeLabels] = {}
    for n, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.rstrip("\r").split("\t")
        if len(parts) != 3:
            raise DataError(
                f"{path} line {n}: expected 'file<TAB>narratives<TAB>subnarratives', "
                f"got {len(parts)} fields."
            )
        doc = parts[0].strip()
        if doc in out:
            raise DataError(f"{path} line {n}: document {doc} is labelled twice.")
        out[doc] = NarrativeLabels(_split_labels(parts[1]), _split_labels(parts[2]))
    return out


def load_entity_roles(
    root: Path,
    lang: str = "EN",
    split: str = "train",
    documents: dict[str, str] | None = None,
) -> list[EntityMention]:
    """ST1 gold mentions with the inclusive ``end`` turned exclusive and checked on the text.

    A mention whose text does not equal ``doc[start:end_exclusive]`` (an upstream annotation
    error, or a document that is missing) is kept with ``aligned=False`` and counted in a log
    warning; it never raises. ``documents`` defaults to ``read_documents(..., subtask=1)``.
    """
    _check(lang, split)
    path = _file(Path(root) / split / lang / "subtask-1-annotations.txt", "ST1 annotations")
    docs = read_documents(root, lang, split, subtask=1) if documents is None else documents
    out: list[EntityMention] = []
    for n, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.rstrip("\r").split("\t")
        if len(parts) < 6:
            raise DataError(
                f"{path} line {n}: expected 'file entity start end main fine...', "
                f"got {len(parts)} fields."
            )
        doc, text, start_s, end_s, main = parts[:5]
        try:
            start, end = int(start_s), int(end_s) + 1
        except ValueError:
            raise DataError(
                f"{path} line {n}: offsets {start_s!r} {end_s!r} are not integers."
            ) from None
        if main not in MAIN_ROLES:
            raise DataError(f"{path} line {n}: unknown main role {main!r}.")
        fine = tuple(dict.fromkeys(x.strip() for x in parts[5:] if x.strip()))
        body = docs.get(doc)
        aligned = body is not None and body[start:end] == text
        out.append(EntityMention(doc, text, start, end, main, fine, aligned))
    bad = sum(not m.aligned for m in out)
    if bad:
        log.warning("%s: %d of %d mentions do not align with their document.", path, bad, len(out))
    return out
