"""Names -> factories for analysers, with versioned names; built-ins registered in one place.

A built-in analyser builds itself from settings (``from_settings``, most from a table of
argument -> setting in the analyser's class). Framing and roles have their table here (see
``SETTING_ARGS``) until their modules take it over.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from spinscope.errors import ConfigError
from spinscope.settings import SettingArgs, optional, setting_args

ANALYZERS: dict[str, Callable[[dict[str, Any]], Any]] = {}

# analyser name -> "module:Class" of the built-ins
BUILTINS = {
    "techniques": "spinscope.analysis.techniques:TechniqueTagger",
    "techniques_paragraphs": "spinscope.analysis.technique_paragraphs:ParagraphTechniques",
    "claims": "spinscope.analysis.claims:ClaimAnalyzer",
    "framing": "spinscope.analysis.framing:FramingAnalyzer",
    "roles": "spinscope.analysis.roles:RoleAnalyzer",
}

# argument -> setting, for the built-ins whose class has no ``from_settings`` of its own
SETTING_ARGS: dict[str, SettingArgs] = {
    "framing": {
        "threshold": "framing.threshold",
        "max_evidence": "framing.max_evidence",
        "model_dir": ("framing.model_dir", optional),
        "label_min_score": "framing.label_min_score",
        "min_words": "framing.min_words",
    },
    "roles": {
        "max_entities": "roles.max_entities",
        "min_mentions": "roles.min_mentions",
        "max_evidence": "framing.max_evidence",
        "min_score": "roles.min_score",
        "label_min_score": "roles.label_min_score",
        "model_dir": ("roles.model_dir", optional),
    },
}


def register_analyzer(name: str, factory: Callable[[dict[str, Any]], Any]) -> None:
    ANALYZERS[name] = factory


def _builtin(name: str) -> Callable[[dict[str, Any]], Any]:
    """A factory that imports the analyser's module only when it is first built."""

    def build(settings: dict[str, Any]) -> Any:
        module, cls_name = BUILTINS[name].split(":")
        cls = getattr(import_module(module), cls_name)
        if name in SETTING_ARGS:
            return cls(**setting_args(settings, SETTING_ARGS[name]))
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
