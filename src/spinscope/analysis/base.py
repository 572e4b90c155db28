"""The analyser contract: settings in (``from_settings``), documents in, results out.

An analyser stores its settings in ``__init__`` and loads heavy models lazily on first use (once
per process), so that settings, not objects, can be shipped to worker processes. ``analyze`` is
pure: it never writes files, prints or reaches the network.

Optional class attributes the pipeline reads: ``produces`` (``"findings"``, ``"claims"`` or
``"labels"``), ``languages`` (the ISO 639-1 codes it was trained on; absent: any language),
``zero_shot_languages`` (codes it reads untrained; shown as zero-shot), ``needs_language``
(True if ``analyze`` reads ``doc.language``, so the pipeline detects it first) and ``family``
(what its results are for users, e.g. "techniques" for the English tagger and the paragraph
model alike; default: its name). Results in a language outside ``languages`` and
``zero_shot_languages`` are dropped; one warning names the languages no analyser of a family
reads (``spinscope.analysis.language``). An analyser may also have ``warm()``: load the models
``analyze`` will need, without analysing anything; the pipeline calls it in a thread while the
analysers before it run, so loading overlaps work (a cold ``analyze`` waits less).
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

import numpy as np

from spinscope.errors import ModelError
from spinscope.model.claim import Claim
from spinscope.model.document import Document, Finding
from spinscope.model.labels import ArticleLabel
from spinscope.settings import SettingArgs, setting_args

T = TypeVar("T")


def load_once(load: Callable[..., T]) -> Callable[..., T]:
    """``load`` run once per process and arguments, its result kept; thread-safe, so a model that
    one thread is loading (``warm``) is waited for by another, not loaded twice. ``cache_clear()``
    forgets the results (for tests)."""
    lock = threading.Lock()
    done: dict[tuple[Any, ...], T] = {}

    @functools.wraps(load)
    def once(*args: Any, **kwargs: Any) -> T:
        key = (args, tuple(sorted(kwargs.items())))
        if key not in done:
            with lock:
                if key not in done:
                    done[key] = load(*args, **kwargs)
        return done[key]

    once.cache_clear = done.clear  # type: ignore[attr-defined]  # a function attribute, as lru_cache's
    return once


Result = TypeVar("Result", Finding, Claim, ArticleLabel)


@runtime_checkable
class Analyzer(Protocol[Result]):
    """What every registered analyser is. ``analyze`` returns one list per document of the
    result type its ``produces`` names: ``Finding`` (``"findings"``, the default), ``Claim``
    (``"claims"``) or ``ArticleLabel`` (``"labels"``)."""

    name: str
    version: str

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Analyzer[Result]:
        """The analyser the settings describe (``spinscope.settings``)."""
        ...

    def analyze(self, docs: Sequence[Document]) -> list[list[Result]]:
        """One list of results per document, in the order given."""
        ...

    def provenance(self) -> dict[str, Any]:
        """Model id, version and checksum, and the settings that shaped the results."""
        ...


class FromSettings:
    """Mixin: ``from_settings`` builds the analyser from ``SETTING_ARGS`` (argument -> setting,
    as ``setting_args`` reads it), so no caller copies settings into arguments by hand."""

    SETTING_ARGS: ClassVar[SettingArgs] = {}

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Any:
        return cls(**setting_args(settings, cls.SETTING_ARGS))


def require_file(path: str | Path, missing: str) -> Path:
    """``path``, or a ModelError saying ``missing`` (what is missing and how to get it) where
    no file is there (a folder in its place counts as missing)."""
    if not Path(path).is_file():
        raise ModelError(missing)
    return Path(path)


def model_file(path: Path, what: str, train: str) -> Path:
    """``path``, a file of the ``what`` model, or a ModelError naming the model, the missing file
    and how to get one (``spinscope train TRAIN``)."""
    missing = (
        f"No {what} model in {path.parent} ({path.name} is missing); reinstall spinscope "
        f"or train one with `spinscope train {train}`."
    )
    if not path.parent.exists():  # a mistyped folder: nothing to reinstall
        missing = (
            f"No {what} model in {path.parent}: there is no such folder; give the folder that "
            f"`spinscope train {train}` wrote (it holds {path.name})."
        )
    return require_file(path, missing)


def read_card(path: Path, what: str, train: str) -> dict[str, Any]:
    """A model's JSON card, or a one-line ModelError: the model is missing (``model_file``) or
    its card cannot be read."""
    model_file(path, what, train)
    try:
        card: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # ValueError: bad JSON or bad UTF-8
        raise ModelError(f"Model card {path} is unreadable: {exc}") from exc
    return card


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a ``.npz`` weights file, as float64."""
    with np.load(path) as data:
        return {k: data[k].astype(np.float64) for k in data.files}
