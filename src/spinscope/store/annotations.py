"""Corrected annotations kept in a store as ``origin='human'`` findings, and which documents
people annotated (in which taxonomy), even where they kept no span.

Reading them back from Label Studio, brat and INCEpTION is ``spinscope.interchange``'s (one
module per format); writing them as a training folder is ``spinscope.interchange.ptc``'s. Only
what touches the database is here.
"""

from __future__ import annotations

from collections.abc import Sequence

from spinscope.interchange.annotated import AnnotatedDoc
from spinscope.model.taxonomy import category
from spinscope.store.db import Store
from spinscope.store.rows import now

# Which documents people annotated, per taxonomy: a document whose every span they deleted has
# no human finding, and without this row it looked never annotated (a re-export showed the
# machine's spans again). Created by the first import, like the story tables, so that a store
# from before it opens, read-only too, and exports as it did.
ANNOTATED_TABLE = """CREATE TABLE IF NOT EXISTS annotated (
    doc_id VARCHAR, taxonomy VARCHAR, analyzer VARCHAR, source VARCHAR, imported_at TIMESTAMP,
    PRIMARY KEY (doc_id, taxonomy));"""


def store_human_findings(
    store: Store, docs: Sequence[AnnotatedDoc], *, analyzer: str
) -> tuple[int, list[str]]:
    """Replace the human findings of each stored document among ``docs`` (in their taxonomy) by
    its annotations, in one transaction, and mark it annotated in that taxonomy (also where it
    has no span left); machine findings, and human ones of the other taxonomy, stay.

    Returns:
        How many documents were updated, and the ids of those not in the store (left out).
    """
    ids = [d.doc_id for d in docs]
    known = {r[0] for r in store.query(
        "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?))", [ids])}  # fmt: skip
    kept = [d for d in docs if d.doc_id in known]
    rows = [
        [d.doc_id, s.start, s.end, d.text[s.start : s.end], s.label, d.taxonomy,
         category(d.taxonomy, s.label), 1.0, analyzer, "human"]
        for d in kept for s in d.spans
    ]  # fmt: skip
    taxonomy, kept_ids = (docs[0].taxonomy if docs else ""), [d.doc_id for d in kept] or [""]
    marks = list(
        {d.doc_id: [d.doc_id, d.taxonomy, analyzer, d.source, now()] for d in kept}.values()
    )
    with store.transaction():
        store.con.execute(ANNOTATED_TABLE)
        for table in ("findings", "annotated"):
            human = "origin = 'human' AND " if table == "findings" else ""
            store.con.execute(
                f"DELETE FROM {table} WHERE {human}taxonomy = ? AND doc_id IN (SELECT unnest(?))",
                [taxonomy, kept_ids],
            )
        if rows:
            store.con.executemany(
                'INSERT INTO findings (doc_id, start, "end", text, label, taxonomy, category, '
                "confidence, analyzer, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        if marks:
            store.con.executemany("INSERT INTO annotated VALUES (?, ?, ?, ?, ?)", marks)
    return len(kept), [i for i in ids if i not in known]


def annotated_ids(store: Store, taxonomy: str) -> set[str]:
    """The documents people annotated in ``taxonomy``: marked by an import, or holding human
    findings (stores from before the mark kept only those)."""
    have = store.query(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'annotated'"
    )[0][0]
    marked = "UNION SELECT doc_id FROM annotated WHERE taxonomy = ?" if have else ""
    rows = store.query(
        f"SELECT doc_id FROM findings WHERE origin = 'human' AND taxonomy = ? {marked}",
        [taxonomy, taxonomy] if have else [taxonomy],
    )
    return {r[0] for r in rows}
