"""spinscope: shows how a news text persuades, with the evidence in the text.

>>> import spinscope
>>> result = spinscope.analyze(spinscope.Document("They are traitors, all of them!"))
>>> [(f.label, f.text) for f in result.findings]  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from spinscope.errors import ConfigError, IngestError, ModelError, SpinscopeError
from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.settings import load_settings

__version__ = "0.1.0"

__all__ = [
    "AnalysisResult",
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
    """
    from spinscope.analysis.pipeline import Pipeline
    from spinscope.ingest import from_text

    if isinstance(doc, str):
        doc = from_text(doc)
    return Pipeline.for_settings(load_settings(settings)).run([doc])[0]
