"""How late ``analyze.timeout_s`` stops a cold run (one that loads the models): in a fresh
process, builds the default pipeline, runs it on the sample article under a 0.5 s bound
(``analysis.time_limit``), prints what came out and after how many seconds, then how long an
unbounded second run of the same pipeline takes. Usage: ``python bench/analyze_timeout_lag.py``
(run it several times: each run must be a fresh process)."""

from __future__ import annotations

import time

from spinscope.analysis.pipeline import Pipeline
from spinscope.analysis.time_limit import time_limit
from spinscope.ingest import read_path
from spinscope.settings import load_settings


def main() -> None:
    doc = read_path("samples/sample-article.txt")
    pipeline = Pipeline.for_settings(load_settings())
    started = time.monotonic()
    try:
        with time_limit(0.5, "The analysis"):
            pipeline.run([doc])
        outcome = "done"
    except Exception as exc:  # noqa: BLE001 -- what came out is the measurement
        outcome = type(exc).__name__
    print(outcome, round(time.monotonic() - started, 2))
    started = time.monotonic()
    pipeline.run([doc])
    print("next run completes", round(time.monotonic() - started, 2))


if __name__ == "__main__":
    main()
