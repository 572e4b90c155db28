"""Corrected annotations kept in a store as ``origin='human'`` findings.

Reading them back from Label Studio, brat and INCEpTION is ``spinscope.interchange``'s (one
module per format); writing them as a training folder is ``spinscope.interchange.ptc``'s. Only
what touches the database is here.
"""

from __future__ import annotations

from collections.abc import Sequence

from spinscope.interchange.annotated import AnnotatedDoc
from spinscope.model.taxonomy import category
from spinscope.store.db import Store


def store_human_findings(
    store: Store, docs: Sequence[AnnotatedDoc], *, analyzer: str
) -> tuple[int, list[str]]:
    """Replace the human findings of each stored document among ``docs`` (in their taxonomy) by
    its annotations, in one transaction; machine findings, and human ones of the other taxonomy,
    stay.

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
    with store.transaction():
        store.con.execute(
            "DELETE FROM findings WHERE origin = 'human' AND taxonomy = ? "
            "AND doc_id IN (SELECT unnest(?))",
            [docs[0].taxonomy if docs else "", [d.doc_id for d in kept] or [""]],
        )
        if rows:
            store.con.executemany(
                'INSERT INTO findings (doc_id, start, "end", text, label, taxonomy, category, '
                "confidence, analyzer, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    return len(kept), [i for i in ids if i not in known]
