"""The web app shows no roles by default and shows them with ``roles.enabled`` (issue 15; the
other surfaces: tests/analysis/test_roles_default_off.py)."""

from __future__ import annotations

import pytest

from spinscope.analysis.roles import shipped_model_dir

pytestmark = pytest.mark.skipif(
    not (shipped_model_dir() / "roles.json").exists(), reason="no shipped roles model"
)
# written for these tests (the same court report as tests/analysis/test_roles_gating.py)
COURT = (
    "Judge orders CNN's Jim Acosta press pass restored in suit against Acosta's White House\n\n"
    "A federal judge on Friday ordered the White House to restore the press credentials of "
    "Jim Acosta, the chief White House correspondent for CNN. The judge said the "
    "administration had not followed due process when it suspended the pass. CNN had sued "
    "the administration earlier this week. Acosta returned to the briefing room on Friday "
    "afternoon. Trump's spokesman Taylor Budowich said the White House would comply with the "
    "order. Lawyers for CNN said they were pleased."
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


