"""Soft labels for the English tagger from teacher taggers (issue #14, step 2: distillation).

Teachers are tagger folders (``analysis.techniques``: the fine-tuned multilingual tagger, the
shipped tagger); each reads unlabelled English news and gives every word piece its 38 channel
scores. Their word pieces differ from the student's, so a teacher's scores go to the characters
its pieces cover, a student piece takes the highest score over its characters, and the teachers'
views are averaged. The student then trains on these soft targets beside its gold articles
(``training.techniques``; no span-head loss on them).

The unlabelled texts are 2022-2024 English news: the SemEval-2025 Task 10 English training
documents and the SemEval-2023 Task 3 English test articles (no labels are read from either;
CheckThat! 2024 is never read).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from spinscope.analysis import encoder, span_geometry
from spinscope.analysis.spans import CHANNELS
from spinscope.corpora.ptc import read_articles
from spinscope.errors import DataError
from spinscope.training.techniques_data import WindowExample

if TYPE_CHECKING:
    from spinscope.training.techniques import TrainConfig


def unlabelled_english(data: Path) -> list[tuple[str, str]]:
    """(id, text) of the unlabelled English news the teachers read."""
    data = Path(data)
    se25 = data / "semeval2025-task10" / "train" / "EN" / "raw-documents"
    se23 = data / "semeval2023-task3" / "en" / "test-articles-subtask-3"
    for folder in (se25, se23):
        if not folder.is_dir():
            raise DataError(f"{folder} not found: pass --data FOLDER.")
    out = []
    for path in sorted(se25.glob("*.txt")):
        out.append((f"se25-{path.stem}", path.read_text(encoding="utf-8")))
    out += [(f"se23test-{i}", t) for i, t in sorted(read_articles(se23).items())]
    return [(i, t) for i, t in out if t.strip()]


def to_pieces(text_len: int, t_offsets: np.ndarray, t_probs: np.ndarray,
              s_offsets: np.ndarray) -> np.ndarray:  # fmt: skip
    """A teacher's piece scores (``t_offsets`` (m, 2), ``t_probs`` (m, c)) on the student's
    pieces (``s_offsets`` (n, 2)): each student piece gets the highest score of the characters it
    covers; characters no teacher piece covers score 0."""
    chars = np.zeros((text_len + 1, t_probs.shape[1]), np.float32)
    for (a, b), row in zip(t_offsets, t_probs, strict=True):
        chars[a:b] = np.maximum(chars[a:b], row)
    out = np.zeros((len(s_offsets), t_probs.shape[1]), np.float32)
    for k, (a, b) in enumerate(s_offsets):
        if b > a:
            out[k] = chars[a:b].max(0)
    return out


def teacher_labels(
    texts: Sequence[str], teachers: Sequence[str | Path], student_tokenizer,
    progress: Callable[[int, int], None] | None = None, batch: int = 8,
) -> list[np.ndarray]:  # fmt: skip
    """Per text, the teachers' mean channel scores on the student's word pieces (float16)."""
    from spinscope.analysis.techniques import TechniqueTagger

    offsets = [encoder.encode(student_tokenizer, t).offsets for t in texts]
    sums = [np.zeros((len(o), len(CHANNELS)), np.float32) for o in offsets]
    for teacher in teachers:
        tagger = TechniqueTagger(model_dir=teacher, decoder="channels", calibrated=False)
        for k in range(0, len(texts), batch):
            chunk = list(texts[k : k + batch])
            for j, sc in enumerate(tagger.scores(chunk, hidden=False)):
                sums[k + j] += to_pieces(len(chunk[j]), sc.enc.offsets, sc.probs, offsets[k + j])
            if progress:
                progress(min(k + batch, len(texts)), len(texts))
    return [(s / len(teachers)).astype(np.float16) for s in sums]


def soft_examples(texts: Sequence[str], labels: Sequence[np.ndarray], tokenizer,
                  cfg: TrainConfig, first: int = 0) -> list[WindowExample]:  # fmt: skip
    """Training windows of the unlabelled texts with their soft targets (no gold spans);
    ``first`` numbers their articles after the gold ones."""
    out = []
    for k, (text, lab) in enumerate(zip(texts, labels, strict=True)):
        enc = encoder.encode(tokenizer, text)
        if len(enc.ids) == 0:
            continue
        if len(enc.ids) != len(lab):
            raise DataError("soft labels were made with another tokenizer; remake them")
        wins = span_geometry.text_windows(text, enc, cfg.window, cfg.stride,
                                          by_sentence=cfg.by_sentence)  # fmt: skip
        for w in wins:
            soft = lab[w.lo : w.hi].astype(np.float32)
            out.append(WindowExample(first + k, enc.ids[w.lo : w.hi], soft, []))
    return out


def write_soft(path: Path, ids: list[str], texts: list[str], labels: list[np.ndarray],
               teachers: Sequence[str | Path]) -> None:  # fmt: skip
    """An ``.npz`` (no pickles): the texts and ids as JSON bytes, the labels concatenated."""
    meta = {"ids": ids, "texts": texts, "teachers": [str(t) for t in teachers]}
    np.savez_compressed(
        path,
        meta=np.frombuffer(json.dumps(meta).encode("utf-8"), np.uint8),
        labels=np.concatenate(labels) if labels else np.zeros((0, len(CHANNELS)), np.float16),
        lengths=np.asarray([len(x) for x in labels], np.int64),
    )


def read_soft(path: Path) -> dict:
    """What ``write_soft`` wrote: ids, texts, teachers and the labels split per text."""
    path = Path(path)
    if not path.is_file():
        raise DataError(
            f"Soft labels {path} not found: make them with `spinscope train soft-labels`."
        )
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode("utf-8"))
            cuts = np.cumsum(data["lengths"])[:-1]
            meta["labels"] = np.split(data["labels"], cuts) if len(data["lengths"]) else []
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(f"{path} is not a soft-label file: {exc}") from None
    return dict(meta)
