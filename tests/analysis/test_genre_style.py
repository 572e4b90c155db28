"""The language-agnostic style features of the routed genre head (``analysis.genre_style``; see
BENCHMARKS.md "Issue 15 (s10-genre)") on short, empty and odd texts."""

from pathlib import Path

import numpy as np
import pytest

from spinscope.analysis import genre_style as gs


def _f(text: str) -> dict[str, float]:
    return dict(zip(gs.NAMES, gs.style_features(text).tolist(), strict=True))


def test_empty_and_blank_texts_are_all_zero():
    for text in ("", "   ", "\n\n\n", "???"):
        v = gs.style_features(text)
        assert v.shape == (len(gs.NAMES),) and np.all(np.isfinite(v))
        assert not np.any(v[3:])  # nothing beyond the length features


def test_one_word_is_finite():
    v = gs.style_features("x")
    assert np.all(np.isfinite(v)) and v.shape == (len(gs.NAMES),)


def test_a_wire_report_and_a_rant_differ_as_expected():
    wire = _f("Ten killed in blast\n\nPARIS (AFP) - Ten people were killed on 3 May, "
              "police said. « Nous enquêtons », a dit le préfet.")  # fmt: skip
    rant = _f("Wake up!\n\nI told you so. Why do we still believe them? You know the truth! "
              "We must act now!")  # fmt: skip
    assert wire["dateline"] == 1 and wire["agency_named"] == 1 and rant["dateline"] == 0
    assert wire["share_sentences_with_number"] > rant["share_sentences_with_number"]
    assert wire["quote_marks_per_100_words"] > 0 == rant["quote_marks_per_100_words"]
    assert rant["first_person_rate"] > 0 and rant["second_person_rate"] > 0
    assert wire["first_person_rate"] < rant["first_person_rate"]
    assert rant["question_rate"] > 0 and rant["exclamation_rate"] > 0
    assert rant["headline_question_or_exclamation"] == 1


def test_pronouns_in_other_languages_and_no_false_friends():
    assert _f("T\n\nJe pense que vous avez tort.")["first_person_rate"] > 0
    assert _f("T\n\nМы знаем, что вы лжёте.")["second_person_rate"] > 0
    # "i" (Italian/Polish 'and'/'the'), "du" (French), "was" (English) are not pronouns here
    v = _f("T\n\nLa vie i du pain was here.")
    assert v["first_person_rate"] == 0 and v["second_person_rate"] == 0


def test_odd_and_huge_texts_stay_bounded():
    odd = "\x00\ufeff" + "🙂" * 50 + "\n" + "!!!???" * 100
    assert np.all(np.isfinite(gs.style_features(odd)))
    huge = "Headline\n\n" + "Word 12, “quoted”. " * 100_000
    v = gs.style_features(huge)
    assert np.all(np.isfinite(v)) and v[0] <= np.log1p(gs.MAX_CHARS)


def test_standardise_clips_and_survives_constant_columns():
    x = np.array([[0.0, 1.0], [0.0, 3.0]])
    z = gs.standardise(np.array([[5.0, 100.0]]), x.mean(0), x.std(0))
    assert z[0, 0] == 5.0 and z[0, 1] == 5.0
    assert gs.matrix([]).shape == (0, len(gs.NAMES))


def _bench():
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "genre_style_cv.py"
    spec = importlib.util.spec_from_file_location("genre_style_cv", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["genre_style_cv"] = mod
    spec.loader.exec_module(mod)
    return mod


def _part(texts: list[str], gold: list[str], mean: np.ndarray) -> dict:
    return {"ids": [str(k) for k in range(len(gold))], "gold": gold, "mean": mean,
            "std": np.zeros_like(mean), "style": gs.matrix(texts)}  # fmt: skip


def test_leave_one_language_out_on_synthetic_rows():
    pytest.importorskip("sklearn")
    bench = _bench()
    rng = np.random.default_rng(0)
    genres = ["opinion", "reporting", "satire"] * 4
    texts = ["T\n\nI think you lie! Why?", "T\n\nPARIS (AFP) - 3 dead, police said.", "T\n\nLOL."]
    train = {
        lang: _part(texts * 4, genres, rng.normal(size=(12, 4)) + np.eye(4)[[0, 1, 2] * 4])
        for lang in ("EN", "FR", "DE")
    }
    for kind in ("mean", "style", "mean+style", "mean+std+style"):
        s = bench.loo(train, kind, 1.0, 0.3, 1.0)
        assert set(s) == {"EN", "FR", "DE"} and all(0 <= v <= 1 for v in s.values())


DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "semeval2023-task3"


@pytest.mark.skipif(not (DATA / "fr").is_dir(), reason="SemEval-2023 Task 3 data not available")
def test_style_head_on_a_tiny_slice_of_real_articles():
    pytest.importorskip("sklearn")
    from spinscope.analysis.feature_cache import vectors
    from spinscope.training import framing_multilingual as fm

    _, texts, gold = fm.split_data(DATA, "FR", "dev", 1)
    pick = [gold.index(g) for g in ("opinion", "reporting", "satire")]
    pick += [k for k in range(len(gold)) if k not in pick][:3]
    texts, gold = [texts[k] for k in pick], [gold[k] for k in pick]
    part = _part(texts, gold, vectors(texts))
    (score,) = _bench().fit_score([part], [part], "mean+style", 1.0, 0.1, 0.0)
    assert 0 <= score <= 1


def test_centring_subtracts_each_languages_train_mean():
    bench = _bench()
    rng = np.random.default_rng(1)
    train = {lang: {"mean": rng.normal(size=(5, 3)) + k} for k, lang in enumerate(("EN", "FR"))}
    evals = {"FR": {"mean": np.ones((2, 3))}, "EN shifted": {"mean": np.zeros((2, 3))}}
    mu = {lang: d["mean"].mean(0) for lang, d in train.items()}
    bench.centre(train, evals)
    assert np.allclose(train["FR"]["mean"].mean(0), 0) and np.allclose(
        train["EN"]["mean"].mean(0), 0
    )
    assert np.allclose(evals["FR"]["mean"], 1 - mu["FR"])
    assert np.allclose(evals["EN shifted"]["mean"], -mu["EN"])
