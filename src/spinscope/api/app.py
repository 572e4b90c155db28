"""The web app and HTTP API over the same library calls as the CLI (ingest -> Pipeline -> store
-> report). Every page is rendered by Jinja2 with autoescape; static files are served by the app
itself (no CDN), and a Content-Security-Policy allows scripts from this origin only.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any

from fastapi import FastAPI, File, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field, model_validator

from spinscope import __version__
from spinscope.api import corpus, stories
from spinscope.api.auth import TokenCheck
from spinscope.api.errors import JSON_CSP, BodyLimit, install_handlers
from spinscope.api.origin import CrossSiteCheck
from spinscope.api.service import Service
from spinscope.api.view import QUOTE_CHARS, page_context
from spinscope.api.workers import Job
from spinscope.errors import ConfigError
from spinscope.ingest.paths import MANY_SUFFIXES
from spinscope.model.definitions import display_name, quote
from spinscope.model.document import AnalysisResult
from spinscope.model.language import NAMES
from spinscope.model.wording import plural
from spinscope.report.charts import CHARTS
from spinscope.report.html import render_html
from spinscope.settings import load_settings
from spinscope.store.stats import outlet_label, store_missing_outlet, trends

HERE = Path(__file__).parent
DOC_ID = re.compile(r"[0-9a-f]{16}")  # fullmatch: "$" matches before a final line break
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"  # a chart: styles, nothing that runs
# what ``_security_headers`` gives a page: the error page has it itself, as a 500 is answered
# outside every middleware
PAGE_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer"}  # fmt: skip
PHRASES = {s.value: s.phrase for s in HTTPStatus}  # 404: "Not Found"
TABLE_ROWS = 15  # rows of each trend table on the corpus page, which says how many it leaves out


class AnalyzeRequest(BaseModel):
    """Exactly one of ``text``, ``html`` or ``url``."""

    text: str | None = Field(None, description="The article as plain text.")
    html: str | None = Field(None, description="A web page; its article is extracted.")
    url: str | None = Field(None, description="An http(s) URL to fetch (public addresses only).")

    @model_validator(mode="after")
    def _one_source(self) -> AnalyzeRequest:
        given = [k for k in ("text", "html", "url") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError('give exactly one of "text", "html" or "url"')
        return self


def create_app(
    settings: dict[str, Any] | None = None,
    store_path: str | Path | None = None,
    *,
    pipeline: Any = None,
    workers: bool | None = None,
    allowed_hosts: Iterable[str] | None = None,
) -> FastAPI:
    """The FastAPI app. ``store_path`` is a corpus store to browse and to keep analysed documents
    in; without one they are kept in memory while the process runs.

    Analyses run in worker processes that are killed at their deadline. ``pipeline`` (an object
    with ``run(docs)``, e.g. a test stand-in) replaces the configured pipeline and runs
    in-process unless ``workers=True`` (then it must pickle). ``allowed_hosts``: the Host names
    it answers to (``spinscope serve`` on loopback: against DNS rebinding); None for any.
    Writes from other sites' pages are refused either way (``api/origin.py``).
    """
    settings = settings if settings is not None else load_settings()
    token, protect_reads = settings["serve.api_token"], settings["serve.protect_reads"]
    if protect_reads and not token:
        raise ConfigError(
            "serve.protect_reads needs a token: set SPINSCOPE_SERVE_API_TOKEN (serve.api_token)."
        )
    service = Service(settings, store_path, pipeline=pipeline, workers=workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            await asyncio.to_thread(service.start)
            yield
        finally:
            service.close()

    app = FastAPI(
        title="spinscope",
        version=__version__,
        description="How a news text persuades: technique spans, claims and article labels.",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = service
    templates = Jinja2Templates(directory=HERE / "templates")  # autoescape is on
    install_handlers(app, _error_page(templates))
    _middleware(app, settings, allowed_hosts)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates.env.filters["quote"] = lambda text: quote(text, QUOTE_CHARS)
    templates.env.filters["plural"] = plural  # {{ n|plural("document") }}: "1 document"
    templates.env.filters["outlet"] = outlet_label  # documents without one: "(unknown outlet)"
    # {{ "Loaded_Language"|technique }}: "Loaded language" (SemEval-2023 names, the stories')
    templates.env.filters["technique"] = lambda label: display_name("semeval2023", label)
    _api_routes(app, service)
    _page_routes(app, service, templates)
    stories.install(app, service, templates)
    return app


def _middleware(app: FastAPI, settings: dict[str, Any], hosts: Iterable[str] | None) -> None:
    """The checks around every request; the last added runs first."""
    max_bytes, timeout_s = settings["serve.max_body_bytes"], settings["serve.timeout_s"]
    app.add_middleware(BodyLimit, max_bytes=max_bytes, timeout_s=timeout_s)
    app.middleware("http")(_security_headers)
    # added last, so they run first: before the body is read or parsed
    token, protect_reads = settings["serve.api_token"], settings["serve.protect_reads"]
    app.add_middleware(TokenCheck, token=token, protect_reads=protect_reads)
    app.add_middleware(CrossSiteCheck, hosts=hosts)
    app.add_middleware(HeadAsGet)  # outermost: HEAD is a GET to every check after it


def _error_page(templates: Jinja2Templates) -> Callable[..., Response]:
    """A page's error as a page: its status and the API error's message, under the menu."""

    def render(
        request: Request, status: int, message: str, headers: dict[str, str] | None
    ) -> Response:
        context = {"title": f"{status} {PHRASES.get(status, 'Error')}", "message": message}
        headers = PAGE_HEADERS | (headers or {})
        return templates.TemplateResponse(
            request, "error.html", context, status_code=status, headers=headers
        )

    return render


async def _security_headers(request: Request, call_next: Any) -> Response:
    """nosniff on every response; the pages' policy on HTML, ``JSON_CSP`` on the rest."""
    response = await call_next(request)
    page = response.headers.get("content-type", "").startswith("text/html")
    response.headers.setdefault("Content-Security-Policy", CSP if page else JSON_CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


class HeadAsGet:
    """ASGI middleware: a HEAD request is answered as its GET, without the body (FastAPI's
    routes answer GET only: every page was 405 to HEAD, which link checkers and uptime monitors
    send)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        as_get = {**scope, "method": "GET"}
        try:
            await self.app(as_get, receive, headers_only)
        except Exception:
            # a 500 is answered outside this middleware, from ``scope``: with the route that
            # failed, so that a page's HEAD gets the page's error as its GET does
            if "route" in as_get:
                scope["route"] = as_get["route"]
            raise


def _valid_unicode(value: str, field: str) -> str:
    """400, not a 500 deep inside, for a lone surrogate (JSON allows ``"\\ud800"``)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise HTTPException(
            400,
            f'The "{field}" field holds an invalid character (a lone surrogate, '
            f"U+{ord(value[exc.start]):04X}, at character {exc.start}); send valid Unicode text.",
        ) from None
    return value


def _one_article_file(name: str) -> str:
    """An upload is one article: a JSONL, CSV, feed or WARC file (many articles) was analysed
    as one text of raw records; it is refused with the command that reads each of its articles."""
    many = [suffix for suffix in MANY_SUFFIXES if name.lower().endswith(suffix)]
    if many:
        raise HTTPException(
            400,
            f"{name} is a {many[0]} file of many articles, and an upload here is one article: "
            f"upload a .txt or .html article, or analyse each of its articles with the command "
            f"line (spinscope batch {name} --store corpus.duckdb).",
        )
    return name


def _checked_id(doc_id: str) -> str:
    if not DOC_ID.fullmatch(doc_id):
        raise HTTPException(404, "No such document: ids are 16 hexadecimal characters.")
    return doc_id


def _api_routes(app: FastAPI, service: Service) -> None:
    @app.post("/api/analyze", tags=["analysis"])
    async def analyze(body: AnalyzeRequest) -> dict[str, Any]:
        """Analyse a text, a web page or a URL; store it; return the result (the JSON of
        `spinscope analyze --json`) and the stored document's `id`."""
        if body.text is not None:
            return await service.analyse(Job("text", _valid_unicode(body.text, "text")))
        if body.html is not None:
            return await service.analyse(Job("html", _valid_unicode(body.html, "html")))
        url = _valid_unicode(body.url or "", "url").strip()
        return await service.analyse(Job("page", await service.fetch(url)))

    @app.post("/api/analyze/file", tags=["analysis"])
    async def analyze_file(file: UploadFile = File(...)) -> dict[str, Any]:  # noqa: B008
        """Analyse an uploaded text or HTML file; as `POST /api/analyze`."""
        name = _one_article_file(Path(file.filename or "upload").name[:100])
        data = await file.read()
        return await service.analyse(Job("file", data, name))

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def document(doc_id: str) -> dict[str, Any]:
        """A stored document's analysis result, with its `id`."""
        return service.result(_checked_id(doc_id))


def _page_routes(app: FastAPI, service: Service, templates: Jinja2Templates) -> None:
    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        # a page open under serve.protect_reads has the token already (HTTP Basic)
        s = service.settings
        context |= {"token_needed": bool(s["serve.api_token"]) and not s["serve.protect_reads"]}
        return templates.TemplateResponse(request, name, context)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        # browsers ask for it on any page (the pages also link the SVG icon in /static)
        return FileResponse(HERE / "static" / "favicon.ico", media_type="image/x-icon")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> HTMLResponse:
        return page(request, "analysis.html", result=None)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, tags=["documents"])
    def document_page(request: Request, doc_id: str) -> HTMLResponse:
        """A stored document's analysis page."""
        data = service.result(_checked_id(doc_id))
        return page(request, "analysis.html", result=page_context(AnalysisResult.from_dict(data)))

    @app.get("/documents/{doc_id}/report.html", response_class=HTMLResponse, tags=["documents"])
    def report(doc_id: str) -> HTMLResponse:
        """The self-contained HTML report of `spinscope analyze --html`, as a download."""
        html = render_html(service.result(_checked_id(doc_id)))
        headers = {
            "Content-Disposition": f'attachment; filename="spinscope-{doc_id}.html"',
            "Content-Security-Policy": REPORT_CSP,
        }
        return HTMLResponse(html, headers=headers)

    _corpus_routes(app, service, page)


