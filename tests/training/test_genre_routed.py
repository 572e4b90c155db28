"""The routed genre head's trainer (``training.genre_routed``) and the analyser read one text
the same way: the probabilities computed at training time from the stored (rounded) arrays are
the ones ``analysis.framing_genre`` computes for that text at run time."""

import numpy as np
import pytest

from spinscope.analysis import _multilingual, framing_genre, genre_style
from spinscope.analysis.framing_genre import ROUTED
from spinscope.corpora.semeval23_articles import GENRES

pytest.importorskip("sklearn")
from spinscope.training import genre_routed  # noqa: E402

TEXTS = [
    "Ministers met on Monday. The agency said talks would go on.\nMore talks were planned.",
    "I think this is a disgrace! Why do we accept it? Nobody asked us.",
    "Aliens endorsed the mayor, who said he was 'over the moon' about it.",
]


def test_training_and_run_time_agree():
    rng = np.random.default_rng(0)
    d = _multilingual.DIMS
    train = {}
    for lang in ("EN", "FR"):
        x = rng.normal(size=(30, d))
        s = np.stack([genre_style.style_features(TEXTS[k % 3]) for k in range(30)])
        s += rng.normal(scale=0.1, size=s.shape)
        train[lang] = (x, s, [GENRES[k % 3] for k in range(30)])
    w = genre_routed.fit(train, ("EN",), 2.0, 0.0, 0) | genre_routed.fit(
        train, ("FR",), 1.0, 0.1, 1
    )
    assert w[f"{ROUTED}_1_means"].dtype == np.float16 and w[f"{ROUTED}_1_W"].shape == (3, d + 21)
    weights = {k: np.asarray(v, np.float64) for k, v in w.items()}
    heads = [{"languages": ["EN"], "style_scale": 0.0}, {"languages": ["FR"], "style_scale": 0.1}]
    card = {ROUTED: {"heads": heads}}
    for text in TEXTS:
        (v,) = _multilingual.pool([text], [[(0, len(text))]], lambda: _Unit(d), d)
        head = framing_genre.head_for(card, weights, text, v, "fr")
        style = genre_style.style_features(text)[None]
        expected = genre_routed.probabilities(w, v.article[None], style, 1, 0, 0.1)[0]
        assert head.calibration == ROUTED
        assert np.allclose(head.probabilities(), expected)


class _Unit:
    def __init__(self, d):
        self.d = d

    def encode(self, texts):
        return np.ones((len(texts), self.d))
