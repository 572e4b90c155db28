"""The stories-jsonl export reads a store's stories in a few scans, not one lookup per story."""

from __future__ import annotations

from datetime import date, timedelta

from spinscope.store import Store
from spinscope.store.stories import cluster_store
from spinscope.store.story_view import iter_story_views, story_view
from story_fixtures import DAM_EN, KeywordEncoder, result


def test_the_export_reads_the_stories_in_a_few_queries(tmp_path, monkeypatch):
    # each story was its own query (and two more for the store's outlet label and encoder): in
    # DuckDB each is an index lookup of large result JSON, about 0.1 s a story, so 443 stories
    # of SemEval-2023 articles took 55 s to export
    days = [(date(2024, 1, 1) + timedelta(days=2 * k)).isoformat() for k in range(40)]
    with Store(tmp_path / "s.duckdb") as store:
        store.write([result(f"{DAM_EN} {k}", f"Dam {k}", f"Outlet {k % 3}" if k % 4 else None, d)
                     for k, d in enumerate(days)])  # fmt: skip
        cluster_store(store, KeywordEncoder(), window_days=0)
        one_by_one = [story_view(store, k) for k in range(1, 41)]
        calls = []
        real = type(store).query
        monkeypatch.setattr(type(store), "query", lambda s, *a: calls.append(a) or real(s, *a))
        assert list(iter_story_views(store)) == one_by_one
    assert len(calls) <= 10, len(calls)  # not one (or more) a story: 40 stories here
