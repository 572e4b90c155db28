"""Settings: read, merged and validated once against one schema (``settings_schema.SCHEMA``).

Settings are plain data (``dict`` of dotted names), so they can be written into every output and
shipped to workers. Overrides come from a TOML file < ``SPINSCOPE_<SECTION>_<NAME>`` environment
variables < ``--set section.name=value`` on the command line.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from spinscope.errors import ConfigError
from spinscope.settings_schema import ENVIRONMENT as ENVIRONMENT
from spinscope.settings_schema import SCHEMA as SCHEMA
from spinscope.settings_schema import Setting as Setting


def label_thresholds(value: str | dict[str, float], sep: str = ";") -> dict[str, float]:
    """``"Doubt=0.3; Slogans=0.5"`` -> ``{"Doubt": 0.3, "Slogans": 0.5}``; one clear error for a
    malformed item."""
    if isinstance(value, dict):
        return {str(k): float(v) for k, v in value.items()}
    out = {}
    for item in filter(None, (x.strip() for x in value.split(sep))):
        label, _, number = item.rpartition("=")
        try:
            threshold = float(number)
        except ValueError:
            threshold = -1.0
        if not label.strip() or not 0.0 <= threshold <= 1.0:
            raise ConfigError(
                f"Bad per-label threshold {item!r}: expected LABEL=NUMBER with a number from 0 to "
                f"1, items separated by {sep!r}, e.g. 'Doubt=0.3'."
            )
        out[label.strip()] = threshold
    return out


def public(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings an output may record: every one but the secrets (an API token)."""
    return {k: v for k, v in settings.items() if not (k in SCHEMA and SCHEMA[k].secret)}


def _same_kind(kind: type, value: Any) -> bool:
    """A typed value (from TOML or a dict) fits a setting of ``kind`` without losing anything:
    an int where a float is wanted, never a bool for a number nor a fraction for an int."""
    if kind is str:
        return isinstance(value, (int, float, str))
    if isinstance(value, bool):
        return kind is bool
    return isinstance(value, kind) or (kind is float and isinstance(value, int))


def _coerce(name: str, value: Any) -> Any:
    spec = SCHEMA[name]
    kind = type(spec.default)
    try:
        if kind is bool and isinstance(value, str):
            if value.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(value)
            value = value.lower() in ("1", "true", "yes")
        elif not isinstance(value, str) and not _same_kind(kind, value):
            raise TypeError(value)  # a TOML 1.7 or true is no int, not silently 1
        else:
            value = kind(value)
    except (TypeError, ValueError):
        article = "an" if kind.__name__[0] in "aeiou" else "a"  # "an int", "a float"
        raise ConfigError(
            f"Setting {name} must be {article} {kind.__name__}, got {value!r}. {spec.help}"
        ) from None
    if spec.items is not None:
        bad = [x.strip() for x in value.split(",") if x.strip() and x.strip() not in spec.items]
        if bad:
            raise ConfigError(
                f"Setting {name} takes a comma-separated list of {', '.join(spec.items)}; "
                f"got {', '.join(map(repr, bad))}."
            )
    if spec.labels is not None:
        _check_labels(name, value, spec.labels)
    if spec.choices and value not in spec.choices:
        raise ConfigError(
            f"Setting {name} must be one of {', '.join(map(str, spec.choices))}; got {value!r}."
        )
    # "not >=" rather than "<": NaN compares false both ways and must not slip through
    if (spec.minimum is not None and not value >= spec.minimum) or (
        spec.maximum is not None and not value <= spec.maximum
    ):
        raise ConfigError(
            f"Setting {name} must be between {spec.minimum} and {spec.maximum}; got {value!r}."
        )
    return value


def _check_labels(name: str, value: str, labels: tuple[str, ...]) -> None:
    """A per-label threshold of a label the analyser never gives is refused, naming the nearest:
    a typo (Loaded_Langauge=0.3) applied to no finding, without a word."""
    try:
        given = label_thresholds(value)
    except ConfigError as exc:
        raise ConfigError(f"Setting {name}: {exc}") from None
    check_label_names(name, given, labels)


def check_label_names(
    name: str, given: Iterable[str], labels: Sequence[str], what: str = "technique"
) -> None:
    """A ConfigError naming setting ``name``, the first of ``given`` that is none of ``labels``
    and the nearest that is; also for analysers whose labels come from their model (framing,
    roles), which check where they are built."""
    import difflib

    for label in given:
        if label not in labels:
            near = difflib.get_close_matches(label, labels, n=1)
            hint = f"did you mean {near[0]}?" if near else f"Available: {', '.join(labels)}."
            raise ConfigError(f"Setting {name}: no {what} is labelled {label!r}; {hint}")


