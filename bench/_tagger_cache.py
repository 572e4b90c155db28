"""Shared by the bench scripts that read the technique tagger's output: run the shipped tagger
over some texts once, keep what the script needs from each text's scores (``row``), and cache
those rows in a pickle named after the tagger's checksum, so that a new tagger is never read
from an old cache. Caches live under runs/ (ignored by git)."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from spinscope.analysis.techniques import TechniqueTagger, TokenScores


def tagger_rows(
    texts: Sequence[str],
    cache: Path,
    row: Callable[[TokenScores], Any] = lambda sc: sc,
    tagger: TechniqueTagger | None = None,
) -> list:
    """``row(scores)`` for each text, in order; ``cache`` is a path stem (``runs/x/train``)."""
    tagger = tagger or TechniqueTagger()
    path = Path(f"{cache}-{(tagger.model_sha256 or 'model')[:12]}.pkl")
    if path.exists():
        return pickle.loads(path.read_bytes())
    rows = []
    for k in range(0, len(texts), 8):
        rows += [row(sc) for sc in tagger.scores(list(texts[k : k + 8]))]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(rows))
    return rows
