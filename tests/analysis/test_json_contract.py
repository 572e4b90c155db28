"""Every analyser's output is plain JSON data (issue #16, item 3): no numpy scalar anywhere in a
finding, claim or label, nor in ``AnalysisResult.to_dict()``, for ordinary texts and for a
run-on sentence over 1,000 characters with figures (which ``claims._split_long`` cuts)."""

from __future__ import annotations

import json

import pytest

from spinscope.analysis.claims import MAX_SENTENCE_CHARS
from spinscope.analysis.pipeline import Pipeline
from spinscope.model.document import Document
from spinscope.registry import ANALYZERS, create_analyzer, register_builtins
from spinscope.settings import load_settings

register_builtins()
NAMES = sorted(ANALYZERS)
LONG_SENTENCE = "Exports fell 12% in 2023 and imports rose 5% in 2024, " * 25 + "the minister said."
TEXTS = [
    "The corrupt elites lied again, and Senator Jane Smith said exports fell 12% in 2023.",
    LONG_SENTENCE,
    "NATO said on Monday that Ukraine would get 40% more help. Putin warned NATO. " * 5,
    "Россия и Украина. 中国的经济增长了百分之五。",
    # French: the paragraph technique model answers only in its languages (not English)
    "Ce gouvernement corrompu et incompétent ment effrontément au peuple français, et ces "
    "traîtres vendent notre pays aux banquiers.",
]
JSON_TYPES = (dict, list, str, int, float, bool, type(None))


def non_json(value, path="$"):
    """Paths in ``value`` whose type is not exactly a built-in JSON type."""
    if type(value) not in JSON_TYPES:
        return [f"{path}: {type(value).__module__}.{type(value).__name__}"]
    if isinstance(value, dict):
        bad = [f"{path}: key {k!r}" for k in value if type(k) is not str]
        return bad + [p for k, v in value.items() for p in non_json(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in non_json(v, f"{path}[{i}]")]
    return []


def test_the_long_sentence_is_long_enough_to_be_split():
    assert len(LONG_SENTENCE) > MAX_SENTENCE_CHARS


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_analyser_outputs_built_in_types_only(name):
    analyzer = create_analyzer(name, load_settings())
    per_doc = analyzer.analyze([Document(t) for t in TEXTS])
    trees = [item.to_dict() for items in per_doc for item in items]
    assert trees, f"{name} found nothing to check in the test texts"
    bad = [p for tree in trees for p in non_json(tree)]
    assert not bad, bad[:10]


@pytest.mark.slow
def test_every_result_dict_is_plain_json():
    results = Pipeline(load_settings()).run([Document(t) for t in TEXTS])
    for result in results:
        data = result.to_dict()
        assert not non_json(data), non_json(data)[:10]
        json.dumps(data)  # no default= needed


@pytest.mark.slow
def test_the_long_sentence_gives_claims_with_int_offsets():
    claims = create_analyzer("claims", load_settings()).analyze([Document(LONG_SENTENCE)])[0]
    assert claims
    assert all(type(c.start) is int and type(c.end) is int for c in claims)


def test_non_json_finds_numpy_scalars():
    np = pytest.importorskip("numpy")
    assert non_json({"a": [1, np.int64(2)], "b": np.float64(0.5)}) == [
        "$.a[1]: numpy.int64",
        "$.b: numpy.float64",
    ]
