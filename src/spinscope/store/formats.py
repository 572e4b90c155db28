"""The names of the store's export formats and of the annotation formats it reads back: a
module of its own so that the CLI lists them without importing the writers and readers."""

EXPORT_FORMATS = (
    "parquet",
    "csv",
    "jsonl",
    "label-studio",
    "brat",
    "inception",
    "failures",
    "stories-jsonl",
)
ANNOTATION_FORMATS = ("label-studio", "brat", "inception")
