"""Two runs with the same input and settings write byte-identical JSON (issue #7)."""

from pathlib import Path

from spinscope.cli.main import main

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sample-article.txt"


def test_two_runs_write_the_same_bytes(tmp_path):
    outs = []
    for k in range(2):
        out = tmp_path / f"r{k}.json"
        assert main(["analyze", str(SAMPLE), "--json", str(out), "--quiet"]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and b'"input_sha256"' in outs[0]
