"""Test helpers: the rendered report as a small element tree (html.parser), its CSS rules, and
what the page shows in a given switch state, as far as it can be told without a browser."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "input", "br", "img", "hr", "link", "wbr"}


@dataclass
class El:
    tag: str
    attrs: dict[str, str]
    children: list[El | str] = field(default_factory=list)
    parent: El | None = None

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):  # noqa: ANN201 - a generator of El
        yield self
        for c in self.children:
            if isinstance(c, El):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[El]:
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (cls is None or cls in e.classes)
            and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> El:
        found = self.find_all(tag, cls, **attrs)
        assert found, (tag, cls, attrs)
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = El("#root", {})
        self.cur = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = El(tag, {k: v or "" for k, v in attrs}, parent=self.cur)
        self.cur.children.append(el)
        if tag not in VOID:
            self.cur = el

    def handle_endtag(self, tag: str) -> None:
        el: El | None = self.cur
        while el is not None and el.tag != tag:
            el = el.parent
        if el is not None and el.parent is not None:
            self.cur = el.parent

    def handle_data(self, data: str) -> None:
        self.cur.children.append(data)


def parse(page: str) -> El:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    return builder.root


def css(page: str) -> str:
    return parse(page).find("style").text()


def print_css(page: str) -> str:
    """The body of the ``@media print`` block."""
    style = css(page)
    start = style.index("@media print")
    depth, i = 0, style.index("{", start)
    for j in range(i, len(style)):
        depth += {"{": 1, "}": -1}.get(style[j], 0)
        if depth == 0:
            return style[i + 1 : j]
    raise AssertionError("unclosed @media print")


def screen_css(page: str) -> str:
    style = css(page)
    return style[: style.index("@media print")]


def hidden_classes(block: str) -> set[str]:
    """Classes a CSS block hides outright (``.a, .b { display: none }``), simple selectors only."""
    out: set[str] = set()
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
        if re.search(r"display:\s*none", body):
            for sel in selectors.split(","):
                sel = sel.strip()
                if re.fullmatch(r"(?:[a-z0-9]+)?\.[a-z0-9-]+", sel):
                    out.add(sel.split(".")[1])
    return out


# -- what one switch state shows -------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """A switch state: taxonomy slug, all voices or the author's only, tentative shown or not."""

    taxonomy: str = "semeval2023"
    all_voices: bool = False
    show_hidden: bool = False

    @property
    def key(self) -> str:
        voices = "all" if self.all_voices else "author"
        return f"s-{self.taxonomy}-{voices}-{'every' if self.show_hidden else 'reliable'}"


def shown_in(el: El, view: View) -> bool:
    """Whether ``el`` is shown in ``view`` by the report's switch rules (checked against the CSS
    in tests/report/test_report_views.py)."""
    for e in _ancestors(el):
        cls = e.classes
        if "state" in cls and view.key not in cls:
            return False
        if "tx" in cls and f"tax-{view.taxonomy}" not in cls:
            return False
        if not view.all_voices and cls & {"other-voice", "voice-col"}:
            return False
        if not view.show_hidden and "below" in cls:
            return False
    return True


def _ancestors(el: El):  # noqa: ANN202
    e: El | None = el
    while e is not None:
        yield e
        e = e.parent


SWITCH_RULE = re.compile(
    r"((?:#[\w-]+:(?:checked|not\(:checked\))\s*~\s*)+)(main|\*)\s+\.([\w-]+)"
    r"(?::not\(\.([\w-]+)\))?"
)


def css_hidden(page: str, root: El, view: View) -> set[int]:
    """The ids of the elements the page's own switch rules hide in ``view``: each screen rule
    ``#a:checked ~ #b:not(:checked) ~ main .x:not(.y) { display: none }`` is applied to the parsed
    page with the inputs checked as ``view`` says. A switch rule this cannot read fails."""
    body = root.find("body")
    siblings = [c for c in body.children if isinstance(c, El)]
    checked = {f"tax-{view.taxonomy}", "voice-all" if view.all_voices else "voice-author"}
    if view.show_hidden:
        checked.add("show-hidden")
    out: set[int] = set()
    for selectors, decl in re.findall(r"([^{}]+)\{([^{}]*)\}", screen_css(page)):
        if not re.search(r"display:\s*none", decl) or ":checked" not in selectors:
            continue
        for selector in selectors.split(","):
            match = SWITCH_RULE.fullmatch(selector.strip())
            assert match, f"unread switch rule: {selector.strip()}"
            chain, scope, cls, not_cls = match.groups()
            pos = -1
            for ident, state in re.findall(r"#([\w-]+):(checked|not\(:checked\))", chain):
                at = next(i for i, e in enumerate(siblings) if e.attrs.get("id") == ident)
                if at < pos or (state == "checked") != (ident in checked):
                    break
                pos = at
            else:
                for sib in siblings[pos + 1 :]:
                    if scope == "main" and sib.tag != "main":
                        continue
                    for e in sib.iter():
                        if e is not sib and cls in e.classes and not_cls not in e.classes:
                            out.add(id(e))
    return out


def article(root: El, view: View) -> El:
    """The highlighted text the view shows (exactly one copy must be shown)."""
    shown = [d for d in root.find_all("div", cls="article") if d.parent and "state" in
             d.parent.classes and shown_in(d, view)]  # fmt: skip
    assert len(shown) == 1, (view, len(shown))
    return shown[0]


