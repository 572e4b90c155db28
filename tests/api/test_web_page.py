"""The analysis web page (issue 17): the side panel follows the filters, counts have the right
plural, the favicon is served, and the layout fits a 420 px screen.

The page's script is run in node against a small fake DOM built from the rendered page (no
browser here: layout and CSS are checked only as content)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from spinscope.model.document import AnalysisResult, Finding
from spinscope.model.taxonomy import category

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "spinscope" / "api" / "static"
HARNESS = Path(__file__).with_name("js") / "page_harness.js"
TEXT = "They are traitors, and everyone knows it. The plan is a disaster for families."
# (quoted text, label, confidence): two findings on one span, one on another
SPANS = [
    ("traitors", "Name_Calling-Labeling", 0.3),
    ("traitors", "Loaded_Language", 0.9),
    ("disaster", "Loaded_Language", 0.2),
]


# what a batch run records of the analysers that ran: stats count only documents they ran on
RAN = [{"analyzer": "techniques"}, {"analyzer": "framing"}]


class FixedPipeline:
    """Finds the SPANS in every text that contains them."""

    def run(self, docs):
        out = []
        for doc in docs:
            found = []
            for quoted, label, conf in SPANS:
                if quoted in doc.text:
                    start = doc.text.index(quoted)
                    cat = category("semeval2023", label)
                    end = start + len(quoted)
                    why = f"{label} here"
                    found.append(
                        Finding(
                            start, end, quoted, label, "semeval2023", cat, conf, why, "techniques"
                        )
                    )
            out.append(AnalysisResult(doc=doc, findings=found, models=RAN))
        return out


class PageParts(HTMLParser):
    """What the page's script works on: the views and their marks, the findings table's rows,
    the findings data and the side panel's first content."""

    def __init__(self) -> None:
        super().__init__()
        self.views: list[dict] = []
        self.rows: list[tuple[int, bool]] = []
        self.panel: list[list[str]] = []
        self.data = ""
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and "view" in (a.get("class") or "").split():
            self.views.append(
                {"taxonomy": a["data-taxonomy"], "hidden": "hidden" in a, "marks": []}
            )
        elif tag == "mark" and "data-f" in a:
            self.views[-1]["marks"].append(a["data-f"])
        elif tag == "tr" and "data-i" in a:
            self.rows.append((int(a["data-i"]), "hidden" in a))
        elif tag == "script" and a.get("id") == "findings-data":
            self._in = "data"
        elif tag == "aside" and a.get("id") == "explain":
            self._in = "panel"
        elif self._in == "panel":
            self.panel.append([tag, a.get("class") or "", ""])

    def handle_endtag(self, tag):
        if (tag, self._in) in (("script", "data"), ("aside", "panel")):
            self._in = None

    def handle_data(self, data):
        if self._in == "data":
            self.data += data
        elif self._in == "panel" and self.panel:
            self.panel[-1][2] += data


@pytest.fixture
def page(make_client) -> str:
    client = make_client(pipeline=FixedPipeline())
    doc_id = client.post("/api/analyze", json={"text": TEXT}).json()["id"]
    response = client.get(f"/documents/{doc_id}")
    assert response.status_code == 200
    return response.text


