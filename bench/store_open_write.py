"""What the store's safety checks cost (issue #16): opening a store and writing N results with
the current ``spinscope.store.db`` against the one of an earlier commit, in one run.

"After" checks the file's header (the DuckDB magic), connects with extension install/load off
and the configuration locked, checks every table and column, and wraps each transaction so a
failure is one line with its cause. "Before" is ``store/db.py`` as it was at ``--before``
(read with ``git show``), loaded as a module beside the current one; both write the same
synthetic results (no model runs) to fresh files in a temporary folder. The two are timed in
turns (each first every other round), ``--repeats`` times each; medians are reported, and their
ratio (after / before).

    python bench/store_open_write.py [--before 1d2d152] [--docs 400] [--batch 8] [--repeats 7]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spinscope.model.document import AnalysisResult, Document, Finding  # noqa: E402
from spinscope.store import db as after_db  # noqa: E402

WORDS = "the minister said critics warned of a disaster while families will pay again".split()


def old_module(rev: str, folder: Path):
    """``store/db.py`` at ``rev``, imported as a module of its own."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:src/spinscope/store/db.py"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    path = folder / "before_db.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("before_db", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def results(n: int) -> list[AnalysisResult]:
    """``n`` distinct documents of about 300 words, each with 6 technique findings."""
    out = []
    for k in range(n):
        text = " ".join(WORDS[(k * 7 + j) % len(WORDS)] for j in range(300)) + f" Story {k}."
        findings = [
            Finding(i * 40, i * 40 + 20, text[i * 40 : i * 40 + 20], "Loaded_Language",
                    "semeval2023", "Manipulative wording", 0.7, "why", "techniques")
            for i in range(6)
        ]  # fmt: skip
        meta = {"url": f"https://news.example/{k}", "date": "2024-03-01", "outlet": "Daily"}
        out.append(AnalysisResult(Document(text, f"Story {k}", meta), findings))
    return out


def time_open(module, path: Path) -> float:
    start = time.perf_counter()
    store = module.Store(path)
    store.close()
    return time.perf_counter() - start


def time_write(module, path: Path, data: list[AnalysisResult], batch: int) -> float:
    start = time.perf_counter()
    with module.Store(path) as store:
        for k in range(0, len(data), batch):
            store.write(data[k : k + batch])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="1d2d152", help="commit of the 'before' store/db.py")
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = results(args.docs)
    times: dict[str, dict[str, list[float]]] = {
        side: {"create": [], "open": [], "write": []} for side in ("before", "after")
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sides = {"before": old_module(args.before, folder), "after": after_db}
        for r in range(args.repeats):
            order = list(sides.items()) if r % 2 == 0 else list(sides.items())[::-1]
            for side, module in order:  # in turns, each side first every other round
                new = folder / f"{side}-{r}-new.duckdb"
                times[side]["create"].append(time_open(module, new))
                full = folder / f"{side}-{r}-full.duckdb"
                times[side]["write"].append(time_write(module, full, data, args.batch))
                times[side]["open"].append(time_open(module, full))
    report = {"docs": args.docs, "batch": args.batch, "repeats": args.repeats, "rows": []}
    for step in ("create", "open", "write"):
        before = statistics.median(times["before"][step])
        after = statistics.median(times["after"][step])
        report["rows"].append(
            {"step": step, "before_ms": round(before * 1000, 2),
             "after_ms": round(after * 1000, 2), "ratio": round(after / before, 3)}
        )  # fmt: skip
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(f"{args.docs} documents, batches of {args.batch}, median of {args.repeats} runs")
    print("| step | before (ms) | after (ms) | after / before |")
    print("|---|---|---|---|")
    for row in report["rows"]:
        print(f"| {row['step']} | {row['before_ms']} | {row['after_ms']} | {row['ratio']} |")


if __name__ == "__main__":
    main()
