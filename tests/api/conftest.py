"""A client over the real app (the shipped models, loaded once per process) and a stand-in
pipeline for the limits tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the API needs the [web] extra")
from fastapi.testclient import TestClient  # noqa: E402

from spinscope.api import create_app  # noqa: E402
from spinscope.model.document import AnalysisResult  # noqa: E402
from spinscope.settings import load_settings  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sample-article.txt"


class SlowPipeline:
    """Stands in for the pipeline: waits, then finds nothing (or fails, if told to)."""

    def __init__(self, delay_s: float = 0.0, error: Exception | None = None) -> None:
        self.delay_s = delay_s
        self.error = error

    def run(self, docs):
        time.sleep(self.delay_s)
        if self.error:
            raise self.error
        return [AnalysisResult(doc=doc, findings=[]) for doc in docs]


@pytest.fixture
def make_client(tmp_path) -> Iterator[Callable[..., TestClient]]:
    """``make_client(overrides, store_path=None, pipeline=None)``: a started TestClient."""
    clients: list[TestClient] = []

    def make(overrides=None, store_path=None, pipeline=None) -> TestClient:
        app = create_app(load_settings(overrides), store_path=store_path)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()  # starts the app: loads the real models
        if pipeline is not None:
            app.state.service.pipeline = pipeline
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")
