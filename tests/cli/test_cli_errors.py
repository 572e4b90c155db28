"""Bad input: one clear line on stderr and a non-zero exit, never a traceback."""

import json

import pytest

from spinscope.cli.main import EXIT_INPUT, EXIT_MODEL, EXIT_PARTIAL, EXIT_USAGE, main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_one_line_error(err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("spinscope: error: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "analyze", str(tmp_path / "nope.txt"))
    assert code == EXIT_INPUT
    assert_one_line_error(err, "nope.txt")


def test_directory(capsys, tmp_path):
    code, _, err = run(capsys, "analyze", str(tmp_path))
    assert code == EXIT_INPUT
    assert_one_line_error(err, str(tmp_path))


@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("x.txt", b"\x00\x01\x02\xff\xfe" * 20, "x.txt"),  # binary
        ("latin1.txt", "Caf\xe9 cr\xe8me".encode("latin-1"), "latin1.txt"),  # not UTF-8
        ("empty.txt", b"  \n\n ", "empty"),
        (
            "blank.html",
            b"<html><head><title>t</title></head><body><div></div></body></html>",
            "blank.html",
        ),  # no extractable text
    ],
)
def test_unreadable_file(capsys, tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = run(capsys, "analyze", str(path))
    assert code == EXIT_INPUT
    assert_one_line_error(err, needle)


@pytest.mark.parametrize("name", ["rows.csv", "feed.rss", "feed.atom", "feed.XML", "crawl.warc",
                                  "crawl.warc.gz"])  # fmt: skip
def test_a_file_of_many_articles_is_refused_by_analyze_with_the_batch_command(
    capsys, tmp_path, name
):
    # a CSV or a feed was analysed as one article of raw rows or XML (exit 0, findings and all)
    path = tmp_path / name
    path.write_text(
        "text,title\n\"The minister said the plan would save every family money.\",Plan\n"
    )
    code, out, err = run(capsys, "analyze", str(path), "--quiet", "--json", "-")
    assert code == EXIT_INPUT and out == ""
    assert_one_line_error(err, str(path), "many articles", f"spinscope batch {path} --store")


def test_url_to_loopback_is_refused(capsys):
    code, _, err = run(capsys, "analyze", "http://127.0.0.1:9/article")
    assert code == EXIT_INPUT
    assert_one_line_error(err, "127.0.0.1")


def test_jsonl_bad_line_names_file_and_line(capsys, tmp_path):
    # issue #16: a bad line is one "failed" line, the others are analysed, exit 4 (partial)
    path = tmp_path / "batch.jsonl"
    path.write_text('{"text": "fine"}\nnot json\n')
    args = ("analyze", str(path), "--quiet", "--set", "pipeline.analyzers=framing")
    code, _, err = run(capsys, *args, "--json", str(tmp_path / "out.json"))
    assert code == EXIT_PARTIAL
    (line,) = err.strip().splitlines()
    assert line.startswith(f"spinscope: failed: {path}, line 2: not valid JSON"), line
    assert [r["document"]["text"] for r in json.loads((tmp_path / "out.json").read_text())] == [
        "fine"
    ]


def test_bad_setting(capsys, tmp_path):
    code, _, err = run(capsys, "analyze", "-", "--set", "techniques.threshold=2")
    assert code == EXIT_INPUT
    assert_one_line_error(err, "techniques.threshold")


def test_missing_model_dir(capsys, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("They are traitors.")
    code, _, err = run(capsys, "analyze", str(path), "--model-dir", str(tmp_path / "none"))
    assert code == EXIT_MODEL
    assert_one_line_error(err, "card.json")


def test_eval_without_data(capsys, tmp_path):
    code, _, err = run(capsys, "eval", "ptc", "--data", str(tmp_path))
    assert code == EXIT_MODEL
    assert_one_line_error(err, "PTC not found")


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["analyze"])
    assert exc.value.code == EXIT_USAGE


def test_settings_lists_every_setting(capsys):
    code, out, _ = run(capsys, "settings")
    assert code == 0
    assert "techniques.threshold = 0.5" in out


def test_json_to_a_special_file_writes_through_it(tmp_path, monkeypatch):
    """Writing to /dev/null or a pipe must not replace it with a regular file."""
    import os

    from spinscope.cli.output import write as _write

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    _write(str(fifo), "{}\n")
    reader.join(5)
    assert got == ["{}\n"]
    assert not fifo.is_file() and fifo.exists()


@pytest.mark.parametrize("task", ["checkthat19", "checkthat20", "claimbuster"])
def test_checkworthiness_eval_without_data(capsys, tmp_path, task):
    code, _, err = run(capsys, "eval", task, "--data", str(tmp_path))
    assert code == EXIT_MODEL
    assert_one_line_error(err, f"{task} not found")


def test_claimbuster_needs_two_folds(capsys, tmp_path):
    (tmp_path / "claimbuster").mkdir()
    (tmp_path / "checkthat2019-task1-en").mkdir()
    code, _, err = run(capsys, "eval", "claimbuster", "--data", str(tmp_path), "--folds", "1")
    assert code == EXIT_INPUT
    assert_one_line_error(err, "--folds")


def test_missing_claims_model_dir(capsys, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Exports grew by 22% in 2022, the minister said.")
    code, _, err = run(
        capsys, "analyze", str(path), "--set", f"claims.model_dir={tmp_path / 'none'}"
    )
    assert code == EXIT_MODEL
    assert_one_line_error(err, "none")


def test_bad_claims_setting(capsys):
    code, _, err = run(capsys, "analyze", "-", "--set", "claims.also_list=figures,rumours")
    assert code == EXIT_INPUT
    assert_one_line_error(err, "claims.also_list")


def test_an_unknown_label_in_a_per_label_threshold_is_a_settings_error(capsys):
    setting = "techniques.label_min_confidence=Loaded_Langauge=0.3"
    code, _, err = run(capsys, "analyze", "-", "--set", setting)
    assert code == EXIT_INPUT
    assert_one_line_error(err, "Loaded_Langauge", "did you mean Loaded_Language?")


@pytest.mark.parametrize(
    ("setting", "needle"),
    [
        ("framing.label_min_score=Ecnomic=0.7", "did you mean Economic?"),
        ("roles.label_min_score=Antagonst=0.6", "did you mean Antagonist?"),
    ],
)
def test_an_unknown_framing_or_role_label_is_a_settings_error(capsys, tmp_path, setting, needle):
    # these labels come from the models, so they are checked where the analyser is built
    path = tmp_path / "a.txt"
    path.write_text("They are traitors.")
    extra = ("--set", "roles.enabled=true", "--set", "pipeline.analyzers=framing,roles")
    code, _, err = run(capsys, "analyze", str(path), "--set", setting, *extra)
    assert code == EXIT_INPUT
    assert_one_line_error(err, setting.split("=")[0], needle)


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_serve_with_a_bad_port_is_a_usage_error(capsys, port):
    # 99999 and -1 were an OverflowError traceback, after the models had loaded
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--port", port])
    assert exc.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "a port is a whole number from 0 to 65535" in err and "Traceback" not in err


def test_serve_on_a_port_in_use_says_so_before_loading_the_models(capsys, monkeypatch):
    # it loaded the models, printed "serving on ...", then uvicorn's "ERROR: [Errno 98] ..."
    import socket

    pytest.importorskip("uvicorn", reason="serve needs the [web] extra")
    import spinscope.api

    def no_app(*args, **kwargs):
        raise AssertionError("the app (and its models) must not be built")

    monkeypatch.setattr(spinscope.api, "create_app", no_app)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = run(capsys, "serve", "--port", str(port))
    assert code == EXIT_INPUT
    assert_one_line_error(err, f"Cannot listen on 127.0.0.1:{port}: Address already in use")


@pytest.mark.parametrize("analyzers", ["", "roles"])
def test_serve_with_settings_that_run_no_analyser_is_a_settings_error(capsys, tmp_path, analyzers):
    # each worker refused them while loading: "An analysis worker could not start", exit 3,
    # after "starting the analysis workers" and with the --store file already created
    pytest.importorskip("uvicorn", reason="serve needs the [web] extra")
    from spinscope.store import Store

    store = tmp_path / "s.duckdb"
    Store(store).close()
    argv = ["--port", "0", "--store", str(store), "--set", f"pipeline.analyzers={analyzers}"]
    code, _, err = run(capsys, "serve", *argv)
    assert code == EXIT_INPUT
    assert_one_line_error(err, "Setting pipeline.analyzers leaves no analyser to run")


def test_serve_with_a_missing_store_says_how_to_make_one(capsys, tmp_path, monkeypatch):
    # a mistyped --store was created as a new, empty store and served without a word
    pytest.importorskip("uvicorn", reason="serve needs the [web] extra")
    import spinscope.api

    def no_app(*args, **kwargs):
        raise AssertionError("the app (and its models) must not be built")

    monkeypatch.setattr(spinscope.api, "create_app", no_app)
    store = tmp_path / "corpsu.duckdb"
    code, _, err = run(capsys, "serve", "--port", "0", "--store", str(store))
    assert code == EXIT_INPUT
    assert_one_line_error(err, f"No store at {store}", f"`spinscope batch ... --store {store}`")
    assert not store.exists()


@pytest.mark.parametrize(
    ("outputs", "needle"),
    [
        (["--json", "{src}"], "--json {src} would overwrite the input file"),
        (["--html", "{src}"], "--html {src} would overwrite the input file"),
        (["--json", "{d}/o.x", "--html", "{d}/o.x"], "--html {d}/o.x would overwrite the --json"),
        (["--json", "{d}/no/o.json", "--html", "{d}/o.html"], "the folder {d}/no does not exist"),
    ],
)
def test_outputs_that_would_overwrite_or_fail_are_refused_before_any_work(
    capsys, tmp_path, outputs, needle
):
    # --json article.txt replaced the article with its analysis; a --json whose folder was
    # missing failed after the analysis, and the --html report was never written
    src = tmp_path / "article.txt"
    src.write_text("The elite lie to you every day.", encoding="utf-8")
    fill = {"src": str(src), "d": str(tmp_path)}
    code, _, err = run(capsys, "analyze", str(src), "--quiet", *(o.format(**fill) for o in outputs))
    assert code == EXIT_INPUT
    assert_one_line_error(err, needle.format(**fill))
    assert src.read_text(encoding="utf-8") == "The elite lie to you every day."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt"]


def test_a_hostile_feed_sends_no_terminal_commands_through_error_lines(capsys, tmp_path):
    # a feed (anyone's server) whose links hold ESC sequences: the failure lines printed them
    # raw, so the feed could retitle, clear or recolour the operator's terminal
    feed = tmp_path / "f.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>a</title><link>http://x.example/&#x1b;]0;PWNED&#x7;</link></item>"
        "<item><title>b</title><link>http://x.example/b&#x1b;[2J</link></item>"
        "</channel></rss>"
    )
    code, _, err = run(capsys, "batch", str(feed), "--store", str(tmp_path / "s.duckdb"))
    assert code == EXIT_PARTIAL and err.count("spinscope: failed: ") == 2
    assert "\x1b" not in err and "\x07" not in err
    assert "http://x.example/\\x1b]0;PWNED\\x07" in err and "http://x.example/b\\x1b[2J" in err


@pytest.mark.parametrize(
    "module,extra", [("cassis", "corpus"), ("matplotlib", "corpus"), ("ray", "ray"),
                     ("uvicorn", "web")],
)  # fmt: skip
def test_a_missing_extra_names_the_extra_to_install(capsys, monkeypatch, module, extra):
    """README: an optional dependency missing is exit 3 with the extra that installs it (an
    INCEpTION export without dkpro-cassis used to say "reinstall ... the [train] extra")."""
    from spinscope.cli import commands

    def missing(*_args):
        raise ModuleNotFoundError(f"No module named '{module}'", name=module)

    monkeypatch.setattr(commands, "cmd_settings", missing)
    code, _, err = run(capsys, "settings")
    assert code == EXIT_MODEL
    assert_one_line_error(err, f"[{extra}] extra", f"pip install 'spinscope[{extra}]'")
    assert "[train]" not in err


def test_a_chained_import_error_names_the_extra_of_its_cause():
    from spinscope.cli.main import missing_dependency

    try:
        try:
            raise ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib")
        except ImportError as exc:
            raise ImportError("charts need matplotlib") from exc
    except ImportError as exc:
        line = missing_dependency(exc)
    assert "pip install 'spinscope[corpus]'" in line and "reinstall" not in line
    assert "reinstall" in missing_dependency(ModuleNotFoundError("x", name="onnxruntime"))


def test_a_file_name_with_a_bidi_override_is_written_out_in_the_error_line(capsys, tmp_path):
    # a name with U+202E ("report\u202etxt.exe") reached the terminal as it is, where a terminal
    # that does bidi shows the rest of the line reversed
    name = tmp_path / "missing\u202etxt.exe"
    code, _, err = run(capsys, "analyze", str(name))
    assert code == EXIT_INPUT
    assert "\u202e" not in err and "missing\\u202etxt.exe" in err


def test_json_and_html_cannot_both_go_to_stdout(capsys, tmp_path):
    # both were written to stdout one after the other: neither the JSON nor the page parsed
    article = tmp_path / "a.txt"
    article.write_text("The elite lie to you every day.", encoding="utf-8")
    code, out, err = run(capsys, "analyze", str(article), "--json", "-", "--html", "-")
    assert code == EXIT_INPUT and out == ""
    assert_one_line_error(err, "--json and --html", "stdout")


def _tagger_with_a_corrupt_tokenizer(tmp_path):
    """The shipped tagger's files, linked, but for a tokenizer.json cut short."""
    from spinscope.analysis.techniques import shipped_model_dir

    folder = tmp_path / "tagger"
    folder.mkdir()
    for path in shipped_model_dir().iterdir():
        if path.name != "tokenizer.json":
            (folder / path.name).symlink_to(path.resolve())
    (folder / "tokenizer.json").write_text('{"version": "1.0", "trunc')
    return folder


@pytest.mark.parametrize("how", ["--model-dir", "--set"])
def test_a_corrupt_tokenizer_is_a_model_error_in_one_line(capsys, tmp_path, how):
    folder = _tagger_with_a_corrupt_tokenizer(tmp_path)
    path = tmp_path / "a.txt"
    path.write_text("They are traitors.")
    given = [how, str(folder)] if how == "--model-dir" else [how, f"techniques.model_dir={folder}"]
    code, _, err = run(capsys, "analyze", str(path), "--quiet", *given)
    assert code == EXIT_MODEL  # was a traceback: "Exception: Model missing. at line 1 column 17"
    assert_one_line_error(err, "tokenizer.json", "not a tokenizer")


def test_a_corrupt_encoder_tokenizer_is_refused_before_training(capsys, tmp_path):
    (tmp_path / "e5").mkdir()
    (tmp_path / "e5" / "tokenizer.json").write_text("{}")
    code, _, err = run(capsys, "train", "techniques-multilingual", "--encoder",
                       str(tmp_path / "e5"), "--out", str(tmp_path / "ml"))  # fmt: skip
    assert code == EXIT_MODEL
    assert_one_line_error(err, "tokenizer.json", "not a tokenizer")
    assert not (tmp_path / "ml").exists()


def test_settings_checks_a_file_and_overrides_and_marks_what_is_not_default(capsys, tmp_path):
    # `spinscope settings` took no --config or --set: a file could be checked only by analysing
    config = tmp_path / "s.toml"
    config.write_text("[techniques]\nthreshold = 0.4\n")
    code, out, err = run(capsys, "settings", "--config", str(config), "--set",
                         "claims.threshold=0.7")  # fmt: skip
    assert code == 0 and not err
    lines = out.splitlines()
    assert "* techniques.threshold = 0.4 (default 0.5)" in lines
    assert any(line.startswith("* claims.threshold = 0.7 (default ") for line in lines)
    assert "  report.voice = 'author'" in lines  # a default: not marked
    assert sum(line.startswith("* ") for line in lines) == 2


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--set", "techniques.threshold=2"], "techniques.threshold"),
        (["--set", "techniques.thresold=0.4"], "did you mean techniques.threshold"),
        (["--config", "CONFIG"], "Settings file"),
    ],
)
def test_settings_with_a_bad_value_is_one_line_and_exit_1(capsys, tmp_path, argv, needle):
    config = tmp_path / "bad.toml"
    config.write_text("[techniques]\nthreshold = 'high'\n")
    argv = [str(config) if a == "CONFIG" else a for a in argv]
    code, out, err = run(capsys, "settings", *argv)
    assert code == EXIT_INPUT and not out
    assert_one_line_error(err, needle)
