"""A setting that only the analyser could refuse (a label of the framing model, a role, a
language of the paragraph model, an empty list) is refused where the settings are read: by
`spinscope settings --set`, and by `analyze --set` before any input is read or model loaded, in
the same one line; `batch` and `serve` too, before a store is made."""

from __future__ import annotations

import pytest

from spinscope.cli.main import EXIT_INPUT, main

from .test_cli_errors import assert_one_line_error

BAD = [
    ("framing.label_min_score=Ecnomic=0.7", "did you mean Economic?"),
    ("framing.label_min_score=Economic", "expected LABEL=NUMBER"),
    ("roles.label_min_score=Antagonst=0.6", "did you mean Antagonist?"),
    ("roles.label_min_score=Antagonist", "expected LABEL=NUMBER"),
    ("techniques_paragraphs.languages=fr,xx", "no language 'xx'"),
    ("pipeline.analyzers=roles", "leaves no analyser to run"),
    ("pipeline.analyzers=", "leaves no analyser to run"),
    ("techniques.taxonomies=", "names no taxonomy"),
]


def error_of(capsys, *argv: str) -> str:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == EXIT_INPUT and not captured.out, (code, captured)
    return captured.err


@pytest.mark.parametrize(("setting", "needle"), BAD)
def test_settings_and_analyze_refuse_it_in_the_same_line(capsys, tmp_path, monkeypatch,
                                                         setting, needle):  # fmt: skip
    from spinscope.analysis.pipeline import Pipeline

    def no_run(self, docs):
        raise AssertionError("a model was asked to run")

    monkeypatch.setattr(Pipeline, "run", no_run)
    err = error_of(capsys, "settings", "--set", setting)
    assert_one_line_error(err, needle)
    # the article is not even read (a URL would have been fetched first)
    missing = str(tmp_path / "missing.txt")
    assert error_of(capsys, "analyze", missing, "--set", setting) == err
    article = tmp_path / "a.txt"
    article.write_text("The minister said on Monday that the plan would work.", encoding="utf-8")
    assert error_of(capsys, "analyze", str(article), "--set", setting) == err


def test_batch_refuses_it_before_making_the_store(capsys, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The minister said on Monday that the plan would work.", encoding="utf-8")
    store = tmp_path / "s.duckdb"
    err = error_of(capsys, "batch", str(article), "--store", str(store), "--quiet",
                   "--set", "roles.label_min_score=Antagonst=0.6")  # fmt: skip
    assert_one_line_error(err, "did you mean Antagonist?")
    assert not store.exists()


def test_the_setting_from_a_file_or_the_environment_is_refused_too(capsys, tmp_path, monkeypatch):
    config = tmp_path / "s.toml"
    config.write_text("[roles]\nlabel_min_score = 'Antagonst=0.6'\n", encoding="utf-8")
    assert_one_line_error(error_of(capsys, "settings", "--config", str(config)), "Antagonist?")
    monkeypatch.setenv("SPINSCOPE_FRAMING_LABEL_MIN_SCORE", "Ecnomic=0.7")
    assert_one_line_error(error_of(capsys, "settings"), "did you mean Economic?")


def test_good_values_still_pass(capsys):
    argv = ["settings", "--set", "framing.label_min_score=Economic=0.7",
            "--set", "roles.label_min_score=Antagonist=0.6",
            "--set", "techniques_paragraphs.languages=FR, de"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "* framing.label_min_score = 'Economic=0.7'" in out