def _corpus_routes(app: FastAPI, service: Service, page: Callable[..., HTMLResponse]) -> None:
    """The corpus page and its charts (registered after the document pages, as before)."""

    @app.get("/corpus", response_class=HTMLResponse, include_in_schema=False)
    def corpus_page(
        request: Request,
        q: str = "",
        outlet: str = "",
        language: str = "",
        since: str = "",
        until: str = "",
        technique: str = "",
        narrative: str = "",
    ) -> HTMLResponse:
        filters = {"q": q.strip()[:200], "outlet": outlet, "language": language,
                   "technique": technique,
                   "narrative": narrative, "since": corpus.parse_day(since, "since"),
                   "until": corpus.parse_day(until, "until")}  # fmt: skip
        with service.db() as store:
            docs = corpus.search(store, filters)
            options = corpus.choices(store)
            tables = {by: trends(store, by)["rows"] for by in ("outlet", "technique")}
            total = store.count("documents")
            missing = store_missing_outlet(store)  # the filter's: no real outlet's name
        form = {"q": q, "outlet": outlet, "language": language, "since": since, "until": until,
                "technique": technique, "narrative": narrative}  # fmt: skip
        return page(request, "corpus.html", docs=docs, options=options, form=form,
                    language_names=NAMES, tables=tables, table_rows=TABLE_ROWS, total=total,
                    charts=_charts_available(), missing_outlet=missing,
                    chart_names=CHARTS, persistent=service.persistent)  # fmt: skip

    @app.get("/corpus/charts/{name}", include_in_schema=False)
    def chart(name: str) -> FileResponse:
        png = name[: -len(".svg")] + ".png" if name.endswith(".svg") else name
        if png not in CHARTS or not _charts_available():
            raise HTTPException(404, "No such chart.")
        if name == png:
            return FileResponse(service.chart(png), media_type="image/png")
        # the page shows the SVG (its text drawn by the browser, in any script); matplotlib's
        # styles are inline, and nothing in it may run
        svg = service.chart(png).with_suffix(".svg")
        return FileResponse(
            svg, media_type="image/svg+xml", headers={"Content-Security-Policy": SVG_CSP}
        )


def _charts_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True
