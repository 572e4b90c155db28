"""The web app shows no roles by default and shows them with ``roles.enabled`` (issue 15; the
other surfaces: tests/analysis/test_roles_default_off.py)."""

from __future__ import annotations

import pytest

from role_fixtures import COURT
from spinscope.analysis.roles import shipped_model_dir

pytestmark = pytest.mark.skipif(
    not (shipped_model_dir() / "roles.json").exists(), reason="no shipped roles model"
)


def has_roles(data: dict) -> bool:
    return any(x["task"] == "entity_role" for x in data["labels"])


def test_the_web_app_has_no_roles_by_default(make_client, tmp_path) -> None:
    from spinscope.api.service import pipeline_for
    from spinscope.settings import load_settings

    for overrides, expect in ((None, False), ({"roles.enabled": "true"}, True)):
        settings = {"pipeline.analyzers": "framing,roles", **(overrides or {})}
        client = make_client(settings, store_path=tmp_path / f"{expect}.duckdb",
                             pipeline=pipeline_for(load_settings(settings)))  # fmt: skip
        answer = client.post("/api/analyze", json={"text": COURT})
        assert answer.status_code == 200
        assert has_roles(answer.json()) is expect
        page = client.get(f"/documents/{answer.json()['id']}").text
        assert ("Role:" in page) is expect
