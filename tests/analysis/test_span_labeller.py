"""What names a span's techniques: the span classifier (default) or the span heads."""

import numpy as np
import pytest

from spinscope.analysis.spans import NumpySpanHeads, TextLabeller
from spinscope.analysis.techniques import SPAN_CLASSIFIER, TechniqueTagger, shipped_model_dir
from spinscope.errors import ConfigError


class CountingClassifier:
    def __init__(self):
        self.calls = 0

    def classify_many(self, items):
        self.calls += 1
        return [
            {"ptc2020": np.full((len(s), 14), 1 / 14), "semeval2023": np.full((len(s), 23), 1 / 23)}
            for _, s in items
        ]

    def classify_all(self, text, spans):
        return self.classify_many([(text, spans)])[0]


def test_one_pass_serves_both_taxonomies_and_a_prefetched_batch():
    clf = CountingClassifier()
    labeller = TextLabeller(clf)
    labeller.prefetch([("a text", [(0, 1)]), ("b text", [(0, 1), (2, 6)])])
    assert labeller("a text", [(0, 1)], "ptc2020").shape == (1, 14)
    assert labeller("b text", [(0, 1), (2, 6)], "semeval2023").shape == (2, 23)
    assert labeller("b text", [(0, 1), (2, 6)], "ptc2020").shape == (2, 14)
    assert clf.calls == 1
    labeller("c text", [(0, 1)], "ptc2020")  # not prefetched: its own pass
    labeller("c text", [(0, 1)], "semeval2023")
    assert clf.calls == 2


@pytest.mark.skipif(not (shipped_model_dir() / SPAN_CLASSIFIER).exists(), reason="not shipped")
def test_the_setting_picks_the_labeller():
    assert isinstance(TechniqueTagger().labeller, TextLabeller)
    assert isinstance(TechniqueTagger(span_labeller="heads").labeller, NumpySpanHeads)
    assert TechniqueTagger().provenance()["span_classifier_sha256"]
    assert TechniqueTagger(span_labeller="heads").provenance()["span_classifier_sha256"] is None


def test_a_folder_without_a_classifier_falls_back_to_the_heads(tmp_path):
    tagger = TechniqueTagger(model_dir=tmp_path)
    tagger.__dict__["span_head"] = "heads"  # stands in for span_heads.npz
    assert tagger.labeller == "heads"


def test_unknown_labeller():
    with pytest.raises(ConfigError, match="Unknown span labeller 'crf'"):
        TechniqueTagger(span_labeller="crf")
