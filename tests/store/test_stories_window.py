"""The story time window on dated documents in a store, undated documents and their message,
and cross-language joins on language-centred vectors (``store.story_space``)."""

from __future__ import annotations

import numpy as np
import pytest

from spinscope.cli.stories import summary_line
from spinscope.store import Store
from spinscope.store.stories import Clusterer, cluster_store
from spinscope.store.story_space import centre, language_means
from story_fixtures import DAM_EN, DAM_EN2, DAM_RU, KeywordEncoder, result


def copy(text: str, n: int) -> str:
    """The same story text filed again (a document is its text's hash, so one word differs;
    the stand-in encoder gives it the same vector)."""
    return f"{text} Filed {n}."


def stories_by_title(store: Store) -> dict[str, int]:
    ids = dict(store.query("SELECT doc_id, story_id FROM story_members"))
    return {t: ids[i] for i, t in store.query("SELECT doc_id, title FROM documents")}


def test_window_joins_same_event_inside_it_and_splits_identical_texts_far_outside(tmp_path):
    docs = [
        result(DAM_EN, "Dam day 1", "Wire", "2024-06-06"),
        result(DAM_EN2, "Dam day 3", "Daily", "2024-06-08"),  # same event, 2 days later
        result(DAM_RU, "Dam day 4 (ru)", "Pravda-like", "2024-06-09", lang="ru"),
        result(copy(DAM_EN, 1), "Dam again, 40 days on", "Wire", "2024-07-16"),  # same vector
        result(copy(DAM_EN, 2), "Dam a year earlier", "Wire", "2023-06-06"),  # same vector
    ]
    with Store(tmp_path / "w.duckdb") as store:
        store.write(docs)
        summary = cluster_store(store, KeywordEncoder(), window_days=3)
        s = stories_by_title(store)
    assert s["Dam day 1"] == s["Dam day 3"] == s["Dam day 4 (ru)"]
    assert len({s["Dam day 1"], s["Dam again, 40 days on"], s["Dam a year earlier"]}) == 3
    assert summary["stories"] == 3 and summary["undated"] == 0
    assert "without a date" not in summary_line(summary)


def test_a_later_batch_outside_the_window_starts_a_new_story(tmp_path):
    with Store(tmp_path / "b.duckdb") as store:
        store.write([result(DAM_EN, "Dam", "Wire", "2024-06-06")])
        cluster_store(store, KeywordEncoder())
        store.write([result(DAM_EN2, "Dam 3 days on", "Daily", "2024-06-09"),
                     result(copy(DAM_EN2, 1), "Dam 4 days on", "Daily", "2024-06-10")])  # fmt: skip
        cluster_store(store, KeywordEncoder(), window_days=3)
        store.write([result(copy(DAM_EN, 1), "Dam, a month on", "Wire", "2024-07-20")])
        late = cluster_store(store, KeywordEncoder(), window_days=3)
        s = stories_by_title(store)
    # 06-10 is 4 days after 06-06 but 1 day after 06-09: the story's range grows with it
    assert s["Dam"] == s["Dam 3 days on"] == s["Dam 4 days on"] != s["Dam, a month on"]
    assert late["new_stories"] == 1 and late["joined_stories"] == 0


def test_undated_documents_are_grouped_apart_and_the_summary_says_so(tmp_path):
    with Store(tmp_path / "u.duckdb") as store:
        store.write([result(DAM_EN, "Dam dated", "Wire", "2024-06-06"),
                     result(copy(DAM_EN, 1), "Dam undated", "Blog", None),
                     result(DAM_EN2, "Dam undated 2", "Blog 2", None)])  # fmt: skip
        summary = cluster_store(store, KeywordEncoder())
        s = stories_by_title(store)
    assert s["Dam undated"] == s["Dam undated 2"] != s["Dam dated"]
    line = summary_line(summary)
    assert line.count("\n") == 0
    assert (
        "placed 3 documents (2 new stories, 0 existing joined), 2 without a date and grouped "
        "only with undated documents (no time window); the store has 2 stories" in line
    )


def test_the_undated_count_is_of_the_documents_this_run_placed(tmp_path):
    # a second run that placed nothing repeated "2 documents without a date" from the store
    with Store(tmp_path / "u.duckdb") as store:
        store.write([result(DAM_EN, "Dam undated", "Blog", None),
                     result(DAM_EN2, "Dam undated 2", "Blog 2", None)])  # fmt: skip
        assert "2 without a date" in summary_line(cluster_store(store, KeywordEncoder()))
        again = cluster_store(store, KeywordEncoder())
        store.write([result(DAM_RU, "Dam dated", "Wire", "2024-06-06", lang="ru")])
        dated = cluster_store(store, KeywordEncoder())
    assert again["placed"] == 0 and again["undated_documents"] == 2  # the JSON keeps both
    assert "without a date" not in summary_line(again)
    assert dated["placed"] == 1 and "without a date" not in summary_line(dated)


