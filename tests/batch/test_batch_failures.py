"""Issue #16 item 7: a run that stops on a store error says why in one line, and its worker
processes leave no semaphore behind ("resource_tracker: ... leaked semaphore objects")."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .test_batch import article, corpus

LEAKED = "leaked semaphore"


def run_python(script: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("analyzers", ["framing", "techniques,claims,framing"])
def test_a_worker_makes_no_process_lock(analyzers):
    # What a worker process does, in a fresh interpreter: set up, analyse a batch. Nothing it
    # makes may be a named semaphore (registered with the resource tracker), since a worker
    # ended by Pool.terminate() never unlinks it. Issue 17 saw the warning after a run with the
    # default analysers, so they are checked too, not only framing.
    out = run_python(
        """
        import multiprocessing
        import sys
        from multiprocessing import resource_tracker
        multiprocessing.set_start_method("spawn")  # as in a worker: semaphores are registered
        registered = []
        resource_tracker.register = lambda name, rtype: registered.append(rtype)

        from spinscope.batch.engines import _init_worker, _work
        from spinscope.ingest.text import from_text
        from spinscope.settings import load_settings

        _init_worker(load_settings({"pipeline.analyzers": sys.argv[1]}), 1)
        doc = from_text("The minister said that critics warned of a disaster. Exports fell 12%.")
        assert _work([doc.to_dict()])[0][0] == "ok"
        print(registered)
        """,
        analyzers,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_worker_pool_stopped_early_leaves_no_semaphore():
    # The caller stops after the first batch, as run_batch does when storing fails. The workers
    # are terminated; before the fix each one that had analysed a batch held tqdm's
    # multiprocessing lock (made by model2vec's progress bar) and left it to the tracker.
    out = run_python(
        """
        from spinscope.batch.engines import local_engine
        from spinscope.ingest.text import from_text
        from spinscope.settings import load_settings

        text = "In report {} the minister said that critics warned of a disaster."
        batches = iter([[from_text(text.format(k)).to_dict()] for k in range(6)])
        settings = load_settings({"pipeline.analyzers": "framing"})
        outcomes = local_engine(batches, settings, workers=2)
        assert next(outcomes)[0][0] == "ok"
        outcomes.close()
        print("closed")
        """
    )
    assert out.returncode == 0 and out.stdout.strip() == "closed", out.stderr
    assert LEAKED not in out.stderr


@pytest.mark.slow
def test_a_full_disk_stops_a_worker_run_in_one_line_without_leaks(tmp_path: Path):
    docs = corpus(tmp_path / "in", 4)
    store = tmp_path / "s.duckdb"
    script = """
        import sys
        import duckdb
        from spinscope.cli.main import main
        from spinscope.store import Store

        args = ["batch", sys.argv[1], "--store", sys.argv[2], "--workers", "2",
                "--batch-size", "1", "--set", "pipeline.analyzers=framing"]
        if sys.argv[3] == "full":
            def full(self, table, rows, chunk=256):
                raise duckdb.IOException('IO Error: Could not write file "x": '
                                         "No space left on device")
            Store._insert = full
        sys.exit(main(args))
        """
    ok = run_python(script, str(docs), str(store), "ok")
    assert ok.returncode == 0, ok.stderr
    assert "4 stored" in ok.stderr and LEAKED not in ok.stderr
    full = run_python(script, str(docs), str(tmp_path / "t.duckdb"), "full")
    assert full.returncode == 1, full.stderr
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("spinscope: error: Cannot write to the store")
    assert "the disk is full" in lines[0] and "No space left on device" in lines[0]


@pytest.fixture
def crashing_workers(monkeypatch):
    """Worker processes that die on a document containing ``CRASH`` (worker_crash_fixtures)."""
    import worker_crash_fixtures as fixtures
    from spinscope.batch import engines

    monkeypatch.setattr(engines, "_init_pool_worker", fixtures.init)
    monkeypatch.setattr(engines, "_work", fixtures.work)
    return fixtures.CRASH


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_that_kills_its_worker_is_a_failure_and_the_run_goes_on(
    tmp_path, crashing_workers, workers
):
    # the run stopped at the same document on every rerun: "A batch worker process ended
    # unexpectedly"; now the documents of the batches in flight are tried again one at a time in
    # a worker of their own, and the one that kills that worker too is recorded. With one worker
    # the analysis ran in the main process, and such a document ended the whole run.
    from spinscope.batch import run_batch
    from spinscope.settings import load_settings
    from spinscope.store import Store

    docs = corpus(tmp_path / "in", 9)
    (docs / "a004.txt").write_text(article(4) + " " + crashing_workers, encoding="utf-8")
    store = tmp_path / "s.duckdb"
    settings = load_settings({"pipeline.analyzers": "framing"})
    summary = run_batch([str(docs)], str(store), settings, workers=workers, batch_size=2)
    assert (summary.stored, summary.failed) == (8, 1)
    assert summary.failures_by_stage == {"analyse": 1}
    with Store(store, read_only=True) as s:
        ((item, reason),) = s.query("SELECT item, reason FROM failures")
    assert item.endswith("a004.txt") and "worker process died" in reason
    again = run_batch([str(docs)], str(store), settings, workers=workers, batch_size=2)
    assert (again.stored, again.duplicates, again.failed) == (0, 8, 1)  # retried, and recorded


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_that_die_on_every_document_end_the_run_in_one_line(crashing_workers, workers):
    # a worker that dies whatever it is given (no memory, a broken install) is not the
    # documents' fault: the run ends, bounded, instead of recording every document as a failure
    from spinscope.batch.engines import local_engine
    from spinscope.errors import SpinscopeError

    batches = ([{"text": f"{article(k)} {crashing_workers}"}] for k in range(20))
    with pytest.raises(SpinscopeError, match="^A batch worker process ended unexpectedly"):
        for _ in local_engine(batches, {}, workers=workers):
            pass


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_past_the_deadline_is_a_failure_and_the_run_goes_on(
    tmp_path, crashing_workers, workers
):
    # a document whose analysis never ends (a hostile page) held its worker, and the run, for
    # ever; now its batch's worker is killed at batch.document_timeout_s, the batch's other
    # document is analysed again alone, and the slow one is a failure record that says why
    import time

    from spinscope.batch import run_batch
    from spinscope.settings import load_settings
    from spinscope.store import Store
    from worker_crash_fixtures import SLOW

    docs = corpus(tmp_path / "in", 5)
    (docs / "a002.txt").write_text(article(2) + " " + SLOW, encoding="utf-8")
    store = tmp_path / "s.duckdb"
    settings = load_settings({"pipeline.analyzers": "framing", "batch.document_timeout_s": 3.0})
    started = time.monotonic()
    summary = run_batch([str(docs)], str(store), settings, workers=workers, batch_size=2)
    assert time.monotonic() - started < 120
    assert (summary.stored, summary.failed) == (4, 1)
    assert summary.failures_by_stage == {"analyse": 1}
    with Store(store, read_only=True) as s:
        ((item, reason),) = s.query("SELECT item, reason FROM failures")
        stored = sorted(row[0] for row in s.query("SELECT text FROM documents"))
    assert item.endswith("a002.txt") and reason.startswith("took longer than 3 s"), reason
    assert len(stored) == 4 and not any(SLOW in text for text in stored)


RAY_CRASHES = """
import sys
import worker_crash_fixtures as fixtures
from spinscope.batch import ray_engine, run_batch
from spinscope.errors import SpinscopeError
from spinscope.settings import load_settings

