"""``parsing.speech_cue``'s trie regex finds a cue exactly where the plain list of forms does."""

import random
import re

from spinscope.analysis.claims import parsing

PLAIN = re.compile(
    r"\b(?:"
    + "|".join(sorted(parsing.SPEECH_FORMS, key=len, reverse=True))
    + r"|according\s+to)\b",
    re.IGNORECASE,
)


def test_the_trie_matches_exactly_the_words_it_was_built_from():
    words = {"say", "said", "says", "saying", "s", "sa", "tell", "told", "telling"}
    trie = re.compile(f"(?:{parsing.word_trie(words)})")
    for word in sorted(words):
        assert trie.fullmatch(word), word
    for other in ("", "sai", "sayi", "tel", "toldd", "xsay", "tells"):
        assert not trie.fullmatch(other), other


def test_the_speech_cue_agrees_with_the_plain_list_of_forms():
    forms = sorted(parsing.SPEECH_FORMS)
    texts = []
    for form in forms:
        texts += [form, form.upper(), form.title(), form + "s", form[:-1], "x" + form]
        texts += [f"{form}'s", f"The {form} of it.", f"{form}_", "ſ" + form[1:], f"“{form}”"]
    rng = random.Random(18)
    pieces = [*forms[::7], "according", "to", "  ", "\n", ",", "-", "'", "the", "x", "ing", "ed"]
    for _ in range(3000):
        texts.append(
            "".join(rng.choice(pieces) + rng.choice(["", " ", ".", "-"]) for _ in range(4))
        )
    texts += ["According  to the police", "according to", "accordingto", "Minister SAID so."]
    for text in texts:
        assert parsing.speech_cue(text) == bool(PLAIN.search(text)), text