def marks(article_el: El) -> list[tuple[str, str, str]]:
    """(text, classes, title) of each highlight."""
    return [(m.text(), m.attrs.get("class", ""), m.attrs.get("title", "")) for m in
            article_el.find_all("mark")]  # fmt: skip


def visible_text(el: El, view: View) -> str:
    """The text a reader sees on screen in ``view`` (attributes such as titles excluded)."""
    if not shown_in(el, view) or el.tag in ("style", "head", "title"):
        return ""
    return "".join(c if isinstance(c, str) else visible_text(c, view) for c in el.children)


# -- printed length --------------------------------------------------------------------------

# A4 with 15 mm margins leaves 180 x 267 mm. At 10 pt with line-height 1.35 a line is 13.5 pt:
# 267 mm = 757 pt gives 56 lines; we count 50 to leave room for headings' margins. A 10 pt
# sans-serif line of 180 mm holds about 100 characters; we count 90. Both err towards more pages.
CHARS_PER_LINE = 90
LINES_PER_PAGE = 50
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "summary", "div", "tr", "pre", "ul"}


def printed_pages(page: str, view: View | None = None, *, honour_print_css: bool = True) -> float:
    """An estimate of the A4 pages the page prints to: the text left after the print rules (and
    the default switch state) hide what they hide, laid out in blocks of CHARS_PER_LINE columns;
    a table row takes as many lines as its fullest cell at an equal share of the width. No
    browser is used: this bounds the content, it does not measure a rendering."""
    view = view or View()
    root = parse(page)
    body = root.find("body")
    hidden = hidden_classes(print_css(page)) if honour_print_css else set()
    lines = _lines(body, view, hidden, honour_print_css)
    return lines / LINES_PER_PAGE


def _lines(el: El, view: View, hidden: set[str], print_rules: bool) -> float:
    if el.tag in ("style", "input", "script") or not shown_in(el, view):
        return 0
    if el.classes & hidden:
        return 0  # a closed <details> is counted as open: the estimate errs towards more pages
    if el.tag == "table":
        return _table_lines(el, view, hidden) + 0.5
    if el.tag == "div" and "article" in el.classes:
        text = _printed_text(el, view, hidden)
        return sum(_wrapped(p, CHARS_PER_LINE) for p in text.split("\n")) + 1
    total, inline = 0.0, []
    for c in el.children:
        if isinstance(c, str):
            inline.append(c)
        elif c.tag in BLOCKS or c.tag in ("table", "section", "details", "header", "main",
                                          "footer", "dl", "ol", "thead", "tbody"):  # fmt: skip
            total += _wrapped("".join(inline), CHARS_PER_LINE)
            inline = []
            total += _lines(c, view, hidden, print_rules)
        else:
            inline.append(_printed_text(c, view, hidden))
    total += _wrapped("".join(inline), CHARS_PER_LINE)
    if el.tag in ("p", "h1", "h2", "h3", "summary", "table", "ul", "ol"):
        total += 0.5  # margins
    return total


def _table_lines(table: El, view: View, hidden: set[str]) -> float:
    """Rows wrap at column widths shared out as an automatic table layout roughly does: in
    proportion to each column's mean text length, never narrower than its longest word."""
    rows = []
    for tr in table.find_all("tr"):
        if not _printed(tr, view, hidden):
            continue
        cells = [c for c in tr.children if isinstance(c, El) and c.tag in ("td", "th")]
        rows.append([_printed_text(c, view, hidden) if _printed(c, view, hidden) else ""
                     for c in cells])  # fmt: skip
    if not rows:
        return 0
    ncols = max(len(r) for r in rows)
    cols = [[" ".join(r[i].split()) for r in rows if i < len(r)] for i in range(ncols)]
    mean = [sum(map(len, c)) / len(c) + 2 for c in cols]  # + padding
    word = [min(max((len(w) for x in c for w in x.split()), default=1), 20) for c in cols]
    widths = [max(w, CHARS_PER_LINE * m / sum(mean)) for w, m in zip(word, mean, strict=True)]
    scale = CHARS_PER_LINE / sum(widths)
    widths = [w * scale for w in widths]
    return sum(max([1, *(_wrapped(t, widths[i]) for i, t in enumerate(r))]) for r in rows)


def _printed(el: El, view: View, hidden: set[str]) -> bool:
    return not el.classes & hidden and shown_in(el, view)


def _printed_text(el: El, view: View, hidden: set[str]) -> str:
    if el.classes & hidden or not shown_in(el, view):
        return ""
    return "".join(c if isinstance(c, str) else _printed_text(c, view, hidden) for c in
                   el.children)  # fmt: skip


def _wrapped(text: str, width: float) -> int:
    text = " ".join(text.split())
    return math.ceil(len(text) / max(width, 1)) if text else 0


# -- colours ---------------------------------------------------------------------------------


def rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def luminance(hex_colour: str) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def lab(hex_colour: str) -> tuple[float, float, float]:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb(hex_colour))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference; about 2.3 is just noticeable, 20 or more reads as distinct."""
    return math.dist(lab(a), lab(b))
