"""QA of the research commands (eval, predict, train, build-accurate): bad input is one line on
stderr and a non-zero exit, found before any work; never a traceback, never a user's file lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import spinscope
from spinscope.cli.main import EXIT_INPUT, EXIT_MODEL, EXIT_USAGE, build_parser, main
from spinscope.cli.output import progress
from spinscope.training.tasks import TASKS as TRAIN_TASKS


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_one_line(err: str, *needles: str) -> None:
    """Exactly one line, the error line: no blank line before it (a progress bar's leftover)."""
    assert err.startswith("spinscope: error: ") and err.count("\n") == 1, repr(err)
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, (needle, err)


def usage_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    assert exit_.value.code == EXIT_USAGE
    return capsys.readouterr().err


# -- eval -----------------------------------------------------------------------------------


def test_eval_with_missing_data_prints_only_the_error_line(capsys, tmp_path):
    # the progress bar, off a terminal, left a blank line on stderr before the error
    (tmp_path / "ptc-semeval2020-task11").mkdir()  # the dev articles are missing
    code, out, err = run(capsys, "eval", "ptc", "--data", str(tmp_path), "--json")
    assert code == EXIT_MODEL and out == ""
    assert_one_line(err, "dev-articles does not exist")


def test_the_progress_bar_writes_nothing_off_a_terminal(capsys):
    with progress("Scoring") as update:
        update(1, 2)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("lang", ["pt", "Pt", "PT"])
def test_eval_lang_takes_any_case(capsys, tmp_path, lang):
    # `--lang pt` (as analyze and the settings write languages) was a usage error
    code, _, err = run(capsys, "eval", "semeval25-st1", "--lang", lang, "--data", str(tmp_path))
    assert code == EXIT_MODEL
    assert_one_line(err, "SemEval-2025 Task 10 not found")


@pytest.mark.parametrize(
    "task,option",
    [
        ("semeval25-st1", ["--set", "roles.model_dir=my-roles"]),
        ("semeval25-st2", ["--set", "nosuch.setting=1"]),
        ("semeval23-st1-ml", ["--model-dir", "my-tagger"]),
        ("claimbuster", ["--threshold", "0.3"]),
        ("checkthat19", ["--split", "train"]),
        ("semeval23-st3", ["--split", "train"]),
        ("semeval25-st1", ["--folds", "3"]),
        ("ptc", ["--max-steps", "5"]),
        ("checkthat24", ["--out", "runs"]),
        ("checkthat19", ["--model-dir", "my-tagger"]),  # the technique tagger's shortcuts
        ("checkthat24-paragraphs", ["--threshold", "0.3"]),
    ],
)
def test_eval_refuses_options_a_task_does_not_read(capsys, tmp_path, task, option):
    # they were ignored without a word: the shipped model's score under the user's model name,
    # and `eval checkthat19 --split train` scored test
    code, _, err = run(capsys, "eval", task, *option, "--data", str(tmp_path))
    assert code == EXIT_INPUT
    assert_one_line(err, f"eval {task} does not read {option[0]}", "nothing was run")


@pytest.mark.parametrize(
    "task,option",
    [("claimbuster", ["--folds", "3", "--max-steps", "2", "--out", "runs"]),
     ("semeval23-st1", ["--folds", "3"]), ("semeval23-st2-ml", ["--out", "cache"]),
     ("ptc", ["--split", "train", "--set", "techniques.threshold=0.4"]),
     ("checkthat24", ["--model-dir", "my-tagger"]), ("semeval23-st3", ["--threshold", "0.3"])],
)  # fmt: skip
def test_eval_takes_the_options_a_task_reads(capsys, tmp_path, task, option):
    code, _, err = run(capsys, "eval", task, *option, "--data", str(tmp_path))
    assert code == EXIT_MODEL
    assert_one_line(err, "not found")


def test_eval_still_takes_settings_where_the_task_reads_them(capsys, tmp_path):
    code, _, err = run(capsys, "eval", "checkthat19", "--set", "claims.threshold=0.4",
                       "--data", str(tmp_path))  # fmt: skip
    assert code == EXIT_MODEL
    assert_one_line(err, "checkthat19 not found")


# -- predict --------------------------------------------------------------------------------


@pytest.fixture
def articles(tmp_path, monkeypatch) -> Path:
    """A folder of two articles; predicting from it fails the test (the checks come first)."""
    from spinscope.evaluation import predict_tasks

    def no_work(*args, **kwargs):
        raise AssertionError("predict ran before its output was checked")

    monkeypatch.setattr(predict_tasks, "predict_lines", no_work)
    folder = tmp_path / "articles"
    folder.mkdir()
    for art_id in ("1", "2"):
        (folder / f"article{art_id}.txt").write_text(f"Article {art_id}.\n", encoding="utf-8")
    return folder


def test_predict_into_a_missing_folder_fails_before_any_work(capsys, tmp_path, articles):
    out = tmp_path / "no-such-folder" / "si.txt"
    code, _, err = run(capsys, "predict", "ptc-si", str(articles), "--out", str(out))
    assert code == EXIT_INPUT
    assert_one_line(err, "does not exist")


def test_predict_never_overwrites_an_input_article(capsys, articles):
    target = articles / "article1.txt"
    code, _, err = run(capsys, "predict", "ptc-si", str(articles), "--out", str(target))
    assert code == EXIT_INPUT
    assert_one_line(err, "would overwrite", "article1.txt")
    assert target.read_text(encoding="utf-8") == "Article 1.\n"


def test_predict_may_rewrite_its_own_output_in_the_input_folder(capsys, articles, monkeypatch):
    # only the files the task reads are protected: a second run may replace its predictions
    from spinscope.evaluation import predict_tasks

    monkeypatch.setattr(predict_tasks, "predict_lines", lambda *args, **kwargs: ["1\t0\t7"])
    previous = articles / "si.txt"
    previous.write_text("old\n", encoding="utf-8")
    code, _, err = run(capsys, "predict", "ptc-si", str(articles), "--out", str(previous))
    assert code == 0, err
    assert previous.read_text(encoding="utf-8") == "1\t0\t7\n"


def test_predict_never_overwrites_a_document_of_semeval25(capsys, tmp_path, articles):
    # semeval25-st2 reads every *.txt of the folder
    (articles / "EN_CC_1.txt").write_text("A document.\n", encoding="utf-8")
    target = articles / "EN_CC_1.txt"
    code, _, err = run(capsys, "predict", "semeval25-st2", str(articles), "--out", str(target))
    assert code == EXIT_INPUT
    assert_one_line(err, "would overwrite", "EN_CC_1.txt")
    assert target.read_text(encoding="utf-8") == "A document.\n"


def test_predict_never_overwrites_its_template(capsys, tmp_path, articles):
    template = tmp_path / "tc-template.out"
    template.write_text("1\tX\t0\t7\n", encoding="utf-8")
    argv = ("predict", "ptc-tc", str(articles), "--template", str(template))
    code, _, err = run(capsys, *argv, "--out", str(template))
    assert code == EXIT_INPUT
    assert_one_line(err, "would overwrite", "--template")
    assert template.read_text(encoding="utf-8") == "1\tX\t0\t7\n"


@pytest.mark.parametrize(
    "task,option",
    [("ptc-si", "--template"), ("semeval23-st1", "--model-dir"), ("semeval25-st2", "--threshold"),
     ("semeval23-st2", "--template")],
)  # fmt: skip
def test_predict_refuses_options_a_task_does_not_read(capsys, tmp_path, articles, task, option):
    # ignored without a word: --template but by ptc-tc, the tagger's shortcuts by the framing tasks
    value = {"--template": str(tmp_path / "t.out"), "--model-dir": "tagger", "--threshold": "0.3"}
    argv = ("predict", task, str(articles), option, value[option], "--out", str(tmp_path / "p"))
    code, _, err = run(capsys, *argv)
    assert code == EXIT_INPUT
    assert_one_line(err, f"predict {task} does not read {option}", "nothing was run")


def test_predict_reports_progress(capsys, tmp_path, monkeypatch):
    # a 75-article folder ran for 40 s without a sign of life
    seen = _recorded_progress(monkeypatch)
    folder = tmp_path / "articles"
    folder.mkdir()
    for art_id in range(1, 10):  # two batches of 8
        (folder / f"article{art_id}.txt").write_text("They lie to you.\n", encoding="utf-8")
    code, _, err = run(capsys, "predict", "semeval23-st1", str(folder), "--out",
                       str(tmp_path / "st1.txt"))  # fmt: skip
    assert code == 0, err
    assert seen == ["Predicting semeval23-st1", (8, 9), (9, 9)]


def _recorded_progress(monkeypatch) -> list:
    from contextlib import contextmanager

    from spinscope.cli import commands

    seen: list = []

    @contextmanager
    def progress(description):
        seen.append(description)
        yield lambda done, total: seen.append((done, total))

    monkeypatch.setattr(commands, "progress", progress)
    return seen


@pytest.mark.parametrize("task", ["checkthat19", "checkthat20"])
def test_eval_checkthat_reports_progress(capsys, tmp_path, monkeypatch, task):
    # eval checkthat19 ran for 25 s without a sign of life
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from checkworthy_fixtures import write_datasets

    write_datasets(tmp_path)
    seen = _recorded_progress(monkeypatch)
    code, _, err = run(capsys, "eval", task, "--data", str(tmp_path), "--json")
    assert code == 0, err
    assert seen[0] == f"Scoring {task} sentences" and len(seen) > 1
    done, total = seen[-1]
    assert done == total > 0


def test_eval_semeval23_st2_ml_reports_progress_as_it_encodes(tmp_path, monkeypatch):
    # eval semeval23-st2-ml --lang EN ran for more than 180 s without a sign of life
    from spinscope.training import framing_multilingual as fm

    sizes = {("EN", "train"): 3, **{(lang, split): 2 for lang in fm.DEV_LANGS
                                    for split in ("train", "dev")}}  # fmt: skip
    encoded: list[int] = []

    def split_data(root, lang, split, subtask):
        n = sizes[lang, split]
        return [f"{lang}{i}" for i in range(n)], [f"{lang} {split} {i}" for i in range(n)], [[]] * n

    def vectors(texts, cache):
        encoded.append(len(texts))
        return [[0.0]] * len(texts)

    monkeypatch.setattr(fm, "split_data", split_data)
    monkeypatch.setattr(fm, "vectors", vectors)
    seen: list = []
    fm.load_all(tmp_path, {}, update=lambda done, total: seen.append((done, total)))
    total = sum(sizes.values())  # the articles, once: genre and frames read the same texts
    assert seen[-1] == (total, total) and len(seen) == len(encoded)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


# -- train ----------------------------------------------------------------------------------


def test_train_out_that_is_a_file_fails_before_any_work(capsys, tmp_path):
    # it was a FileExistsError traceback after the whole training run
    mine = tmp_path / "notes.txt"
    mine.write_text("mine\n", encoding="utf-8")
    code, _, err = run(capsys, "train", "roles", "--out", str(mine), "--data", str(tmp_path))
    assert code == EXIT_INPUT
    assert_one_line(err, "--out", "is a file", "train roles writes a folder")
    assert mine.read_text(encoding="utf-8") == "mine\n"


def test_train_soft_labels_out_is_a_file_not_a_folder(capsys, tmp_path):
    code, _, err = run(capsys, "train", "soft-labels", "--out", str(tmp_path), "--data",
                       str(tmp_path))  # fmt: skip
    assert code == EXIT_INPUT
    assert_one_line(err, "is a folder", "FILE.npz")


@pytest.mark.parametrize(
    "task,param,needle",
    [
        ("techniques-paragraphs", "limit=abc", "--param limit must be a whole number"),
        ("techniques-paragraphs", "c", "--param expects NAME=VALUE"),
        ("techniques-paragraphs", "semeval21=maybe", "--param semeval21 must be true or false"),
        ("techniques-multilingual", "lora_rank=abc", "--param lora_rank must be a whole number"),
        ("techniques-multilingual", "lora_rank", "--param expects NAME=VALUE"),
        ("techniques-multilingual", "bf16=maybe", "--param bf16 must be true or false"),
        ("techniques", "bf16=maybe", "--param bf16 must be true or false"),
    ],
)
def test_train_param_with_a_bad_value_is_one_line(capsys, tmp_path, task, param, needle):
    # ValueError tracebacks; and bf16=maybe turned bf16 off without a word
    encoder = tmp_path / "encoder"
    encoder.mkdir()
    (encoder / "tokenizer.json").write_text("{}", encoding="utf-8")
    extra = {"techniques": ["--ptc", str(tmp_path)],  # techniques takes no --data
             "techniques-multilingual": ["--encoder", str(encoder), "--data", str(tmp_path)],
             "techniques-paragraphs": ["--data", str(tmp_path)]}[task]  # fmt: skip
    argv = ("train", task, "--param", param, "--out", str(tmp_path / "o"), *extra)
    code, _, err = run(capsys, *argv)
    assert code == EXIT_INPUT
    assert_one_line(err, needle)
    assert not (tmp_path / "o").exists()


def test_train_resume_without_a_checkpoint_is_one_line(capsys, tmp_path):
    # it started afresh without a word (over the checkpoints of a run in --out, if any)
    encoder = tmp_path / "encoder"
    encoder.mkdir()
    (encoder / "tokenizer.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "run"
    code, _, err = run(capsys, "train", "techniques-multilingual", "--resume", "--encoder",
                       str(encoder), "--out", str(out), "--data", str(tmp_path))  # fmt: skip
    assert code == EXIT_INPUT
    assert_one_line(err, "--resume", "last.pt", "drop --resume")
    assert not out.exists()


@pytest.mark.parametrize("option", ["--epochs", "--max-articles", "--max-steps", "--batch-size"])
@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_train_counts_below_one_are_usage_errors(capsys, tmp_path, option, value):
    # --epochs 0 was an IndexError traceback after loading; --max-articles 0 trained on all
    err = usage_error(capsys, "train", "techniques", "--ptc", str(tmp_path), "--out",
                      str(tmp_path / "o"), option, value)  # fmt: skip
    assert f"argument {option}: a whole number of 1 or more, not '{value}'" in err


def test_train_help_says_what_each_task_does():
    # `spinscope train --help` listed 21 task names with no word on any of them
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    text = "".join(sub.choices["train"].format_help().split())  # argparse wraps, after hyphens too
    assert "TASKthetrainingtask,oneof:" in text
    for name, task in TRAIN_TASKS.items():
        assert f"{name}:{''.join(task.help.split())}" in text


# -- build-accurate -------------------------------------------------------------------------


def test_build_accurate_without_its_parts_is_one_line_and_leaves_nothing(
    capsys, tmp_path, monkeypatch
):
    # it printed a 'joining the parts' line first, exited 1 (bad input) rather than 3 (an
    # extra is missing) and left OUT/build/all-mpnet-base-v2.zip, empty, behind
    from spinscope.training import techniques_accurate

    monkeypatch.setattr(techniques_accurate, "PARTS", ("spinscope-no-such-part-001",))
    out = tmp_path / "accurate"
    code, _, err = run(capsys, "build-accurate", "--out", str(out))
    assert code == EXIT_MODEL
    assert_one_line(err, "spinscope-no-such-part-001 is not installed", "spinscope[accurate]")
    assert not out.exists()


def test_python_dash_m_spinscope_is_the_command_line():
    # `python -m spinscope` said "'spinscope' is a package and cannot be directly executed"
    src = str(Path(spinscope.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "spinscope", "eval", "nope"], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == EXIT_USAGE and "usage: spinscope eval" in done.stderr, done.stderr


def test_a_missing_settings_file_is_said_once(capsys, tmp_path):
    # "Cannot read settings file X: [Errno 2] No such file or directory: 'X'" said it twice
    missing = tmp_path / "nope.toml"
    code, _, err = run(capsys, "predict", "ptc-si", str(tmp_path), "--out", str(tmp_path / "o"),
                       "--config", str(missing))  # fmt: skip
    assert code == EXIT_INPUT
    assert_one_line(err, f"Cannot read settings file {missing}: No such file or directory.")
    assert "Errno" not in err and err.count(str(missing)) == 1


def test_build_accurate_keeps_a_build_folder_of_the_user(capsys, tmp_path, monkeypatch):
    # it worked in OUT/build and removed that folder at the end: `--out .` in a project deleted
    # the project's build/ folder with everything in it
    from spinscope.training import techniques_accurate as ta

    def compose(encoder, head, out):
        (Path(out) / "tagger.int8.onnx").write_bytes(b"onnx")

    monkeypatch.setattr(ta, "part_files", lambda: [])
    monkeypatch.setattr(ta, "base_from_parts", lambda work, parts=None: Path(work) / "base")
    monkeypatch.setattr(ta, "export_encoder", lambda base, work: Path(work) / "encoder.onnx")
    monkeypatch.setattr(ta, "compose", compose)
    monkeypatch.setattr(ta, "write_model_dir", lambda *args: None)
    mine = tmp_path / "build" / "mine.txt"
    mine.parent.mkdir()
    mine.write_text("mine\n", encoding="utf-8")
    code, _, err = run(capsys, "build-accurate", "--out", str(tmp_path))
    assert code == 0, err
    assert mine.read_text(encoding="utf-8") == "mine\n"


def test_train_roles_evaluate_lang_takes_any_case():
    # 'train roles-evaluate --lang pt' said "Unknown SemEval-2025 language 'pt'. Available: ... PT"
    args = build_parser().parse_args(["train", "roles-evaluate", "--lang", "pt"])
    assert args.lang == "PT"


class _FullDisk:
    """A stdout on a full disk (``spinscope settings > /dev/full``)."""

    def write(self, text: str) -> int:
        import errno

        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self) -> None:
        pass


def test_a_full_disk_on_stdout_is_one_line(capsys, monkeypatch):
    # 'spinscope settings > /dev/full' (or eval --json) was an OSError traceback
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    code, _, err = run(capsys, "settings")
    assert code == EXIT_INPUT
    assert_one_line(err, "cannot write the output: No space left on device.")


# -- warnings and library progress bars -------------------------------------------------------


def test_a_library_warning_has_the_house_prefix(capsys, monkeypatch):
    # the SemEval-2025 loader's "11 of 686 mentions do not align ..." came without it
    import logging

    from spinscope.cli import commands

    def cmd_settings(args, settings_of):
        log = logging.getLogger("spinscope.corpora.semeval25")
        log.warning("%s: %d of %d mentions do not align", "f.txt", 11, 686)
        return 0

    monkeypatch.setattr(commands, "cmd_settings", cmd_settings)
    assert main(["settings"]) == 0
    err = capsys.readouterr().err
    assert err == "spinscope: warning: f.txt: 11 of 686 mentions do not align\n"
    handlers = logging.getLogger("spinscope").handlers
    assert not handlers, handlers  # gone after the command: a library caller sees its own logging


def test_train_off_a_terminal_silences_the_library_progress_bars(capsys, monkeypatch, tmp_path):
    # transformers' "Loading weights: 100%|####|" bars filled a train log written to a file
    transformers = pytest.importorskip("transformers")
    monkeypatch.setenv("HF_HUB_DISABLE_PROGRESS_BARS", "0")
    try:
        transformers.utils.logging.enable_progress_bar()
        main(["train", "calibrate-claims", "--oof", str(tmp_path / "none.tsv")])
        assert not transformers.utils.logging.is_progress_bar_enabled()
        assert os.environ.get("HF_HUB_DISABLE_PROGRESS_BARS") == "1"  # for a later import too
    finally:
        transformers.utils.logging.enable_progress_bar()
