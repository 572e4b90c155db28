"""Names -> factories for analysers, with versioned names; built-ins registered in one place.

A built-in analyser builds itself from settings (``from_settings``, most from a table of
argument -> setting in the analyser's class, ``SETTING_ARGS``); this module holds no per-analyser
table.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from spinscope.errors import ConfigError

ANALYZERS: dict[str, Callable[[dict[str, Any]], Any]] = {}

# analyser name -> "module:Class" of the built-ins
BUILTINS = {
    "techniques": "spinscope.analysis.techniques:TechniqueTagger",
    "techniques_paragraphs": "spinscope.analysis.technique_paragraphs:ParagraphTechniques",
    "claims": "spinscope.analysis.claims:ClaimAnalyzer",
    "framing": "spinscope.analysis.framing:FramingAnalyzer",
    "roles": "spinscope.analysis.roles:RoleAnalyzer",
}


def register_analyzer(name: str, factory: Callable[[dict[str, Any]], Any]) -> None:
    ANALYZERS[name] = factory


def _builtin(name: str) -> Callable[[dict[str, Any]], Any]:
    """A factory that imports the analyser's module only when it is first built."""

    def build(settings: dict[str, Any]) -> Any:
        module, cls_name = BUILTINS[name].split(":")
        cls = getattr(import_module(module), cls_name)
        return cls.from_settings(settings)

    return build


def register_builtins() -> None:
    for name in BUILTINS:
        register_analyzer(name, _builtin(name))


def create_analyzer(name: str, settings: dict[str, Any]):
    if not ANALYZERS:
        register_builtins()
    if name not in ANALYZERS:
        raise ConfigError(f"Unknown analyser {name!r}. Available: {', '.join(sorted(ANALYZERS))}.")
    return ANALYZERS[name](settings)
