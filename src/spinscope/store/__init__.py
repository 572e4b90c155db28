"""The corpus store: one embedded DuckDB file holding documents, their analysis results, flat
tables of findings, claims and labels for trends and exports, and the failures of each run.

A document's id is the hash of its normalised text, so a document seen twice is stored once.
Every write of a batch is one transaction: a run killed at any moment leaves each document either
fully stored (document, result and its rows) or absent, and a rerun skips what is stored.
"""

from spinscope.store.db import SCHEMA_VERSION, Store, document_row

__all__ = ["SCHEMA_VERSION", "Store", "document_row"]
