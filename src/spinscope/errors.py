"""The spinscope error tree.

Every error a user can cause is a ``SpinscopeError`` whose message says what was wrong, what was
expected and how to fix it. The CLI prints ``str(error)`` on one line and exits non-zero; it never
shows a traceback for these.
"""

from __future__ import annotations


class SpinscopeError(Exception):
    """Base class of every error spinscope raises on purpose."""


class IngestError(SpinscopeError, ValueError):
    """The input could not be read as a news text (missing, binary, empty, unreachable, ...)."""


class ConfigError(SpinscopeError, ValueError):
    """A setting or an argument has a value spinscope cannot use."""


class ModelError(SpinscopeError, RuntimeError):
    """A model file is missing, corrupt or from an incompatible version."""


class DataError(SpinscopeError, ValueError):
    """A research dataset folder does not have the expected layout."""


class StoreError(SpinscopeError, RuntimeError):
    """A corpus store cannot be opened, migrated or written (wrong file, newer schema, locked)."""


class AnalysisTimeout(SpinscopeError, TimeoutError):
    """An analysis took longer than its time bound (``analyze.timeout_s``) and was stopped."""


class StoreBusy(StoreError):
    """Another process has the store open (DuckDB allows one writing process, or several
    reading ones): `spinscope batch` while `spinscope serve` answers a request, or the reverse."""
