"""``Pipeline.for_settings`` is the one seam: one pipeline per settings, the last four kept."""

from __future__ import annotations

import threading

from spinscope.analysis import pipeline as pipeline_module
from spinscope.analysis.pipeline import CACHED_PIPELINES, Pipeline
from spinscope.settings import load_settings


def settings(n: int) -> dict:
    return load_settings({"pipeline.analyzers": "claims", "pipeline.max_chars": 1000 + n})


def test_the_same_settings_give_the_same_pipeline():
    assert Pipeline.for_settings(settings(1)) is Pipeline.for_settings(dict(settings(1)))
    assert Pipeline.for_settings(settings(1)) is not Pipeline.for_settings(settings(2))


def test_only_the_last_four_settings_are_kept():
    first = Pipeline.for_settings(settings(10))
    for n in range(11, 11 + CACHED_PIPELINES):
        Pipeline.for_settings(settings(n))
    assert len(Pipeline._cache) <= CACHED_PIPELINES
    assert Pipeline.for_settings(settings(10)) is not first  # evicted, built again


def test_threads_asking_at_once_share_one_pipeline():
    got: list[Pipeline] = []
    threads = [
        threading.Thread(target=lambda: got.append(Pipeline.for_settings(settings(99))))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(p) for p in got}) == 1


def test_every_interface_goes_through_the_seam():
    import spinscope
    from spinscope.api import service

    assert not hasattr(spinscope, "_PIPELINES") and not hasattr(service, "_PIPELINES")
    served = service.pipeline_for({**settings(5), "serve.api_token": "x"})
    assert served is Pipeline.for_settings(service.analysis_settings(settings(5)))
    assert "serve.api_token" not in served.settings
    assert pipeline_module.Pipeline is Pipeline


def test_settings_that_leave_no_analyser_are_refused_in_one_line():
    """``pipeline.analyzers=roles`` without ``roles.enabled`` (or empty) ran nothing and printed
    "No persuasion techniques found"; it is a settings error that says why."""
    import pytest

    from spinscope.analysis.pipeline import analyzer_names
    from spinscope.errors import ConfigError

    with pytest.raises(ConfigError, match=r"no analyser to run \(roles runs only with roles"):
        analyzer_names(load_settings({"pipeline.analyzers": "roles"}))
    with pytest.raises(ConfigError, match="no analyser to run; name at least one"):
        analyzer_names(load_settings({"pipeline.analyzers": ""}))
    enabled = {"pipeline.analyzers": "roles", "roles.enabled": "true"}
    assert analyzer_names(load_settings(enabled)) == ["roles"]
