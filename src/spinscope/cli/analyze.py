"""`spinscope analyze`'s inputs: one source, or a JSONL file whose bad records are printed and
counted rather than raised, analysed a batch at a time so that a Ctrl-C, or a batch past the time
bound (``analyze.timeout_s``), keeps what is done."""

from __future__ import annotations

import sys

from spinscope.analysis.time_limit import time_limit
from spinscope.cli.output import inert
from spinscope.errors import AnalysisTimeout, IngestError
from spinscope.model.wording import plural


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


# documents per pipeline call, as `spinscope batch`'s default --batch-size: a Ctrl-C loses at
# most the call under way, and the encoders still get several documents at a time
BATCH_DOCS = 8


def analyse(pipeline, items: list, source: str, timeout_s: float) -> tuple[list, int, Stop]:
    """The results of ``items``, how many failed, and what stopped the run early (None if
    nothing did). A JSONL file's records go ``BATCH_DOCS`` at a time (``analyse_each``); one
    article is one call, and past ``timeout_s`` its ``AnalysisTimeout`` is raised."""
    if is_jsonl(source):  # one failure line per bad record, never a crash
        return analyse_each(pipeline, items, timeout_s)
    with time_limit(timeout_s, f"The analysis of {_named(items[0][0])}"):
        return pipeline.run([doc for _, doc in items]), 0, None


def _named(where: str) -> str:
    return "standard input" if where == "-" else where


def _span(first: str, last: str) -> str:
    """The records of a batch as "x.jsonl, lines 9 to 16" (``first``: "x.jsonl, line 9")."""
    head, _, number = last.rpartition(", line ")
    if first == last or not head or not first.startswith(f"{head}, line "):
        return first if first == last else f"{first} to {last}"
    return f"{head}, lines {first.rpartition(' ')[2]} to {number}"


# what stopped a JSONL run before its end: a Ctrl-C, or a batch past analyze.timeout_s
Stop = KeyboardInterrupt | AnalysisTimeout | None


def analyse_each(pipeline, items: list, timeout_s: float = 0.0) -> tuple[list, int, Stop]:
    """The results of ``items`` (analysed ``BATCH_DOCS`` at a time; if a batch fails, its
    documents one at a time), how many failed, and what stopped the run, if anything did: a
    record whose analysis or JSON form fails is printed as a failure and left out, and on
    Ctrl-C, or past ``timeout_s`` over a batch, the results of the batches already analysed are
    kept."""
    out, failed = [], 0
    try:
        for first in range(0, len(items), BATCH_DOCS):
            batch = items[first : first + BATCH_DOCS]
            with time_limit(timeout_s, f"The analysis of {_span(batch[0][0], batch[-1][0])}"):
                results, lost = _analyse_batch(pipeline, batch)
            out += results
            failed += lost
    except (KeyboardInterrupt, AnalysisTimeout) as stop:
        return out, failed, stop
    return out, failed, None


def _analyse_batch(pipeline, items: list) -> tuple[list, int]:
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


def interrupted_line(kept: int, total: int, json_path: str | None) -> str:
    """The one line of a JSONL run stopped by Ctrl-C: how far it got, and where the results of
    the documents analysed before it are."""
    return f"spinscope: interrupted: {how_far(kept, total, json_path)}."


def how_far(kept: int, total: int, json_path: str | None) -> str:
    """How far a run stopped early got: "8 of 20 documents analysed; their results are in X"."""
    line = f"{kept} of {plural(total, 'document')} analysed"
    if kept and json_path and json_path != "-":
        line += f"; their results are in {json_path}"
    return line


def timeout_error(
    stop: AnalysisTimeout, kept: int, total: int, json_path: str | None
) -> AnalysisTimeout:
    """A JSONL run's ``AnalysisTimeout`` with how far the run got: the one error line."""
    return AnalysisTimeout(f"{stop} {how_far(kept, total, json_path).capitalize()}.")


def _print_failure(reason: str) -> None:
    print(f"spinscope: failed: {inert(reason)}", file=sys.stderr)
