"""`spinscope settings`: every setting with its default and help, or (``checking``: with
``--config`` or ``--set``) the values a command would use, ``*`` where not the default; either
way a value an environment variable gives is marked with it, and the variables spinscope reads
that are set are listed at the end ("From the environment:"). A secret never shows."""

from __future__ import annotations

from typing import Any

from spinscope.cli.output import inert
from spinscope.settings import SCHEMA, environment, from_environment

HIDDEN = "(hidden)"


def env_values(settings: dict[str, Any], overridden: set[str]) -> dict[str, tuple[Any, str]]:
    """setting -> (its value, the variable it comes from), for the settings whose value an
    environment variable gives: its own, where the command line does not override it, or one
    that overrides the setting (``SPINSCOPE_ALLOW_PRIVATE_URLS``)."""
    from spinscope.ingest._addresses import ALLOW_PRIVATE_ENV, private_urls_allowed

    marks = {
        name: (settings[name], key)
        for name, key in from_environment().items()
        if name not in overridden
    }
    if not settings["ingest.allow_private_urls"] and private_urls_allowed():
        marks["ingest.allow_private_urls"] = (True, ALLOW_PRIVATE_ENV)
    return marks


def print_settings(settings: dict[str, Any], overridden: set[str], *, checking: bool) -> None:
    marks = env_values(settings, overridden)
    for name, spec in SCHEMA.items():
        value, key = marks.get(name, (settings[name] if checking else spec.default, None))
        if key is not None:
            note = f" (from {key}; default {spec.default!r})"
        else:
            note = f" (default {spec.default!r})" if checking and value != spec.default else ""
        line = f"{name} = {_shown(name, value)}{note}"
        if checking:
            print(f"{'*' if value != spec.default else ' '} {line}")
        else:
            extra = f" (one of {', '.join(map(str, spec.choices))})" if spec.choices else ""
            print(f"{line}{extra}\n    {spec.help}")
    _print_environment(overridden)


def _shown(name: str, value: Any) -> str:
    return HIDDEN if SCHEMA[name].secret and value else repr(value)


def _print_environment(overridden: set[str]) -> None:
    """The variables spinscope reads that are set, each with what it does."""
    found = environment()
    if not found:
        return
    secret = {key for name, key in from_environment().items() if SCHEMA[name].secret}
    print("\nFrom the environment:")
    names = {key: name for name, key in from_environment().items()}
    for key, (value, what) in found.items():
        shown = HIDDEN if key in secret else inert(value)
        beaten = " (overridden on the command line)" if names.get(key) in overridden else ""
        print(f"  {key}={shown}: {what}{beaten}")
