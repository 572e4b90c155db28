"""The eval task table (issue #19): the CLI's choices come from it, and it returns plain dicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinscope.cli.eval_output import FORMATTERS
from spinscope.cli.main import EXIT_INPUT, EXIT_MODEL, build_parser, main
from spinscope.evaluation import tasks
from spinscope.model.taxonomy import LABELS_2023


def _eval_parser():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sub.choices["eval"]


def _choices(parser, dest):
    return next(a for a in parser._actions if a.dest == dest).choices


def test_cli_task_and_language_choices_come_from_the_table(monkeypatch):
    p = _eval_parser()
    assert tuple(_choices(p, "task")) == tuple(tasks.TASKS)
    assert set(_choices(p, "lang")) == {lang for t in tasks.TASKS.values() for lang in t.langs}
    # a task added to the table is offered by the CLI without touching cli/
    monkeypatch.setitem(tasks.TASKS, "toy", tasks.Task("toy", "a toy", lambda o: {}, ("XX",)))
    p = _eval_parser()
    assert "toy" in _choices(p, "task") and "XX" in _choices(p, "lang")


def test_the_task_argument_has_help_from_the_table(monkeypatch):
    # `spinscope eval --help` listed the task names with no word on what each one scores
    monkeypatch.setitem(tasks.TASKS, "toy", tasks.Task("toy", "a toy 100% task", lambda o: {}))
    p = _eval_parser()
    text = "".join(p.format_help().split())  # argparse wraps lines, also after a hyphen
    assert "TASKthetasktoscore,oneof:" in text
    for name, task in tasks.TASKS.items():
        assert f"{name}:{''.join(task.help.split())}" in text


def test_every_task_has_a_text_formatter():
    assert set(FORMATTERS) == set(tasks.TASKS)


def test_cli_prints_what_the_task_returns(monkeypatch, capsys, tmp_path):
    seen = {}

    def toy(o: tasks.Options) -> dict:
        seen.update(lang=o.lang, data=o.data, folds=o.folds)
        return {"task": "toy", "score": 0.5}

    monkeypatch.setitem(tasks.TASKS, "ptc", tasks.Task("ptc", "toy", toy, takes=("folds",)))
    assert main(["eval", "ptc", "--json", "--data", str(tmp_path), "--folds", "3"]) == 0
    assert json.loads(capsys.readouterr().out) == {"task": "toy", "language": "EN", "score": 0.5}
    assert seen == {"lang": "EN", "data": tmp_path, "folds": 3}


@pytest.mark.parametrize("name", list(tasks.TASKS))
@pytest.mark.parametrize("own", [{}, {"lang": "XX"}, {"language": "XX"}, {"task": None}])
def test_every_task_reports_its_language_under_one_key(monkeypatch, capsys, tmp_path, name, own):
    """`eval TASK --json` said ``lang`` in some tasks (semeval23-st3, -ml) and ``language`` in
    others (semeval25-*), and nothing in the English-only ones: one key, ``language`` (as in
    analyze's JSON and the store), right after ``task`` (which the check-worthiness tasks
    left out), whatever the task itself returned."""
    task = tasks.TASKS[name]
    lang = task.langs[-1] if task.langs else "EN"
    given = {k: v for k, v in {"task": "t", **own}.items() if v is not None}
    fake = tasks.Task(name, task.help, lambda o: {**given, "score": 0.5}, task.langs, task.takes)
    monkeypatch.setitem(tasks.TASKS, name, fake)
    assert main(["eval", name, "--json", "--lang", lang, "--data", str(tmp_path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["task", "language", "score"] and result["language"] == lang
    # the check-worthiness tasks named none: the task's own name then
    assert result["task"] == given.get("task", name)


def test_a_language_the_task_does_not_take_is_one_line(capsys):
    assert main(["eval", "semeval25-st2", "--lang", "FR"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.startswith("spinscope: error: semeval25-st2 has no language 'FR'")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("task", ["checkthat19", "ptc", "claimbuster"])
def test_an_english_only_task_refuses_another_language(capsys, tmp_path, task):
    # --lang FR was ignored: English scores came back as if they were French ones
    assert main(["eval", task, "--lang", "FR", "--data", str(tmp_path)]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.startswith(f"spinscope: error: {task} has no language 'FR'. Available: EN.")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("argv", "needle"), [
    (["semeval23-st3", "--lang", "FR"], "SemEval-2023 Task 3 not found"),
    (["checkthat24"], "CheckThat! 2024 Task 3 not found"),
])  # fmt: skip
def test_missing_data_is_one_line(capsys, tmp_path, argv, needle):
    assert main(["eval", *argv, "--data", str(tmp_path)]) == EXIT_MODEL
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("lang", "folder"), [("FR", "fr"), ("PL", "po")])
def test_semeval23_st3_other_language_end_to_end(tmp_path, capsys, lang, folder):
    """What gives a language's findings (the paragraph analyser with the multilingual tagger) on
    a one-article dev set: a JSON score and a train floor. Polish lives in "po" (as German in
    "ge"), not in its ISO code's folder."""
    fr = tmp_path / "semeval2023-task3" / folder
    text = "Un titre\n\nCes traîtres corrompus mentent sans cesse au peuple.\nIl pleut.\n"
    for split in ("dev", "train"):
        _write(fr / f"{split}-articles-subtask-3" / "article1.txt", text)
        _write(fr / f"{split}-labels-subtask-3.txt",
               "1\t1\t\n1\t3\tName_Calling-Labeling,Loaded_Language\n1\t4\t\n")  # fmt: skip
        _write(fr / f"{split}-labels-subtask-3-spans" / "article1-labels-subtask-3.txt",
               "1\tName_Calling-Labeling\t14\t33\n")  # fmt: skip
        _write(fr / f"{split}-labels-subtask-3.template",
               "".join(f"1\t{n}\t{line}\n" for n, line in enumerate(text.split("\n"), 1)
                       if line.strip()))  # fmt: skip
    assert main(["eval", "semeval23-st3", "--lang", lang, "--json", "--data", str(tmp_path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["language"] == lang and "lang" not in result
    assert result["n_paragraphs"] == 3 and result["n_articles"] == 1
    assert result["analyser"] == "techniques_paragraphs" and result["multilingual_tagger"]
    assert 0.0 <= result["micro_f1"] <= 1.0 and 0.0 <= result["ece"] <= 1.0
    assert set(result["per_label_f1"]) == set(LABELS_2023)
    # train has 2 labels on 1 of 3 lines: giving both to every line scores 2*2/(2*2+4) = 0.5
    assert result["constant_floor"]["micro_f1"] == 0.5
    assert main(["eval", "semeval23-st3", "--lang", lang, "--data", str(tmp_path)]) == 0
    assert "constant floor (chosen on train): micro-F1 0.5000" in capsys.readouterr().out


@pytest.mark.parametrize("task", ["ptc", "semeval23-st3"])
def test_the_tagger_tasks_name_the_model_folder_they_scored(tmp_path, capsys, task):
    """Two taggers trained the same day share a card name and version: checkthat24 and
    semeval23-st3 on another language said which --model-dir they scored, ptc and semeval23-st3
    EN did not."""
    from spinscope.analysis.techniques import shipped_model_dir

    text = "They are traitors.\n\nThe corrupt elite lied again.\n"
    ptc = tmp_path / "ptc-semeval2020-task11"
    _write(ptc / "dev-articles" / "article1.txt", text)
    _write(ptc / "dev-task-flc-tc.labels", "1\tName_Calling,Labeling\t9\t17\n")
    en = tmp_path / "semeval2023-task3" / "en"
    _write(en / "train-articles-subtask-3" / "article1.txt", text)
    _write(en / "train-labels-subtask-3.txt", "1\t1\tName_Calling-Labeling\n1\t3\t\n")
    folder = str(shipped_model_dir())
    argv = ["eval", task, "--json", "--data", str(tmp_path), "--model-dir", folder]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["model_dir"] == folder
