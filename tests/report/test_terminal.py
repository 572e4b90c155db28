"""The terminal view: highlighted text, findings and counts, with markup never interpreted."""

from __future__ import annotations

import re

from rich.console import Console

from spinscope.model.document import AnalysisResult, Document
from spinscope.report.terminal import CATEGORY_STYLES, highlighted_text, render_terminal

from .conftest import finding


def rendered(result: AnalysisResult | dict, **kwargs: str) -> str:
    console = Console(record=True, width=100, color_system=None)
    render_terminal(result, console, **kwargs)
    return console.export_text()


def flat(output: str) -> str:
    return " ".join(output.split())


def unmarked(output: str) -> str:
    """The output without the ⟦n⟧ ⟦/n⟧ marks the view without colour puts around findings."""
    return re.sub(r"⟦/?\d+⟧", "", output)


def test_title_text_findings_and_counts(result: AnalysisResult) -> None:
    out = rendered(result)
    assert out.splitlines()[0] == "Council votes on the market square"
    assert "author: A. Writer" in out and "Warning: The text looks like Dutch" in out
    for f in result.findings:
        assert f.text in unmarked(flat(out))
    counts = {
        m[0]: int(m[1]) for m in re.findall(r"│ ([A-Z][a-z /]+?)\s+│ [A-Za-z ]+│\s+(\d+) │", out)
    }
    assert counts == {
        "Loaded language": 2,
        "Slogans": 2,
        "Appeal to fear / prejudice": 1,
        "Exaggeration / minimisation": 1,
        "Total": 6,
    }
    assert "0.91" in out and "0.42" in out and "0.77" not in out  # the ptc2020 one is not shown


def test_findings_are_listed_in_text_order(result: AnalysisResult) -> None:
    out = rendered(result)
    rows = [line for line in out.splitlines() if re.search(r"│\s+0\.\d\d │", line)]
    confidences = [re.search(r"(0\.\d\d)", row).group(1) for row in rows]  # type: ignore[union-attr]
    assert confidences == ["0.91", "0.64", "0.55", "0.42", "0.87", "0.83"]


def test_other_taxonomy(result: AnalysisResult) -> None:
    out = rendered(result, taxonomy="ptc2020")
    assert "PTC / SemEval-2020" in out and "0.77" in out and "0.91" not in out


def test_a_dict_renders_like_the_result(result: AnalysisResult) -> None:
    assert rendered(result.to_dict()) == rendered(result)


def test_no_findings_says_so(empty: AnalysisResult) -> None:
    out = rendered(empty)
    assert "A calm, factual sentence." in out
    assert "No persuasion techniques found (semeval2023)." in out
    assert "Findings" not in out


def test_no_findings_in_this_taxonomy_points_to_the_other(result: AnalysisResult) -> None:
    only_ptc = AnalysisResult(doc=result.doc, findings=[result.findings[-1]])
    out = rendered(only_ptc)
    assert "No persuasion techniques found (semeval2023)." in out
    assert "Other taxonomies have findings: ptc2020 (1)." in flat(out)


def test_rich_markup_in_the_text_is_printed_as_written() -> None:
    text = "He said [bold red]no[/bold red] and [/] then [link=x]click[/link]."
    doc = Document(text, title="[red]Title[/red]", meta={"author": "[b]me[/b]"})
    result = AnalysisResult(
        doc=doc, findings=[finding("[bold red]no[/bold red]", "Slogans", doc_text=text)]
    )
    out = rendered(result)
    assert "[red]Title[/red]" in out and "[b]me[/b]" in out
    assert text in unmarked(out)
    assert '"[bold red]no[/bold red]"' in flat(out)


def test_inner_style_wins_where_findings_nest(result: AnalysisResult) -> None:
    semeval = [f for f in result.findings if f.taxonomy == "semeval2023"]
    text = highlighted_text(result.doc.text, semeval)

    def styles_at(word: str) -> list[str]:
        i = result.doc.text.index(word)
        return [str(s.style) for s in text.spans if s.start <= i < s.end]

    assert styles_at("disaster") == [CATEGORY_STYLES["Manipulative wording"], "underline"]
    assert styles_at("a total") == [CATEGORY_STYLES["Justification"]]  # the outer finding only
    assert styles_at("betrayal") == [CATEGORY_STYLES["Manipulative wording"], "underline"]
    assert styles_at("committee") == []


def test_no_article_labels_says_why() -> None:
    framing = {"analyzer": "framing", "settings": {"min_words": 20}}
    short = AnalysisResult(doc=Document("Markets fell."), findings=[], models=[framing])
    assert "No genre, frames or narratives: the text has fewer than 20 words." in flat(
        rendered(short)
    )
    assert "No genre" not in rendered(AnalysisResult(doc=Document("Markets fell."), findings=[]))


