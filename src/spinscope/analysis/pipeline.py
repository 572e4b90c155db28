"""Runs the configured analysers over documents and assembles AnalysisResults."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinscope.model.document import AnalysisResult, Document
from spinscope.registry import create_analyzer

DEFAULT_ANALYZERS = ("techniques",)


class Pipeline:
    """Analysers built once from settings; models load on first use."""

    def __init__(
        self, settings: dict[str, Any], analyzers: Sequence[str] = DEFAULT_ANALYZERS
    ) -> None:
        self.settings = dict(settings)
        self.analyzers = [create_analyzer(name, self.settings) for name in analyzers]

    def run(self, docs: Sequence[Document]) -> list[AnalysisResult]:
        if isinstance(docs, Document):
            raise TypeError("Pipeline.run() expects a list of Documents, got one Document.")
        per_analyzer = [a.analyze(docs) for a in self.analyzers]
        models = [a.provenance() for a in self.analyzers]
        results = []
        for k, doc in enumerate(docs):
            findings = [f for found in per_analyzer for f in found[k]]
            results.append(
                AnalysisResult(
                    doc=doc,
                    findings=findings,
                    models=models,
                    settings=self.settings,
                    warnings=_warnings(doc),
                )
            )
        return results


def _warnings(doc: Document) -> list[str]:
    if doc.meta.get("language") not in (None, "en"):
        return [
            "This text does not look like English; spinscope's models are English-only, so "
            "its findings are unreliable here."
        ]
    return []
