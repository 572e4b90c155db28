"""Readers for the check-worthiness datasets: CheckThat! 2019 (debates), 2020 (tweets), ClaimBuster.

Code takes a dataset folder (e.g. ``../shared/data/checkthat2019-task1-en``); nothing here is
shipped with the data. Every reader returns a list of :class:`Sentence` in file order.

* CheckThat! 2019 Task 1: one TSV per transcript, no header,
  ``line<TAB>speaker<TAB>text<TAB>label``; the test files use CRLF line endings.
* CheckThat! 2020 Task 1 (English): ``training_v2.tsv``, ``dev_v2.tsv``, ``test-gold.tsv``; a
  header row, CRLF, the gold label in the last column.
* ClaimBuster: ``{2xNCS,2.5xNCS,3xNCS}.json``, a JSON list of ``{sentence_id, label, text}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spinscope.corpora.ptc import read_json
from spinscope.errors import DataError

CT19_SPLITS = ("training", "test")
CT20_FILES = {"training": "training_v2.tsv", "dev": "dev_v2.tsv", "test": "test-gold.tsv"}
CLAIMBUSTER_VARIANTS = ("2xNCS", "2.5xNCS", "3xNCS")


@dataclass(frozen=True)
class Sentence:
    """One labelled sentence.

    ``group`` is the transcript's file stem (CheckThat! 2019), ``"tweets"`` (CheckThat! 2020) or
    ``"claimbuster"``; ``line`` is the line number in the transcript (2019), the 1-based row of
    the tweet (2020) or the ClaimBuster ``sentence_id``.
    """

    text: str
    label: int
    group: str
    line: int


_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower-case, keep letters and digits only, collapse runs of anything else to one space.

    Used to find the same sentence in two datasets (ClaimBuster vs CheckThat! 2019).
    """
    return _NON_WORD.sub(" ", text.lower()).strip()


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"Cannot read {path}: {exc.__class__.__name__}: {exc}") from exc


def _folder(root: str | Path, what: str) -> Path:
    root = Path(root)
    if not root.is_dir():
        raise DataError(f"{what} folder {root} does not exist; pass the dataset's folder.")
    return root


def _label(value: str, path: Path, row: int) -> int:
    value = value.strip()
    if value not in ("0", "1"):
        raise DataError(f"{path}:{row}: label {value!r} is not 0 or 1.")
    return int(value)


def _lines(path: Path) -> list[str]:
    """The file's non-empty lines with any ``\\r`` line-ending stripped."""
    return [ln.rstrip("\r") for ln in _read_text(path).split("\n") if ln.strip("\r\n\t ")]


def load_checkthat19(root: str | Path, split: str = "training") -> list[Sentence]:
    """CheckThat! 2019 Task 1 sentences of ``split`` ("training" or "test"), transcripts in
    file-name order, sentences in file order."""
    if split not in CT19_SPLITS:
        raise DataError(f"CheckThat! 2019 split {split!r} is not one of {', '.join(CT19_SPLITS)}.")
    folder = _folder(root, "CheckThat! 2019") / split
    files = sorted(folder.glob("*.tsv")) if folder.is_dir() else []
    if not files:
        raise DataError(f"No CheckThat! 2019 {split} files (*.tsv) in {folder}.")
    out: list[Sentence] = []
    for path in files:
        for row, line in enumerate(_lines(path), start=1):
            cols = line.split("\t")
            if len(cols) < 4:
                raise DataError(f"{path}:{row}: expected 4 tab-separated columns, got {len(cols)}.")
            try:
                number = int(cols[0])
            except ValueError as exc:
                raise DataError(
                    f"{path}:{row}: line number {cols[0]!r} is not an integer."
                ) from exc
            text = "\t".join(cols[2:-1])
            out.append(Sentence(text, _label(cols[-1], path, row), path.stem, number))
    return out


def load_checkthat20(root: str | Path, split: str = "training") -> list[Sentence]:
    """CheckThat! 2020 Task 1 (English) tweets of ``split`` ("training", "dev" or "test")."""
    if split not in CT20_FILES:
        raise DataError(f"CheckThat! 2020 split {split!r} is not one of {', '.join(CT20_FILES)}.")
    path = _folder(root, "CheckThat! 2020") / CT20_FILES[split]
    if not path.is_file():
        raise DataError(f"CheckThat! 2020 file {path} is missing.")
    lines = _lines(path)
    if not lines:
        raise DataError(f"{path} is empty.")
    header = lines[0].split("\t")
    try:
        text_col = header.index("tweet_text")
    except ValueError as exc:
        raise DataError(f"{path}: the header has no tweet_text column.") from exc
    out: list[Sentence] = []
    for row, line in enumerate(lines[1:], start=1):
        cols = line.split("\t")
        if len(cols) != len(header):
            raise DataError(
                f"{path}:{row + 1}: expected {len(header)} tab-separated columns, got {len(cols)}."
            )
        out.append(Sentence(cols[text_col], _label(cols[-1], path, row + 1), "tweets", row))
    return out


def load_claimbuster(root: str | Path, variant: str = "2.5xNCS") -> list[Sentence]:
    """ClaimBuster sentences of one high-quality subset ("2xNCS", "2.5xNCS" or "3xNCS")."""
    if variant not in CLAIMBUSTER_VARIANTS:
        raise DataError(
            f"ClaimBuster variant {variant!r} is not one of {', '.join(CLAIMBUSTER_VARIANTS)}."
        )
    path = _folder(root, "ClaimBuster") / f"{variant}.json"
    items = read_json(path, f"ClaimBuster file {path} is missing.")
    if not isinstance(items, list):
        raise DataError(f"{path}: expected a JSON list of sentences.")
    out: list[Sentence] = []
    for k, item in enumerate(items):
        try:
            text, label, sid = str(item["text"]), item["label"], int(item["sentence_id"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"{path}: item {k} lacks text, label or sentence_id.") from exc
        out.append(Sentence(text, _label(str(label), path, k), "claimbuster", sid))
    return out
