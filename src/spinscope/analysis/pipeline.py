"""Runs the configured analysers over documents and assembles AnalysisResults.

Each analyser says which part of the result it fills (``produces``): ``findings`` (technique
spans), ``claims`` or ``labels`` (article-level labels).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinscope.errors import IngestError
from spinscope.model.document import AnalysisResult, Document
from spinscope.registry import create_analyzer
from spinscope.settings import SCHEMA, public

PARTS = ("findings", "claims", "labels")
MAX_CHARS = SCHEMA["pipeline.max_chars"].default


def analyzer_names(settings: dict[str, Any]) -> list[str]:
    """The analysers ``pipeline.analyzers`` lists; "roles" only with ``roles.enabled`` (off by
    default: the role model does not yet beat the majority answer by enough, see
    ``spinscope.analysis.roles``)."""
    names = settings.get("pipeline.analyzers", "techniques,claims,framing")
    out = [n.strip() for n in str(names).split(",") if n.strip()]
    return [n for n in out if n != "roles" or settings.get("roles.enabled", False)]


class Pipeline:
    """Analysers built once from settings; models load on first use."""

    def __init__(self, settings: dict[str, Any], analyzers: Sequence[str] | None = None) -> None:
        self.settings = dict(settings)
        names = list(analyzers) if analyzers is not None else analyzer_names(self.settings)
        self.analyzers = [create_analyzer(name, self.settings) for name in names]
        self.max_chars = int(self.settings.get("pipeline.max_chars", MAX_CHARS))

    def run(self, docs: Sequence[Document]) -> list[AnalysisResult]:
        if isinstance(docs, Document):
            raise TypeError("Pipeline.run() expects a list of Documents, got one Document.")
        check_lengths(docs, self.max_chars)
        outputs = [(getattr(a, "produces", "findings"), a.analyze(docs)) for a in self.analyzers]
        models = [a.provenance() for a in self.analyzers]
        results = []
        for k, doc in enumerate(docs):
            parts: dict[str, list] = {part: [] for part in PARTS}
            for part, per_doc in outputs:
                parts[part].extend(per_doc[k])
            results.append(
                AnalysisResult(
                    doc=doc,
                    models=models,
                    settings=public(self.settings),
                    warnings=_warnings(doc),
                    **parts,
                )
            )
        return results


def check_lengths(docs: Sequence[Document], max_chars: int) -> None:
    """Refuse, before any work, a text longer than ``max_chars`` (``pipeline.max_chars``)."""
    for doc in docs:
        if len(doc.text) > max_chars:
            raise IngestError(
                f"The text has {len(doc.text):,} characters, more than pipeline.max_chars "
                f"({max_chars:,}); split it into shorter texts, or raise the limit with "
                f"--set pipeline.max_chars=N (time and memory grow with the length)."
            )


def _warnings(doc: Document) -> list[str]:
    if doc.meta.get("language") not in (None, "en"):
        return [
            "This text does not look like English; spinscope's models are English-only, so "
            "its findings are unreliable here."
        ]
    return []
