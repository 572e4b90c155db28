"""The story API and pages over a small clustered store: lists, side by side, explanations for a
store that was never clustered, one-document and undated stories, and escaping."""

from __future__ import annotations

from dataclasses import replace

import pytest

from spinscope.store import Store
from spinscope.store.stories import cluster_store
from spinscope.store.story_space import READABLE
from story_fixtures import DAM_EN, KeywordEncoder, result, story_results

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "s.duckdb"
    docs = [*story_results(),
            result(f"The dam broke. {HOSTILE}", f"Dam {HOSTILE}", f"Outlet {HOSTILE}",
                   "2024-06-07", quoted=None)]  # fmt: skip
    with Store(path) as store:
        store.write(docs)
        cluster_store(store, KeywordEncoder())
    return path


def dam_story(client) -> dict:
    rows = client.get("/api/stories").json()["stories"]
    return rows[0]


def test_api_lists_and_shows_a_story(make_client, store_path):
    client = make_client(store_path=store_path)
    data = client.get("/api/stories").json()
    assert data["note"] is None
    top = data["stories"][0]
    assert top["documents"] == 4 and top["languages"] == ["en", "ru"]
    story = client.get(f"/api/stories/{top['id']}").json()
    outlets = {c["outlet"] for c in story["outlets"]}
    assert {"Wire", "Pravda-like"} <= outlets
    assert story["figure_differences"][0]["about"] == "villages"


def test_page_shows_columns_and_escapes_article_text(make_client, store_path):
    client = make_client(store_path=store_path)
    top = dam_story(client)
    html = client.get(f"/stories/{top['id']}").text
    assert "<script>alert" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;" in html
    assert "Techniques per 1,000 words (author's voice)" in html
    assert "Ivan Petrenko" in html and "Pravda-like" in html
    assert "Sentences in one outlet only" in html and "no other outlet in its language" in html
    listing = client.get("/stories").text
    assert "<script>alert" not in listing and f'href="/stories/{top["id"]}"' in listing


def test_unknown_and_bad_story_ids(make_client, store_path):
    client = make_client(store_path=store_path)
    r = client.get("/api/stories/999")
    assert r.status_code == 404 and "No story 999" in r.text
    assert client.get("/api/stories/0").status_code == 404
    assert client.get("/stories/999").status_code == 404
    # a bad id was 422 "path.story_id: Input should be a valid integer" (a bad document id: 404)
    for bad in ("abc", "1.5", "%00", "-1", "\u0663"):
        for path in ("/api/stories/", "/stories/"):
            r = client.get(path + bad)
            assert r.status_code == 404 and "story ids are positive whole numbers" in r.text, bad


def test_a_story_id_of_thousands_of_digits_is_no_such_story(make_client, store_path):
    # int() refuses more than 4,300 digits: a ValueError, and a 500 "the server failed"
    client = make_client(store_path=store_path)
    for path in ("/api/stories/", "/stories/"):
        r = client.get(path + "9" * 5000)
        assert r.status_code == 404 and "story ids are positive whole numbers" in r.text


def test_unclustered_store_explains(make_client, tmp_path):
    path = tmp_path / "plain.duckdb"
    with Store(path) as store:
        store.write(story_results()[:1])
    client = make_client(store_path=path)
    data = client.get("/api/stories").json()
    assert data["stories"] == [] and "spinscope stories --store" in data["note"]
    assert "spinscope stories --store" in client.get("/stories").text
    r = client.get("/api/stories/1")
    assert r.status_code == 404 and "no stories yet" in r.text


def test_memory_server_explains(client):
    assert "--store" in client.get("/api/stories").json()["note"]


def test_one_document_store_and_undated_story_pages(make_client, tmp_path):
    path = tmp_path / "one.duckdb"
    with Store(path) as store:
        store.write([result("The football club won the cup.", "Cup", None, None)])
        cluster_store(store, KeywordEncoder())
    client = make_client(store_path=path)
    assert "one document so far" in client.get("/api/stories").json()["note"]
    html = client.get("/stories/1").text
    assert "nothing to compare it with yet" in html and "no date" in html
    assert "(unknown outlet)" in html


def test_the_list_says_what_became_of_documents_without_a_date(make_client, store_path):
    # the list showed "undated" in a row, and only a story's own page said why: undated
    # documents are grouped only among themselves, with no time window
    client = make_client(store_path=store_path)
    data = client.get("/api/stories").json()
    assert data["undated_note"].startswith("1 document has no date")
    assert "no time window" in client.get("/stories").text


