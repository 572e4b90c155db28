"""Readers for the article-level layers of SemEval-2023 Task 3: ST1 genre and ST2 framing.

``root`` is the dataset folder (``.../semeval2023-task3``) with one sub-folder per language
(``en``, ``fr``, ``ge``, ``it``, ``po``, ``ru``, and the test-only ``es``, ``gr``, ``ka``). Label
files are ``{split}-labels-subtask-{1,2}.txt`` (``id<TAB>genre`` and ``id<TAB>frame1,frame2``);
articles are ``{split}-articles-subtask-{k}/article<ID>.txt`` with the title on line 1. Article
sets differ between subtasks of one split (see the dataset README), so the subtask is explicit.
"""

from __future__ import annotations

from pathlib import Path

from spinscope.corpora.ptc import read_articles, read_text
from spinscope.errors import DataError

GENRES: tuple[str, ...] = ("opinion", "reporting", "satire")
"""The three ST1 genre labels."""

FRAMES: tuple[str, ...] = (
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
)
"""The 14 ST2 frame labels, in the order of the official ``frames_subtask2.txt``."""

SPLITS = ("train", "dev", "test")


def _labels_path(root: Path, lang: str, split: str, subtask: int) -> Path:
    if split not in SPLITS:
        raise DataError(f"Unknown SemEval-2023 split {split!r}. Available: {', '.join(SPLITS)}.")
    path = Path(root) / lang / f"{split}-labels-subtask-{subtask}.txt"
    if not path.is_file():
        raise DataError(
            f"SemEval-2023 ST{subtask} labels {path} not found (test gold was never released; "
            "the English dev set is withheld in this project)."
        )
    return path


def _rows(path: Path) -> list[tuple[int, str, str]]:
    """Non-empty ``id<TAB>value`` rows of ``path`` as (line number, id, value)."""
    rows = []
    for n, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.rstrip("\r").split("\t")
        if len(parts) > 2:
            raise DataError(f"{path} line {n}: expected 'id<TAB>labels', got {len(parts)} fields.")
        rows.append(
            (n, parts[0].strip().removeprefix("article"), parts[1] if len(parts) > 1 else "")
        )
    return rows


def load_genres(root: Path, lang: str = "en", split: str = "train") -> dict[str, str]:
    """ST1 gold: article id -> genre (one of ``GENRES``)."""
    path = _labels_path(root, lang, split, 1)
    out: dict[str, str] = {}
    for n, art, value in _rows(path):
        genre = value.strip()
        if genre not in GENRES:
            raise DataError(f"{path} line {n}: unknown genre {genre!r} (expected one of {GENRES}).")
        if art in out:
            raise DataError(f"{path} line {n}: article {art} is labelled twice.")
        out[art] = genre
    return out


def load_frames(root: Path, lang: str = "en", split: str = "train") -> dict[str, list[str]]:
    """ST2 gold: article id -> frames (possibly empty), each one of ``FRAMES``."""
    path = _labels_path(root, lang, split, 2)
    known = set(FRAMES)
    out: dict[str, list[str]] = {}
    for n, art, value in _rows(path):
        frames = [f.strip() for f in value.split(",") if f.strip()]
        unknown = [f for f in frames if f not in known]
        if unknown:
            raise DataError(f"{path} line {n}: unknown frame(s) {', '.join(unknown)}.")
        if art in out:
            raise DataError(f"{path} line {n}: article {art} is labelled twice.")
        out[art] = list(dict.fromkeys(frames))
    return out


def read_article_texts(root: Path, lang: str, split: str, subtask: int) -> dict[str, str]:
    """Texts of ``{split}-articles-subtask-{subtask}/article<ID>.txt`` by id, read as stored."""
    if subtask not in (1, 2, 3):
        raise DataError(f"Unknown SemEval-2023 subtask {subtask!r}. Available: 1, 2, 3.")
    if split not in SPLITS:
        raise DataError(f"Unknown SemEval-2023 split {split!r}. Available: {', '.join(SPLITS)}.")
    return read_articles(Path(root) / lang / f"{split}-articles-subtask-{subtask}")
