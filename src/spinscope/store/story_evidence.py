"""Language-independent evidence that two texts tell the same event: names (Cyrillic
transliterated, cut to a stem) and numbers. Opt-in in ``store.stories.cluster`` (in memory,
``evidence_weight``); ``cluster_store`` does not use it (BENCHMARKS.md, "Story clusters, second
pass")."""

from __future__ import annotations

import re

# Cyrillic to Latin (Russian, Ukrainian and Bulgarian letters), so that "Путин" and "Putin" give
# the same key; a table, not a full transliteration standard.
_TRANSLIT = {
    ch: latin.strip("_")
    for ch, latin in zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        (
            "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya i i e g"
        ).split(),
        strict=True,
    )
}
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*\d|\d")
# Capitalised words that are not names (sentence openers, title case, days and months).
_NOT_NAMES = frozenset(
    """the a an in on at of for to and but or as by with from after before over this that these
    those it its he she they we you i his her their our is are was were be has have had will
    would can could may says said new more most not no all how why what who when where which
    there here if than then also just about into up out one two three first last news report
    video watch live breaking update exclusive opinion analysis
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december
    в на и с по о об от для из за к у не что как это его её их он она они мы вы а но или же
    также уже после до при над под между""".split()
)
# A key is the first characters of the transliterated word: "Kursk", "Курской" -> "kursk".
KEY_CHARS = 5


def translit(word: str) -> str:
    """Lower-case Latin spelling of ``word`` (Cyrillic letters by table, others kept)."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in word.lower())


def evidence_keys(text: str) -> frozenset[str]:
    """Language-independent evidence that two texts tell the same event: the names (capitalised
    words that are not sentence openers or common title-case words), transliterated and cut to
    their first ``KEY_CHARS`` letters so that inflected and transliterated forms meet, and the
    numbers of two or more digits (``#`` + digits)."""
    keys = set()
    for m in _WORD.finditer(text):
        w = m.group(0)
        if w[0].isdigit():
            digits = re.sub(r"\D", "", w)
            if len(digits) >= 2:
                keys.add("#" + digits)
        elif w[0].isupper() and len(w) >= 3 and w.lower() not in _NOT_NAMES:
            keys.add(translit(w.split("-")[0])[:KEY_CHARS])
    return frozenset(keys)
