"""One contract for every registered analyser (CONVENTIONS.md #11): empty input, one document,
many documents, non-Latin text, offsets in bounds, deterministic, provenance, clear misuse."""

from __future__ import annotations

import pytest

from spinscope.analysis.pipeline import PARTS, Pipeline
from spinscope.model.document import Document
from spinscope.model.language import NAMES as LANGUAGE_NAMES
from spinscope.registry import ANALYZERS, create_analyzer, register_builtins
from spinscope.settings import load_settings

register_builtins()
NAMES = sorted(ANALYZERS)
TEXTS = [
    "The corrupt elites lied again, and Senator Jane Smith said exports fell 12% in 2023.",
    "Россия и Украина. 中国的经济增长了百分之五。",
    "Short.",
    "NATO said on Monday that Ukraine would get more help. Putin warned NATO. " * 5,
]


@pytest.fixture(scope="module", params=NAMES)
def analyzer(request):
    return request.param, create_analyzer(request.param, load_settings())


def test_every_analyser_keeps_the_contract(analyzer):
    name, a = analyzer
    assert a.name == name and a.version and getattr(a, "produces", "findings") in PARTS
    assert a.analyze([]) == []
    docs = [Document(t) for t in TEXTS]
    first = a.analyze(docs)
    assert len(first) == len(docs)
    assert a.analyze(docs) == first  # deterministic
    # (not asserted: batch independence; int8 dynamic quantisation scales activations per
    # batch, so a document's scores move slightly with its batch-mates: see the model card)
    langs = a.languages  # what it reads, for the pipeline's language gate (analysis.language)
    assert langs and set(langs) <= set(LANGUAGE_NAMES), langs
    assert set(getattr(a, "zero_shot_languages", ())) <= set(LANGUAGE_NAMES)
    prov = a.provenance()
    assert prov["analyzer"] == name and prov["version"] == a.version
    with pytest.raises(TypeError, match="expects a list of Documents"):
        a.analyze(Document("One document, not a list."))


def test_offsets_of_every_output_are_in_bounds_and_quote_the_text():
    results = Pipeline(load_settings()).run([Document(t) for t in TEXTS])
    for r in results:
        r.check_offsets()
