"""Submission writers produce the official line formats for any folder of articles."""

from pathlib import Path

import pytest

from spinscope.analysis.techniques import TechniqueTagger, shipped_model_dir
from spinscope.cli.main import main
from spinscope.model.taxonomy import LABELS_2020, LABELS_2023

pytestmark = pytest.mark.skipif(
    not (shipped_model_dir() / "card.json").exists(), reason="no shipped technique model"
)

ARTICLES = {
    "101": "Harbour Plan\n\nThese corrupt cowards betrayed our town.\nThe vote is on Monday.\n",
    "102": "Weather\n\nRain is expected tomorrow.\n\nStand with Port Ellery! Enough is enough!\n",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for art_id, text in ARTICLES.items():
        (tmp_path / f"article{art_id}.txt").write_text(text, encoding="utf-8")
    return tmp_path


def test_ptc_si_lines(folder, tmp_path):
    out = tmp_path / "si.txt"
    assert main(["predict", "ptc-si", str(folder), "--out", str(out), "--threshold", "0.2"]) == 0
    for line in out.read_text().splitlines():
        art_id, start, end = line.split("\t")
        assert art_id in ARTICLES and 0 <= int(start) < int(end) <= len(ARTICLES[art_id])


def test_ptc_tc_lines_follow_the_template(folder, tmp_path):
    template = tmp_path / "template.out"
    spans = [("101", 9, 24), ("102", 59, 79), ("101", 16, 40)]
    template.write_text("".join(f"{a}\t?\t{s}\t{e}\n" for a, s, e in spans))
    out = tmp_path / "tc.txt"
    assert (
        main(["predict", "ptc-tc", str(folder), "--template", str(template), "--out", str(out)])
        == 0
    )
    lines = [line.split("\t") for line in out.read_text().splitlines()]
    assert sorted((a, int(s), int(e)) for a, _, s, e in lines) == sorted(spans)
    assert all(label in LABELS_2020 for _, label, _, _ in lines)


def test_ptc_tc_needs_a_template(folder, tmp_path, capsys):
    assert main(["predict", "ptc-tc", str(folder), "--out", str(tmp_path / "x")]) == 1
    assert "--template" in capsys.readouterr().err


def test_semeval23_paragraph_lines(folder, tmp_path):
    out = tmp_path / "st3.txt"
    assert main(["predict", "semeval23-st3", str(folder), "--out", str(out)]) == 0
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    # one row per non-empty line, numbered like the 2023 templates (1-based line numbers)
    assert [(a, p) for a, p, _ in rows] == [
        ("101", "1"),
        ("101", "3"),
        ("101", "4"),
        ("102", "1"),
        ("102", "3"),
        ("102", "5"),
    ]
    for _, _, labels in rows:
        assert all(x in LABELS_2023 for x in labels.split(",") if x)


def test_tc_classifies_every_given_span():
    tagger = TechniqueTagger()
    text = ARTICLES["101"]
    scores = tagger.scores([text])[0]
    probs = tagger.classify_spans(scores, [(9, 24), (16, 40)], "semeval2023")
    assert probs.shape == (2, 23)
    assert abs(float(probs[0].sum()) - 1.0) < 1e-4


def test_an_article_that_is_not_utf8_is_one_line(tmp_path, capsys):
    # was a UnicodeDecodeError traceback from `spinscope predict`
    (tmp_path / "article1.txt").write_bytes(b"Caf\xe9 lies.\n")
    out = str(tmp_path / "x.txt")
    assert main(["predict", "ptc-si", str(tmp_path), "--out", out]) == 3  # as a missing folder
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "article1.txt is not UTF-8 text (invalid byte 0xe9" in err[0]


@pytest.mark.parametrize("kind", ["broken link", "folder"])
def test_an_article_that_cannot_be_read_is_one_line(tmp_path, capsys, kind):
    # a dangling symlink or a folder named article<ID>.txt was an OSError traceback
    path = tmp_path / "article1.txt"
    if kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(tmp_path / "gone.txt")
    out = str(tmp_path / "x.txt")
    assert main(["predict", "ptc-si", str(tmp_path), "--out", out]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"Cannot read {path}: " in err[0]


@pytest.mark.parametrize("span", ["5\t9999", "10\t5"])
def test_a_template_span_outside_its_article_names_the_line(folder, tmp_path, capsys, span):
    # was "Span (5, 9999) is not a non-empty character range of a text of 78 characters",
    # naming neither the template, its line nor the article
    template = tmp_path / "template.out"
    template.write_text(f"101\t?\t0\t10\n101\t?\t{span}\n")
    out = str(tmp_path / "tc.txt")
    argv = ["predict", "ptc-tc", str(folder), "--template", str(template), "--out", out]
    assert main(argv) == 3
    err = capsys.readouterr().err.strip().splitlines()
    start, end = span.split("\t")
    assert err == [
        f"spinscope: error: {template} line 2: span {start}-{end} lies outside article 101 "
        f"({len(ARTICLES['101'])} characters); give 0 <= start < end <= its length."
    ]


def test_a_missing_template_is_one_line(folder, tmp_path, capsys):
    # was a FileNotFoundError traceback
    missing = tmp_path / "none.out"
    argv = ["predict", "ptc-tc", str(folder), "--template", str(missing), "--out", "x.txt"]
    assert main(argv) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"spinscope: error: Cannot read {missing}: No such file or directory."]
