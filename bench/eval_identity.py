"""Check that `spinscope eval` prints byte-identical output in two source trees (issue #19: the
task table must change nothing).

Runs every existing eval command (JSON and text, plus bad-input cases) with
``PYTHONPATH=<tree>/src`` and stores stdout, stderr and the exit code per command under
``--out/<label>/``; then compares the two labels byte for byte.

    python bench/eval_identity.py --tree /work/main --label before --out runs/eval_identity
    python bench/eval_identity.py --tree . --label after --out runs/eval_identity --compare before

Run from a tree's root with the shared data at ../shared/data (or $SPINSCOPE_DATA).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

DATA = os.environ.get("SPINSCOPE_DATA", str(Path("../shared/data").resolve()))
COMMANDS: list[list[str]] = [
    # bad input first (seconds): the same one-line message and exit code
    ["eval", "ptc", "--data", "/nonexistent"],
    ["eval", "semeval23-st3", "--data", "/nonexistent"],
    ["eval", "checkthat19", "--data", "/nonexistent"],
    ["eval", "claimbuster", "--data", "/nonexistent"],
    ["eval", "claimbuster", "--folds", "1"],
    ["eval", "semeval23-st1", "--data", "/nonexistent"],
    ["eval", "semeval25-st2", "--data", "/nonexistent"],
    ["eval", "ptc", "--set", "techniques.threshold=x"],
    ["eval", "nonsense"],
    # then the scores, cheapest first
    ["eval", "ptc", "--json"],
    ["eval", "checkthat20", "--json"],
    ["eval", "checkthat20"],
    ["eval", "semeval25-st2", "--json"],
    ["eval", "semeval25-st2"],
    ["eval", "semeval25-st1", "--json"],
    ["eval", "semeval23-st3", "--json"],
    ["eval", "semeval23-st3"],
    ["eval", "checkthat19", "--json"],
    ["eval", "checkthat19"],
    ["eval", "ptc"],
    ["eval", "semeval25-st1", "--lang", "BG"],
    ["eval", "semeval23-st1", "--json", "--folds", "2"],
    ["eval", "semeval23-st2", "--folds", "2"],
]


def name_of(cmd: list[str]) -> str:
    return "_".join(c.strip("-").replace("/", "") for c in cmd)[:80]


def run(tree: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "SPINSCOPE_DATA": DATA}
    for cmd in COMMANDS:
        if (out / name_of(cmd)).with_suffix(".rc").exists():
            continue  # done by an earlier, interrupted run
        proc = subprocess.run(
            [sys.executable, "-m", "spinscope.cli.main", *cmd],
            capture_output=True,
            env=env,
            cwd=tree,
        )
        stem = out / name_of(cmd)
        stem.with_suffix(".out").write_bytes(proc.stdout)
        stem.with_suffix(".err").write_bytes(proc.stderr)
        stem.with_suffix(".rc").write_text(str(proc.returncode))
        digest = hashlib.sha256(proc.stdout).hexdigest()[:12]
        print(f"{' '.join(cmd):60s} rc {proc.returncode} stdout {digest}", flush=True)


def compare(a: Path, b: Path) -> int:
    differ = 0
    for cmd in COMMANDS:
        for suffix in (".out", ".err", ".rc"):
            pa, pb = (a / name_of(cmd)).with_suffix(suffix), (b / name_of(cmd)).with_suffix(suffix)
            if not pa.exists() or not pb.exists():
                print(f"MISSING {pa if not pa.exists() else pb}")
                differ += 1
            elif pa.read_bytes() != pb.read_bytes():
                print(f"DIFFERS {' '.join(cmd)} {suffix}")
                differ += 1
    print(f"{len(COMMANDS)} commands compared (stdout, stderr, exit code): {differ} differences")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--out", type=Path, default=Path("runs/eval_identity"))
    parser.add_argument("--compare", help="label of an earlier run to compare with")
    parser.add_argument("--skip-run", action="store_true", help="only compare")
    args = parser.parse_args()
    if not args.skip_run:
        run(args.tree.resolve(), args.out / args.label)
    return compare(args.out / args.compare, args.out / args.label) if args.compare else 0


if __name__ == "__main__":
    sys.exit(main())
