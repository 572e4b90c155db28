"""The routed genre head (issue 15, s10-genre): a routed language's genre is read from its
language-centred vector and style values, with that head's own floor; any other language keeps
the shipped head; the centred passages' shares still add up to the centred score. A fake encoder
stands in for USE (as in test_framing_multilingual)."""

import json

import numpy as np
import pytest

from spinscope.analysis import _multilingual, framing_genre, genre_style
from spinscope.analysis.framing import FramingAnalyzer
from spinscope.corpora.semeval23_articles import FRAMES, GENRES
from spinscope.model.document import AnalysisResult, Document
from spinscope.model.language import Language

from .test_framing_multilingual import ENGLISH, FakeEncoder

FRENCH = (
    "Le tribunal a entendu mardi que l'entreprise n'avait pas payé ses salariés depuis trois "
    "mois. Le juge a dit que l'affaire reprendrait la semaine prochaine. Les avocats des "
    "salariés ont demandé des dommages et l'entreprise n'a pas voulu commenter."
)
D = _multilingual.DIMS


@pytest.fixture(autouse=True)
def fake_encoder(monkeypatch):
    monkeypatch.setattr(_multilingual, "load_encoder", lambda threads=1: FakeEncoder())


def model_dir(tmp_path, routed_w, floor=0.0):
    """Shipped head: "opinion" for everything; routed head (FR only) given by ``routed_w``."""
    shipped = np.zeros((3, D))
    n = len(genre_style.NAMES)
    np.savez(
        tmp_path / "framing.npz",
        genre_W=shipped, genre_b=np.array([5.0, 0.0, 0.0]),
        frames_W=np.zeros((len(FRAMES), D)), frames_b=np.zeros(len(FRAMES)),
        genre_routed_0_W=routed_w, genre_routed_0_b=np.zeros(3),
        genre_routed_0_means=np.full((1, D), 0.01, np.float16),
        genre_routed_0_style=np.stack([np.zeros(n), np.ones(n)]),
    )  # fmt: skip
    card = {
        "name": "t",
        "version": "0",
        "encoder": "usem3",
        "languages": ["EN", "FR"],
        "genres": list(GENRES),
        "frames": list(FRAMES),
        "threshold": 0.5,
        "not_sure_below": {"genre": 0.0},
        "genre_routed": {
            "heads": [{"languages": ["FR"], "style_scale": 0.1}],
            "not_sure_below": floor,
        },
    }
    (tmp_path / "card.json").write_text(json.dumps(card), encoding="utf-8")  # fmt: skip
    return str(tmp_path)


def genre(text, folder, code):
    doc = Document(text, language=Language(code, 1.0))
    found = FramingAnalyzer(model_dir=folder).analyze([doc])[0]
    AnalysisResult(doc=doc, findings=[], labels=found).check_offsets()
    (label,) = [x for x in found if x.task == "genre"]
    return label


def reporting_for(text):
    """A routed head that reads ``text``'s centred vector as reporting."""
    (v,) = _multilingual.article_vectors([text])
    w = np.zeros((3, D + len(genre_style.NAMES)))
    w[1, :D] = 50 * (v.article - 0.01)
    return w


def test_a_routed_language_reads_the_routed_head(tmp_path):
    label = genre(FRENCH, model_dir(tmp_path, reporting_for(FRENCH)), "fr")
    assert label.label == "reporting" and label.evidence


def test_other_languages_keep_the_shipped_head(tmp_path):
    label = genre(ENGLISH, model_dir(tmp_path, reporting_for(ENGLISH)), "en")
    # the shipped head says "opinion" from its bias alone: no passage weighs toward it
    assert label.unsure and label.best == "opinion" and "no passage" in label.explanation


def test_the_routed_floor_applies_to_routed_answers(tmp_path):
    label = genre(FRENCH, model_dir(tmp_path, np.zeros((3, D + 21)), floor=0.5), "fr")
    assert label.unsure and label.best in GENRES and "below 0.50" in label.explanation


def test_centred_passage_shares_add_up_to_the_centred_score():
    (v,) = _multilingual.article_vectors([FRENCH])
    mean = np.random.default_rng(0).normal(size=D) * 0.01
    c = framing_genre.centred(v, mean)
    w = np.random.default_rng(1).normal(size=D)
    shares = c.sentences @ w / (len(c.spans) * c.norm)
    assert np.isclose(shares.sum(), w @ (v.article - mean))
