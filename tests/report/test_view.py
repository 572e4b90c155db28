"""Splitting a text at finding boundaries: overlaps and nesting."""

from __future__ import annotations

from spinscope.model.document import AnalysisResult
from spinscope.report import _view


def test_segments_rebuild_the_text_and_cover_each_finding_exactly(result: AnalysisResult) -> None:
    text, findings = result.doc.text, result.findings
    segs = _view.segments(text, findings)
    assert "".join(s.text for s in segs) == text
    pos = 0
    covered: dict[int, set[int]] = {}
    for seg in segs:
        for i in range(pos, pos + len(seg.text)):
            covered[i] = {id(f) for f in seg.findings}
        pos += len(seg.text)
    for f in findings:
        for i in range(len(text)):
            assert (id(f) in covered[i]) == (f.start <= i < f.end)


def test_innermost_finding_is_last(result: AnalysisResult) -> None:
    text, findings = result.doc.text, result.findings
    segs = _view.segments(text, findings)
    disaster = next(s for s in segs if s.text == "disaster")
    assert [f.label for f in disaster.findings] == ["Appeal_to_Fear-Prejudice", "Loaded_Language"]
    assert disaster.innermost is not None and disaster.innermost.label == "Loaded_Language"


def test_out_of_bounds_findings_are_not_highlighted(result: AnalysisResult) -> None:
    text, findings = result.doc.text, result.findings
    bad = findings[0].__class__(**{**findings[0].to_dict(), "start": 5, "end": 10_000})
    segs = _view.segments(text, [bad])
    assert segs == [_view.Segment(text, ())]


def test_counts_most_frequent_first(result: AnalysisResult) -> None:
    findings = result.findings
    rows = _view.counts(_view.of_taxonomy(findings, "semeval2023"))
    assert [(r.label, r.n) for r in rows][:2] == [("Loaded_Language", 2), ("Slogans", 2)]
    assert sum(r.n for r in rows) == 6


def test_taxonomies_default_first(result: AnalysisResult) -> None:
    findings = result.findings
    assert _view.taxonomies(findings) == ["semeval2023", "ptc2020"]
    assert _view.taxonomies(findings, "ptc2020") == ["ptc2020", "semeval2023"]
    assert _view.taxonomies([]) == ["semeval2023"]


def test_why_there_are_no_article_labels() -> None:
    from spinscope.model.document import Document

    framing = {"analyzer": "framing", "settings": {"min_words": 20}}
    short, long = Document("Markets fell."), Document("word " * 30)
    assert _view.no_labels_reason(AnalysisResult(doc=short, findings=[], models=[framing])) == (
        "No genre, frames or narratives: the text has fewer than 20 words."
    )
    assert _view.no_labels_reason(AnalysisResult(doc=long, findings=[], models=[framing])) == (
        "No genre, frames or narratives with supporting sentences."
    )
    assert "did not run" in _view.no_labels_reason(AnalysisResult(doc=long, findings=[]))


def test_no_techniques_or_claims_says_whether_they_were_looked_for() -> None:
    # with pipeline.analyzers=framing the reports said "No persuasion techniques were found"
    # and "No check-worthy claims were found": the analysers that look had not run
    from spinscope.model.document import Document

    doc = Document("word " * 30)
    framing_only = AnalysisResult(doc=doc, findings=[], models=[{"analyzer": "framing"}])
    assert _view.none_found(framing_only, "techniques") == (
        "No persuasion techniques: the technique analysers did not run."
    )
    assert _view.none_found(framing_only, "claims") == (
        "No check-worthy claims: the claims analyser did not run."
    )
    both = [{"analyzer": "techniques_paragraphs"}, {"analyzer": "claims"}]
    looked = AnalysisResult(doc=doc, findings=[], models=both)
    assert _view.none_found(looked, "techniques") == (
        "No persuasion techniques were found in this text."
    )
    assert _view.none_found(looked, "claims") == "No check-worthy claims were found in this text."
    unnamed = AnalysisResult(doc=doc, findings=[], models=[{"name": "spinscope-techniques"}])
    assert _view.none_found(unnamed, "claims") == "No check-worthy claims were found in this text."
