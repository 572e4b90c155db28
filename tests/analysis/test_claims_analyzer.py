"""The claims analyser end to end with a stand-in scorer: selection, order, offsets, bad input."""

import re

import numpy as np
import pytest

from spinscope.analysis.claims import ClaimAnalyzer, head_scores, normalise, sentences
from spinscope.analysis.claims import quantities as q
from spinscope.ingest import from_text
from spinscope.model.document import AnalysisResult, Document

pytest.importorskip("spacy")


class KeywordScorer:
    """Scores a sentence 0.9 on both heads if it contains "checkable", else 0.1."""

    card = {"name": "keyword"}
    model_sha256 = None

    def score(self, texts):
        return np.array([[0.9, 0.9] if "checkable" in t else [0.1, 0.1] for t in texts],
                        np.float32).reshape(-1, 2)  # fmt: skip


def analyze(text, **kwargs):
    kwargs.setdefault("embeddings", False)
    analyzer = ClaimAnalyzer(**kwargs)
    analyzer.__dict__["scorer"] = KeywordScorer()
    doc = from_text(text) if text.strip() else Document(text)
    claims = analyzer.analyze([doc])[0]
    AnalysisResult(doc=doc, findings=[], claims=claims).check_offsets()
    return claims


NUMBER_WORDS = (
    set(q.UNITS_WORDS)
    | set(q.TENS_WORDS)
    | set(q.MULTIPLIER_VERBS)
    | set(q.ORDINAL_WORDS)
    | {"half", "third", "quarter", "fifth", "tenth", "thirds", "quarters", "thousands", "millions"}
)


def says_a_number(text: str) -> bool:
    """A figure is only ever text that writes a number: digits or a number word."""
    words = re.findall(r"[a-z]+", text.lower())
    return bool(re.search(r"\d", text)) or any(w in NUMBER_WORDS for w in words)


TEXT = (
    "This is a checkable sentence about the harbour. "
    "Exports grew by 12% in 2021. "
    "The weather was nice and everyone was happy. "
    "Another checkable statement is here."
)


def test_selection_and_order():
    claims = analyze(TEXT)
    assert [c.text for c in claims] == [
        "This is a checkable sentence about the harbour.",
        "Another checkable statement is here.",
        "Exports grew by 12% in 2021.",  # listed for its figure, scored lowest
    ]
    assert [c.checkworthiness for c in claims] == [0.9, 0.9, 0.1]
    assert "states a figure" in claims[2].explanation


def test_also_list_and_threshold_and_max_claims():
    assert len(analyze(TEXT, also_list=())) == 2
    assert len(analyze(TEXT, threshold=0.95, also_list=())) == 0
    assert [c.text for c in analyze(TEXT, max_claims=1)] == [
        "This is a checkable sentence about the harbour."
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "Exports: up 5%.",  # no verb
        "Товарооборот вырос на тридцать процентов в 2022 году. Это важно.",  # not English
        "Trade reached $25-30 billion, three times more than before.",  # a range and words
        " | ".join(f"Row {i} | {i * 1.5}% | {2000 + i}" for i in range(200)),  # a table
    ],
)
def test_bad_input_does_not_crash_or_invent(text):
    claims = analyze(text)
    for c in claims:
        for f in c.figures:
            assert f.quantity.text.strip()
            assert says_a_number(f.quantity.text), f.quantity.text


def test_words_and_ranges_come_out_right():
    (claim,) = analyze("Trade reached $25-30 billion last year, three times more than in 2015.")
    values = [(f.quantity.kind, f.quantity.low, f.quantity.high, f.quantity.value)
              for f in claim.figures]  # fmt: skip
    assert values == [("money", 2.5e10, 3e10, 2.75e10), ("multiplier", None, None, 3.0)]


def test_russian_number_words_are_not_quantities():
    assert analyze("Товарооборот вырос на тридцать процентов.") == []


def test_a_flattened_table_is_cut_into_scorable_pieces():
    table = " | ".join(f"Row {i} | {i}.5% | more" for i in range(300))
    spans = sentences(table)
    assert len(spans) > 1 and all(e - s <= 1000 for s, e in spans)
    assert all(table[s:e].strip() == table[s:e] for s, e in spans)


def test_head_scores():
    probs = np.array([[0.2, 0.6], [0.9, 0.1]], np.float32)
    assert head_scores(probs, "claimbuster").tolist() == pytest.approx([0.2, 0.9])
    assert head_scores(probs, "checkthat19").tolist() == pytest.approx([0.6, 0.1])
    assert head_scores(probs, "mean").tolist() == pytest.approx([0.4, 0.5])
    assert head_scores(np.zeros((0, 2)), "mean").shape == (0,)


def test_normalised_form_writes_values():
    (claim,) = analyze("Exports grew by 22.3% in 2022.")
    assert claim.normalized == "exports grew by 22.3% in 2022"
    (a,) = analyze("Exports reached $30 billion.")
    (b,) = analyze("Exports reached 30 billion dollars.")
    assert a.normalized == b.normalized == "exports reached 30000000000usd"


def test_embeddings_group_the_same_claim():
    texts = [
        "Exports to EAEU countries grew by 22.3% in 2022.",
        "In 2022, exports to the EAEU countries rose 22.3 percent.",
        "The mayor opened a new library on Monday.",
    ]
    vecs = []
    for t in texts:
        (c,) = analyze(t, embeddings=True, threshold=0.0)
        assert len(c.embedding) == 256
        vecs.append(np.asarray(c.embedding) / np.linalg.norm(c.embedding))
    same, other = vecs[0] @ vecs[1], vecs[0] @ vecs[2]
    assert same > 0.8 and other < 0.5, (same, other)


def test_normalise_ignores_figures_outside_the_text():
    assert normalise("Plain text.", [], 0) == "plain text"


def test_a_pronoun_speaker_is_linked_to_the_last_named_subject():
    text = "Angela Smith opened the new terminal on Monday. Exports rose 5% last year, she said."
    (claim,) = [c for c in analyze(text) if c.text.startswith("Exports")]
    a = claim.attribution
    assert a.kind == "reported" and a.speaker.text == "she"
    assert a.entity.text == "Angela Smith" and text[a.entity.start : a.entity.end] == "Angela Smith"


def test_a_title_case_headline_is_not_read_as_names():
    text = "Harbour Deal Will Save Our Town, Whatever the Doom-Mongers Say\n\nA calm sentence here."
    assert [c.attribution.kind for c in analyze(text)] in ([], ["author"])


def test_a_headline_keeps_its_spelling_in_mentions():
    text = "Exports Grew By 12% In 2021, Minister Says\n\nAnother sentence."
    for c in analyze(text):
        AnalysisResult(doc=Document(text), findings=[], claims=[c]).check_offsets()


def test_a_text_whose_only_candidate_is_dropped_gives_no_claims_not_an_error():
    """A speech verb picks the sentence, then nobody is quoted: no claims, no embedder call."""
    from spinscope.analysis.claims import ClaimAnalyzer
    from spinscope.model.document import Document

    text = (
        "Whatever the planners say, the expansion could harm the estuary. But who are they really "
        "working for? Their so-called environmental report was written in a few weeks."
    )
    assert ClaimAnalyzer(threshold=0.99).analyze([Document(text)]) == [[]]
