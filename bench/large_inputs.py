"""Time and peak memory of one large text through the full pipeline (issue #16, item 6).

Inputs, built deterministically:

* ``250k`` / ``1m``: a news text of about 250,000 / 1,000,000 characters, made of the paragraphs
  of real articles (``samples/``, ``../shared/examples/`` and, where present, the PTC dev and
  train articles in ``../shared/data``: about 2 MB, so that nothing repeats below that), in a
  fixed order, repeated only where they run out;
* ``100k-paragraphs``: 100,000 short paragraphs ("Item 1 is here." ...), 2,088,889 characters
  (refused by the default ``pipeline.max_chars``); ``25k-paragraphs`` the first 25,000 of them;
* ``4m``: the news text at about 4,000,000 characters (refused by ``pipeline.max_chars``
  unless it is raised; ``--set pipeline.max_chars=5000000`` to time it).

Each input runs in its own child process with ``PYTHONPATH`` set to a source tree, so that one
run can time the code before and after a change (``--src`` twice); the child loads the models
on a short text first, then times ``Pipeline.run`` on the large one, and reports its own peak
RSS (``ru_maxrss``: models included). A child past ``--timeout`` seconds is killed and reported
so; ``cpu_s`` is the child's CPU time (user + system) over the timed run, which a busy machine
inflates less than the wall time. ``--parallel`` runs the trees at the same time, so that each
sees the same load. Usage:

    python bench/large_inputs.py --src /tmp/baseline/src --src src [--inputs 250k,1m] \
        [--timeout 600] [--set NAME=VALUE] [--profile FILE] [--parallel]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"200k": 200_000, "250k": 250_000, "1m": 1_000_000, "4m": 4_000_000}


def news_paragraphs(data: Path) -> list[str]:
    """Paragraphs of real news texts, in a fixed order."""
    files = [ROOT / "samples" / "sample-article.txt"]
    files += sorted((ROOT.parent / "shared" / "examples").glob("*.txt"))
    for part in ("dev-articles", "train-articles"):  # 2 MB of distinct news, where present
        files += sorted((data / "ptc-semeval2020-task11" / part).glob("*.txt"))
    out = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        out += [p.strip() for p in text.split("\n") if len(p.split()) >= 3]
    return out


def build(name: str, data: Path) -> str:
    """The input called ``name`` (see the module docstring)."""
    if name.endswith("k-paragraphs"):
        count = int(name.split("k-")[0]) * 1000
        return "\n\n".join(f"Item {k} is here." for k in range(count)) + "\n"
    paragraphs, size = news_paragraphs(data), SIZES[name]
    out, total, k = [], 0, 0
    while total < size:
        p = paragraphs[k % len(paragraphs)]
        out.append(p)
        total += len(p) + 2
        k += 1
    return "\n\n".join(out)[:size].rsplit(" ", 1)[0] + ".\n"


def child(path: str, overrides: list[str], profile: str | None) -> None:
    """In the child: analyse the text at ``path``, print one JSON line."""
    import resource

    from spinscope.analysis.pipeline import Pipeline
    from spinscope.errors import SpinscopeError
    from spinscope.ingest import from_text
    from spinscope.settings import load_settings, parse_override

    settings = load_settings(dict(parse_override(o) for o in overrides))
    pipeline = Pipeline(settings)
    pipeline.run([from_text("Warm-up: the minister said exports fell 12% in 2023.")])
    text = Path(path).read_text(encoding="utf-8")
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = used.ru_utime + used.ru_stime
    start = time.perf_counter()
    outcome = "ok"
    try:
        if profile:
            import cProfile

            cProfile.runctx("pipeline.run([from_text(text)])", globals(), locals(), profile)
            outcome = "ok (profiled)"
        else:
            result = pipeline.run([from_text(text)])[0]
            outcome = f"ok: {len(result.findings)} findings, {len(result.claims)} claims"
    except SpinscopeError as exc:
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - start
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = used.ru_utime + used.ru_stime - cpu_before
    row = {"seconds": round(seconds, 1), "cpu_s": round(cpu, 1),
           "peak_rss_mb": round(used.ru_maxrss / 1024), "outcome": outcome}  # fmt: skip
    print(json.dumps(row))


def run_one(src: str, path: Path, args) -> dict:
    env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
    cmd = [sys.executable, __file__, "--child", str(path)]
    cmd += [a for o in args.overrides for a in ("--set", o)]
    cmd += ["--profile", args.profile] if args.profile else []
    start = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=args.timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "peak_rss_mb": None, "outcome": f"killed at {args.timeout} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        tail = done.stderr.strip().splitlines()[-1:] or ["?"]
        return {"seconds": None, "peak_rss_mb": None, "outcome": f"failed: {tail[0]}"}
    return {**json.loads(lines[-1]), "wall_s": round(time.perf_counter() - start, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", action="append", help="source tree(s) to time, in turn")
    parser.add_argument("--inputs", default="250k,1m,100k-paragraphs")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--profile", help="write a cProfile of the timed run here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path, help="write the inputs into this folder")
    parser.add_argument(
        "--parallel", action="store_true", help="run the source trees at the same time"
    )
    args = parser.parse_args()
    if args.child:
        child(args.child, args.overrides, args.profile)
        return 0
    folder = args.keep or Path(os.environ.get("TMPDIR", "/tmp")) / "spinscope-large-inputs"
    folder.mkdir(parents=True, exist_ok=True)
    for name in args.inputs.split(","):
        path = folder / f"{name}.txt"
        path.write_text(build(name, args.data), encoding="utf-8")
        srcs = args.src or [str(ROOT / "src")]
        if args.parallel:  # every tree at once: the same load on each (a busy machine)
            with ThreadPoolExecutor(len(srcs)) as pool:
                outcomes = list(pool.map(lambda src, p=path: run_one(src, p, args), srcs))
        else:
            outcomes = [run_one(src, path, args) for src in srcs]
        for src, outcome in zip(srcs, outcomes, strict=True):
            row = {"input": name, "chars": len(path.read_text(encoding="utf-8")), "src": src}
            print(json.dumps({**row, **outcome}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
