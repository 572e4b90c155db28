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
