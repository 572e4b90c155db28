"""The card and weights of a model folder, read once per analyser (framing, roles and the
paragraph techniques wrote this three times)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.analysis.base import model_file, read_arrays, read_card


class ModelFiles:
    """Mixin for an analyser with ``model_dir``: ``card`` (``CARD_FILE``, or a ModelError naming
    ``MODEL_WHAT`` and ``spinscope train TRAIN_TASK``) and ``weights`` (``WEIGHTS_FILE``)."""

    CARD_FILE: str
    WEIGHTS_FILE: str
    MODEL_WHAT: str
    TRAIN_TASK: str
    model_dir: Path
    name: str
    version: str

    @cached_property
    def card(self) -> dict[str, Any]:
        return read_card(self.model_dir / self.CARD_FILE, self.MODEL_WHAT, self.TRAIN_TASK)

    @cached_property
    def weights(self) -> dict[str, np.ndarray]:
        self.card  # noqa: B018 -- names a missing model by its card first
        # a card.json of another model (a technique tagger's for framing) is no weights file:
        # one line naming the missing file, not a FileNotFoundError traceback
        path = model_file(self.model_dir / self.WEIGHTS_FILE, self.MODEL_WHAT, self.TRAIN_TASK)
        return read_arrays(path)

    def provenance_head(self) -> dict[str, Any]:
        """The first entries of the analyser's provenance: its name and version, then its
        model's (the card's name and version)."""
        return {
            "analyzer": self.name,
            "version": self.version,
            "model": self.card.get("name"),
            "model_version": self.card.get("version"),
        }
