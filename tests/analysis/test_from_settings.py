"""Each analyser is built from settings by one table (argument -> setting), not by hand."""

from __future__ import annotations

import inspect

import pytest

from spinscope import registry
from spinscope.analysis.base import Analyzer
from spinscope.settings import SCHEMA, load_settings


def classes():
    from importlib import import_module

    for name, where in registry.BUILTINS.items():
        module, cls_name = where.split(":")
        yield name, getattr(import_module(module), cls_name)


def tables():
    for name, cls in classes():
        yield name, cls, cls.SETTING_ARGS


@pytest.mark.parametrize("name", sorted(registry.BUILTINS))
def test_every_table_names_real_settings_and_real_arguments(name):
    cls, table = next((c, t) for n, c, t in tables() if n == name)
    arguments = inspect.signature(cls.__init__).parameters
    for arg, source in table.items():
        key = source if isinstance(source, str) else source[0]
        assert key in SCHEMA, f"{name}: {key} is no setting"
        assert arg in arguments, f"{name}: {arg} is no argument of {cls.__name__}"


@pytest.mark.parametrize("name", sorted(registry.BUILTINS))
def test_the_registry_builds_what_the_settings_say(name):
    settings = load_settings({"roles.enabled": True})
    analyser = registry.create_analyzer(name, settings)
    assert isinstance(analyser, Analyzer)
    for attr in ("name", "version", "analyze", "provenance"):
        assert hasattr(analyser, attr)


def test_a_setting_reaches_its_argument():
    settings = load_settings({"techniques.threshold": 0.37, "claims.also_list": "figures"})
    assert registry.create_analyzer("techniques", settings).threshold == 0.37
    assert registry.create_analyzer("claims", settings).also_list == ("figures",)
    framing = registry.create_analyzer("framing", load_settings({"framing.min_words": 7}))
    assert framing.min_words == 7


@pytest.mark.parametrize("name", sorted(registry.BUILTINS))
def test_each_analyser_holds_its_own_table(name):
    """The table lives in the analyser's module, not in the registry (framing and roles too)."""
    cls = next(c for n, c in classes() if n == name)
    assert "SETTING_ARGS" in vars(cls) or "from_settings" in vars(cls)
    assert not hasattr(registry, "SETTING_ARGS")
