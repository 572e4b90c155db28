"""The story tables: created on first use (``ensure_tables``), whether a store has been grouped
(``has_stories``, ``require_stories``), what it holds (``story_totals``) and the documents without
a story yet (``unplaced``); ``stories`` re-exports the public ones."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from spinscope.errors import StoreError
from spinscope.store.db import Store
from spinscope.store.story_space import unread_grouped

# the vectors alone: what `spinscope batch` creates (``story_record.ingest_encoder``); the story
# tables, whose presence says a store was grouped (``has_stories``), come with `spinscope stories`
VECTORS_TABLE = (
    "CREATE TABLE IF NOT EXISTS story_vectors (doc_id VARCHAR PRIMARY KEY, vector BLOB);"
)
STORY_TABLES = f"""{VECTORS_TABLE}
CREATE TABLE IF NOT EXISTS stories (
    story_id INTEGER PRIMARY KEY, first_day DATE, last_day DATE, size INTEGER, total BLOB,
    dated BOOLEAN);
CREATE TABLE IF NOT EXISTS story_members (
    doc_id VARCHAR PRIMARY KEY, story_id INTEGER, similarity DOUBLE);
"""
NOT_CLUSTERED = "run `spinscope stories --store {path}` first to group its documents into stories"


def ensure_tables(store: Store) -> None:
    """Create the story tables where they are missing (a store opened for writing)."""
    with store.transaction("write to"):
        store.con.execute(STORY_TABLES)


def has_stories(store: Store) -> bool:
    rows = store.query(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'story_members'"
    )
    return bool(rows[0][0])


def require_stories(store: Store) -> None:
    """Raise a one-line StoreError where the store has never been clustered."""
    if not has_stories(store):
        raise StoreError(
            f"{store.path} has no stories yet: " + NOT_CLUSTERED.format(path=store.path) + "."
        )


def unplaced(store: Store) -> list[tuple]:
    """The documents without a story: doc_id, title, text, published, language."""
    return store.query(
        "SELECT d.doc_id, d.title, d.text, d.published, d.language FROM documents d "
        "WHERE d.doc_id NOT IN (SELECT doc_id FROM story_members) "
        "ORDER BY d.published NULLS LAST, d.doc_id"
    )


def story_totals(store: Store, readable: Collection[str] | None = None) -> dict[str, Any]:
    """The store's stories, those of more than one document and the undated documents; with
    ``readable``, also ``unread_grouped`` (``story_space.unread_grouped``)."""
    row = store.query(
        "SELECT count(*), count(*) FILTER (WHERE size > 1), "
        "coalesce(sum(size) FILTER (WHERE NOT dated), 0) FROM stories"
    )[0]
    out: dict[str, Any] = {"stories": int(row[0]), "multi_document_stories": int(row[1]),
                           "undated_documents": int(row[2])}  # fmt: skip
    if readable is not None:
        out["unread_grouped"] = unread_grouped(store, readable)
    return out
