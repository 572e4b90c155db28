"""The analysis page's data, computed with the report's own view (``report._view``), so the web
page and the HTML report show the same segments, claims and labels. Plain data: the template
escapes every string."""

from __future__ import annotations

from typing import Any

from spinscope.model.definitions import display_name, lookup, quote
from spinscope.model.document import AnalysisResult, Finding
from spinscope.report import _summary, _view
from spinscope.report.html import CATEGORY_COLOURS

QUOTE_CHARS = 320


def page_context(result: AnalysisResult) -> dict[str, Any]:
    """What ``analysis.html`` shows for one result."""
    doc = result.doc
    findings = sorted(result.findings, key=_view.sort_key)
    index = {id(f): i for i, f in enumerate(findings)}
    taxonomies = _view.taxonomies(findings)
    return {
        "doc_id": doc.id,
        "title": doc.title or str(doc.meta.get("title") or "") or "Untitled text",
        "meta": _view.document_meta(doc),
        "warnings": [str(w) for w in result.warnings],
        "legend": [(c, _view.slug(c), CATEGORY_COLOURS[c]) for c in _view.CATEGORY_ORDER],
        "findings": [_finding(f) for f in findings],
        "views": [
            _taxonomy_view(doc.text, [f for f in findings if f.taxonomy == t], t, index)
            for t in taxonomies
        ],
        "summary": _summary.summary(result, taxonomies),
        # whose words the page opens on: the result's report.voice setting, else the author's
        "all_voices": result.settings.get("report.voice") == "all",
        "categories": _view.categories_used(findings),
        "labels": _view.label_rows(result.labels),
        "no_labels": _view.no_labels_reason(result),
        "no_claims": _view.none_found(result, "claims"),
        "claims": _view.claim_rows(result.claims),
    }


def _finding(f: Finding) -> dict[str, Any]:
    entry = lookup(f.taxonomy, f.label)
    category = _view.finding_category(f)
    return {
        "name": display_name(f.taxonomy, f.label),
        "label": f.label,
        "taxonomy": f.taxonomy,
        "category": category,
        "cat": _view.slug(category),
        "confidence": round(f.confidence, 4),
        "start": f.start,
        "end": f.end,
        "quote": quote(f.text, QUOTE_CHARS),
        "explanation": _view.finding_explanation(f),
        "definition": entry.definition if entry else "",
        "author": _summary.is_author(f),
        "voice": _summary.voice_line(f),
        "hidden": _summary.hidden_by_default(f),
    }


def _taxonomy_view(
    text: str, findings: list[Finding], taxonomy: str, index: dict[int, int]
) -> dict[str, Any]:
    segments = []
    for seg in _view.segments(text, findings):
        ids = [index[id(f)] for f in seg.findings]
        inner = seg.innermost
        segments.append(
            {
                "text": seg.text,
                "ids": " ".join(map(str, ids)),
                "cat": _view.slug(_view.finding_category(inner)) if inner else "",
                "depth": min(len(ids), 3),
                "title": "; ".join(
                    f"{display_name(f.taxonomy, f.label)} ({f.confidence:.2f})"
                    for f in seg.findings
                ),
            }
        )
    techniques = sorted({(f.label, display_name(f.taxonomy, f.label)) for f in findings})
    return {
        **_summary.taxonomy_header(findings, taxonomy),
        "segments": segments,
        "techniques": techniques,
    }
