"""The corpus store: one embedded DuckDB file holding documents, their analysis results, flat
tables of findings, claims and labels for trends and exports, and the failures of each run.

A document's id is the hash of its normalised text, so a document seen twice is stored once.
Every write of a batch is one transaction: a run killed at any moment leaves each document either
fully stored (document, result and its rows) or absent, and a rerun skips what is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinscope.store.db import SCHEMA_VERSION, Store, document_row

__all__ = ["SCHEMA_VERSION", "Store", "document_row"]


def __getattr__(name: str) -> Any:
    """``Store`` and friends load with ``store.db`` on first use, so that reading a small table
    such as ``store.formats`` (the CLI's choices) does not import the database layer."""
    if name in __all__:
        from spinscope.store import db

        return getattr(db, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
