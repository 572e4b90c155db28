"""Annotation-tool formats: one module per format, each a ``read``/``write`` pair converting
between files and the plain records of ``interchange.annotated`` (no database here: the store
gathers what is written and keeps what is read).

``FORMATS`` is the table the CLI takes its choices from and ``store`` dispatches on; it names
modules without importing them, so listing the formats loads no reader or writer (nor cassis).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from spinscope.interchange.annotated import RawDoc, TaskDoc

    Reader = Callable[[Path], list[RawDoc]]
    Writer = Callable[[Iterable[TaskDoc], Path, str], int]


@dataclass(frozen=True)
class Format:
    """One annotation tool's format: its name on the command line, its module here and what an
    export in it holds (``spinscope export --help``)."""

    name: str
    module: str  # under spinscope.interchange
    holds: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("label-studio", "label_studio", "a tasks JSON with the findings as predictions"),
        Format("brat", "brat", "a .txt and .ann per document"),
        Format("inception", "inception", "UIMA CAS XMI per document"),
    )
}
NAMES = tuple(FORMATS)


def module(name: str) -> ModuleType:
    """The module of format ``name`` (a key of ``FORMATS``)."""
    return import_module(f"{__name__}.{FORMATS[name].module}")


def reader(name: str) -> Reader:
    """``read(source) -> list[RawDoc]`` of format ``name``."""
    return cast("Reader", module(name).read)


def writer(name: str) -> Writer:
    """``write(docs, out, taxonomy) -> documents written`` of format ``name``."""
    return cast("Writer", module(name).write)
