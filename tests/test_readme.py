"""The README points only at files a user has: nothing under ../shared (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_cites_no_example_outside_the_repository():
    assert "shared/examples" not in README


def test_every_bundled_sample_the_readme_cites_exists():
    cited = set(re.findall(r"samples/[\w.-]+", README))
    assert cited, "the README should point at a bundled sample"
    assert [p for p in sorted(cited) if not (ROOT / p).is_file()] == []


def help_text(capsys, *argv: str) -> str:
    import pytest

    from spinscope.cli.main import main

    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines


def test_help_gives_the_defaults_the_readme_gives(capsys):
    from spinscope.store.stories import THRESHOLD, WINDOW_DAYS

    assert "`--host 127.0.0.1`" in README
    assert "(default 127.0.0.1" in help_text(capsys, "serve")
    stories = help_text(capsys, "stories")
    assert f"(default {THRESHOLD}," in stories and f"(default {WINDOW_DAYS})" in stories
    assert f"[--threshold {THRESHOLD}] [--window-days {WINDOW_DAYS}]" in README
    assert "(default outlet)" in help_text(capsys, "stats")
    for command in ("stats", "stories", "export"):
        assert "--store STORE the DuckDB store" in help_text(capsys, command), command
