"""Issue #16: `spinscope analyze x.jsonl` prints one line per bad record
(`spinscope: failed: FILE, line N: reason`), analyses the rest and exits 4, never with a
traceback; JSON output goes through the one encoder (numpy values included)."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile_fixtures import TRIGGERS, StubPipeline, article, jsonl_lines, line_bytes, valid_line
from spinscope.cli.main import EXIT_INPUT, EXIT_INTERRUPT, EXIT_PARTIAL, main
from spinscope.ingest._decode import bom_codec


def run(*argv: str, pipeline: type = StubPipeline) -> tuple[int, str, str]:
    """main(argv) with the stand-in pipeline; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch("spinscope.analysis.pipeline.Pipeline", pipeline),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_each_issue_line_is_one_failed_line_and_the_rest_is_analysed(tmp_path):
    lines = [valid_line(0)]
    for k, line in enumerate(TRIGGERS.values(), start=1):
        lines += [line, valid_line(k)]
    path = tmp_path / "x.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run("analyze", str(path), "--quiet", "--json", str(tmp_path / "o.json"))
    assert code == EXIT_PARTIAL
    failed = err.strip().splitlines()
    assert len(failed) == len(TRIGGERS) and "Traceback" not in err
    for k, line in enumerate(failed, start=1):
        assert line.startswith(f"spinscope: failed: {path}, line {2 * k}: "), line
    results = json.loads((tmp_path / "o.json").read_text())
    assert [r["document"]["text"] for r in results] == [
        article(k) for k in range(len(TRIGGERS) + 1)
    ]
    assert results[0]["findings"][0]["start"] == 0  # numpy offsets, written as JSON numbers


