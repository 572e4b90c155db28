"""`spinscope settings` shows what the environment changes: a setting given by its variable
(``SPINSCOPE_<SECTION>_<NAME>``) is marked with it, and the other variables spinscope reads
(SPINSCOPE_THREADS, SPINSCOPE_CACHE_DIR, ...) are listed where set; a secret never shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spinscope.cli.main import main
from spinscope.settings import SCHEMA
from spinscope.settings_schema import ENVIRONMENT

SRC = Path(__file__).resolve().parents[2] / "src" / "spinscope"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for key in list(__import__("os").environ):
        if key.startswith("SPINSCOPE_") or key == "XDG_CACHE_HOME":
            monkeypatch.delenv(key)


def settings_output(capsys, *argv: str) -> list[str]:
    assert main(["settings", *argv]) == 0
    captured = capsys.readouterr()
    assert not captured.err
    return captured.out.splitlines()


def test_the_listing_shows_a_setting_the_environment_sets(capsys, monkeypatch):
    monkeypatch.setenv("SPINSCOPE_TECHNIQUES_THRESHOLD", "0.3")
    lines = settings_output(capsys)
    assert "techniques.threshold = 0.3 (from SPINSCOPE_TECHNIQUES_THRESHOLD; default 0.5)" in lines
    assert "claims.threshold = 0.5" in lines  # not from the environment: as before


def test_the_checked_values_mark_what_comes_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("SPINSCOPE_TECHNIQUES_THRESHOLD", "0.3")
    monkeypatch.setenv("SPINSCOPE_CLAIMS_THRESHOLD", "0.6")
    lines = settings_output(capsys, "--set", "claims.threshold=0.7")
    assert (
        "* techniques.threshold = 0.3 (from SPINSCOPE_TECHNIQUES_THRESHOLD; default 0.5)" in lines
    )
    assert "* claims.threshold = 0.7 (default 0.5)" in lines  # --set wins over the variable


def test_the_other_variables_are_listed_where_set(capsys, monkeypatch, tmp_path):
    assert not any("environment" in line for line in settings_output(capsys))  # none set
    monkeypatch.setenv("SPINSCOPE_THREADS", "2")
    monkeypatch.setenv("SPINSCOPE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("SPINSCOPE_TECHNIQUES_THRESHOLD", "0.3")
    lines = settings_output(capsys)
    start = lines.index("From the environment:")
    part = lines[start + 1 :]
    assert any(line.startswith("  SPINSCOPE_THREADS=2: ") for line in part), part
    assert any(line.startswith(f"  SPINSCOPE_CACHE_DIR={tmp_path}: ") for line in part), part
    assert "  SPINSCOPE_TECHNIQUES_THRESHOLD=0.3: sets techniques.threshold" in part


def test_the_private_urls_variable_marks_the_setting_it_overrides(capsys, monkeypatch):
    monkeypatch.setenv("SPINSCOPE_ALLOW_PRIVATE_URLS", "1")
    lines = settings_output(capsys, "--set", "claims.threshold=0.7")
    assert ("* ingest.allow_private_urls = True (from SPINSCOPE_ALLOW_PRIVATE_URLS; "
            "default False)") in lines  # fmt: skip


def test_a_secret_from_the_environment_never_shows(capsys, monkeypatch):
    monkeypatch.setenv("SPINSCOPE_SERVE_API_TOKEN", "s3cret-token")
    for argv in ([], ["--set", "claims.threshold=0.7"]):
        lines = settings_output(capsys, *argv)
        assert not any("s3cret" in line for line in lines), lines
        assert any(
            "serve.api_token = (hidden) (from SPINSCOPE_SERVE_API_TOKEN" in line for line in lines
        ), lines


def test_every_variable_spinscope_reads_is_listed():
    # a variable read somewhere in src/ that `spinscope settings` would not show: add it to
    # settings_schema.ENVIRONMENT (settings' own variables are SPINSCOPE_<SECTION>_<NAME>)
    setting_keys = {"SPINSCOPE_" + name.upper().replace(".", "_") for name in SCHEMA}
    found = set()
    for path in SRC.rglob("*.py"):
        found |= set(re.findall(r"[\"'](SPINSCOPE_[A-Z0-9_]+)[\"']", path.read_text("utf-8")))
    assert found - setting_keys <= set(ENVIRONMENT), sorted(found - setting_keys - set(ENVIRONMENT))
    assert {"SPINSCOPE_THREADS", "SPINSCOPE_CACHE_DIR", "SPINSCOPE_HOME"} <= set(ENVIRONMENT)
