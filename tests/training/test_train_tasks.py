"""`spinscope train TASK` reaches the tasks that were `python -m spinscope.training.X` entry
points, with their options, and bad input gives one line and a non-zero exit."""

import json

import numpy as np
import pytest

from spinscope.cli.main import build_parser, main
from spinscope.training.tasks import OPTIONS, TASKS


def test_every_task_is_a_choice_and_every_option_it_names_is_an_argument():
    parser = build_parser()
    for name, task in TASKS.items():
        args = parser.parse_args(["train", name])
        assert args.what == name
        assert set(task.options) <= set(OPTIONS), name
        assert all(hasattr(args, option) for option in task.options), name


def test_calibrate_claims_runs_through_the_cli(tmp_path, capsys):
    pytest.importorskip("sklearn")
    rng = np.random.default_rng(0)
    rows = ["sentence_id\tlabel\tfold\tp_claimbuster\tp_checkthat19"]
    for i in range(200):
        p = rng.random()
        rows.append(f"{i}\t{int(rng.random() < p)}\t{i % 5}\t{p:.4f}\t{p / 2:.4f}")
    (tmp_path / "oof.tsv").write_text("\n".join(rows) + "\n")
    code = main(["train", "calibrate-claims", "--oof", str(tmp_path / "oof.tsv"),
                 "--out", str(tmp_path)])  # fmt: skip
    assert code == 0
    # the result JSON is stdout's, so `> result.json` keeps it
    report = json.loads(capsys.readouterr().out)
    assert report and all(r["findings"] == 200 for r in report.values())
    assert (tmp_path / "calibration.json").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "techniques"], "train techniques needs --out"),
        (["train", "techniques", "--out", "x"], "needs --ptc FOLDER"),
        (["train", "share-embeddings"], "needs --from, --table"),
        (["train", "share-embeddings", "--from", "a", "--table", "t"], "the target models"),
        (["train", "calibrate-claims", "--oof", "/nonexistent/oof.tsv"], "No out-of-fold"),
        (["train", "checkworthy-cv", "--data", "/nonexistent", "--out", "x"], "not found"),
        # an option the task does not take was ignored: --lang XX trained on every language
        (
            ["train", "techniques-paragraphs", "--lang", "XX", "--out", "x"],
            "train techniques-paragraphs does not take --lang (roles-evaluate does); nothing was "
            "run.",
        ),
        (
            ["train", "techniques", "--data", "d", "--out", "x"],
            "train techniques does not take --data (",
        ),
    ],
)
def test_bad_input_is_one_line(argv, message, capsys):
    assert main(argv) in (1, 3)
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def _model_folder(path):
    path.mkdir()
    (path / "card.json").write_text('{"name": "an earlier model"}')
    return path


def test_an_out_folder_that_holds_a_model_is_refused_without_force(tmp_path, capsys):
    out = _model_folder(tmp_path / "model")
    argv = ["train", "techniques", "--ptc", str(tmp_path / "no-ptc"), "--out", str(out)]
    assert main(argv) == 1  # it overwrote the earlier model's files without a word
    err = capsys.readouterr().err
    assert "--out" in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert (out / "card.json").read_text() == '{"name": "an earlier model"}'
    # --force replaces it: the run goes on (to the missing PTC folder here)
    assert main([*argv, "--force"]) == 3
    assert "--force" not in capsys.readouterr().err


def test_resume_may_write_into_its_own_run(tmp_path, capsys):
    out = _model_folder(tmp_path / "ml")
    argv = ["train", "techniques-multilingual", "--encoder", str(tmp_path / "none"), "--out",
            str(out)]  # fmt: skip
    assert main(argv) == 1 and "--force" in capsys.readouterr().err
    assert main([*argv, "--resume"]) == 3  # on to the missing encoder
    assert "No encoder" in capsys.readouterr().err


def test_tasks_that_add_to_a_folder_take_no_force(capsys):
    # calibrate-* writes calibration.json into a model folder, checkworthy-cv into its run
    assert main(["train", "calibrate-claims", "--force"]) == 1
    assert "does not take --force" in capsys.readouterr().err