def test_no_findings_when_the_technique_analysers_did_not_run(empty: AnalysisResult) -> None:
    # was "No persuasion techniques found": with pipeline.analyzers=claims none had looked
    claims_only = AnalysisResult(doc=empty.doc, findings=[], models=[{"analyzer": "claims"}])
    out = rendered(claims_only)
    assert "No persuasion techniques: the technique analysers did not run." in out
    assert "found" not in out.replace("No check-worthy claims found.", "")


def test_terminal_commands_in_the_text_never_reach_the_terminal() -> None:
    # ESC sequences in an article (clear the screen, set the window title, recolour) were
    # printed as they are, so a web page could take over the reader's terminal
    import io

    from spinscope.cli.stats import print_trends

    text = "Intro \x1b[2J\x1b]0;pwned\x07 the end \x9b31m red.\tTabbed\nNext line \x7f."
    doc = Document(text, title="Title \x1b[8mhidden", meta={"outlet": "Daily \x1b[5m"})
    f = finding("the end", "Loaded_Language", doc_text=text)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="standard", width=100)
    render_terminal(AnalysisResult(doc=doc, findings=[f]), console)
    printed = out.getvalue()
    for sequence in ("\x1b[2J", "\x1b]0;", "\x1b[8m", "\x1b[5m", "\x9b", "\x7f", "\x07"):
        assert sequence not in printed, sequence
    # the finding is highlighted where it is (the BEL had shifted it by one character)
    assert "[2J]0;pwned \x1b[30;103mthe end\x1b[0m" in printed and "Tabbed" in printed
    assert "\x1b[" in printed  # rich's own colours are kept
    rows = [{"outlet": "Daily \x1b]0;pwned\x07", "documents": 1}]
    console.file = out = io.StringIO()
    data = {"documents": 1, "words": 9, "findings": 0, "taxonomy": "x", "by": "outlet"}
    from unittest import mock

    with mock.patch("rich.console.Console", lambda: console):
        print_trends({**data, "rows": rows})
    assert "Daily ]0;pwned" in out.getvalue() and "\x1b]0;" not in out.getvalue()


def test_bidi_controls_in_the_text_never_reach_the_terminal() -> None:
    # U+202E and the isolates in an article were printed as they are: a terminal that does
    # bidi keeps their state to the end of the line, so the findings table's other columns and
    # its scores could be drawn reordered after them
    import io

    bidi = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    emoji = "\U0001f468\u200d\U0001f469"
    text = f"Intro \u202eoverride the end\u2067 isolate. Emoji {emoji} and \u200fRLM."
    doc = Document(text, title="Title \u202ereversed", meta={"outlet": "Daily \u2066"})
    f = finding("the end", "Loaded_Language", doc_text=text)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="standard", width=100)
    render_terminal(AnalysisResult(doc=doc, findings=[f]), console)
    printed = out.getvalue()
    assert not set(bidi) & set(printed)
    assert "Intro override \x1b[30;103mthe end\x1b[0m isolate." in printed
    # joiners and marks are text, not terminal state: an emoji sequence stays whole
    assert emoji in printed and "\u200fRLM" in printed


def test_a_metadata_value_cannot_print_header_lines_of_its_own() -> None:
    # an outlet of "Daily\nlanguage: Klingon ..." printed a second, forged language line
    # under the detected one
    meta = {"outlet": "Daily\nlanguage: Klingon (tlh)\r\nsource:  x", "author": "A.\tWriter"}
    out = rendered(AnalysisResult(doc=Document("Some text.", meta=meta), findings=[]))
    assert "outlet: Daily language: Klingon (tlh) source: x" in out
    assert "author: A. Writer" in out
    assert not any(line.startswith(("language:", "source:")) for line in out.splitlines())


MARKED = (
    "The committee's ⟦1⟧shameful ⟦2⟧betrayal⟦/1⟧ of every resident⟦/2⟧ is ⟦3⟧a total "
    "⟦4⟧disaster⟦/4⟧ for our town⟦/3⟧.\n"
    "⟦5⟧Clean streets, happy streets!⟦/5⟧ ⟦6⟧Clean streets, happy streets!⟦/6⟧"
)


def test_without_colour_the_text_marks_each_finding_with_its_table_row(result) -> None:
    # with NO_COLOR or piped to a file, nothing in the article text showed where the findings are
    import io

    for console in (
        Console(record=True, width=200, color_system=None),  # a file or a pipe
        Console(file=io.StringIO(), record=True, width=200, force_terminal=True, no_color=True),
    ):
        render_terminal(result, console)
        out = console.export_text()
        assert MARKED in out, out
        rows = [line for line in out.splitlines() if re.search(r"│\s+0\.\d\d │", line)]
        numbers = [re.match(r"│\s*(\d+)\s*│", row).group(1) for row in rows]  # type: ignore[union-attr]
        assert numbers == ["1", "2", "3", "4", "5", "6"]
        assert "0.91" in rows[0] and "0.42" in rows[3]  # row 4 is "disaster", marked ⟦4⟧


def test_in_colour_the_view_has_no_marks(result) -> None:
    import io

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="standard", width=200)
    render_terminal(result, console)
    assert "⟦" not in out.getvalue() and "│ # " not in out.getvalue()
