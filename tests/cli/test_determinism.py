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


def test_every_model_in_the_record_carries_checksums(tmp_path):
    import json
    import re

    out = tmp_path / "r.json"
    assert main(["analyze", str(SAMPLE), "--json", str(out), "--quiet"]) == 0
    data = json.loads(out.read_text())
    assert re.fullmatch(r"[0-9a-f]{64}", data["input_sha256"]) and data["spinscope_version"]
    for model in data["models"]:
        found = re.findall(r'"([0-9a-f]{64})"', json.dumps(model))
        assert found and model["settings"], model["analyzer"]
    assert data["settings"]["pipeline.analyzers"]
