"""Property-based tests (issue #16): whatever the lines of a JSONL, CSV or feed file hold, no
exception escapes a reader, and every record comes out as a Document or as a failure that names
its file and line (or entry)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile_fixtures import jsonl_lines, line_bytes
from spinscope.ingest._decode import bom_codec
from spinscope.ingest.jsonl import jsonl_items
from spinscope.ingest.sources import ReadOptions, read_sources

# one folder per example, all under one that is removed when the run ends
_TMP = tempfile.TemporaryDirectory(prefix="spinscope-prop-")


PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _file(suffix: str, data: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(dir=_TMP.name))
    path = folder / f"in{suffix}"
    path.write_bytes(data)
    return path


def _blank(raw: bytes, number: int) -> bool:
    """The reader's rule: a line is skipped if it decodes and holds only whitespace."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not text.strip(" \t\r\n\f\v")


def _check_item(item, source: str, ref: str) -> None:
    assert item.ref == ref, (item.ref, ref)
    assert (item.doc is None) != (item.error is None), item
    if item.error is not None:
        assert item.error.startswith(f"{ref}: ") or item.error.startswith(source), item.error
        assert "\n" not in item.error and "Traceback" not in item.error
    else:
        item.doc.text.encode("utf-8")  # Unicode text: storable, hashable
        assert item.doc.id and item.doc.text.strip()


@PROPERTY
@given(st.lists(jsonl_lines, min_size=1, max_size=8))
def test_every_jsonl_line_is_a_document_or_a_failure_with_its_line(lines):
    raws = [line_bytes(line) for line in lines]
    path = _file(".jsonl", b"\n".join(raws) + b"\n")
    for read in (
        lambda: list(jsonl_items(path)),
        lambda: list(read_sources([str(path)], ReadOptions(max_bytes=100_000))),
    ):
        got = read()
        if bom_codec(raws[0]) in ("utf-16", "utf-32"):
            (item,) = got  # a UTF-16/32 file is one failure, named by the file
            assert item.error.startswith(f"{path} is UTF-")
            continue
        wanted = [n for n, raw in enumerate(raws, start=1) if not _blank(raw, n)]
        assert [i.ref for i in got] == [f"{path}, line {n}" for n in wanted]
        for item, n in zip(got, wanted, strict=True):
            _check_item(item, str(path), f"{path}, line {n}")


_cells = st.one_of(
    st.text(max_size=30),  # commas, quotes, line breaks, raw surrogates (bad bytes in the file)
    st.sampled_from(["The minister said the plan would save money.", "", "http://[::1", "\ud800"]),
)


@PROPERTY
@given(st.lists(st.tuples(_cells, _cells, _cells), min_size=1, max_size=8))
def test_every_csv_row_is_a_document_or_a_failure_with_its_first_line(rows):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["text", "title", "url"])
    starts = []
    for row in rows:
        starts.append(len(io.StringIO(out.getvalue(), newline="").readlines()) + 1)
        writer.writerow(row)
    path = _file(".csv", line_bytes_keep_breaks(out.getvalue()))
    got = list(read_sources([str(path)], ReadOptions()))
    assert [i.ref for i in got] == [f"{path}, line {n}" for n in starts]
    for item, n in zip(got, starts, strict=True):
        _check_item(item, str(path), f"{path}, line {n}")


def line_bytes_keep_breaks(text: str) -> bytes:
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


# Links that fail without the network: broken, not web, or private (refused before connecting).
_links = st.one_of(
    st.sampled_from([
        "http://[::1", "http://xn--/", "http://127.0.0.1:9/a", "http://localhost/b", "ftp://x/y",
        "javascript:alert(1)", "http://10.0.0.1/c", "http://[fe80::1]/", "", "http:///x",
    ]),
    st.text(max_size=20).filter(lambda s: "://" not in s),
)  # fmt: skip


# fewer examples: each link costs ~0.1 s (fetch_url builds its HTTP client before the URL check)
@settings(PROPERTY, max_examples=25)
@given(
    st.lists(st.tuples(st.text(max_size=20), _links), max_size=4),
    st.booleans(),
    st.binary(max_size=60),
)
def test_every_feed_entry_is_a_document_or_a_failure(entries, well_formed, garbage):
    import feedparser

    def clean(s: str) -> str:  # XML 1.0 has no place for control characters or surrogates
        return "".join(c for c in s if c in "\t\n\r" or (" " <= c < "\ud800") or "\ue000" <= c)

    items_xml = "".join(
        f"<item><title>{escape(clean(t))}</title><link>{escape(clean(link))}</link></item>"
        for t, link in entries
    )
    xml = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items_xml}'
    data = (xml + "</channel></rss>").encode() if well_formed else xml.encode() + garbage
    path = _file(".rss", data)
    got = list(read_sources([str(path)], ReadOptions(timeout_s=2)))
    entries_found = len(feedparser.parse(data).entries)
    if entries_found == 0:
        (item,) = got
        empty = f"{path} is an RSS or Atom feed with no entries"
        assert item.error.startswith((f"{path} is not an RSS or Atom feed", empty))
        return
    assert len(got) == entries_found
    for k, item in enumerate(got, start=1):
        assert item.ref.startswith(f"{path}, entry {k}")
        _check_item(item, str(path), item.ref)
