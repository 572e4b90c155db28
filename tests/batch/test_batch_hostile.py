"""Issue #16: no corpus run is lost to one line. Every bad record, every exception from analysing
or storing one document, becomes a failure record (stage ingest, analyse or store); the run goes
on, exits 4, and a rerun records the same lines again. Only the store itself failing (a full disk)
ends the run."""

from __future__ import annotations

import json
import os

import duckdb
import pytest

from hostile_fixtures import TRIGGERS, StubPipeline, article, valid_line
from spinscope.batch import EXIT_PARTIAL as BATCH_EXIT_PARTIAL
from spinscope.batch import run_batch
from spinscope.cli.main import EXIT_PARTIAL, main
from spinscope.model.document import AnalysisResult, Finding
from spinscope.settings import load_settings
from spinscope.store import Store

SETTINGS = load_settings({})
LONG_SENTENCE = "Exports fell 12% in 2023 and imports rose 5% in 2024, " * 25 + "the minister said."


@pytest.fixture
def stub(monkeypatch, in_process):
    """The stand-in pipeline (numpy offsets, microseconds per document) in the local engine."""
    import spinscope.analysis.pipeline as pipeline

    monkeypatch.setattr(pipeline, "Pipeline", StubPipeline)
    return StubPipeline


def failures(store) -> list[tuple]:
    with Store(store, read_only=True) as s:
        return s.query("SELECT item, stage, reason FROM failures ORDER BY failed_at, item")


def test_exit_partial_is_one_code():
    assert EXIT_PARTIAL == BATCH_EXIT_PARTIAL == 4


def test_the_issue_lines_are_failures_the_run_goes_on_and_a_rerun_records_them_again(
    tmp_path, stub, capsys
):
    lines = [valid_line(0)]
    for k, line in enumerate(TRIGGERS.values(), start=1):
        lines += [line, valid_line(k)]
    lines.append(json.dumps({"text": LONG_SENTENCE}))
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = str(tmp_path / "s.duckdb")
    args = ["batch", str(path), "--store", store, "--batch-size", "3", "--json"]
    assert main(args) == EXIT_PARTIAL
    out = capsys.readouterr()
    summary = json.loads(out.out)
    assert "Traceback" not in out.err
    valid = len(lines) - len(TRIGGERS)
    assert (summary["read"], summary["stored"], summary["failed"]) == (len(lines), valid, 5)
    assert summary["stored"] + summary["duplicates"] + summary["failed"] == len(lines)
    bad_lines = [f"{path}, line {2 * k}" for k in range(1, len(TRIGGERS) + 1)]
    assert sorted(f[0] for f in failures(store)) == sorted(bad_lines)
    assert {f[1] for f in failures(store)} == {"ingest"}
    assert main(args) == EXIT_PARTIAL  # the rerun: nothing new, the same lines recorded again
    again = json.loads(capsys.readouterr().out)
    assert (again["stored"], again["duplicates"], again["failed"]) == (0, valid, 5)
    assert len(failures(store)) == 10


def test_numpy_values_in_results_are_stored(tmp_path, stub):
    path = tmp_path / "c.jsonl"
    path.write_text(f"{valid_line(1)}\n{valid_line(2)}\n", encoding="utf-8")
    summary = run_batch([str(path)], str(tmp_path / "s.duckdb"), SETTINGS)
    assert (summary.stored, summary.failed) == (2, 0)
    with Store(tmp_path / "s.duckdb", read_only=True) as s:
        (result, _) = s.results()
        assert result.findings[0].end == result.doc.text.index(" ")
        assert isinstance(result.findings[0].end, int)


class _Unserialisable(StubPipeline):
    """A pipeline whose result for "ODD" texts holds a value no JSON encoder takes."""

    def run(self, docs):
        out = super().run(docs)
        return [
            AnalysisResult(doc=r.doc, findings=[Finding(**{**r.findings[0].__dict__,
                                                            "confidence": object()})])
            if "ODD" in r.doc.text else r
            for r in out
        ]  # fmt: skip


def test_any_exception_from_one_documents_analysis_is_its_failure(
    tmp_path, monkeypatch, in_process
):
    import spinscope.analysis.pipeline as pipeline

    monkeypatch.setattr(pipeline, "Pipeline", _Unserialisable)
    path = tmp_path / "c.jsonl"
    texts = [article(1), article(2) + " ODD", article(3) + " BOOM", article(4)]
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    summary = run_batch([str(path)], str(tmp_path / "s.duckdb"), SETTINGS, batch_size=4)
    assert (summary.stored, summary.failed) == (2, 2)
    assert summary.failures_by_stage == {"analyse": 2}
    reasons = {f[0].rsplit(" ", 1)[1]: f[2] for f in failures(tmp_path / "s.duckdb")}
    assert reasons["2"].startswith("TypeError: Object of type object is not JSON serializable")
    assert reasons["3"] == "RuntimeError: analyser exploded"


