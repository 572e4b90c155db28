"""What an export of the store's findings costs (``spinscope export --format csv|parquet``):
``exports.copy_to`` as it is (the select runs once: DuckDB's COPY answers the row count) against
the earlier version (COPY, then ``SELECT count(*)`` over the same select), in one run.

A store of ``--docs`` synthetic results (``store_open_write.results``: ~300 words, 6 findings
each; no model runs) is written to a temporary folder; each variant exports the findings rows
``--repeats`` times, in turns; medians are reported.

    python bench/export_speed.py [--docs 5000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_open_write import ROOT, results  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))

from spinscope.store import Store  # noqa: E402
from spinscope.store.csv_cells import guarded_select  # noqa: E402
from spinscope.store.exports import FINDING_ROWS, copy_to  # noqa: E402


def copy_twice(store: Store, select: str, out: Path, fmt: str) -> int:
    """``copy_to`` before: COPY, then a count of the same select."""
    options = "FORMAT parquet" if fmt == "parquet" else "HEADER, DELIMITER ','"
    rows = select if fmt == "parquet" else guarded_select(store.con, select)
    store.con.execute(f"COPY ({rows}) TO '{out}' ({options})")
    return int(store.con.execute(f"SELECT count(*) FROM ({select})").fetchone()[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.duckdb") as store:
        data = results(args.docs)
        for k in range(0, len(data), 500):
            store.write(data[k : k + 500])
        for fmt in ("csv", "parquet"):
            times: dict[str, list[float]] = {"before": [], "after": []}
            for r in range(args.repeats):
                order = [("before", copy_twice), ("after", copy_to)]
                for name, fn in order if r % 2 else order[::-1]:
                    start = time.perf_counter()
                    n = fn(store, FINDING_ROWS, Path(tmp) / f"{name}.{fmt}", fmt)
                    times[name].append(time.perf_counter() - start)
            before, after = (statistics.median(times[k]) for k in ("before", "after"))
            print(
                f"{fmt}: {n} rows from {args.docs} documents; median of {args.repeats}: "
                f"before {before:.3f} s, after {after:.3f} s, after/before {after / before:.2f}"
            )


if __name__ == "__main__":
    main()
