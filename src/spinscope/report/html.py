"""Results -> one self-contained HTML page (Jinja2, autoescape on, no external resources).

The page inlines its CSS and uses no JavaScript: the taxonomy switch is a CSS-only radio toggle.
Every piece of article text and metadata reaches the page through Jinja2's autoescaping; the
template never marks anything ``safe``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jinja2

from spinscope.model.definitions import display_name, lookup, quote
from spinscope.model.document import AnalysisResult, Finding, text_checksum
from spinscope.report import _view

DEFAULT_TAXONOMY = _view.SEMEVAL2023
TABLE_QUOTE_CHARS = 160

# Light backgrounds that keep black text readable; one per SemEval-2023 category.
CATEGORY_COLOURS: dict[str, str] = {
    "Attack on reputation": "#f7b6b6",
    "Justification": "#b9d8f5",
    "Simplification": "#c8ecb8",
    "Distraction": "#f1c8f0",
    "Call": "#fde3a7",
    "Manipulative wording": "#fff3a0",
    _view.OTHER: "#d9d9d9",
}


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("spinscope.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(
    result: AnalysisResult | Mapping[str, Any], *, taxonomy: str = DEFAULT_TAXONOMY
) -> str:
    """Render one analysis result as a self-contained HTML page.

    Args:
        result: an ``AnalysisResult`` or the dict its ``to_dict`` returns.
        taxonomy: the taxonomy highlighted when the page opens; the other can be switched on.

    Returns:
        The whole page as a string; it fetches nothing from the network.

    Raises:
        TypeError: ``result`` is neither an ``AnalysisResult`` nor a mapping.
    """
    obj, data = _view.normalise(result)
    return _environment().get_template("report.html.j2").render(**_context(obj, data, taxonomy))


def _context(result: AnalysisResult, data: dict[str, Any], default: str) -> dict[str, Any]:
    doc = result.doc
    title = doc.title or str(doc.meta.get("title") or "") or "Untitled text"
    views = [_taxonomy_view(result, t) for t in _view.taxonomies(result.findings, default)]
    return {
        "title": title,
        "meta": _view.document_meta(doc),
        "warnings": [str(w) for w in result.warnings],
        "views": views,
        "default": views[0]["slug"],
        "legend": [(c, _view.slug(c), CATEGORY_COLOURS[c]) for c in _view.CATEGORY_ORDER],
        "n_findings": len(result.findings),
        "findings": [_finding_row(f) for f in sorted(result.findings, key=_view.sort_key)],
        "labels": [_label_row(r) for r in _view.label_rows(result.labels)],
        "no_labels": _view.no_labels_reason(result),
        "claims": [_claim_row(r) for r in _view.claim_rows(result.claims)],
        "claim_pieces": _view.claim_pieces(doc.text, result.claims),
        "footer": _footer(data, doc.text),
    }


def _label_row(row: _view.LabelRow) -> dict[str, Any]:
    return {
        "task": row.task,
        "name": row.name,
        "score": row.score_text,
        "unsure": row.unsure,
        "best": row.best_text,
        "evidence": [
            {"start": s, "end": e, "quote": quote(text, 2 * TABLE_QUOTE_CHARS)}
            for s, e, text in row.evidence
        ],
        "explanation": row.explanation,
    }


def _claim_row(row: _view.ClaimRow) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "anchor": row.anchor,
        "score": f"{row.score:.2f}",
        "quote": quote(row.text, 2 * TABLE_QUOTE_CHARS),
        "start": row.start,
        "end": row.end,
        "figures": list(row.figures),
        "speaker": row.speaker,
        "explanation": row.explanation,
    }


def _taxonomy_view(result: AnalysisResult, taxonomy: str) -> dict[str, Any]:
    findings = _view.of_taxonomy(result.findings, taxonomy)
    return {
        "taxonomy": taxonomy,
        "slug": _view.slug(taxonomy),
        "name": _view.TAXONOMY_NAMES.get(taxonomy, taxonomy),
        "n": len(findings),
        "segments": [_segment(s) for s in _view.segments(result.doc.text, findings)],
        "counts": [
            {**vars(c), "reliability": _reliability(result, taxonomy, c.label)}
            for c in _view.counts(findings)
        ],
        "definitions": [_definition(taxonomy, c.label) for c in _view.counts(findings)],
    }


def _reliability(result: AnalysisResult, taxonomy: str, label: str) -> str:
    """The label's held-out precision and recall from the techniques provenance, or a dash."""
    for model in result.models:
        pr = (model.get("reliability") or {}).get(taxonomy, {}).get(label)
        if pr:
            p, r = pr
            return f"{p:.0%} / {r:.0%}" if p is not None and r is not None else "not predicted"
    return "–"


def _segment(segment: _view.Segment) -> dict[str, Any]:
    inner = segment.innermost
    if inner is None:
        return {"text": segment.text, "mark": False}
    depth = min(len(segment.findings), 3)
    labels = dict.fromkeys(_view.slug(f.label) for f in segment.findings)
    classes = [f"cat-{_view.slug(_view.finding_category(inner))}", f"depth-{depth}"]
    tip = "; ".join(
        f"{display_name(f.taxonomy, f.label)} ({f.confidence:.2f})" for f in segment.findings
    )
    return {
        "text": segment.text,
        "mark": True,
        "classes": " ".join(classes + [f"t-{s}" for s in labels]),
        "title": tip,
    }


def _finding_row(finding: Finding) -> dict[str, Any]:
    category = _view.finding_category(finding)
    return {
        "name": display_name(finding.taxonomy, finding.label),
        "label": finding.label,
        "taxonomy": finding.taxonomy,
        "tax_slug": _view.slug(finding.taxonomy),
        "category": category,
        "cat_slug": _view.slug(category),
        "quote": quote(finding.text, TABLE_QUOTE_CHARS),
        "start": finding.start,
        "end": finding.end,
        "confidence": f"{finding.confidence:.2f}",
        "tentative": finding.tentative,
        "explanation": _view.finding_explanation(finding),
    }


def _definition(taxonomy: str, label: str) -> dict[str, Any]:
    entry = lookup(taxonomy, label)
    return {
        "name": display_name(taxonomy, label),
        "label": label,
        "definition": entry.definition if entry else "No definition is available for this label.",
        "example": entry.example if entry else "",
        "differs": entry.differs if entry else "",
    }


def _footer(data: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "spinscope_version": str(data.get("spinscope_version") or "unknown"),
        "schema_version": str(data.get("schema_version") or "unknown"),
        "input_sha256": str(data.get("input_sha256") or text_checksum(text)),
        "models": [_view.model_line(m) for m in data.get("models") or [] if isinstance(m, Mapping)],
    }
