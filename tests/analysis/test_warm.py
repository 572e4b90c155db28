"""Models load once per process even when two threads ask at once, and the pipeline loads the
later analysers' models (``warm``) in a thread without changing results or errors."""

from __future__ import annotations

import threading
import time

import pytest

from spinscope import load_settings
from spinscope.analysis.base import load_once
from spinscope.analysis.pipeline import Pipeline
from spinscope.errors import ModelError
from spinscope.model.document import Document


def test_load_once_loads_once_across_threads() -> None:
    calls = []

    @load_once
    def load(name: str = "m") -> object:
        calls.append(name)
        time.sleep(0.05)  # long enough for the other threads to arrive while it loads
        return object()

    got = []
    threads = [threading.Thread(target=lambda: got.append(load())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["m"] and len({id(x) for x in got}) == 1
    assert load("other") is not got[0] and calls == ["m", "other"]
    load.cache_clear()  # type: ignore[attr-defined]
    load()
    assert calls == ["m", "other", "m"]


class Recorder:
    """An analyser that notes which thread ran ``warm`` and ``analyze``."""

    version = "1"
    produces = "findings"

    def __init__(self, name: str, fail_warm: bool = False, fail_analyze: bool = False) -> None:
        self.name = name
        self.fail_warm, self.fail_analyze = fail_warm, fail_analyze
        self.warmed: list[str] = []

    def warm(self) -> None:
        self.warmed.append(threading.current_thread().name)
        if self.fail_warm:
            raise ModelError(f"{self.name}: no model")

    def analyze(self, docs):
        if self.fail_analyze:
            raise ModelError(f"{self.name}: no model")
        return [[] for _ in docs]

    def provenance(self) -> dict:
        return {"analyzer": self.name}


def pipeline(*analyzers) -> Pipeline:
    p = Pipeline(load_settings(), analyzers=[])
    p.analyzers = list(analyzers)
    return p


def test_the_later_analysers_are_warmed_in_a_thread() -> None:
    first, second, third = Recorder("a"), Recorder("b", fail_warm=True), Recorder("c")
    (r,) = pipeline(first, second, third).run([Document("The minister said prices would fall.")])
    assert r.findings == []
    assert first.warmed == []  # the first runs at once: nothing to overlap with
    for later in (second, third):  # a failed warm does not stop the next one
        assert len(later.warmed) == 1 and later.warmed[0].startswith("spinscope-language")


def test_empty_texts_warm_nothing_and_errors_still_come_from_analyze() -> None:
    second = Recorder("b")
    pipeline(Recorder("a"), second).run([Document("   ")])
    assert second.warmed == []
    broken = Recorder("b", fail_warm=True, fail_analyze=True)
    with pytest.raises(ModelError, match="b: no model"):
        pipeline(Recorder("a"), broken).run([Document("The minister said prices would fall.")])
