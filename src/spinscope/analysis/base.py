"""The analyser contract: documents in, findings out.

An analyser stores its settings in ``__init__`` and loads heavy models lazily on first use (once
per process), so that settings, not objects, can be shipped to worker processes. ``analyze`` is
pure: it never writes files, prints or reaches the network.

Optional class attributes the pipeline reads: ``produces`` (``"findings"``, ``"claims"`` or
``"labels"``), ``languages`` (the ISO 639-1 codes it was trained on; absent: any language),
``zero_shot_languages`` (codes it reads untrained; shown as zero-shot), ``needs_language``
(True if ``analyze`` reads ``doc.language``, so the pipeline detects it first) and ``family``
(what its results are for users, e.g. "techniques" for the English tagger and the paragraph
model alike; default: its name). Results in a language outside ``languages`` and
``zero_shot_languages`` are dropped; one warning names the languages no analyser of a family
reads (``spinscope.analysis.language``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from spinscope.errors import ModelError
from spinscope.model.document import Document, Finding


@runtime_checkable
class Analyzer(Protocol):
    name: str
    version: str

    def analyze(self, docs: Sequence[Document]) -> list[list[Finding]]:
        """One list of findings per document, in the order given."""
        ...

    def provenance(self) -> dict[str, Any]:
        """Model id, version and checksum, and the settings that shaped the findings."""
        ...


def read_card(path: Path, what: str, train: str) -> dict[str, Any]:
    """A model's JSON card, or a ModelError naming the model and how to get one."""
    if not path.exists():
        raise ModelError(
            f"No {what} model in {path.parent} ({path.name} is missing); reinstall spinscope "
            f"or train one with `spinscope train {train}`."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a ``.npz`` weights file, as float64."""
    with np.load(path) as data:
        return {k: data[k].astype(np.float64) for k in data.files}
