"""`spinscope serve --store corpus.duckdb` while `spinscope batch ... --store corpus.duckdb` adds
documents: serve holds the store only while a request needs it, so a writer in another process
gets in while serve is idle; while the writer holds it, every page and API route that needs the
store answers 503 "the store is busy" with Retry-After (HTML for pages, JSON for /api), never a
500 or a traceback."""

from __future__ import annotations

import time

import pytest

from spinscope.api.service import STORE_IDLE_S
from store_lock_fixtures import child, holding

from .stand_ins import SlowPipeline

# opens the store for writing (waiting up to argv[2] s, as `spinscope batch` does for
# store.lock_wait_s), stores one document, prints its id and exits
WRITE = """
import sys
from spinscope.model.document import AnalysisResult, Document
from spinscope.store import Store
doc = Document("Written by another process.", "Other")
with Store(sys.argv[1], wait_s=float(sys.argv[2])) as store:
    store.write([AnalysisResult(doc, [])])
print(doc.id)
"""
BUSY = "The store is busy (another spinscope process is writing to it); try again shortly."


def served(make_client, tmp_path):
    path = tmp_path / "corpus.duckdb"
    client = make_client(store_path=path, pipeline=SlowPipeline())
    doc = client.post("/api/analyze", json={"text": "Stored by serve."}).json()
    return client, path, doc["id"]


@pytest.mark.parametrize("wait_s", [10.0, 0.0])
def test_a_writer_in_another_process_gets_in_while_serve_is_idle(make_client, tmp_path, wait_s):
    """At once, waiting as the CLI does; without waiting, once serve has been idle a moment."""
    client, path, doc_id = served(make_client, tmp_path)
    assert client.get(f"/api/documents/{doc_id}").status_code == 200
    if not wait_s:
        time.sleep(STORE_IDLE_S + 1.0)
    writer = child(WRITE, str(path), str(wait_s))
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    written = client.get(f"/api/documents/{out.strip()}")
    assert written.json()["document"]["text"] == "Written by another process."


def test_serve_answers_503_not_500_while_another_process_writes(make_client, tmp_path):
    client, path, doc_id = served(make_client, tmp_path)
    with holding(path):
        api = client.get(f"/api/documents/{doc_id}")
        assert api.status_code == 503, api.text
        assert api.json() == {"error": {"status": 503, "type": "busy", "message": BUSY}}
        assert int(api.headers["Retry-After"]) > 0
        for url in ("/corpus", f"/documents/{doc_id}", "/stories"):
            page = client.get(url)
            assert page.status_code == 503, url
            assert page.headers["content-type"].startswith("text/html")
            assert "try again shortly" in page.text and "Traceback" not in page.text
            assert int(page.headers["Retry-After"]) > 0
        assert client.get("/api/stories").status_code == 503
        stored = client.post("/api/analyze", json={"text": "Not stored while busy."})
        assert stored.status_code == 503
        assert stored.json()["error"]["message"] == f"{BUSY} Nothing was stored."
        assert client.get("/").status_code == 200  # the analysis form needs no store
    assert client.get(f"/api/documents/{doc_id}").status_code == 200
    assert client.post("/api/analyze", json={"text": "Stored again."}).status_code == 200
