"""The format table: each annotation format is one module with a read/write pair, and the CLI's
choices and the store's export formats come from the table."""

import subprocess
import sys

import pytest

from spinscope import interchange
from spinscope.cli.main import build_parser
from spinscope.store.formats import EXPORT_FORMATS, HOLDS, formats_help


@pytest.mark.parametrize("name", interchange.NAMES)
def test_each_format_is_one_module_with_read_and_write(name):
    module = interchange.module(name)
    assert interchange.reader(name) is module.read
    assert interchange.writer(name) is module.write
    assert module.__name__ == f"spinscope.interchange.{name.replace('-', '_')}"


def test_the_table_lists_the_three_tools_in_export_order():
    assert interchange.NAMES == ("label-studio", "brat", "inception")
    start = EXPORT_FORMATS.index(interchange.NAMES[0])
    assert EXPORT_FORMATS[start : start + 3] == interchange.NAMES


def test_cli_choices_come_from_the_table():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    choices = {
        name: next(a.choices for a in p._actions if a.dest == "format")
        for name, p in sub.choices.items()
        if name in ("export", "import-annotations")
    }
    assert tuple(choices["import-annotations"]) == interchange.NAMES
    assert tuple(choices["export"]) == EXPORT_FORMATS


def test_export_help_names_every_format_with_what_it_holds():
    text = formats_help()
    assert text.startswith("parquet/csv: one row per finding with its document's fields, and ")
    assert "NAME.documents.EXT with one row per document, its words" in text
    for name in interchange.NAMES:
        assert f"{name}: {interchange.FORMATS[name].holds};" in text
    named = [n for part in text.split("; ") for n in part.split(": ")[0].split("/")]
    assert tuple(named) == EXPORT_FORMATS == tuple(HOLDS)


def test_listing_the_formats_loads_no_reader_or_writer():
    code = (
        "import sys, spinscope.store.formats; "
        "print(sorted(m for m in sys.modules if m.startswith(('cassis', 'spinscope.interchange.'))"
        " or m == 'spinscope.store.db'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
