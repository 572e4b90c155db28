"""Readers for PTC (SemEval-2020 Task 11) and the SemEval-2023 Task 3 English span layer.

Both corpora annotate the same 446 articles, but SemEval-2023 re-formatted the text (sentences
joined into paragraphs). ``align_offsets`` carries the 2023 spans over to the PTC text so that one
model can learn both taxonomies from one encoder pass.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spinscope.errors import DataError
from spinscope.ingest._decode import read_utf8
from spinscope.model.taxonomy import LABELS, PTC2020, SEMEVAL2023

ARTICLE_RE = re.compile(r"^article(\d+)\.txt$")


@dataclass
class GoldSpan:
    start: int
    end: int
    label: str


@dataclass
class Article:
    id: str
    text: str
    spans: dict[str, list[GoldSpan]] = field(default_factory=dict)  # taxonomy -> spans


def read_text(path: Path) -> str:
    """Read a corpus file exactly as stored: offsets count every code point (BOMs included).
    A file that is not UTF-8 is a one-line DataError naming it (``predict`` reads users'
    folders)."""
    return read_utf8(path, DataError)


def read_json(path: Path, missing: str) -> Any:
    """A corpus JSON file, or a one-line DataError: ``missing`` where no file is there, or one
    naming the file that cannot be read or is not JSON."""
    if not path.is_file():
        raise DataError(missing)
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path} is not valid JSON ({exc.msg}, line {exc.lineno}).") from exc
    except OSError as exc:
        raise DataError(f"Cannot read {path}: {exc.__class__.__name__}: {exc}") from exc


def read_articles(folder: Path) -> dict[str, str]:
    """``article<ID>.txt`` files of a folder, by ID."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"Articles folder {folder} does not exist or is not a folder.")
    out = {}
    for path in sorted(folder.iterdir()):
        m = ARTICLE_RE.match(path.name)
        if m:
            out[m.group(1)] = read_text(path)
    if not out:
        raise DataError(f"No article<ID>.txt files in {folder}.")
    return out


def read_labels(path: Path, *, with_label: bool = True) -> dict[str, list[GoldSpan]]:
    """A PTC/SemEval span label file: ``id [label] start end`` per line (end exclusive)."""
    spans: dict[str, list[GoldSpan]] = defaultdict(list)
    for line in read_text(Path(path)).splitlines():
        parts = line.rstrip("\r").split("\t")
        if len(parts) < 3:
            continue
        if with_label:
            art, label, start, end = parts[0], parts[1], parts[2], parts[3]
        else:
            art, label, start, end = parts[0], "propaganda", parts[1], parts[2]
        spans[art.removeprefix("article")].append(GoldSpan(int(start), int(end), label))
    return dict(spans)


def load_ptc(root: Path, split: str) -> list[Article]:
    """PTC articles of ``split`` (train or dev) with their 14-technique spans."""
    root = Path(root)
    if split not in ("train", "dev"):
        raise DataError(
            f"Unknown PTC split {split!r}. Available: train, dev (test gold is withheld)."
        )
    texts = read_articles(root / f"{split}-articles")
    labels_path = root / f"{split}-task-flc-tc.labels"
    labels = checked(read_labels(labels_path), PTC2020, labels_path) if labels_path.exists() else {}
    return [Article(i, t, {"ptc2020": labels.get(i, [])}) for i, t in texts.items()]


# where a technique of the other taxonomy goes
_LAYER_OPTION = {PTC2020: "the --ptc folder's *-task-flc-tc.labels", SEMEVAL2023: "--semeval23"}


def checked(spans: dict[str, list[GoldSpan]], taxonomy: str, path: Path) -> dict:
    """``spans`` if every label is a technique of ``taxonomy``; else one line naming the file,
    the article and the label (a hand-edited training folder ended in a KeyError traceback
    when training began).

    Raises:
        DataError: The first label that is not a technique of ``taxonomy``.
    """
    for art, found in spans.items():
        for sp in found:
            if sp.label in LABELS[taxonomy]:
                continue
            other = next(t for t in LABELS if t != taxonomy)
            hint = (f"; it is a {other} technique: give those spans with {_LAYER_OPTION[other]}"
                    if sp.label in LABELS[other] else "")  # fmt: skip
            raise DataError(
                f"{path}: article {art} has the label {sp.label!r}, not a {taxonomy} technique"
                f"{hint} (expected one of {', '.join(LABELS[taxonomy])})."
            )
    return spans


def _nonspace_index(text: str) -> tuple[str, list[int]]:
    idx = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in idx), idx


def align_offsets(src: str, dst: str) -> list[int | None]:
    """Map each character offset of ``src`` to ``dst``, ignoring whitespace differences.

    Returns a list of ``len(src) + 1`` entries; an entry is None where the character has no
    counterpart (whitespace, or a character the other text changed).
    """
    s_chars, s_idx = _nonspace_index(src)
    d_chars, d_idx = _nonspace_index(dst)
    mapping: list[int | None] = [None] * (len(src) + 1)
    pairs: Iterable[tuple[int, int]]
    if s_chars == d_chars:
        pairs = zip(s_idx, d_idx, strict=True)
    else:
        matcher = difflib.SequenceMatcher(None, s_chars, d_chars, autojunk=False)
        pairs = (
            (s_idx[a + k], d_idx[b + k])
            for a, b, size in matcher.get_matching_blocks()
            for k in range(size)
        )
    for s, d in pairs:
        mapping[s] = d
    mapping[len(src)] = len(dst)
    return mapping


def map_span(mapping: list[int | None], start: int, end: int) -> tuple[int, int] | None:
    """Carry ``[start, end)`` over an ``align_offsets`` mapping; None if nothing maps."""
    starts = [m for i in range(start, end) if (m := mapping[i]) is not None]
    if not starts:
        return None
    return starts[0], starts[-1] + 1


def add_semeval23_layer(articles: list[Article], se23_root: Path) -> None:
    """Attach the SemEval-2023 English span annotations to PTC articles, on the PTC text."""
    se23_root = Path(se23_root)
    art_dir = se23_root / "train-articles-subtask-3"
    span_dir = se23_root / "train-labels-subtask-3-spans"
    if not art_dir.is_dir() or not span_dir.is_dir():
        raise DataError(
            f"{se23_root} is not the SemEval-2023 Task 3 English folder: expected "
            "train-articles-subtask-3/ and train-labels-subtask-3-spans/ in it."
        )
    if articles and not any((art_dir / f"article{a.id}.txt").exists() for a in articles):
        raise DataError(  # the 23 techniques got no training signal, without a word
            f"None of the {len(articles)} articles is in {se23_root} (article<ID>.txt by their "
            "ids); give the SemEval-2023 layer of the same articles (`spinscope "
            "import-annotations` writes it beside them, as semeval23/)."
        )
    for art in articles:
        src_path = art_dir / f"article{art.id}.txt"
        lab_path = span_dir / f"article{art.id}-labels-subtask-3.txt"
        if not src_path.exists():
            continue
        src = read_text(src_path)
        mapping = align_offsets(src, art.text)
        spans = read_labels(lab_path).get(art.id, []) if lab_path.exists() else []
        checked({art.id: spans}, SEMEVAL2023, lab_path)
        out = []
        for sp in spans:
            mapped = map_span(mapping, sp.start, sp.end)
            if mapped:
                out.append(GoldSpan(mapped[0], mapped[1], sp.label))
        art.spans["semeval2023"] = out