def test_a_page_built_to_exhaust_extraction_is_refused_in_one_line_quickly(capsys, tmp_path):
    # 1,000 blocks of 200-deep <div> nesting (2.2 MB) took 28 s to extract, with no limit
    import time

    path = tmp_path / "deep.html"
    block = "<div>" * 200 + "word " + "</div>" * 200
    path.write_text(f"<html><body>{block * 100}</body></html>", encoding="utf-8")
    start = time.monotonic()
    code, out, err = run(capsys, "analyze", str(path))
    assert code == EXIT_INPUT and not out
    assert_one_line_error(err, "deep.html", "more than 100 deep")
    assert time.monotonic() - start < 5


def _shipped(name: str):
    from spinscope.analysis.techniques import shipped_model_dir

    return shipped_model_dir().parent / name


@pytest.mark.parametrize(("setting", "folder", "needles"), [
    # a card.json of another model, and no framing.npz: a FileNotFoundError traceback
    ("framing.model_dir", "checkworthy", ("No framing model", "framing.npz is missing")),
    ("framing.model_dir", "techniques", ("No framing model", "framing.npz is missing")),
    # "has no span heads: use --set techniques.decoder=channels", which then failed on the ONNX
    ("techniques.model_dir", "framing", ("No technique model", "tagger.int8.onnx is missing")),
    ("techniques.model_dir", "checkworthy", ("No technique model", "tagger.int8.onnx is missing")),
])  # fmt: skip
def test_a_model_folder_of_another_task_is_one_line(capsys, tmp_path, setting, folder, needles):
    path = tmp_path / "a.txt"
    path.write_text("They are traitors, and the whole town knows it. " * 5)
    analyzer = setting.split(".")[0]
    code, _, err = run(capsys, "analyze", str(path), "--quiet", "--set",
                       f"pipeline.analyzers={analyzer}", "--set",
                       f"{setting}={_shipped(folder)}")  # fmt: skip
    assert code == EXIT_MODEL
    assert_one_line_error(err, *needles)
def test_a_file_name_with_a_line_break_keeps_each_batch_failure_on_one_line(capsys, tmp_path):
    # the failure line printed the name's break: "spinscope: failed: news/bad" and, on a line
    # of its own, "name.txt: news/bad name.txt looks like a binary file ..."
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "bad\nname.txt").write_bytes(b"\x00\x01")
    code, _, err = run(capsys, "batch", str(folder), "--store", str(tmp_path / "s.duckdb"),
                       "--quiet")  # fmt: skip
    assert code == EXIT_PARTIAL
    lines = err.strip().splitlines()
    assert all(line.startswith("spinscope: ") for line in lines), err
    (failed,) = [line for line in lines if line.startswith("spinscope: failed: ")]
    assert failed.count("bad name.txt") == 1, failed
