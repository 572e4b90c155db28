"""What `spinscope serve --store` pays for letting `spinscope batch` write to its store between
requests, against holding one connection for its whole life (as before), in one run.

A store of ``--docs`` synthetic results (``store_open_write.results``: ~300 words, 6 findings
each; no model runs) is written to a temporary folder. "open" is ``Store(path, read_only=True)``
opened and closed with nothing in between (and read-write, as storing an analysis does). Each
route is then requested through the app (FastAPI's TestClient, in-process) in three ways, in
blocks of 5 requests taken in turns, ``--repeats`` requests each; medians:
"held": ``service.db`` replaced by one read-only connection held throughout (as before);
"per-request": ``StoreLease`` with ``idle_s=0`` (the file opened and closed per request);
"lease": ``StoreLease`` as shipped (``STORE_IDLE_S``: kept open while requests come less than that
apart; these do, so this is the cost of a burst of requests, such as a page and its charts).
Last, how long a writer in another process (``Store(path, wait_s=10)``, as `spinscope batch`
opens it) waits when started right after a request, three times.

    python bench/serve_store_open.py [--docs 1000] [--repeats 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_open_write import ROOT, results  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from fastapi.testclient import TestClient  # noqa: E402

from api.stand_ins import SlowPipeline  # noqa: E402
from spinscope.api import create_app  # noqa: E402
from spinscope.settings import load_settings  # noqa: E402
from spinscope.store import Store  # noqa: E402


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


@contextmanager
def held(service, path: Path) -> Iterator[None]:
    """``service.db`` as before: one read-only connection for the life of the block (and only
    then: a connection left open would make every open in this process free, a DuckDB instance
    being shared by the connections of one process)."""
    store = Store(path, read_only=True)
    per_request = service.db

    @contextmanager
    def db(*, write: bool = False) -> Iterator[Store]:
        with service.lock:
            yield store

    service.db = db
    try:
        yield
    finally:
        service.db = per_request
        store.close()


MODES = ("held", "per-request", "lease")
# a writer as `spinscope batch` opens the store: prints how long the open waited
WRITER = (
    "import sys, time; from spinscope.store import Store; t = time.monotonic(); "
    "Store(sys.argv[1], wait_s=10).close(); print(f'{time.monotonic() - t:.2f}')"
)


def time_route(client: TestClient, service, path: Path, route: str, repeats: int) -> list[float]:
    """Median ms of ``route`` in each of ``MODES``, in blocks of 5 requests taken in turns."""
    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    shipped = service.lease.idle_s
    for r in range(max(repeats // 5, 1)):
        for mode in MODES[r % 3 :] + MODES[: r % 3]:
            service.lease.idle_s = 0.0 if mode == "per-request" else shipped
            service.lease.release()
            with held(service, path) if mode == "held" else nullcontext():
                for _ in range(5):
                    times[mode].append(median_ms(lambda: client.get(route), 1))
    service.lease.idle_s = shipped
    return [statistics.median(times[mode]) for mode in MODES]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.duckdb"
        data = results(args.docs)
        with Store(path) as store:
            for k in range(0, len(data), 500):
                store.write(data[k : k + 500])
        size_mb = path.stat().st_size / 1e6
        print(f"{args.docs} documents ({size_mb:.1f} MB store), median of {args.repeats}")
        for mode in (True, False):
            ms = median_ms(lambda m=mode: Store(path, read_only=m).close(), args.repeats)
            print(f"open + close, {'read-only' if mode else 'read-write'}: {ms:.1f} ms")
        app = create_app(load_settings(), path, pipeline=SlowPipeline())
        service = app.state.service
        doc_id = data[0].doc.id
        print("| route | held (ms) | per-request (ms) | lease, a burst (ms) |")
        print("|---|---|---|---|")
        with TestClient(app) as client:
            for route in ("/api/documents/{id}", "/api/stories", "/corpus"):
                url = route.format(id=doc_id)
                ms = time_route(client, service, path, url, args.repeats)
                print(f"| `GET {route}` | " + " | ".join(f"{m:.1f}" for m in ms) + " |")
            env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
            waits = []
            for _ in range(3):
                client.get("/api/stories")
                run = [sys.executable, "-c", WRITER, str(path)]
                waits.append(subprocess.run(run, env=env, capture_output=True, text=True,
                                            check=True).stdout.strip())  # fmt: skip
            print(f"a writer started right after a request waited (s): {', '.join(waits)}")


if __name__ == "__main__":
    main()
