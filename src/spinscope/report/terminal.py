"""Results -> a terminal view with rich: highlighted text, a findings table and counts.

Article text and metadata only ever enter ``rich.text.Text`` objects, never markup strings, so a
text that contains ``[bold]`` or ``[/]`` prints as written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from spinscope.model.definitions import display_name, quote
from spinscope.model.document import AnalysisResult, Finding
from spinscope.model.wording import CONTROL_CHARS as _CONTROL
from spinscope.report import _summary, _view

TABLE_QUOTE_CHARS = 60

# The 16 standard colours, so that categories stay distinct on any colour terminal.
CATEGORY_STYLES: dict[str, str] = {
    "Attack on reputation": "black on bright_red",
    "Justification": "black on bright_cyan",
    "Simplification": "black on bright_green",
    "Distraction": "black on bright_magenta",
    "Call": "black on bright_blue",
    "Manipulative wording": "black on bright_yellow",
    _view.OTHER: "black on white",
}
OVERLAP_STYLE = "underline"


class Inert:
    """``renderable`` with the control characters of its text left out, so that an article's
    ESC sequences never reach the terminal (they could recolour, retitle, clear or hide it).
    Rich gives them no width, so the layout is the same."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        for segment in console.render(self.renderable, options):
            if segment.control is None and _CONTROL.search(segment.text):
                segment = Segment(_CONTROL.sub("", segment.text), segment.style)
            yield segment


def _show(console: Console, renderable: Text | Table | None = None) -> None:
    """Print a renderable built from a result (never a markup string) inert; none: a blank line."""
    if renderable is None:
        console.print()
    else:
        console.print(Inert(renderable))


def render_terminal(
    result: AnalysisResult | Mapping[str, Any],
    console: Console,
    *,
    taxonomy: str = _view.SEMEVAL2023,
    voice: str = "author",
) -> None:
    """Print one analysis result to ``console``: title, highlighted text, findings, counts.

    Args:
        result: an ``AnalysisResult`` or the dict its ``to_dict`` returns.
        console: where to print (``Console(record=True)`` to capture it).
        taxonomy: whose findings to show ("semeval2023" or "ptc2020").
        voice: "author" shows the author's own words only (findings in quotes and reported
            speech are counted, not shown), "all" shows every finding with whose words it is in.

    Raises:
        TypeError: ``result`` is neither an ``AnalysisResult`` nor a mapping.
        ValueError: ``voice`` is neither "author" nor "all".
    """
    obj, _ = _view.normalise(result)
    of_taxonomy = _view.of_taxonomy(obj.findings, taxonomy)
    findings = _view.by_voice(of_taxonomy, voice)
    hidden = _view.hidden_by_voice(of_taxonomy, voice)
    # no colour (NO_COLOR, a file, a pipe): the colours marked nothing, so the text gets ⟦n⟧
    # marks numbered as the findings table's rows
    plain = console.no_color or console.color_system is None
    _print_header(obj, console)
    text = marked_text if plain else highlighted_text
    _show(console, text(obj.doc.text, findings))
    _show(console)
    if hidden:
        _show(console, Text(hidden, style="italic"))
    if not findings:
        _show(console, _no_findings(obj, taxonomy, author_only=bool(hidden)))
    else:
        _show(console, _legend(findings))
        _show(console, findings_table(findings, taxonomy, voices=voice == "all", numbered=plain))
        _show(console, counts_table(findings, taxonomy))
    if obj.labels:
        _show(console, labels_table(obj.labels))
    elif any(m.get("analyzer") == "framing" for m in obj.models):
        _show(console, Text(_view.no_labels_reason(obj)))
    if obj.claims:
        _show(console, claims_table(obj.claims))
    elif any(m.get("analyzer") == "claims" for m in obj.models):
        _show(console, Text("No check-worthy claims found."))


def _print_header(result: AnalysisResult, console: Console) -> None:
    doc = result.doc
    title = doc.title or str(doc.meta.get("title") or "") or "Untitled text"
    _show(console, Text(title, style="bold underline"))
    for key, value in _view.document_meta(doc):
        _show(console, Text.assemble((f"{key}: ", "bold"), value))
    for warning in result.warnings:
        _show(console, Text.assemble(("Warning: ", "bold yellow"), str(warning)))
    _show(console)


def highlighted_text(text: str, findings: list[Finding]) -> Text:
    """The text with each finding styled by category.

    Where findings overlap or nest, the innermost one gives the colour and the text is
    underlined, so that the overlap stays visible.
    """
    out = Text()
    for segment in _view.segments(text, findings):
        # piece by piece, control characters left out: styling by offsets into the whole text
        # slipped one character for each one rich drops (a BEL, a form feed)
        pos = len(out)
        out.append(_CONTROL.sub("", segment.text))
        if segment.innermost is not None:
            out.stylize(CATEGORY_STYLES[_view.finding_category(segment.innermost)], pos, len(out))
        if len(segment.findings) > 1:
            out.stylize(OVERLAP_STYLE, pos, len(out))
    return out


