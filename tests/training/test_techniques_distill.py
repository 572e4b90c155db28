"""Soft labels for the English tagger (``training.techniques_distill``): teacher scores moved
onto the student's word pieces, the soft-label file, and the windows the student trains on."""

from __future__ import annotations

import numpy as np
import pytest

from spinscope.analysis.spans import CHANNELS
from spinscope.errors import DataError
from spinscope.training import techniques_distill as td
from spinscope.training.techniques import TrainConfig


def test_a_student_piece_takes_the_highest_score_of_the_characters_it_covers():
    # teacher: "propaganda" as "propa" + "ganda"; student: "prop" + "aganda" + " lies"
    t_off = np.array([[0, 5], [5, 10]])
    t_probs = np.array([[0.2, 0.9], [0.6, 0.1]], np.float32)
    s_off = np.array([[0, 4], [4, 10], [11, 15]])
    got = td.to_pieces(15, t_off, t_probs, s_off)
    np.testing.assert_allclose(got, [[0.2, 0.9], [0.6, 0.9], [0.0, 0.0]])


def test_the_soft_file_round_trips_without_pickles(tmp_path):
    labels = [np.full((3, len(CHANNELS)), 0.25, np.float16), np.zeros((0, len(CHANNELS)),
                                                                      np.float16)]  # fmt: skip
    path = tmp_path / "soft.npz"
    td.write_soft(path, ["a", "b"], ["un deux", ""], labels, ["/teacher"])
    back = td.read_soft(path)
    assert back["ids"] == ["a", "b"] and back["texts"] == ["un deux", ""]
    assert back["teachers"] == ["/teacher"]
    assert [x.shape for x in back["labels"]] == [(3, len(CHANNELS)), (0, len(CHANNELS))]
    assert float(back["labels"][0][1, 4]) == 0.25


@pytest.mark.parametrize("content", [None, b"not an npz"])
def test_a_missing_or_foreign_soft_file_is_one_line(tmp_path, content):
    path = tmp_path / "soft.npz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError) as err:
        td.read_soft(path)
    assert "\n" not in str(err.value)


def _tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {"[UNK]": 0, "false": 1, "propaganda": 2, "again": 3, ".": 4}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    return tok


def test_soft_examples_carry_the_targets_of_each_window_and_no_spans():
    text = "false propaganda. again."
    lab = np.zeros((5, len(CHANNELS)), np.float16)
    lab[1, 0] = 0.75
    (first, second) = td.soft_examples([text], [lab], _tokenizer(), TrainConfig(), first=7)
    assert first.article == 7 and first.spans == [] and second.spans == []
    assert first.labels.dtype == np.float32 and float(first.labels[1, 0]) == 0.75
    assert len(first.ids) + len(second.ids) == 5


def test_soft_labels_from_another_tokenizer_are_refused():
    with pytest.raises(DataError, match="another tokenizer"):
        td.soft_examples(["false propaganda"], [np.zeros((9, len(CHANNELS)), np.float16)],
                         _tokenizer(), TrainConfig())  # fmt: skip


def test_unlabelled_english_reads_only_texts(tmp_path):
    se25 = tmp_path / "semeval2025-task10" / "train" / "EN" / "raw-documents"
    se23 = tmp_path / "semeval2023-task3" / "en" / "test-articles-subtask-3"
    se25.mkdir(parents=True)
    se23.mkdir(parents=True)
    (se25 / "EN_1.txt").write_text("Climate news.", encoding="utf-8")
    (se25 / "EN_2.txt").write_text("  ", encoding="utf-8")
    (se23 / "article9.txt").write_text("War news.", encoding="utf-8")
    assert td.unlabelled_english(tmp_path) == [("se25-EN_1", "Climate news."),
                                               ("se23test-9", "War news.")]  # fmt: skip
    with pytest.raises(DataError, match="not found"):
        td.unlabelled_english(tmp_path / "nothing")


def test_the_soft_labels_task_writes_what_train_techniques_reads(tmp_path):
    pytest.importorskip("onnxruntime")
    from spinscope.analysis import encoder
    from spinscope.analysis.techniques import shipped_model_dir
    from spinscope.training.tasks import soft_labels

    se25 = tmp_path / "semeval2025-task10" / "train" / "EN" / "raw-documents"
    se23 = tmp_path / "semeval2023-task3" / "en" / "test-articles-subtask-3"
    se25.mkdir(parents=True)
    se23.mkdir(parents=True)
    (se25 / "EN_1.txt").write_text("The traitors spread shameful lies again.", encoding="utf-8")
    (se23 / "article9.txt").write_text("Our glorious nation will never surrender.", "utf-8")
    out = tmp_path / "soft.npz"
    result = soft_labels(out=out, data=tmp_path)
    assert result["texts"] == 2
    back = td.read_soft(out)
    tok = encoder.load_tokenizer(str(shipped_model_dir() / "tokenizer.json"))
    examples = td.soft_examples(back["texts"], back["labels"], tok, TrainConfig())
    assert examples and all(0.0 <= ex.labels.min() and ex.labels.max() <= 1.0 for ex in examples)
    assert max(float(ex.labels[:, 0].max()) for ex in examples) > 0.05  # the teacher spoke
