"""Stand-ins for the pipeline: fast, in-process, and picklable (so a worker process can run one
too, to show what a deadline does to a real worker)."""

from __future__ import annotations

import time

from spinscope.model.document import AnalysisResult


class SlowPipeline:
    """Waits ``delay_s`` (for texts of at least ``slow_from`` characters), then finds nothing;
    or fails, if told to."""

    def __init__(
        self, delay_s: float = 0.0, error: Exception | None = None, slow_from: int = 0
    ) -> None:
        self.delay_s = delay_s
        self.error = error
        self.slow_from = slow_from

    def run(self, docs):
        if any(len(doc.text) >= self.slow_from for doc in docs):
            time.sleep(self.delay_s)
        if self.error:
            raise self.error
        return [AnalysisResult(doc=doc, findings=[]) for doc in docs]
