"""`spinscope batch` speed and memory over the 446 PTC train+dev articles, all analysers on: the
local engine with 1 and 2 worker processes, and Ray with 2 actors on this machine's CPUs; and how
the time grows from 100 to 446 articles (local, 1 process).

Each configuration runs `spinscope batch` in its own process on a fresh store; peak memory is
the largest sum over the whole process tree of resident (RSS) and of proportional (PSS) memory
(sampled every 0.2 s from /proc, so Linux only). Usage:

    python bench/batch_speed.py [--data ../shared/data] [--json] [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CONFIGS = {
    "local, 1 process": ["--workers", "1"],
    "local, 2 processes": ["--workers", "2"],
    "ray, 2 actors": ["--engine", "ray", "--workers", "2"],
}


def tree_memory_mb(root: int) -> tuple[float, float]:
    """Resident (RSS) and proportional (PSS) memory of ``root`` and all its descendants, in MiB.

    The RSS sum counts a page shared by several processes (libraries, Ray's object store) once
    per process; PSS divides it among them, so the PSS sum is what the run takes from the machine.
    """
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    family, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == pid and p not in family]
        family.update(kids)
        frontier += kids
    rss = pss = 0
    for pid in family:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def run(corpus: Path, extra: list[str], workdir: Path) -> dict:
    store = workdir / f"s{time.monotonic_ns()}.duckdb"
    cmd = [sys.executable, "-m", "spinscope.cli.main", "batch", str(corpus), "--store",
           str(store), "--quiet", "--json", *extra]  # fmt: skip
    env = {**os.environ, "RAY_ACCEPT_TOKEN_AUTH": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak = [0.0, 0.0]

    def sample() -> None:
        while proc.poll() is None:
            rss, pss = tree_memory_mb(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    start = time.perf_counter()
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0 or not out.strip():
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    summary = json.loads(out)
    return {"stored": summary["stored"], "wall_s": round(wall, 2),
            "articles_per_s": round(summary["stored"] / wall, 2),
            "peak_rss_mib": round(peak[0]), "peak_pss_mib": round(peak[1])}  # fmt: skip


def corpus_file(data: Path, n: int | None, folder: Path) -> Path:
    from spinscope.corpora.ptc import load_ptc

    arts = load_ptc(data / "ptc-semeval2020-task11", "train")
    arts += load_ptc(data / "ptc-semeval2020-task11", "dev")
    arts = arts[:n] if n else arts
    path = folder / f"ptc{len(arts)}.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for a in arts:
            fh.write(json.dumps({"text": a.text, "id": a.id}) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        full = corpus_file(args.data, None, work)
        runs: dict[str, list[dict]] = {c: [] for c in CONFIGS}
        for _ in range(args.repeats):  # interleaved, so drifts in machine load hit all alike
            for config, extra in CONFIGS.items():
                runs[config].append(run(full, extra, work))
        best = {c: max(r, key=lambda x: x["articles_per_s"]) for c, r in runs.items()}
        base = best["local, 1 process"]["articles_per_s"]
        scaling = {}
        for n in (100, 200):
            scaling[n] = run(corpus_file(args.data, n, work), [], work)
        scaling[best["local, 1 process"]["stored"]] = best["local, 1 process"]
    result = {
        "articles": best["local, 1 process"]["stored"],
        "configs": {
            c: {**b, "x_local_1": round(b["articles_per_s"] / base, 2)} for c, b in best.items()
        },  # fmt: skip
        "scaling_local_1": {
            str(n): {
                "wall_s": r["wall_s"],
                "ms_per_article": round(1000 * r["wall_s"] / r["stored"], 1),
            }
            for n, r in scaling.items()
        },  # fmt: skip
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    head = "| configuration | articles/s | x local, 1 process | peak RSS sum | peak PSS sum |"
    print(head + " (memory in MiB)")
    print("|---|---|---|---|---|")
    for c, b in result["configs"].items():
        print(f"| {c} | {b['articles_per_s']} | {b['x_local_1']} | {b['peak_rss_mib']} "
              f"| {b['peak_pss_mib']} |")  # fmt: skip
    print("\n| articles | wall s | ms per article |")
    print("|---|---|---|")
    for n, r in result["scaling_local_1"].items():
        print(f"| {n} | {r['wall_s']} | {r['ms_per_article']} |")


if __name__ == "__main__":
    main()