def test_a_record_whose_analysis_fails_is_one_failed_line(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(f"{valid_line(1)}\n" + json.dumps({"text": article(2) + " BOOM"}) + "\n")
    code, _, err = run("analyze", str(path), "--quiet", "--json", str(tmp_path / "o.json"))
    assert code == EXIT_PARTIAL
    assert err.strip() == (
        f"spinscope: failed: {path}, line 2: analysis failed (RuntimeError: analyser exploded)."
    )
    assert len(json.loads((tmp_path / "o.json").read_text())) == 1


def test_a_jsonl_whose_every_record_fails_exits_4_and_writes_no_json(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text("{oops\n[1]\n")
    code, _, err = run("analyze", str(path), "--quiet", "--json", str(tmp_path / "o.json"))
    assert code == EXIT_PARTIAL and len(err.strip().splitlines()) == 2
    assert not (tmp_path / "o.json").exists()


def test_a_jsonl_with_no_records_is_one_error(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text("\n  \n")
    code, _, err = run("analyze", str(path), "--quiet")
    assert code == EXIT_INPUT
    assert err.strip() == (
        f"spinscope: error: {path} holds no articles (no non-blank lines); each line must be one "
        "JSON object with a 'text' or 'html' field."
    )


def test_one_good_jsonl_line_is_still_one_object(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(valid_line(1) + "\n")
    assert run("analyze", str(path), "--quiet", "--json", str(tmp_path / "o.json"))[0] == 0
    assert json.loads((tmp_path / "o.json").read_text())["document"]["text"] == article(1)


def test_numpy_values_in_a_result_are_written_as_json(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(article(1))
    code, out, err = run("analyze", str(path), "--json", "-", "--explain")
    assert code == 0, err
    result = json.loads(out)
    assert result["findings"][0]["end"] == article(1).index(" ")
    assert result["findings"][0]["confidence"] == 0.5


def test_a_lone_surrogate_from_stdin_or_a_file_is_not_a_crash(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"A report \xed\xa0\x80 on the budget.")  # an encoded surrogate: not UTF-8
    code, _, err = run("analyze", str(path), "--quiet")
    assert code == EXIT_INPUT and err.startswith("spinscope: error: ") and "not UTF-8" in err


def _blank(raw: bytes, number: int) -> bool:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not text.strip(" \t\r\n\f\v")


# one folder per example, all under one that is removed when the run ends
_TMP = tempfile.TemporaryDirectory(prefix="spinscope-prop-")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(jsonl_lines, min_size=1, max_size=6))
def test_analyze_on_any_jsonl_never_crashes_and_accounts_for_every_line(lines):
    raws = [line_bytes(line) for line in lines]
    folder = Path(tempfile.mkdtemp(dir=_TMP.name))
    path, out_json = folder / "x.jsonl", folder / "o.json"
    path.write_bytes(b"\n".join(raws) + b"\n")
    code, _, err = run("analyze", str(path), "--quiet", "--json", str(out_json))
    assert "Traceback" not in err
    wanted = [n for n, raw in enumerate(raws, start=1) if not _blank(raw, n)]
    if not wanted:
        assert code == EXIT_INPUT and "holds no articles" in err
        return
    if bom_codec(raws[0]) in ("utf-16", "utf-32"):
        assert code == EXIT_PARTIAL and f"{path} is UTF-" in err  # a UTF-16/32 file
        return
    failed = [line for line in err.splitlines() if line.startswith("spinscope: failed: ")]
    assert all(
        line.startswith(("spinscope: failed: ", "spinscope: warning: "))
        for line in err.splitlines()
    ), err
    failed_lines = [int(line.split(", line ", 1)[1].split(":", 1)[0]) for line in failed]
    assert failed_lines == sorted(set(failed_lines)) and set(failed_lines) <= set(wanted)
    results = json.loads(out_json.read_text()) if out_json.exists() else []
    results = [results] if isinstance(results, dict) else results
    assert len(results) + len(failed_lines) == len(wanted)  # every line analysed or failed
    assert code == (EXIT_PARTIAL if failed else 0)


def test_html_report_of_a_many_record_jsonl_is_refused_before_analysis(tmp_path):
    path = tmp_path / "x.jsonl"
    boom = json.dumps({"text": article(2) + " BOOM"})  # were it analysed, it would fail
    path.write_text(f"{valid_line(1)}\n{boom}\n")
    code, _, err = run("analyze", str(path), "--html", str(tmp_path / "r.html"))
    assert code == EXIT_INPUT and "--html writes one report" in err


def test_a_utf16_file_with_a_bom_is_analysed_not_called_binary(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(article(1).encode("utf-16"))
    code, out, err = run("analyze", str(path), "--json", "-")
    assert code == 0, err
    assert json.loads(out)["document"]["text"] == article(1)


class InterruptingPipeline(StubPipeline):
    """The stand-in pipeline with a Ctrl-C (KeyboardInterrupt) at the ``stop_at``-th document
    it is given, counted over all its calls."""

    stop_at = 3
    seen = 0

    def run(self, docs):
        for _ in docs:
            type(self).seen += 1
            if type(self).seen == self.stop_at:
                raise KeyboardInterrupt
        return super().run(docs)


def interrupted_run(tmp_path, n_docs: int, stop_at: int) -> tuple[int, str, Path]:
    path = tmp_path / "x.jsonl"
    path.write_text("".join(valid_line(k) + "\n" for k in range(n_docs)), encoding="utf-8")
    out = tmp_path / "o.json"
    InterruptingPipeline.seen, InterruptingPipeline.stop_at = 0, stop_at
    code, _, err = run(
        "analyze", str(path), "--quiet", "--json", str(out), pipeline=InterruptingPipeline
    )
    return code, err, out


def test_ctrl_c_keeps_the_results_analysed_before_it_and_exits_130(tmp_path):
    # Ctrl-C lost every result of a JSONL run: they were all written at the end
    with mock.patch("spinscope.cli.analyze.BATCH_DOCS", 1):
        code, err, out = interrupted_run(tmp_path, n_docs=5, stop_at=3)
    assert code == EXIT_INTERRUPT
    assert err == (
        f"spinscope: interrupted: 2 of 5 documents analysed; their results are in {out}.\n"
    )
    results = json.loads(out.read_text(encoding="utf-8"))
    assert [r["document"]["text"] for r in results] == [article(0), article(1)]


def test_ctrl_c_keeps_the_batches_already_analysed(tmp_path):
    # documents go to the pipeline 8 at a time: the batch under way is what a Ctrl-C loses
    code, err, out = interrupted_run(tmp_path, n_docs=20, stop_at=11)
    assert code == EXIT_INTERRUPT and err.count("\n") == 1 and "Traceback" not in err
    assert "interrupted: 8 of 20 documents analysed" in err
    results = json.loads(out.read_text(encoding="utf-8"))
    assert [r["document"]["text"] for r in results] == [article(k) for k in range(8)]


def test_ctrl_c_before_any_result_is_one_line_and_no_file(tmp_path):
    code, err, out = interrupted_run(tmp_path, n_docs=4, stop_at=1)
    assert code == EXIT_INTERRUPT
    assert err == "spinscope: interrupted: 0 of 4 documents analysed.\n"
    assert not out.exists()


def test_json_on_stdout_sends_no_terminal_commands(tmp_path):
    # JSON escapes ESC, but C1 controls (U+009B is CSI, as ESC [ is) and bidi overrides went
    # to stdout raw: `--json -` in a terminal could clear it or reorder its lines
    text = article(1) + " \u009b2J \u202eReversed\u202c and \x7f."
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    code, out, _ = run("analyze", str(path), "--json", "-")
    assert code == 0
    assert not {"\u009b", "\u202e", "\u202c", "\x7f"} & set(out)
    assert json.loads(out)["document"]["text"] == text  # the same JSON value, escaped


@pytest.mark.parametrize("shape", ["array", "objects"])
def test_a_pretty_printed_json_file_named_jsonl_is_one_clear_error(capsys, tmp_path, shape):
    # each of its lines failed on its own ("line 1: not valid JSON (Expecting value ...)",
    # "line 2: ...", four failure lines an article) without saying what was wrong
    records = [{"text": f"The minister said the plan would save money, {n}."} for n in range(3)]
    path = tmp_path / "articles.jsonl"
    if shape == "array":
        path.write_text(json.dumps(records, indent=2))
    else:
        path.write_text("\n".join(json.dumps(r, indent=2) for r in records))
    code = main(["analyze", str(path), "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_INPUT and len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"spinscope: error: {path} holds JSON over several lines")
    assert "jq -c" in err
