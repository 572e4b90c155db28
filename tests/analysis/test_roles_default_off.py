"""Roles are off in the default output of every surface (issue 15: main-role accuracy is not yet
5 points above always answering the majority role) and on with ``roles.enabled``: the terminal
view, the JSON, the HTML report and a batch run into the store (the web app:
tests/api/test_roles_default_off.py). Run with the shipped models on a court report that names
CNN and Jim Acosta often enough to get roles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinscope.analysis.roles import shipped_model_dir
from spinscope.cli.main import main
from spinscope.store import Store

from .test_roles_gating import COURT

pytestmark = pytest.mark.skipif(
    not (shipped_model_dir() / "roles.json").exists(), reason="no shipped roles model"
)
ON = ("--set", "roles.enabled=true")
ONLY = ("--set", "pipeline.analyzers=framing,roles")  # keeps the run short; roles still gated


def article(tmp_path: Path) -> Path:
    path = tmp_path / "court.txt"
    path.write_text(COURT, encoding="utf-8")
    return path


def cli(tmp_path: Path, *extra: str) -> tuple[dict, str]:
    """JSON, HTML report and terminal text of one ``spinscope analyze`` run."""
    out, page = tmp_path / "r.json", tmp_path / "r.html"
    args = ["analyze", str(article(tmp_path)), "--json", str(out), "--html", str(page), *extra]
    assert main(args) == 0
    return json.loads(out.read_text()), page.read_text(encoding="utf-8")


def has_roles(data: dict) -> bool:
    return any(x["task"] == "entity_role" for x in data["labels"])


def test_cli_json_html_and_terminal_have_no_roles_by_default(tmp_path, capsys) -> None:
    data, page = cli(tmp_path, *ONLY)
    terminal = capsys.readouterr().out
    assert not has_roles(data) and "roles" not in [m["analyzer"] for m in data["models"]]
    assert "Role:" not in page and "Role:" not in terminal
    assert "Acosta: Antagonist" not in page + terminal


def test_cli_json_html_and_terminal_have_roles_with_the_setting(tmp_path, capsys) -> None:
    data, page = cli(tmp_path, *ONLY, *ON)
    terminal = capsys.readouterr().out
    assert has_roles(data) and "roles" in [m["analyzer"] for m in data["models"]]
    assert "Role:" in page and "Role:" in terminal


def test_a_batch_run_stores_no_roles_by_default(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "court.txt").write_text(COURT, encoding="utf-8")
    for extra, expect in (((), False), (ON, True)):
        store = tmp_path / f"{expect}.duckdb"
        args = ["batch", str(folder), "--store", str(store), "--quiet", "--workers", "1", *ONLY]
        assert main([*args, *extra]) == 0
        with Store(store, read_only=True) as s:
            (result,) = list(s.results())
        assert any(x.task == "entity_role" for x in result.labels) is expect
