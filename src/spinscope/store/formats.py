"""The names of the store's export formats: a module of its own so that the CLI lists them
without importing the writers. The annotation formats among them are ``spinscope.interchange``'s
table (which the CLI also reads for ``import-annotations``)."""

from spinscope.interchange import NAMES

EXPORT_FORMATS = ("parquet", "csv", "jsonl", *NAMES, "failures", "stories-jsonl")