def test_a_story_never_tagged_says_not_analysed_rather_than_none(make_client, tmp_path):
    # a store batched with claims only (or in a language no tagger reads) showed "2, 0" for
    # documents and words, and "none" techniques, frames and narratives: nothing had looked
    docs = [result("The dam broke and villages flooded, officials said today.", "Dam 1", "Wire",
                   "2024-06-06"),
            result("The dam collapsed overnight and the valley flooded badly.", "Dam 2", "Daily",
                   "2024-06-06")]  # fmt: skip
    docs = [replace(r, models=[{"analyzer": "claims"}]) for r in docs]
    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        store.write(docs)
        cluster_store(store, KeywordEncoder())
    client = make_client(store_path=path)
    column = client.get("/api/stories/1").json()["outlets"][0]
    assert column["tagged_documents"] == 0 and column["document_words"] > 0
    html = client.get("/stories/1").text
    assert "<td>1, 0</td>" not in html and html.count("not analysed") >= 6  # 3 rows x 2 outlets


def test_results_that_record_no_models_count_as_analysed_where_they_have_findings(
    make_client, tmp_path
):
    # a library caller's results record no "models": as in `stats`, their findings say the
    # tagger ran (the rate was 0.0 over no words, then "not analysed")
    docs = [replace(result(DAM_EN, "Dam", "Wire", "2024-06-06", authored="catastrophic"),
                    models=[]),
            replace(result("The dam broke and villages flooded.", "Dam 2", "Daily",
                           "2024-06-06"), models=[])]  # fmt: skip
    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        store.write(docs)
        cluster_store(store, KeywordEncoder())
    view = make_client(store_path=path).get("/api/stories/1").json()
    columns = {c["outlet"]: c for c in view["outlets"]}
    assert columns["Wire"]["tagged_documents"] == 1
    assert columns["Wire"]["techniques_per_1000_words"]["Loaded_Language"] > 0
    assert columns["Daily"]["tagged_documents"] == 0  # nothing says the tagger ran there


def test_list_filters_and_limits(make_client, store_path):
    client = make_client(store_path=store_path)
    rows = client.get("/api/stories?min_documents=2").json()["stories"]
    assert [r["documents"] for r in rows] == [4]
    assert len(client.get("/api/stories?limit=1").json()["stories"]) == 1
    r = client.get("/api/stories?limit=0")
    assert r.status_code == 400 and "limit must be from 1" in r.text
    assert "No story matches" in client.get("/api/stories?min_documents=50").json()["note"]


def test_a_list_cut_at_its_limit_says_how_many_stories_there_are(make_client, tmp_path):
    # /stories listed the 200 largest of 201 stories without a word, and the API's answer did
    # not say that there were more
    from datetime import date, timedelta

    path = tmp_path / "many.duckdb"
    days = [(date(2024, 1, 1) + timedelta(days=2 * k)).isoformat() for k in range(201)]
    with Store(path) as store:
        store.write([result(f"The dam broke {k}.", f"Dam {k}", "Wire", d)
                     for k, d in enumerate(days)])  # fmt: skip
        cluster_store(store, KeywordEncoder(), window_days=0)
    client = make_client(store_path=path)
    data = client.get("/api/stories?limit=5").json()
    assert len(data["stories"]) == 5 and data["total"] == 201
    assert client.get("/api/stories?min_documents=2").json()["total"] == 0
    page = client.get("/stories").text
    assert page.count('href="/stories/') == 200 and "The 200 largest of 201 stories" in page


def test_documents_the_encoder_cannot_read_are_said_to_stand_alone(make_client, tmp_path):
    path = tmp_path / "hi.duckdb"
    hindi = "बाढ़ से सैकड़ों गांव डूबे। भारी बारिश के बाद नदी का पानी गांवों में घुस गया।"
    with Store(path) as store:
        store.write([*story_results(), result(hindi, "बाढ़", "Hindi daily", "2024-06-06",
                                              lang="hi")])  # fmt: skip
        cluster_store(store, KeywordEncoder(), readable=READABLE)
        (hi_story,) = store.query(
            "SELECT story_id FROM story_members m JOIN documents d USING (doc_id) "
            "WHERE d.language = 'hi'"
        )[0]
    client = make_client(store_path=path)
    data = client.get("/api/stories").json()
    assert data["unread"] == {"hi": 1} and data["unread_note"].startswith("The store has 1 ")
    assert "cannot read" in client.get("/stories").text
    assert "cannot read" in client.get(f"/stories/{hi_story}").text
    plain = make_client(store_path=tmp_path / "none.duckdb")
    assert plain.get("/api/stories").json()["unread"] == {}