def test_a_document_the_store_refuses_is_a_store_failure_and_its_batch_is_kept(
    tmp_path, stub, monkeypatch
):
    real = Store.write

    def write(self, results, **kw):
        if any("POISON" in r.doc.text for r in results):
            raise duckdb.ConversionException("Conversion Error: could not convert")
        return real(self, results, **kw)

    monkeypatch.setattr(Store, "write", write)
    path = tmp_path / "c.jsonl"
    texts = [article(1), article(2) + " POISON", article(3), "not json"]
    path.write_text(
        "".join((json.dumps({"text": t}) if t != "not json" else t) + "\n" for t in texts)
    )
    summary = run_batch([str(path)], str(tmp_path / "s.duckdb"), SETTINGS, batch_size=8)
    assert (summary.stored, summary.failed) == (2, 2)
    assert summary.failures_by_stage == {"ingest": 1, "store": 1}
    got = {f[0].rsplit(" ", 1)[1]: (f[1], f[2]) for f in failures(tmp_path / "s.duckdb")}
    assert got["2"] == ("store", "ConversionException: Conversion Error: could not convert")
    assert got["4"][0] == "ingest"
    with Store(tmp_path / "s.duckdb", read_only=True) as s:
        assert s.count("documents") == 2


def test_a_full_disk_ends_the_run_instead_of_failing_every_document(tmp_path, stub, monkeypatch):
    def write(self, results, **kw):
        if results:
            raise duckdb.IOException("Could not write file: No space left on device")
        return 0

    monkeypatch.setattr(Store, "write", write)
    path = tmp_path / "c.jsonl"
    path.write_text(f"{valid_line(1)}\n{valid_line(2)}\n", encoding="utf-8")
    with pytest.raises(duckdb.IOException, match="No space left"):
        run_batch([str(path)], str(tmp_path / "s.duckdb"), SETTINGS)


def test_if_even_the_failure_record_cannot_be_written_the_store_error_is_raised(
    tmp_path, stub, monkeypatch
):
    def write(self, results, **kw):  # every write fails the same way: the store is broken
        raise duckdb.ConversionException("broken store")

    monkeypatch.setattr(Store, "write", write)
    path = tmp_path / "c.jsonl"
    path.write_text(f"{valid_line(1)}\n", encoding="utf-8")
    with pytest.raises(duckdb.ConversionException, match="broken store"):
        run_batch([str(path)], str(tmp_path / "s.duckdb"), SETTINGS)


@pytest.mark.skipif(os.name != "posix", reason="needs a file system that takes any bytes as name")
def test_a_file_name_that_is_not_utf8_is_recorded_not_a_crash(tmp_path, stub):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(article(1), encoding="utf-8")
    bad = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(bad, "wb") as fh:
        fh.write(b"   ")  # empty: an ingest failure whose record names the file
    with open(os.path.join(os.fsencode(folder), b"na\xefve.txt"), "wb") as fh:
        fh.write(article(2).encode())  # an article under such a name is kept, its name escaped
    summary = run_batch([str(folder)], str(tmp_path / "s.duckdb"), SETTINGS)
    assert (summary.stored, summary.failed) == (2, 1)
    ((item, stage, reason),) = failures(tmp_path / "s.duckdb")
    assert stage == "ingest" and item.endswith("caf\\udce9.txt") and "empty" in reason
    with Store(tmp_path / "s.duckdb", read_only=True) as s:
        sources = sorted(r[0] for r in s.query("SELECT source FROM documents"))
    assert sources[1].endswith("na\\udcefve.txt")


def test_a_page_built_to_exhaust_extraction_is_an_ingest_failure_and_the_run_goes_on(
    tmp_path, stub
):
    # a corpus page of 60,000 links held the run's reading for minutes (extraction runs in the
    # main process, before any worker: batch.document_timeout_s does not reach it); now it is
    # refused by its shape and recorded, and the articles around it are stored
    import time

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(article(1), encoding="utf-8")
    links = '<a href="https://example.org/x">link</a> ' * 60_000
    (folder / "b.html").write_text(f"<html><body>{links}</body></html>", encoding="utf-8")
    (folder / "c.txt").write_text(article(2), encoding="utf-8")
    start = time.monotonic()
    summary = run_batch([str(folder)], str(tmp_path / "s.duckdb"), SETTINGS)
    assert time.monotonic() - start < 30
    assert (summary.stored, summary.failed) == (2, 1)
    ((item, stage, reason),) = failures(tmp_path / "s.duckdb")
    assert stage == "ingest" and item.endswith("b.html") and "50,000 elements" in reason
