"""`spinscope analyze` has a time bound (``analyze.timeout_s``): past it the run stops with one
error line and exit 1, never a traceback; a JSONL run keeps the results of the batches analysed
before it, as a Ctrl-C does. The bound is SIGALRM in the main thread, its handler restored."""

from __future__ import annotations

import json
import signal
import threading
import time
from unittest import mock

import pytest

import spinscope
from hostile_fixtures import StubPipeline, article, valid_line
from spinscope.cli.main import EXIT_INPUT
from spinscope.errors import AnalysisTimeout

from .test_analyze_jsonl import run


class SlowPipeline(StubPipeline):
    """The stand-in pipeline, but a text holding "SLOW" takes 30 s, in short steps (as the
    analysers' ONNX calls are): the bound must stop it long before."""

    def run(self, docs):
        if any("SLOW" in d.text for d in docs):
            until = time.monotonic() + 30
            while time.monotonic() < until:
                time.sleep(0.01)
        return super().run(docs)


def test_a_slow_article_is_one_error_line_and_exit_1(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("SLOW " + article(0), encoding="utf-8")
    handler_before = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    code, out, err = run("analyze", str(path), "--quiet", "--set", "analyze.timeout_s=0.5",
                         pipeline=SlowPipeline)  # fmt: skip
    assert time.monotonic() - started < 10
    assert code == EXIT_INPUT and out == "" and err.count("\n") == 1, err
    assert err.startswith(f"spinscope: error: The analysis of {path} took longer than 0.5 s")
    assert "(setting analyze.timeout_s)" in err and "Traceback" not in err
    assert signal.getsignal(signal.SIGALRM) is handler_before  # the handler is given back
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_jsonl_run_keeps_the_batches_done_before_the_bound(tmp_path):
    lines = [valid_line(k) for k in range(20)]
    lines[10] = json.dumps({"text": "SLOW " + article(10)})  # in the second batch of 8
    path = tmp_path / "x.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "o.json"
    code, _, err = run("analyze", str(path), "--quiet", "--json", str(out),
                       "--set", "analyze.timeout_s=0.5", pipeline=SlowPipeline)  # fmt: skip
    assert code == EXIT_INPUT and err.count("\n") == 1 and "Traceback" not in err, err
    assert "took longer than 0.5 s (setting analyze.timeout_s)" in err
    assert f"{path}, lines 9 to 16 took longer" in err
    assert "8 of 20 documents analysed" in err and str(out) in err
    results = json.loads(out.read_text(encoding="utf-8"))
    assert [r["document"]["text"] for r in results] == [article(k) for k in range(8)]


def test_the_library_analyze_is_bounded_too():
    with mock.patch("spinscope.analysis.pipeline.Pipeline", SlowPipeline):
        with pytest.raises(AnalysisTimeout, match=r"took longer than 0\.3 s"):
            spinscope.analyze("SLOW " + article(0), settings={"analyze.timeout_s": 0.3})
        result = spinscope.analyze(article(1), settings={"analyze.timeout_s": 0.3})
    assert result.doc.text == article(1)


class BriefPipeline(StubPipeline):
    """Takes 1 s over every call: past a 0.3 s bound, but done soon."""

    def run(self, docs):
        time.sleep(1.0)
        return super().run(docs)


@pytest.mark.parametrize("where", ["a thread", "timeout 0"])
def test_no_bound_off_the_main_thread_or_at_0(tmp_path, where: str):
    path = tmp_path / "a.txt"
    path.write_text(article(0), encoding="utf-8")
    bound = "0.3" if where == "a thread" else "0"
    argv = ("analyze", str(path), "--quiet", "--set", f"analyze.timeout_s={bound}")
    got: list = []
    if where == "a thread":  # SIGALRM reaches the main thread only: no bound, no error
        thread = threading.Thread(target=lambda: got.append(run(*argv, pipeline=BriefPipeline)))
        thread.start()
        thread.join()
    else:
        got.append(run(*argv, pipeline=BriefPipeline))
    code, _, err = got[0]
    assert code == 0, err


def test_the_setting_is_checked():
    from spinscope.errors import ConfigError
    from spinscope.settings import load_settings

    assert load_settings()["analyze.timeout_s"] == 120.0
    with pytest.raises(ConfigError, match="analyze.timeout_s must be between"):
        load_settings({"analyze.timeout_s": -1})