def load_settings(
    overrides: dict[str, Any] | None = None, *, path: str | Path | None = None
) -> dict[str, Any]:
    """Defaults < TOML file < environment < ``overrides``, validated."""
    values = {name: spec.default for name, spec in SCHEMA.items()}
    # (setting, value, where it came from: said in an error, as the command line does not)
    layers: list[tuple[str, Any, str]] = []
    if path is not None:  # an empty --config "" (an unset variable) is refused, not ignored
        layers += [(name, v, f"Settings file {path}: ") for name, v in _read_toml(path).items()]
    for name in SCHEMA:
        key = _env_key(name)
        if key in os.environ:
            layers.append((name, os.environ[key], f"Environment variable {key}: "))
    _check_env_names()
    layers += [(name, value, "") for name, value in (overrides or {}).items()]
    for name, value, origin in layers:
        try:
            if name not in SCHEMA:
                raise ConfigError(_unknown(name))
            values[name] = _coerce(name, value)
        except ConfigError as exc:
            raise ConfigError(f"{origin}{exc}") from None
    return values


def _unknown(name: str) -> str:
    """The line for a setting that does not exist: the nearest name where one is near (a typo),
    else every name."""
    import difflib

    near = difflib.get_close_matches(name, sorted(SCHEMA), n=1)
    if near:
        return (
            f"Unknown setting {name!r}; did you mean {near[0]}? "
            "(`spinscope settings` lists every setting.)"
        )
    return f"Unknown setting {name!r}. Available: {', '.join(sorted(SCHEMA))}."


def _env_key(name: str) -> str:
    return "SPINSCOPE_" + name.upper().replace(".", "_")


def from_environment() -> dict[str, str]:
    """The settings an environment variable gives a value: setting -> its variable
    (``SPINSCOPE_<SECTION>_<NAME>``)."""
    return {name: _env_key(name) for name in SCHEMA if _env_key(name) in os.environ}


def environment() -> dict[str, tuple[str, str]]:
    """Every variable spinscope reads that is set: variable -> (value, what it does), the
    settings' own (``sets techniques.threshold``) first, then the others (``ENVIRONMENT``)."""
    found = {key: (os.environ[key], f"sets {name}") for name, key in from_environment().items()}
    found |= {
        key: (os.environ[key], what) for key, what in ENVIRONMENT.items() if key in os.environ
    }
    return found


def _check_env_names() -> None:
    """A ``SPINSCOPE_<SECTION>_...`` variable that names no setting is an error, as an unknown
    setting in a file or ``--set`` is: a typo (SPINSCOPE_TECHNIQUES_THRESOLD) was ignored and
    the default used without a word. Variables outside the sections (SPINSCOPE_THREADS,
    SPINSCOPE_CACHE_DIR, ...) are not settings and are left alone."""
    import difflib

    known = {_env_key(name) for name in SCHEMA}
    prefixes = tuple(sorted({_env_key(name.split(".")[0]) + "_" for name in SCHEMA}))
    for key in sorted(os.environ):
        if key.startswith(prefixes) and key not in known:
            near = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f"did you mean {near[0]}?" if near else "see `spinscope settings`."
            raise ConfigError(f"Environment variable {key} names no setting; {hint}")


def _read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML settings file as dotted names: ``[techniques] threshold = 0.3`` ->
    ``{"techniques.threshold": 0.3}``."""
    if not str(path).strip():
        raise ConfigError("The settings file name is empty; give the path of a TOML file.")
    try:
        # utf-8-sig: Notepad's UTF-8 starts with a byte order mark, which TOML does not allow
        data = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:  # Python's own line repeats the path: "[Errno 2] ...: 'path'"
        raise ConfigError(f"Cannot read settings file {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"Cannot read settings file {path}: it is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Cannot read settings file {path}: {exc}") from None
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(
                f"Settings file {path}: {section!r} is not a [section]; write settings under "
                "their section, e.g. [techniques] then threshold = 0.3 (see `spinscope settings`)."
            )
    return {f"{sec}.{k}": v for sec, table in data.items() for k, v in table.items()}


def parse_override(text: str) -> tuple[str, str]:
    """``section.name=value`` from the command line."""
    name, sep, value = text.partition("=")
    if not sep:
        raise ConfigError(f"--set expects section.name=value, got {text!r}.")
    return name.strip(), value.strip()


def optional(value: Any) -> Any:
    """An empty setting (``""``) as ``None``: "not set, use the default"."""
    return value or None


def comma_list(value: str) -> list[str]:
    """A comma-separated setting as its non-empty, stripped items."""
    return [x.strip() for x in value.split(",") if x.strip()]


SettingArgs = Mapping[str, "str | tuple[str, Callable[[Any], Any]]"]  # argument -> setting


def named_settings(*keys: str | tuple[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """An argument -> setting table (``SettingArgs``) whose arguments are named as their settings:
    ``"framing.min_words"`` feeds ``min_words``, ``("claims.also_list", comma_list)`` feeds
    ``also_list`` converted."""
    table: dict[str, Any] = {}
    for source in keys:
        key = source if isinstance(source, str) else source[0]
        table[key.rpartition(".")[2]] = source
    return table


def setting_args(settings: dict[str, Any], table: SettingArgs) -> dict[str, Any]:
    """Constructor arguments from settings: ``table`` maps an argument to its setting's key, or
    to ``(key, convert)`` where the setting's value needs converting."""
    args = {}
    for arg, source in table.items():
        key, convert = (source, None) if isinstance(source, str) else source
        args[arg] = settings[key] if convert is None else convert(settings[key])
    return args
