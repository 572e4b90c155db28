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
