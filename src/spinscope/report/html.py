"""Results -> one self-contained HTML page (Jinja2, autoescape on, no external resources; its
own Content-Security-Policy meta forbids scripts and fetches, as the web app's header does).

The page inlines its CSS and uses no JavaScript. Its switches (taxonomy, whose voice, tentative
findings) are radio buttons and a checkbox placed before the content, and CSS sibling rules show
the matching copy of the highlighted text and hide the findings the switches leave out.
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
from spinscope.report import _summary, _view

DEFAULT_TAXONOMY = _view.SEMEVAL2023
TABLE_QUOTE_CHARS = 160
PRINT_QUOTE_CHARS = 90  # a finding's quote in print: the highlighted text shows it in full
PRINT_CLAIMS = 10  # the claims table prints the most check-worthy ten

TEXT_COLOUR = "#1d1d1f"
# Light backgrounds that keep the text readable (WCAG AA, >= 4.5:1 with TEXT_COLOUR) and differ
# from each other by a clear hue step (tests/report/test_report_views.py checks both).
CATEGORY_COLOURS: dict[str, str] = {
    "Attack on reputation": "#ffb0b0",
    "Justification": "#a9cdfb",
    "Simplification": "#b4e5a0",
    "Distraction": "#dcb9fa",
    "Call": "#ffc48c",
    "Manipulative wording": "#fff27a",
    _view.OTHER: "#d2d2d2",
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
    result: AnalysisResult | Mapping[str, Any],
    *,
    taxonomy: str = DEFAULT_TAXONOMY,
    voice: str | None = None,
) -> str:
    """Render one analysis result as a self-contained HTML page.

    Args:
        result: an ``AnalysisResult`` or the dict its ``to_dict`` returns.
        taxonomy: the taxonomy highlighted when the page opens; the other can be switched on.
        voice: whose words the page opens on: "author" (the author's own; findings no step gave
            a voice count as the author's) or "all"; None takes the result's ``report.voice``
            setting, else "author". The other can be switched on.

    Returns:
        The whole page as a string; it fetches nothing from the network.

    Raises:
        TypeError: ``result`` is neither an ``AnalysisResult`` nor a mapping.
        ValueError: ``voice`` is neither "author" nor "all".
    """
    obj, data = _view.normalise(result)
    voice = voice or str(obj.settings.get("report.voice") or _summary.AUTHOR)
    context = _context(obj, data, taxonomy, voice)
    return _environment().get_template("report.html.j2").render(**context)


def _context(
    result: AnalysisResult, data: dict[str, Any], default: str, voice: str
) -> dict[str, Any]:
    doc = result.doc
    title = doc.title or str(doc.meta.get("title") or "") or "Untitled text"
    taxonomies = _view.taxonomies(result.findings, default)
    states = _summary.states(taxonomies, voice)
    return {
        "title": title,
        "meta": _view.document_meta(doc),
        # the page's own words are English; the article's text is in its detected language
        "article_lang": doc.language.code if doc.language and doc.language.known else None,
        "warnings": [str(w) for w in result.warnings],
        "summary": _summary.summary(result, taxonomies),
        "views": [_taxonomy_view(result, t) for t in taxonomies],
        "states": [(s.key, _view.slug(s.taxonomy), s.all_voices, s.show_hidden) for s in states],
        "copies": _copies(result, states),
        "legend": [(c, _view.slug(c), CATEGORY_COLOURS[c]) for c in _view.CATEGORY_ORDER],
        "n_findings": len(result.findings),
        "findings": [_finding_row(f) for f in sorted(result.findings, key=_view.sort_key)],
        "labels": [_label_row(r) for r in _view.label_rows(result.labels)],
        "no_labels": _view.no_labels_reason(result),
        "none_found": {what: _view.none_found(result, what) for what in ("techniques", "claims")},
        "claims": [_claim_row(r) for r in _view.claim_rows(result.claims)],
        "claim_pieces": _view.claim_pieces(doc.text, result.claims),
        "print_claims": PRINT_CLAIMS,
        "footer": _footer(data, doc.text),
        "model_rows": _summary.model_rows(m for m in result.models if isinstance(m, Mapping)),
        "checksums": _summary.checksums(m for m in result.models if isinstance(m, Mapping)),
        "changed_settings": _summary.changed_settings(result.settings),
        "has_settings": bool(result.settings),
        "all_voices": voice == "all",
        "tax_names": {_view.slug(t): _view.TAXONOMY_NAMES.get(t, t) for t in taxonomies},
        "switch_ids": [f"tax-{_view.slug(t)}" for t in taxonomies]
        + ["voice-author", "voice-all", "show-hidden"],
    }


def _copies(result: AnalysisResult, states: list[_summary.State]) -> list[dict[str, Any]]:
    """The highlighted text and its counts, once per distinct set of visible findings; each copy
    lists the switch states (CSS classes) that show it, so the page needs no script."""
    groups: dict[tuple[int, ...], list[_summary.State]] = {}
    shown: dict[tuple[int, ...], list[Finding]] = {}
    for state in states:
        findings = _summary.visible(result.findings, state)
        key = (hash(state.taxonomy), *(id(f) for f in findings))
        groups.setdefault(key, []).append(state)
        shown[key] = findings
    return [
        {**_copy(result, group, shown[key]), "default": states[0] in group}
        for key, group in groups.items()
    ]


def _copy(
    result: AnalysisResult, group: list[_summary.State], findings: list[Finding]
) -> dict[str, Any]:
    taxonomy = group[0].taxonomy
    return {
        "classes": " ".join(s.key for s in group),
        "taxonomy": taxonomy,
        "name": _view.TAXONOMY_NAMES.get(taxonomy, taxonomy),
        "n": len(findings),
        "segments": [_segment(s) for s in _view.segments(result.doc.text, findings)],
        "counts": [
            {**vars(c), "reliability": _reliability(result, taxonomy, c.label)}
            for c in _view.counts(findings)
        ],
    }


def _label_row(row: _view.LabelRow) -> dict[str, Any]:
    return {
        "task": row.task,
        "name": row.name,
        "score": row.score_text,
        "unsure": row.unsure,
        "best": row.best_text,
        "evidence": [
            {
                "offsets": _offsets(s, e),
                "quote": quote(text, 2 * TABLE_QUOTE_CHARS),
                "print_quote": quote(text, PRINT_QUOTE_CHARS),
            }
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
        "print_quote": quote(row.text, 2 * PRINT_QUOTE_CHARS),
        "offsets": _offsets(row.start, row.end),
        "figures": list(row.figures),
        "speaker": row.speaker,
        "explanation": row.explanation,
    }


def _taxonomy_view(result: AnalysisResult, taxonomy: str) -> dict[str, Any]:
    """The taxonomy switch's entry: its name, the findings the default view shows, and the
    definitions of every technique found (whatever the voice or confidence)."""
    findings = _view.of_taxonomy(result.findings, taxonomy)
    return {
        **_summary.taxonomy_header(findings, taxonomy),
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
    if not any(_summary.is_author(f) for f in segment.findings):
        classes.append("quoted")
    return {
        "text": segment.text,
        "mark": True,
        "classes": " ".join(classes + [f"t-{s}" for s in labels]),
        "title": "; ".join(_tip(f) for f in segment.findings),
    }


def _tip(finding: Finding) -> str:
    tip = f"{display_name(finding.taxonomy, finding.label)} ({finding.confidence:.2f})"
    if not _summary.is_author(finding):
        tip += f", {_summary.voice_line(finding)}"
    if _summary.hidden_by_default(finding):
        tip += ", tentative"
    return tip


def _finding_row(finding: Finding) -> dict[str, Any]:
    category = _view.finding_category(finding)
    classes = ["f", "tx", f"tax-{_view.slug(finding.taxonomy)}"]
    if not _summary.is_author(finding):
        classes.append("other-voice")
    if _summary.hidden_by_default(finding):
        classes.append("below")
    return {
        "classes": " ".join(classes),
        "name": display_name(finding.taxonomy, finding.label),
        "label": finding.label,
        "taxonomy": finding.taxonomy,
        "category": category,
        "cat_slug": _view.slug(category),
        "quote": quote(finding.text, TABLE_QUOTE_CHARS),
        "print_quote": quote(finding.text, PRINT_QUOTE_CHARS),
        "offsets": _offsets(finding.start, finding.end),
        "confidence": f"{finding.confidence:.2f}",
        "tentative": finding.tentative,
        "voice": _summary.voice_line(finding),
        "explanation": _view.finding_explanation(finding),
    }


def _offsets(start: int, end: int) -> str:
    """The span's place, for the hover title only: ``characters 2481-2547``."""
    return f"characters {start}\u2013{end}"


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
    }