def play(page: str, actions: list[dict], tmp_path: Path) -> tuple[list[dict], list[dict]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the page script cannot be run")
    parts = PageParts()
    parts.feed(page)
    findings = json.loads(parts.data)
    spec = {"findings": findings, "views": parts.views, "rows": parts.rows,
            "panel": parts.panel, "actions": actions}  # fmt: skip
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    run = subprocess.run([node, str(HARNESS), str(STATIC / "app.js"), str(path)],
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 0, run.stderr
    return findings, json.loads(run.stdout)


def test_the_panel_never_explains_a_finding_the_slider_hid(page, tmp_path):
    slider = [{"set": ["threshold", v]} for v in ("0.5", "0.95", "0")]
    actions = [{"click": 0}, *slider, {"click": 1}, {"set": ["threshold", "0.25"]}]
    findings, states = play(page, actions, tmp_path)
    name = {(f["quote"], f["confidence"]): f["name"] for f in findings}
    start, clicked, half, high, zero, disaster, quarter = states
    hint = start["panel"]
    assert hint and "Click a highlight" in hint[0]
    # both findings of "traitors" explained, then only the one above 0.5
    assert {name["traitors", 0.3], name["traitors", 0.9]} <= set(clicked["panel"])
    assert name["traitors", 0.9] in half["panel"] and name["traitors", 0.3] not in half["panel"]
    assert half["selected"] == [0]
    # nothing of that highlight is shown at 0.95: the panel goes back to its hint
    assert high["panel"] == hint and high["selected"] == []
    assert zero["panel"] == hint  # moving the slider back does not bring a stale panel back
    assert name["disaster", 0.2] in disaster["panel"]
    assert quarter["panel"] == hint and quarter["selected"] == []


def test_the_count_of_shown_findings_has_the_right_plural(page, tmp_path):
    actions = [{"set": ["threshold", "0.5"]}, {"set": ["threshold", "0.95"]}]
    _, states = play(page, actions, tmp_path)
    assert [s["shown"] for s in states] == [
        "3 findings shown", "1 finding shown", "0 findings shown"
    ]  # fmt: skip


def test_the_corpus_page_counts_one_document_in_the_singular(make_client, tmp_path):
    client = make_client(store_path=tmp_path / "c.duckdb", pipeline=FixedPipeline())
    assert client.post("/api/analyze", json={"text": TEXT}).status_code == 200
    page = client.get("/corpus").text
    assert "1 document in the store" in page and "1 documents" not in page
    assert "<td>(unknown outlet)</td>" in page and "<td>None</td>" not in page  # no outlet
    if "/corpus/charts/" in page:  # with matplotlib: each caption sits above its chart
        for figure in re.findall(r"<figure>(.*?)</figure>", page, re.S):
            assert figure.index("<figcaption>") < figure.index("<img")


def test_the_favicon_is_served_and_linked(client):
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.headers["content-type"] == "image/x-icon"
    assert ico.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.text.startswith("<svg")
    page = client.get("/").text
    assert '<link rel="icon" href="/static/favicon.svg"' in page


def test_a_protected_server_protects_the_favicon_too(make_client):
    client = make_client({"serve.api_token": "s3cret", "serve.protect_reads": True})
    assert client.get("/favicon.ico").status_code == 401


def test_the_page_fits_a_420_px_screen():
    """No browser here: the CSS rules that keep a 420 px page from scrolling sideways."""
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    assert re.search(r"nav\.top \{[^}]*flex-wrap: wrap", css)  # the menu wraps
    assert re.search(r"input, select, textarea, img \{ max-width: 100%", css)  # size=60 URL box
    narrow = re.search(r"@media \(max-width: 40rem\) \{(.*?)\n\}", css, re.S)
    assert narrow, "a rule set for narrow screens"
    # a wide table scrolls inside itself
    assert re.search(r"table \{ display: block; overflow-x: auto", narrow[1])
    assert re.search(r"th, td \{[^}]*overflow-wrap: anywhere", css)


def test_the_charts_folder_is_made_on_demand_and_removed_at_shutdown(make_client, tmp_path):
    """A server that draws no chart makes no temporary folder; one that does removes it when it
    stops (each test's server, and each `spinscope serve`, used to leave one in /tmp)."""
    pytest.importorskip("matplotlib")
    client = make_client(store_path=tmp_path / "c.duckdb", pipeline=FixedPipeline())
    service = client.app.state.service
    assert service.charts_dir is None
    assert client.post("/api/analyze", json={"text": TEXT}).status_code == 200
    assert client.get("/corpus/charts/techniques_by_outlet.png").status_code == 200
    folder = service.charts_dir
    assert folder is not None and folder.is_dir()
    client.__exit__(None, None, None)
    assert not folder.exists() and service.charts_dir is None


def test_head_answers_as_get_without_a_body(make_client):
    # every page and GET endpoint was 405 to HEAD (link checkers, uptime monitors use it)
    client = make_client()
    doc_id = client.post("/api/analyze", json={"text": "A short text."}).json()["id"]
    for path in ("/", "/corpus", "/stories", "/api/stories", f"/api/documents/{doc_id}",
                 f"/documents/{doc_id}", "/favicon.ico", "/static/app.js"):  # fmt: skip
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-length"] == got.headers["content-length"], path
    assert client.head("/api/documents/0123456789abcdef").status_code == 404
    assert client.head("/api/analyze").status_code == 405  # POST only, as for GET
    protected = make_client({"serve.api_token": "s3cret", "serve.protect_reads": True})
    assert protected.head("/corpus").status_code == 401


def test_a_405_lists_head_where_it_lists_get(client):
    # HEAD is answered as GET (HeadAsGet), but a 405's Allow header said only "GET"
    for path in ("/corpus", "/api/stories", "/favicon.ico"):
        response = client.post(path)
        assert response.status_code == 405, path
        assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}, path
    assert client.put("/api/analyze").headers["allow"] == "POST"  # no GET: no HEAD


def test_a_page_answers_its_errors_with_an_html_page(client):
    # a bad date on /corpus (a browser's address bar) was answered with the API's JSON error
    response = client.get("/corpus", params={"since": "2024-13-01"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "since must be a date like 2024-03-01, got &#39;2024-13-01&#39;." in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert '<a href="/corpus">' in response.text  # the page's menu, to go on from
    pages = {
        "/documents/not-an-id": (404, "16 hexadecimal characters"),
        "/documents/0123456789abcdef": (404, "No document with id"),
        "/stories/abc": (404, "positive whole numbers"),
        "/stories?min_documents=x": (422, "min_documents: Input should be a valid integer"),
    }
    for path, (status, words) in pages.items():
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert words in response.text, path
    # the API, and what no page or API route answers but a file (/static), keep the JSON error
    for path in ("/api/documents/not-an-id", "/api/stories/abc", "/api/nope", "/api",
                 "/static/nope.js"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"]["status"] == 404, path


def test_an_unknown_address_outside_the_api_answers_the_html_page(client):
    # a mistyped address in the address bar (/nope, /stories/1/x) was answered with JSON
    for path in ("/nope", "/stories/1/x", "/documents", "/apis"):
        for response in (client.get(path), client.post(path)):
            assert response.status_code == 404, path
            assert response.headers["content-type"].startswith("text/html"), path
            assert "404 Not Found" in response.text and '<a href="/corpus">' in response.text
            assert "script-src 'self'" in response.headers["content-security-policy"], path
        head = client.head(path)
        assert head.status_code == 404 and head.content == b"", path
        assert head.headers["content-type"].startswith("text/html"), path


def test_an_unexpected_error_on_a_page_is_the_generic_html_page_with_its_headers(client):
    # a page's 500 answered the API's JSON error, outside the middleware that sets the headers
    from spinscope.api.errors import INTERNAL

    def boom(doc_id):
        raise RuntimeError("secret detail in /work/main/src/spinscope/x.py")

    client.app.state.service.result = boom
    bad = client.get("/corpus", params={"since": "2024-13-01"})
    response = client.get("/documents/0123456789abcdef")
    assert response.status_code == 500 and bad.status_code == 400
    assert "secret" not in response.text and "x.py" not in response.text
    assert INTERNAL in response.text and '<a href="/corpus">' in response.text
    for name in ("content-type", "content-security-policy", "x-content-type-options",
                 "referrer-policy"):  # fmt: skip
        assert response.headers.get(name) == bad.headers.get(name), name
    assert "script-src 'self'" in response.headers["content-security-policy"]
    api = client.get("/api/documents/0123456789abcdef")  # the API keeps its JSON 500
    assert api.status_code == 500 and api.json()["error"]["message"] == INTERNAL
    assert "secret" not in api.text
    # HEAD got the JSON 500, with its body: it is answered as the GET, without the body
    head = client.head("/documents/0123456789abcdef")
    assert head.status_code == 500 and head.content == b""
    for name in ("content-type", "content-length", "content-security-policy",
                 "x-content-type-options", "referrer-policy"):  # fmt: skip
        assert head.headers.get(name) == response.headers.get(name), name
    api_head = client.head("/api/documents/0123456789abcdef")
    assert api_head.status_code == 500 and api_head.content == b""
    assert api_head.headers["content-type"] == api.headers["content-type"]


def test_the_corpus_page_names_techniques_readably(make_client, tmp_path):
    # the Technique menu and the trend table showed raw labels of both taxonomies
    # ("Loaded_Language", "Name_Calling,Labeling"); two read "Name calling / labeling"
    from spinscope.ingest import from_text
    from spinscope.store import Store

    def result(title: str, taxonomy: str, labels: list[str]) -> AnalysisResult:
        doc = from_text(f"{title}\n\n{TEXT}")
        s = doc.text.index("traitors")
        found = [Finding(s, s + 8, "traitors", label, taxonomy, "", 0.9, "", "techniques")
                 for label in labels]  # fmt: skip
        return AnalysisResult(doc=doc, findings=found, models=RAN)

    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        store.write([
            result("New", "semeval2023", ["Loaded_Language", "Name_Calling-Labeling"]),
            result("Old", "ptc2020", ["Loaded_Language", "Name_Calling,Labeling"]),
        ])  # fmt: skip
    client = make_client(store_path=path)
    page = client.get("/corpus").text
    menu = re.search(r'<select name="technique">(.*?)</select>', page, re.S)[1]
    assert re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', menu) == [
        ("", "all"),
        ("Loaded_Language", "Loaded language"),  # in both taxonomies: one option, both found
        ("Name_Calling,Labeling", "Name calling / labeling (SemEval-2020)"),
        ("Name_Calling-Labeling", "Name calling / labeling (SemEval-2023)"),
    ]
    trends = page[page.index("<h3>By technique") :]
    assert "By technique (SemEval-2023 taxonomy)" in trends
    assert "<td>Loaded language</td>" in trends and "<td>Name calling / labeling</td>" in trends
    assert "_" not in re.sub(r"<[^>]*>", "", trends)  # no raw label in the text
    chosen = client.get("/corpus", params={"technique": "Name_Calling,Labeling"}).text
    assert '<option value="Name_Calling,Labeling" selected>' in chosen
    assert ">Old</a>" in chosen and ">New</a>" not in chosen


class _Options(HTMLParser):
    """What a browser submits for each option of ``<select name=...>``: its value, or (without
    one) its text with the white space stripped and collapsed, as HTML says."""

    def __init__(self, select: str) -> None:
        super().__init__()
        self.select, self.inside, self.values = select, False, []
        self.value: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.inside = attrs.get("name") == self.select
        elif tag == "option" and self.inside:
            self.value, self.text = attrs.get("value"), ""

    def handle_data(self, data):
        self.text += data

    def handle_endtag(self, tag):
        if tag == "option" and self.inside:
            collapsed = " ".join(self.text.split())
            self.values.append(self.value if self.value is not None else collapsed)
        elif tag == "select":
            self.inside = False


def _submitted(page: str, select: str) -> list[str]:
    parser = _Options(select)
    parser.feed(page)
    return parser.values


def test_an_outlet_or_narrative_with_line_breaks_or_spaces_can_be_chosen(make_client, tmp_path):
    # the options had no value, so a browser sent their text with its white space collapsed:
    # "Plus\nNews" came back as "Plus News", which matched no document
    from spinscope.ingest import from_text
    from spinscope.model.labels import ArticleLabel
    from spinscope.store import Store

    outlets = ["+Plus\nNews", "  Spaced  Out ", 'Le Monde, "é" <b>x</b>']
    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        store.write([
            AnalysisResult(from_text(f"Title {k}\n\n{TEXT}", meta={"outlet": outlet}), [],
                           labels=[ArticleLabel("narrative", f"URW:\n  {k}", 0.9, [])],
                           models=RAN)
            for k, outlet in enumerate(outlets)
        ])  # fmt: skip
    client = make_client(store_path=path)
    page = client.get("/corpus").text
    assert sorted(_submitted(page, "outlet")[1:]) == sorted(outlets)
    assert _submitted(page, "narrative")[1:] == ["URW:\n  0", "URW:\n  1", "URW:\n  2"]
    for k, outlet in enumerate(outlets):
        chosen = client.get("/corpus", params={"outlet": outlet}).text
        assert f">Title {k}</a>" in chosen and chosen.count('href="/documents/') == 1
        assert _submitted(chosen, "outlet")[1:].count(outlet) == 1
        assert re.search(r"<option value=\"[^\"]*\" selected>", chosen)


def test_the_corpus_trend_tables_say_how_many_rows_they_leave_out(make_client, tmp_path):
    # the tables showed the first 15 outlets of 20, and nothing said that 5 were left out
    from spinscope.ingest import from_text
    from spinscope.store import Store

    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        store.write([
            AnalysisResult(
                from_text(f"Title {k}\n\n{TEXT}", meta={"outlet": f"Outlet {k}"}), [], models=RAN
            )
            for k in range(20)
        ])  # fmt: skip
    page = make_client(store_path=path).get("/corpus").text
    outlets = page[page.index("<h3>By outlet") : page.index("<h3>By technique")]
    assert outlets.count("<td>Outlet ") == 15
    assert "The 15 largest of 20 outlets" in outlets
    assert "largest of" not in page[page.index("<h3>By technique") :]
