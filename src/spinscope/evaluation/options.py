"""What an evaluation task may read (``Options``), and the progress hook it reports through."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Progress = Callable[[str], Any]  # description -> context manager yielding update(done, total)


@contextmanager
def no_progress(description: str) -> Iterator[Callable[[int, int], None]]:
    yield lambda done, total: None


@dataclass(frozen=True)
class Options:
    """What a task may read. ``settings`` is called only by tasks that need the settings, so a
    bad ``--set`` fails exactly where it did before the table."""

    data: Path
    settings: Callable[[], dict] = dict
    split: str = "dev"
    folds: int = 5
    max_steps: int | None = None
    out: Path | None = None
    lang: str = "EN"
    progress: Progress = no_progress
