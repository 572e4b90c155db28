"""``corpora.ptc.read_json``: the one JSON reader of the corpus loaders."""

import pytest

from spinscope.corpora.checkworthy import load_claimbuster
from spinscope.corpora.ptc import read_json
from spinscope.corpora.technique_spans import load_semeval21_spans
from spinscope.errors import DataError


def test_reads_json(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('[{"id": 1}]\r\n', encoding="utf-8")
    assert read_json(path, "missing") == [{"id": 1}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file here"),
        (b"[1,", "is not valid JSON (Expecting value, line 1)."),
        (b"\xff\xfe[]", "is not UTF-8 text (invalid byte 0xff"),
    ],
)
def test_bad_files_are_one_line_data_errors(tmp_path, content, message):
    path = tmp_path / "a.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_json(path, "no such file here")


def test_loaders_name_their_missing_files(tmp_path):
    with pytest.raises(DataError, match="ClaimBuster file .* is missing"):
        load_claimbuster(tmp_path)
    with pytest.raises(DataError, match="SemEval-2021 Task 6 file .* not found"):
        load_semeval21_spans(tmp_path, "dev")
    (tmp_path / "dev_set_task2.txt").write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match="is not valid JSON"):
        load_semeval21_spans(tmp_path, "dev")