ray_engine._RayWorker = fixtures.RayWorker  # found by name in the actors (PYTHONPATH)
settings = load_settings({"pipeline.analyzers": "framing"})
summary = run_batch([sys.argv[1]], sys.argv[2], settings, engine="ray", workers=2, batch_size=2)
print("SUMMARY", summary.stored, summary.failed, summary.examples)
batches = ([{"text": f"text {k} {fixtures.CRASH}"}] for k in range(20))
try:
    list(ray_engine.ray_engine(batches, {}, workers=1))
except SpinscopeError as exc:
    print("ENDED", exc)
"""


@pytest.mark.slow
def test_a_document_that_kills_its_ray_actor_is_a_failure_and_the_run_goes_on(tmp_path):
    # the actor's death (RayActorError) ended the run; now, as in the local engine, its
    # documents are analysed again alone in a fresh actor, and one that kills that too is
    # recorded; actors that die on every document end the run in one line
    pytest.importorskip("ray", reason="needs the [ray] extra")
    from worker_crash_fixtures import CRASH

    docs = corpus(tmp_path / "in", 9)
    (docs / "a004.txt").write_text(article(4) + " " + CRASH, encoding="utf-8")
    done = run_python(RAY_CRASHES, str(docs), str(tmp_path / "s.duckdb"))
    assert done.returncode == 0, done.stderr[-3000:]
    lines = {line.split(" ", 1)[0]: line for line in done.stdout.splitlines()}  # Ray logs too
    summary, ended = lines["SUMMARY"], lines["ENDED"].removeprefix("ENDED ")
    assert summary.startswith("SUMMARY 8 1 [") and "a004.txt" in summary, summary
    assert "worker process died" in summary
    assert ended.startswith("A Ray actor died on 3 documents in a row"), ended


RAY_SLOW = """
import sys
import worker_crash_fixtures as fixtures
from spinscope.batch import ray_engine, run_batch
from spinscope.settings import load_settings

ray_engine._RayWorker = fixtures.RayWorker  # found by name in the actors (PYTHONPATH)
settings = load_settings({"pipeline.analyzers": "framing", "batch.document_timeout_s": 3.0})
summary = run_batch([sys.argv[1]], sys.argv[2], settings, engine="ray", workers=2, batch_size=2)
print("SUMMARY", summary.stored, summary.failed, summary.examples)
"""


@pytest.mark.slow
def test_a_document_past_the_deadline_on_a_ray_actor_is_a_failure_and_the_run_goes_on(tmp_path):
    # as in the local engine: the actor past batch.document_timeout_s is killed, its batches'
    # documents are analysed again alone, and the slow one is recorded
    pytest.importorskip("ray", reason="needs the [ray] extra")
    from worker_crash_fixtures import SLOW

    docs = corpus(tmp_path / "in", 5)
    (docs / "a002.txt").write_text(article(2) + " " + SLOW, encoding="utf-8")
    done = run_python(RAY_SLOW, str(docs), str(tmp_path / "s.duckdb"))
    assert done.returncode == 0, done.stderr[-3000:]
    lines = {line.split(" ", 1)[0]: line for line in done.stdout.splitlines()}  # Ray logs too
    summary = lines["SUMMARY"]
    assert summary.startswith("SUMMARY 4 1 [") and "a002.txt" in summary, summary
    assert "took longer than 3 s" in summary
