"""``analysis.base.read_card`` and ``model_file``: one message form for a missing model file, and
a one-line ModelError (never a traceback) for a card that cannot be read."""

import pytest

from spinscope.analysis.base import model_file, read_card
from spinscope.analysis.checkworthy import CheckworthinessScorer
from spinscope.analysis.span_classifier import SpanClassifier
from spinscope.errors import ModelError


def test_a_missing_file_names_the_model_and_how_to_get_one(tmp_path):
    with pytest.raises(ModelError) as err:
        model_file(tmp_path / "model.onnx", "toy", "toy-task")
    assert str(err.value) == (
        f"No toy model in {tmp_path} (model.onnx is missing); reinstall spinscope or train one "
        "with `spinscope train toy-task`."
    )


def test_a_model_folder_that_does_not_exist_is_named_so(tmp_path):
    # a mistyped --model-dir or --set X.model_dir said "(card.json is missing); reinstall
    # spinscope": the folder itself was not there
    with pytest.raises(ModelError) as err:
        model_file(tmp_path / "modle" / "card.json", "toy", "toy-task")
    assert str(err.value) == (
        f"No toy model in {tmp_path / 'modle'}: there is no such folder; give the folder that "
        "`spinscope train toy-task` wrote (it holds card.json)."
    )


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe{}"])
def test_an_unreadable_card_is_one_model_error(tmp_path, content):
    (tmp_path / "card.json").write_bytes(content)
    with pytest.raises(ModelError, match="is unreadable"):
        read_card(tmp_path / "card.json", "toy", "toy-task")


def test_the_scorers_say_which_model_lacks_a_file(tmp_path):
    with pytest.raises(ModelError, match="No check-worthiness model .*card.json is missing"):
        CheckworthinessScorer(str(tmp_path)).card  # noqa: B018
    with pytest.raises(ModelError, match="No span classifier model .*int8.onnx is missing"):
        SpanClassifier(tmp_path).card  # noqa: B018
    (tmp_path / "card.json").write_text("[", encoding="utf-8")
    with pytest.raises(ModelError, match="is unreadable"):
        CheckworthinessScorer(str(tmp_path)).card  # noqa: B018