def marked_text(text: str, findings: list[Finding]) -> Text:
    """The text with ``⟦n⟧`` before and ``⟦/n⟧`` after each finding, ``n`` its row in the
    findings table (``sort_key`` order): the view without colour. Where findings overlap, the
    numbered closing marks say which ends where."""
    number = {id(f): n for n, f in enumerate(sorted(findings, key=_view.sort_key), start=1)}
    marks: list[tuple[int, int, int, int]] = []  # (offset, 0 end / 1 start, order, n)
    for f in _view.in_bounds(findings, text):
        # at one offset: ends before starts; the inner finding ends first, the outer starts first
        marks += [(f.end, 0, -f.start, number[id(f)]), (f.start, 1, -f.end, number[id(f)])]
    out, pos = Text(), 0
    for offset, starts, _, n in sorted(marks):
        out.append(_CONTROL.sub("", text[pos:offset]))
        out.append(f"⟦{n}⟧" if starts else f"⟦/{n}⟧", style="bold")
        pos = offset
    out.append(_CONTROL.sub("", text[pos:]))
    return out


def _legend(findings: list[Finding]) -> Text:
    parts: list[str | tuple[str, str]] = [("Categories: ", "bold")]
    for i, cat in enumerate(_view.categories_used(findings)):
        parts += [", "] if i else []
        parts.append((f" {cat} ", CATEGORY_STYLES[cat]))
    return Text.assemble(*parts)


def findings_table(
    findings: list[Finding], taxonomy: str, *, voices: bool = False, numbered: bool = False
) -> Table:
    """One row per finding, in text order; with ``voices``, a column says whose words each is
    in (the author's, quoted or reported speech, and the speaker); with ``numbered``, a first
    column the row's number (the ``⟦n⟧`` of ``marked_text``)."""
    name = _view.TAXONOMY_NAMES.get(taxonomy, taxonomy)
    table = Table(title=Text(f"Findings, {name}"), show_lines=False, expand=True)
    if numbered:
        table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Technique", ratio=2)
    table.add_column("Conf.", justify="right", no_wrap=True)
    table.add_column("Quoted text", ratio=3)
    if voices:
        table.add_column("Whose words", ratio=2)
    table.add_column("Explanation", ratio=4)
    for n, f in enumerate(sorted(findings, key=_view.sort_key), start=1):
        cells = [Text(str(n))] if numbered else []
        cells += [
            Text(
                display_name(f.taxonomy, f.label), style=CATEGORY_STYLES[_view.finding_category(f)]
            ),
            Text(f"{f.confidence:.2f}"),
            Text(f'"{quote(f.text, TABLE_QUOTE_CHARS)}"'),
        ]
        if voices:
            cells.append(Text(_summary.voice_line(f)))
        table.add_row(*cells, Text(_view.finding_explanation(f)))
    return table


def counts_table(findings: list[Finding], taxonomy: str) -> Table:
    """Findings per technique, most frequent first, with a total."""
    name = _view.TAXONOMY_NAMES.get(taxonomy, taxonomy)
    table = Table(title=Text(f"Techniques, {name}"))
    table.add_column("Technique")
    table.add_column("Category")
    table.add_column("Findings", justify="right")
    for count in _view.counts(findings):
        table.add_row(Text(count.name), Text(count.category), Text(str(count.n)))
    table.add_section()
    table.add_row(Text("Total", style="bold"), Text(""), Text(str(len(findings)), style="bold"))
    return table


def labels_table(labels: list) -> Table:
    """Genre and frames with the sentences that support them; a "not sure" label says why, and
    its best guess (marked as such) instead of a score."""
    table = Table(title=Text("What the article is and how it frames its subject"), expand=True)
    table.add_column("Label", ratio=2)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Evidence (the sentences that weigh most toward it)", ratio=6)
    for row in _view.label_rows(labels):
        quotes = [f'"{quote(text, 2 * TABLE_QUOTE_CHARS)}" [{s}:{e}]'
                  for s, e, text in row.evidence]  # fmt: skip
        name = Text(f"{row.task}: {row.name}", style="italic" if row.unsure else "")
        if row.unsure:
            quotes = [f"Why: {row.explanation}"] + ([row.best_text] if row.best else []) + quotes
        table.add_row(name, Text(row.score_text), Text("\n".join(quotes)))
    return table


def claims_table(claims: list) -> Table:
    """Claims, most check-worthy first, with their figures and speaker."""
    table = Table(title=Text("Claims worth checking"), show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Claim", ratio=4)
    table.add_column("Figures (value; statement; time; about)", ratio=4)
    table.add_column("Speaker", ratio=2)
    for row in _view.claim_rows(claims):
        table.add_row(
            Text(str(row.rank)),
            Text(f"{row.score:.2f}"),
            Text(f'"{quote(row.text, 2 * TABLE_QUOTE_CHARS)}" [{row.start}:{row.end}]'),
            Text("\n".join(row.figures) or "-"),
            Text(row.speaker),
        )
    return table


def _no_findings(result: AnalysisResult, taxonomy: str, *, author_only: bool = False) -> Text:
    if author_only:
        return Text(f"No persuasion techniques in the author's own words ({taxonomy}).")
    if not _view.looked_for(result, "techniques"):
        return Text(_view.none_found(result, "techniques"))
    line = f"No persuasion techniques found ({taxonomy})."
    others = Counter(f.taxonomy for f in result.findings if f.taxonomy != taxonomy)
    if others:
        listed = ", ".join(f"{t} ({n})" for t, n in sorted(others.items()))
        line += f" Other taxonomies have findings: {listed}."
    return Text(line)
