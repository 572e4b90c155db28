"""The genre head's language-agnostic style features on short, empty and odd texts."""

import numpy as np

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
