"""spinscope: shows how a news text persuades, with the evidence in the text.

>>> import spinscope
>>> result = spinscope.analyze(spinscope.Document("They are traitors, all of them!"))
>>> [(f.label, f.text) for f in result.findings]  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from spinscope.errors import (
    AnalysisTimeout,
    ConfigError,
    IngestError,
    ModelError,
    SpinscopeError,
)
from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.settings import load_settings

__version__ = "0.1.0"

__all__ = [
    "AnalysisResult",
    "AnalysisTimeout",
    "ConfigError",
    "Document",
    "Finding",
    "IngestError",
    "ModelError",
    "SpinscopeError",
    "analyze",
    "load_settings",
    "__version__",
]


def analyze(doc: Document | str, *, settings: dict[str, Any] | None = None) -> AnalysisResult:
    """Analyse one document (or a raw text) with the configured analysers.

    Pipelines are cached per settings (``Pipeline.for_settings``), so models load once per
    process.

    Raises:
        AnalysisTimeout: The analysis took longer than ``analyze.timeout_s`` (bounded only in
            the main thread where there is SIGALRM; see ``analysis.time_limit``).
    """
    from spinscope.analysis.pipeline import Pipeline
    from spinscope.analysis.time_limit import time_limit
    from spinscope.ingest import from_text

    if isinstance(doc, str):
        doc = from_text(doc)
    values = load_settings(settings)
    with time_limit(values["analyze.timeout_s"], "The analysis"):
        return Pipeline.for_settings(values).run([doc])[0]
