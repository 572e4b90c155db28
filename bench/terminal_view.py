"""Time of the terminal view alone (``spinscope.report.terminal.render_terminal``), the analysis
left out: each text is analysed once (or read from a ``--json`` result), then rendered ``--repeats``
times into an in-memory colour console, as ``spinscope analyze`` prints it on a terminal.

    python bench/terminal_view.py [TEXT_OR_RESULT.json ...] [--repeats 30] [--profile]

Prints the import time of the view (rich is already imported when a ``.txt`` is analysed
first: give ``.json`` results to include it), then, per text, the median and the best render
time in ms and the size of what was printed.
With ``--profile``, one cProfile of ``--repeats`` renders of the first text, top 25 by own time.
Compare two trees with ``PYTHONPATH=OLD/src`` and ``PYTHONPATH=src`` in one run of the machine.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from pathlib import Path
from typing import Any

DEFAULTS = ["samples/sample-article.txt", "../shared/examples/state-media-column.txt"]


def result_of(path: Path) -> dict[str, Any]:
    if path.suffix == ".json":
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    import spinscope

    return spinscope.analyze(path.read_text(encoding="utf-8")).to_dict()


def render_once(result: dict[str, Any]) -> tuple[float, int]:
    from rich.console import Console

    from spinscope.report.terminal import render_terminal

    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=True, color_system="truecolor")
    start = time.perf_counter()
    render_terminal(result, console)
    return time.perf_counter() - start, len(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULTS)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    results = [(p, result_of(Path(p))) for p in args.paths]
    start = time.perf_counter()
    import spinscope.report.terminal  # noqa: F401 -- what a cold start pays for the view

    print(f"import of the terminal view: {1000 * (time.perf_counter() - start):.1f} ms")
    first = render_once(results[0][1])[0]  # rich's first-use caches
    print(f"first render: {1000 * first:.1f} ms")
    if args.profile:
        import cProfile
        import pstats

        with cProfile.Profile() as prof:
            for _ in range(args.repeats):
                render_once(results[0][1])
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return
    for path, result in results:
        times, size = zip(*(render_once(result) for _ in range(args.repeats)), strict=True)
        print(
            f"{Path(path).name}: median {1000 * statistics.median(times):.2f} ms, "
            f"best {1000 * min(times):.2f} ms, {size[0]} chars printed"
        )


if __name__ == "__main__":
    main()