def unit(*xs: float) -> np.ndarray:
    v = np.zeros(512, dtype=np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


def test_cross_threshold_compares_centred_vectors_with_stories_without_the_language():
    raw, other = unit(1.0), unit(0.3, 1.0)  # raw cosine 0.29: apart at 0.6
    centred, near = unit(0.0, 0.0, 1.0), unit(0.0, 0.0, 1.0, 0.5)  # centred cosine 0.89
    c = Clusterer(threshold=0.6, cross_threshold=0.45)
    first = c.add(raw, None, language="en", centred=centred)[0]
    assert c.add(other, None, language="en", centred=near)[0] != first  # same language: raw
    c = Clusterer(threshold=0.6, cross_threshold=0.45)
    first = c.add(raw, None, language="en", centred=centred)[0]
    story, score = c.add(other, None, language="ru", centred=near)
    assert story == first and score == pytest.approx(0.894, abs=1e-3)
    assert c.stories[0].languages == {"en", "ru"}
    # now the story has a Russian document: the next Russian one is compared on raw vectors
    far = unit(0.0, 0.0, 0.0, 0.0, 1.0)  # raw cosine 0 to the story, centred still near
    assert c.add(far, None, language="ru", centred=near)[0] != first
    # without a cross threshold every comparison is raw
    c = Clusterer(threshold=0.6)
    first = c.add(raw, None, language="en", centred=centred)[0]
    assert c.add(other, None, language="ru", centred=near)[0] != first


def test_centre_subtracts_the_language_mean_and_falls_back_for_others():
    means = {"en": np.eye(512, dtype=np.float32)[0], "ru": np.eye(512, dtype=np.float32)[1]}
    v = np.zeros((3, 512), dtype=np.float32)
    v[:, 0] = v[:, 2] = np.sqrt(0.5)
    out = centre(v, ["en", "RU", "unknown"], means)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    a, b = np.sqrt(0.5) - 1, np.sqrt(0.5)
    assert out[0, 0] == pytest.approx(a / np.hypot(a, b))
    assert out[1, 1] < 0 and out[2, 0] > 0 and out[2, 1] < 0  # unknown: the mean of the means


def test_shipped_language_means_load():
    means = language_means()
    assert {"en", "ru", "pt", "bg", "pl", "fr", "it", "de"} <= set(means)
    assert all(m.shape == (512,) for m in means.values())


class AxisEncoder:
    """Dam texts on axis 0 (English) or 1 (Russian) plus a shared axis 2: raw cosine 0.5
    between the languages; centring with means on axes 0 and 1 leaves axis 2 alone."""

    def encode(self, texts):
        out = np.zeros((len(texts), 512), dtype=np.float32)
        for k, t in enumerate(texts):
            out[k, 1 if "Плотин" in t else 0] = 1.0
            out[k, 2] = 1.0
        return out


def test_cluster_store_joins_across_languages_in_later_batches(tmp_path):
    means = {"en": unit(1.0) * 0.9, "ru": unit(0.0, 1.0) * 0.9}
    args = {"threshold": 0.66, "means": means, "cross_threshold": 0.47}
    with Store(tmp_path / "x.duckdb") as store:
        store.write([result(DAM_EN, "Dam", "Wire", "2024-06-06")])
        cluster_store(store, AxisEncoder(), **args)
        store.write([result(DAM_RU, "Плотина", "Pravda-like", "2024-06-07", lang="ru")])
        joined = cluster_store(store, AxisEncoder(), **args)
        assert joined["joined_stories"] == 1  # the story's centred sum was rebuilt from storage
        store.write([result(DAM_EN2, "Dam 2", "Daily", "2024-06-08")])
        cluster_store(store, AxisEncoder(), **args)
        s = stories_by_title(store)
        assert s["Dam"] == s["Плотина"] == s["Dam 2"]
        plain = cluster_store(store, AxisEncoder(), threshold=0.66, rebuild=True)
        assert plain["stories"] == 2  # raw vectors only: the languages stay apart


@pytest.mark.parametrize(("day", "window"), [("0001-01-01", 3), ("9999-12-31", 3),
                                             ("2024-06-06", 10**8)])  # fmt: skip
def test_dates_at_the_calendar_s_ends_and_huge_windows_are_grouped(tmp_path, day, window):
    # the candidate range (first date - window, last date + window) was an OverflowError
    # traceback from `spinscope stories` for a document dated 0001-01-01 (a placeholder date)
    with Store(tmp_path / "e.duckdb") as store:
        store.write([result(DAM_EN, "Dam", "Wire", "2024-06-06")])
        cluster_store(store, KeywordEncoder())
        store.write([result(DAM_EN2, "Dam, odd date", "Daily", day)])
        summary = cluster_store(store, KeywordEncoder(), window_days=window)
    assert summary["placed"] == 1
