"""`spinscope analyze`'s inputs: one source, or a JSONL file whose bad records are printed and
counted rather than raised."""

from __future__ import annotations

import sys

from spinscope.errors import IngestError


def analyze_inputs(source: str, settings: dict) -> tuple[list, int]:
    """``([(where, Document)], failures)`` of one ``analyze`` source; a JSONL file's bad records
    are printed (``spinscope: failed: FILE, line N: reason``) and counted, not raised."""
    from spinscope.ingest import ReadOptions, read

    items, failed = [], 0
    for item in read(source, ReadOptions.from_settings(settings, fields=None, one_article=True)):
        if item.ok:
            items.append((item.ref, item.doc))
            continue
        reason = item.error or f"{item.ref}: no document."
        if item.ref == source:  # the source itself could not be read: an error, not a record
            raise IngestError(reason)
        _print_failure(reason)
        failed += 1
    if not items and not failed:
        raise IngestError(f"{source} holds no articles (no non-blank lines); {_JSONL_HINT}.")
    return items, failed


def is_jsonl(source: str) -> bool:
    from spinscope.ingest import is_url

    return not is_url(source) and source.lower().endswith(".jsonl")


_JSONL_HINT = "each line must be one JSON object with a 'text' or 'html' field"


def analyse_each(pipeline, items: list) -> tuple[list, int]:
    """The results of ``items`` (analysed together; if that fails, one at a time), and how many
    failed: a record whose analysis or JSON form fails is printed as a failure and left out."""
    from spinscope.ingest.jsonl import unexpected
    from spinscope.model.jsonable import plain

    docs = [doc for _, doc in items]
    try:
        results = pipeline.run(docs)
    except Exception:  # noqa: BLE001 -- retried one at a time below, each failure printed
        results = None
    out, failed = [], 0
    for k, (where, doc) in enumerate(items):
        try:
            result = results[k] if results is not None else pipeline.run([doc])[0]
            plain(result.to_dict())  # its JSON form must exist too
        except Exception as exc:  # noqa: BLE001 -- one record must never end the run
            _print_failure(f"{where}: analysis failed ({unexpected(exc)}).")
            failed += 1
            continue
        out.append(result)
    return out, failed


def _print_failure(reason: str) -> None:
    print(f"spinscope: failed: {reason}", file=sys.stderr)
