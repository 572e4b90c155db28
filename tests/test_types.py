"""mypy passes on src/ with the configuration in pyproject.toml ([tool.mypy]: strict flags for
model/, analysis/, ingest/ and interchange/, default checking elsewhere). CI runs the whole
suite, so this is the type check in CI. A cold run takes about a minute on a 2-core machine;
mypy's cache (.mypy_cache) makes later runs a few seconds."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed (it is in the [dev] extra: pip install -e '.[dev]')",
)
def test_mypy_passes_on_src() -> None:
    # the same interpreter, so that mypy sees the packages (and their types) this one imports;
    # files, strictness and the untyped third-party packages all come from pyproject.toml
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
