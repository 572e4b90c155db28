"""The analyser contract: documents in, findings out.

An analyser stores its settings in ``__init__`` and loads heavy models lazily on first use (once
per process), so that settings, not objects, can be shipped to worker processes. ``analyze`` is
pure: it never writes files, prints or reaches the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

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
