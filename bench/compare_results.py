"""Are `spinscope analyze --json` outputs byte-identical between two source trees?

Runs the CLI on each input with ``PYTHONPATH=<before>`` and with ``PYTHONPATH=<after>`` (each in
its own process) and compares the JSON files byte for byte, excluding nothing. Where two files
differ, prints the JSON paths whose values differ (so a new setting shows up as exactly one
``settings.<name>`` path). Exit status 0 when all are identical, 1 otherwise. Usage:

    python bench/compare_results.py --before /tmp/baseline/src --after src \
        samples/sample-article.txt ../shared/examples/state-media-column.txt [--set NAME=VALUE] \
        [--new-setting pipeline.max_chars]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def analyse(src: str, path: str, out: Path, overrides: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
    sets = [arg for o in overrides for arg in ("--set", o)]
    cmd = [sys.executable, "-c", "from spinscope.cli.main import main; raise SystemExit(main())"]
    cmd += ["analyze", path, "--json", str(out), "--quiet", *sets]
    subprocess.run(cmd, env=env, check=True)


def differences(a, b, path: str = "$") -> list[str]:
    """JSON paths where ``a`` and ``b`` differ (types included: 1 vs 1.0 differ)."""
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} vs {type(b).__name__}"]
    if isinstance(a, dict):
        out = [f"{path}.{k}: only {'before' if k in a else 'after'}" for k in a.keys() ^ b.keys()]
        shared = a.keys() & b.keys()
        return out + [p for k in shared for p in differences(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        pairs = enumerate(zip(a, b, strict=True))
        return [p for i, (x, y) in pairs for p in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r:.60} vs {b!r:.60}"]


def cli_bytes(data) -> bytes:
    """What `analyze --json` writes for ``data``."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def without_new(before: Path, after: Path, names: list[str]) -> bool:
    """Whether ``after`` is byte for byte ``before`` once the new settings are taken out of its
    settings block (and re-written as the CLI writes it, which reproduces ``before`` exactly)."""
    old, new = json.loads(before.read_text()), json.loads(after.read_text())
    if cli_bytes(old) != before.read_bytes() or not all(n in new["settings"] for n in names):
        return False
    for name in names:
        del new["settings"][name]
    return cli_bytes(new) == before.read_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--before", required=True, help="source tree (the folder with spinscope/)")
    parser.add_argument("--after", required=True)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument(
        "--new-setting",
        action="append",
        default=[],
        help="a setting only the after tree has: ignore it in the settings block (every other "
        "byte must match)",
    )
    args = parser.parse_args()
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        for k, path in enumerate(args.inputs):
            a, b = Path(tmp) / f"{k}.before.json", Path(tmp) / f"{k}.after.json"
            analyse(args.before, path, a, args.overrides)
            analyse(args.after, path, b, args.overrides)
            if a.read_bytes() == b.read_bytes():
                print(f"identical  {path} ({a.stat().st_size} bytes)")
                continue
            if args.new_setting and without_new(a, b, args.new_setting):
                print(f"identical  {path}, but for the new setting(s) {args.new_setting}")
                continue
            same = False
            diff = differences(json.loads(a.read_text()), json.loads(b.read_text()))
            print(f"DIFFERENT  {path}: {len(diff)} paths differ")
            for line in sorted(diff)[:20]:
                print("    " + line)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
