"""Clients over the app: with a fast in-process stand-in pipeline by default, or with the
shipped models (``real_pipeline``, loaded once per test session)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the API needs the [web] extra")
from fastapi.testclient import TestClient  # noqa: E402

from spinscope.api import create_app  # noqa: E402
from spinscope.api.service import pipeline_for  # noqa: E402
from spinscope.settings import load_settings  # noqa: E402

from .stand_ins import SlowPipeline  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sample-article.txt"


@pytest.fixture(scope="session")
def real_pipeline():
    """The shipped models' pipeline (loads them on first use)."""
    return pipeline_for(load_settings())


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """``make_client(overrides, store_path=None, pipeline=None, workers=None)``: a started
    TestClient; the pipeline defaults to a stand-in that finds nothing at once."""
    clients: list[TestClient] = []

    def make(overrides=None, store_path=None, pipeline=None, workers=None) -> TestClient:
        pipeline = pipeline if pipeline is not None else SlowPipeline()
        app = create_app(load_settings(overrides), store_path, pipeline=pipeline, workers=workers)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()  # runs the app's start-up (workers, if any)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


@pytest.fixture
def real_client(make_client, real_pipeline) -> TestClient:
    return make_client(pipeline=real_pipeline)


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")
