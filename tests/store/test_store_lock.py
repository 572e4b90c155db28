"""A store another process has open (`spinscope serve` holds it for a moment per request):
``Store(..., wait_s=N)`` and the CLI commands (``store.lock_wait_s``) try again for a bounded
time before the one-line "another process has it open" error."""

from __future__ import annotations

import time

import pytest

from spinscope.cli.main import main
from spinscope.errors import StoreBusy, StoreError
from spinscope.store import Store
from store_lock_fixtures import holding

LOCKED = "another process has it open; close that process or use another file"


def test_a_lock_released_within_the_wait_is_waited_for(store_path):
    with holding(store_path, seconds=1.0):
        started = time.monotonic()
        with Store(store_path, read_only=True, wait_s=20) as store:
            assert store.count("documents") == 3
        assert time.monotonic() - started < 15


def test_a_lock_held_past_the_wait_is_the_one_line_error(store_path):
    with holding(store_path):
        started = time.monotonic()
        with pytest.raises(StoreBusy, match=LOCKED) as caught:
            Store(store_path, wait_s=0.5)
        assert 0.5 <= time.monotonic() - started < 10
        assert "(waited 0.5 s; the setting store.lock_wait_s" in str(caught.value)
        assert isinstance(caught.value, StoreError)
        with pytest.raises(StoreBusy, match=LOCKED):  # no wait: at once, as before
            Store(store_path, read_only=True)


def test_stats_waits_for_a_store_held_for_a_moment(store_path, capsys):
    with holding(store_path, seconds=1.0):
        assert main(["stats", "--store", str(store_path), "--json"]) == 0
    assert '"rows"' in capsys.readouterr().out


def test_the_cli_wait_is_a_setting(store_path, capsys, monkeypatch):
    monkeypatch.setenv("SPINSCOPE_STORE_LOCK_WAIT_S", "0.2")
    with holding(store_path):
        out = str(store_path.parent / "x.jsonl")
        for argv in (["stats"], ["batch"], ["export", "--format", "jsonl", "--out", out]):
            assert main([*argv, "--store", str(store_path)]) == 1, argv
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and LOCKED in err and "waited 0.2 s" in err, err
