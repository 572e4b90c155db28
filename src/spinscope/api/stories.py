"""Story pages and API: the same event across outlets and languages, side by side.

``GET /api/stories`` lists the stories of the store, ``GET /api/stories/{id}`` gives one side by
side (the data of ``spinscope export --format stories-jsonl``); ``/stories`` and
``/stories/{id}`` are the pages. A store that was never clustered gets an explanation (run
``spinscope stories``), not an empty page.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Path, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from spinscope.api.service import Service
from spinscope.errors import StoreError
from spinscope.model.language import NAMES
from spinscope.model.wording import plural
from spinscope.store.stories import has_stories, story_totals
from spinscope.store.story_record import store_readable
from spinscope.store.story_space import unread_counts, unread_sentence
from spinscope.store.story_view import count_stories, list_stories, story_view

MAX_ID = 2**31 - 1
MAX_LIST = 1000  # stories in one list
STORY_ID = Path(description="A story's id, a positive whole number (see `GET /api/stories`).")


def not_clustered(service: Service) -> str:
    """Why there are no stories, and what to do."""
    if not service.persistent:
        return ("No stories: this server keeps documents in memory. Start it with --store, "
                "then run `spinscope stories --store <file>` to group them.")  # fmt: skip
    return ("This store has no stories yet: run `spinscope stories --store <file>` to group its "
            "documents into stories, then reload.")  # fmt: skip


def undated_sentence(undated: int) -> str | None:
    """What became of the store's documents without a date (None: there are none)."""
    if not undated:
        return None
    has = "has" if undated == 1 else "have"
    return (f"{plural(undated, 'document')} {has} no date: such documents are grouped only with "
            "each other, with no time window (their stories say \"undated\").")  # fmt: skip


def stories_data(service: Service, min_documents: int = 1, limit: int = 200) -> dict[str, Any]:
    if not 1 <= limit <= MAX_LIST:
        raise HTTPException(400, f"limit must be from 1 to {MAX_LIST}, got {limit}.")
    with service.db() as store:
        if not has_stories(store):
            return {"stories": [], "total": 0, "note": not_clustered(service), "unread": {},
                    "unread_note": None, "undated_note": None}  # fmt: skip
        rows = list_stories(store, min_documents=max(min_documents, 1), limit=limit)
        total = count_stories(store, min_documents=max(min_documents, 1))
        unread, _ = unread_counts(store, store_readable(store))
        undated = story_totals(store)["undated_documents"]
    note = None if rows else "No story matches (or the store has no documents yet)."
    if rows and all(r["documents"] == 1 for r in rows):
        note = "Every story has one document so far: no event is covered twice yet."
    return {"stories": rows, "total": total, "note": note, "unread": unread,
            "unread_note": unread_sentence(unread, store=True),
            "undated_note": undated_sentence(undated)}  # fmt: skip


def story_data(service: Service, story_id: str) -> dict[str, Any]:
    # the path's text, not an int parameter: "abc" was a 422 about parsing (as for documents,
    # a bad id is no such story); more digits than MAX_ID has are none either (int() refuses
    # over 4,300 digits: a ValueError, and a 500)
    digits = story_id.isascii() and story_id.isdigit() and len(story_id) <= len(str(MAX_ID))
    number = int(story_id) if digits else 0
    if not 0 < number <= MAX_ID:
        raise HTTPException(404, "No such story: story ids are positive whole numbers.")
    with service.db() as store:
        if not has_stories(store):
            raise HTTPException(404, not_clustered(service))
        try:
            return story_view(store, number)
        except StoreError as exc:
            raise HTTPException(404, f"No story {number} in this store.") from exc


def install(app: FastAPI, service: Service, templates: Jinja2Templates) -> None:
    """Add the story API routes and pages to ``app``."""

    @app.get("/api/stories", tags=["stories"])
    def api_stories(min_documents: int = 1, limit: int = 200) -> dict[str, Any]:
        """The stories (largest first, at most `limit`, those with at least `min_documents`):
        id, documents, outlets, languages, dates, a title; `total`: how many there are in
        all (more than listed where the limit cut the list); a `note` where there are none or
        every story has one document; `unread`: all the store's documents in languages the
        story encoder cannot read, each a story of its own, by language (and `unread_note`
        saying so; `spinscope stories` counts those it placed in that run); `undated_note`: how
        many documents have no date, grouped only with each other."""
        return stories_data(service, min_documents, limit)

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def api_story(story_id: str = STORY_ID) -> dict[str, Any]:
        """One story side by side: a column per outlet with techniques per 1,000 words in the
        author's voice, frames, narratives, figures, speakers and languages."""
        return story_data(service, story_id)

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        s = service.settings
        context |= {"token_needed": bool(s["serve.api_token"]) and not s["serve.protect_reads"],
                    "language_names": NAMES}  # fmt: skip
        return templates.TemplateResponse(request, name, context)

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, min_documents: int = 1) -> HTMLResponse:
        return page(request, "stories.html", **stories_data(service, min_documents))

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        return page(request, "story.html", story=story_data(service, story_id))
