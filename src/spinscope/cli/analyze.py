"""`spinscope analyze`'s inputs: one source, or a JSONL file whose bad records are printed and
counted rather than raised."""

from __future__ import annotations

import sys

from spinscope.errors import IngestError


def analyze_inputs(source: str, settings: dict) -> tuple[list, int]:
    """``([(where, Document)], failures)`` of one ``analyze`` source; a JSONL file's bad records
    are printed (``spinscope: failed: FILE, line N: reason``) and counted, not raised."""
    from spinscope.ingest import load
    from spinscope.ingest.jsonl import jsonl_items

    max_bytes = settings["ingest.max_bytes"]
    if not is_jsonl(source):
        doc = load(
            source,
            allow_private=settings["ingest.allow_private_urls"],
            timeout_s=settings["ingest.timeout_s"],
            max_bytes=max_bytes,
        )
        return [(source, doc)], 0
    items, failed = [], 0
    for item in jsonl_items(source, max_bytes=max_bytes):
        if item.error is not None or item.doc is None:
            _print_failure(item.error or f"{item.ref}: no document.")
            failed += 1
        else:
            items.append((item.ref, item.doc))
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
