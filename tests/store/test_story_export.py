"""The stories-jsonl export reads a store's stories in a few scans, not one lookup per story."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("fmt", ["stories-jsonl", "jsonl", "failures"])
def test_an_export_over_its_own_store_is_refused(tmp_path, capsys, fmt):
    # --out naming the store: stories-jsonl truncated it to 0 bytes (then failed), jsonl
    # replaced it with JSON lines and said "exported": the store was gone either way
    from spinscope.cli.main import main

    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.write([result(DAM_EN, "Dam", "Wire", "2024-06-06")])
        cluster_store(store, KeywordEncoder())
    size = path.stat().st_size
    for out in (path, tmp_path / "." / "s.duckdb", Path(f"{path}.wal")):
        argv = ["export", "--store", str(path), "--format", fmt, "--out", str(out)]
        assert main(argv) != 0
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "the store itself" in err, err
    assert path.stat().st_size == size and not Path(f"{path}.wal").exists()
    with Store(path, read_only=True) as store:
        assert store.count("documents") == 1
