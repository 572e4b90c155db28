"""Issue 19's refactor changed nothing: the sample's JSON and a quick ``spinscope eval`` are
byte-identical between the tree under test and the code before the refactor (``BASELINE``, a
commit of this repository, read with ``git archive``). When output changes on purpose, move
``BASELINE`` to the commit that made the change, and say why in that commit."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
# issue 14's multilingual tagger (4677a34): its only change to the sample's JSON against the
# previous baseline (a2a67f9, s8-labels after issue 15's "not sure" work) is the paragraph
# analyser's provenance ("multilingual_tagger": base, delta checksums, rule) and the new setting
# techniques_paragraphs.tagger (checked with diff; the English sample's findings are unchanged)
# s17-ingest's stories.encoder setting (41b3fe3, then its default e5 in 7bd286d): its only
# change to the sample's JSON is that setting in the recorded settings (checked with diff)
# s18-sec's ingest.max_feed_entries (16286a8): likewise only that setting (checked with diff)
# s18-deadline's batch.document_timeout_s (7934856): likewise only that setting (checked with diff)
# s19-serve's serve.header_timeout_s and serve.max_connections (ce79ceb): likewise only those two
# settings (checked with diff)
# s19-limits' ingest.max_html_elements, ingest.max_html_depth (c5b40b1) and analyze.timeout_s
# (54b5a9b): likewise only those settings (checked with diff)
# s19-lock's store.lock_wait_s (01b76e8, on main 5901001): likewise only that setting (checked
# with diff)
# (01b76e8 has all six s19 settings; its sample JSON equals 0e6eea9's but for store.lock_wait_s)
BASELINE = "01b76e8"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def baseline_src(tmp_path_factory) -> Path:
    """The baseline's ``src`` (the shipped models linked from this tree: the code is compared)."""
    out = tmp_path_factory.mktemp("baseline")
    archive = out / "src.tar"
    try:
        subprocess.run(
            ["git", "-C", str(REPO), "archive", "-o", str(archive), BASELINE, "src",
             ":(exclude)src/spinscope/models"],
            check=True, capture_output=True,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"baseline commit {BASELINE} not readable with git here: {exc}")
    with tarfile.open(archive) as tar:
        tar.extractall(out, filter="data")
    (out / "src/spinscope/models").symlink_to(REPO / "src/spinscope/models")
    return out / "src"


def spinscope(src: Path, *args: str) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(src), "SPINSCOPE_DATA": str(DATA)}
    run = subprocess.run(
        [sys.executable, "-m", "spinscope.cli.main", *args],
        cwd=REPO, env=env, capture_output=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    return run.stdout


def test_the_samples_json_is_byte_identical(baseline_src):
    args = ("analyze", "samples/sample-article.txt", "--json", "-", "--quiet")
    now = spinscope(REPO / "src", *args)
    assert b'"findings"' in now
    assert now == spinscope(baseline_src, *args)


@pytest.mark.skipif(not (DATA / "semeval2025-task10").is_dir(), reason="no ../shared/data")
def test_a_quick_eval_is_byte_identical(baseline_src):
    args = ("eval", "semeval25-st1", "--json")
    now = spinscope(REPO / "src", *args)
    assert b"EN" in now
    assert now == spinscope(baseline_src, *args)
