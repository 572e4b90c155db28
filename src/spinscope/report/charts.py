"""Charts of a store's trends: PNG files and one self-contained HTML page (the charts inlined as
SVG whose labels stay text, so the browser draws any script with its own fonts; every label
escaped). Needs matplotlib (the [corpus] extra)."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spinscope.errors import ConfigError
from spinscope.model.wording import CONTROL_CHARS, plural
from spinscope.store import stats
from spinscope.store.db import Store

CHARTS = {
    "rates_over_time.png": "Technique findings per 1,000 words by month, largest outlets",
    "techniques_by_outlet.png": "Outlets side by side: findings per 1,000 words, top techniques",
    "narrative_shares.png": "Share of each outlet's documents carrying each narrative",
}


MAX_LABELLED = 24  # months the rates chart names and labels each point of (n=...)
MANY_MONTHS = (
    "points not labelled (over 24 months); documents per month: `spinscope stats --by month`"
)


# families (or their start) of fonts, as Linux, macOS and Windows name them, for the scripts
# matplotlib's DejaVu Sans lacks: CJK, Devanagari and other Indic, Thai... (it has Arabic, Hebrew
# and Georgian letters, though matplotlib draws Arabic unjoined: only the SVG page shapes it)
FALLBACK_FONTS = re.compile(
    r"Noto Sans (CJK|SC|TC|JP|KR|Devanagari|Bengali|Tamil|Gurmukhi|Arabic|Hebrew|Thai|Georgian)"
    r"|Noto (Serif CJK|Naskh Arabic|Kufi Arabic)|Source Han Sans|WenQuanYi|Droid Sans Fallback"
    r"|AR PL|Unifont|Lohit|Mangal|Nirmala|Kohinoor|Microsoft (YaHei|JhengHei)|SimHei|Yu Gothic"
    r"|Malgun|PingFang|Hiragino|Apple SD Gothic|Geeza|Arial Unicode|Segoe UI( Historic)?$"
    r"|Sylfaen|FreeSans$"
)


def font_families(installed: Iterable[str]) -> list[str]:
    """The charts' font list: DejaVu Sans (as before), then, for the glyphs it lacks (matplotlib
    >= 3.6 falls back along the list), the installed fonts of other scripts, by name."""
    return ["DejaVu Sans"] + sorted({f for f in installed if FALLBACK_FONTS.match(f)})


def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("charts need matplotlib: pip install 'spinscope[corpus]'") from exc
    matplotlib.use("Agg")
    # labels are outlet names from the corpus: "$\\frac{$" must be drawn as written, not parsed
    # as a formula (a ValueError from savefig)
    matplotlib.rcParams["text.parse_math"] = False
    from matplotlib import font_manager

    installed = (font.name for font in font_manager.fontManager.ttflist)
    matplotlib.rcParams["font.family"] = font_families(installed)
    import matplotlib.pyplot as plt

    return plt


def _short(label: str, width: int = 38) -> str:
    """A label as drawn: underscores as spaces, control characters (an outlet's escape codes,
    line breaks: no font has them, and matplotlib's warning wrote them raw to the terminal) as
    one space, cut to ``width``."""
    label = " ".join(CONTROL_CHARS.sub(" ", label.replace("_", " ")).split())
    return label if len(label) <= width else label[: width - 1] + "…"


def _no_data(ax, why: str) -> None:
    """No empty axes: the chart says there is nothing to draw, and why."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, f"No data: {why}", ha="center", va="center", fontsize=13,
            color="#555555", transform=ax.transAxes)  # fmt: skip


def _titled(fig, ax, title: str) -> None:
    ax.set_title(title, fontsize=12, loc="left")
    fig.tight_layout()


def _legend_title(title: str, shown: int, outlets: int) -> str:
    """The legend's title, saying how many outlets a chart leaves out (it draws the largest)."""
    return f"{title}; the {shown} largest of {outlets} outlets" if outlets > shown else title


def rates_figure(
    plt, series: dict[str | None, list], title: str, *, outlets: int = 0, undated: int = 0
):
    """Findings per 1,000 words by month, one line per outlet, each point labelled with its
    number of documents (``n=1``: one document makes that point). The axis has every month in
    time order, a run of months without documents as one tick of its own, and a line breaks
    where its outlet has no document: no line drawn across a month that was not measured.
    Over ``MAX_LABELLED`` months, every k-th month is named and the points are not labelled.
    ``outlets``: how many the store has, for the legend to say how many are left out;
    ``undated``: how many documents have no date, said under the chart (they are not drawn)."""
    fig, ax = plt.subplots(figsize=(10, 5))
    # as categories, matplotlib took the months in the order the lines first named them (one
    # outlet's March before another's January), and put 2024-01 next to 2024-03
    months = stats.month_axis(m for points in series.values() for m, _, _ in points)
    at = {name: k for k, (name, _) in enumerate(months)}
    labelled = len(months) <= MAX_LABELLED
    missing = stats.missing_outlet_label(series)
    for outlet, points in series.items():
        ys = [float("nan")] * len(months)
        for month, rate, _ in points:
            ys[at[month]] = float("nan") if rate is None else rate
        (line,) = ax.plot(range(len(months)), ys, marker="o" if labelled else ".",
                          label=_short(stats.outlet_label(outlet, missing), 30))  # fmt: skip
        for month, rate, n in (p for p in points if p[1] is not None and labelled):
            ax.annotate(f"n={n}", (at[month], rate), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=7, color=line.get_color())  # fmt: skip
    if series:
        _month_ticks(ax, [name for name, _ in months])
        legend = "n = documents in the month" if labelled else MANY_MONTHS
        ax.legend(fontsize=8, title=_legend_title(legend, len(series), outlets), title_fontsize=8)
        ax.set_ylabel("findings per 1,000 words")
        ax.margins(y=0.15)
    else:
        _no_data(ax, "no document has a date")
    if undated:
        is_ = "is" if undated == 1 else "are"
        fig.text(0.01, 0.01, f"{plural(undated, 'document')} without a date {is_} not drawn.",
                 fontsize=8, color="#555555")  # fmt: skip
    _titled(fig, ax, title)
    return fig


def _month_ticks(ax, names: list[str]) -> None:
    """A tick per month, named at most ``MAX_LABELLED`` times (every k-th, from the first):
    120 names overlapped into a black band."""
    step = -(-len(names) // MAX_LABELLED)
    ax.set_xticks(range(len(names)), [n if k % step == 0 else "" for k, n in enumerate(names)])
    ax.tick_params(axis="x", rotation=45, labelsize=8)


def bars_figure(plt, table: dict[str | None, dict[str, float]], ylabel: str, title: str,
                documents: dict[str | None, int], empty: str):  # fmt: skip
    """Bars per label, one colour per outlet; the legend gives each outlet's documents."""
    outlets = list(table)
    labels = list(next(iter(table.values()), {}))
    fig, ax = plt.subplots(figsize=(10, 5))
    if outlets and labels:
        width = 0.8 / len(outlets)
        for k, outlet in enumerate(outlets):
            xs = [i + k * width for i in range(len(labels))]
            label = stats.outlet_label(outlet, stats.missing_outlet_label(outlets))
            name = f"{_short(label, 30)} (n={documents.get(outlet, 0)})"
            ax.bar(xs, [table[outlet][lab] for lab in labels], width, label=name)
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(labels))])
        ax.set_xticklabels([_short(lab) for lab in labels], rotation=30, ha="right", fontsize=8)
        legend = _legend_title("n = documents", len(outlets), len(documents))
        ax.legend(fontsize=8, title=legend, title_fontsize=8)
        ax.set_ylabel(ylabel)
    else:
        _no_data(ax, empty)
    _titled(fig, ax, title)
    return fig


def _save(plt, fig, path: Path, title: str) -> str:
    """Write the PNG and an SVG file, and return the chart as SVG for the page: text as text
    (``fonttype`` none: the browser draws any script the PNG's fonts lack), no XML prolog nor
    metadata (not wanted inline; the RDF names http URLs), ids (and the references to them)
    prefixed with the file name: three charts share a page, and each had a ``figure_1``."""
    fig.savefig(path, dpi=100, metadata={"Title": title})
    svg = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": path.stem}):
        fig.savefig(svg, format="svg", metadata={"Title": title, "Date": None})
    plt.close(fig)
    text = svg.getvalue()
    # the same chart as an SVG file beside the PNG (the web app's corpus page shows it: text as
    # text there too)
    path.with_suffix(".svg").write_text(text, encoding="utf-8")
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text[text.index("<svg") :], flags=re.S)
    # inline in HTML the parser gives the svg and xlink namespaces
    text = re.sub(r' xmlns(:xlink)?="[^"]*"', "", text, count=2)
    # in tags only: matplotlib escapes "<" and ">" in text, so a label cannot look like one
    return re.sub(r"<[^<>]+>", lambda tag: _prefixed(tag[0], path.stem), text)


def _prefixed(tag: str, prefix: str) -> str:
    return re.sub(r'(\sid="|href="#|url\(#)', rf"\g<1>{prefix}-", tag)


def _chart_folder(out: Path) -> Path:
    """``out``, made if missing (but not its parents: as for exports, a typo must not silently
    create a tree of folders); one clear error where it cannot be (a file of that name was a
    FileExistsError traceback)."""
    try:
        out.mkdir(exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, FileNotFoundError):
            reason = f"the folder {out.parent} does not exist"
        elif isinstance(exc, FileExistsError | NotADirectoryError):
            reason = f"{exc.filename} is a file, not a folder"
        raise ConfigError(
            f"Cannot write the charts to {out}: {reason}; give a writable --charts folder."
        ) from None
    return out


def write_charts(store: Store, out_dir: str | Path, taxonomy: str = "semeval2023") -> list[Path]:
    """Write the PNG charts (each with its title, drawn and in the file's metadata), each as an
    SVG file too, and ``index.html`` (the same charts as inline SVG) into ``out_dir``; returns
    the files written."""
    plt = _pyplot()
    out = _chart_folder(Path(out_dir))
    rates, techniques, narratives = CHARTS
    documents = stats.documents_by_outlet(store)
    series = stats.rates_by_outlet_and_month(store, taxonomy)
    svgs = {}
    fig = rates_figure(
        plt, series, CHARTS[rates], outlets=len(documents), undated=stats.undated_documents(store)
    )
    svgs[rates] = _save(plt, fig, out / rates, CHARTS[rates])
    fig = bars_figure(
        plt, stats.technique_rates_by_outlet(store, taxonomy), "findings per 1,000 words",
        CHARTS[techniques], documents, "no technique findings",
    )  # fmt: skip
    svgs[techniques] = _save(plt, fig, out / techniques, CHARTS[techniques])
    fig = bars_figure(
        plt, stats.narrative_shares_by_outlet(store), "share of documents", CHARTS[narratives],
        documents, "no document has a narrative",
    )  # fmt: skip
    svgs[narratives] = _save(plt, fig, out / narratives, CHARTS[narratives])
    page = out / "index.html"
    page.write_text(render_page(store, svgs, taxonomy), encoding="utf-8")
    return [out / n for n in CHARTS] + [(out / n).with_suffix(".svg") for n in CHARTS] + [page]


def _table(data: dict[str, Any]) -> str:
    rows = data["rows"]
    if not rows:
        return "<p>No rows.</p>"
    head = "".join(f"<th>{html.escape(k.replace('_', ' '))}</th>" for k in rows[0])
    missing = stats.missing_outlet_label(row.get("outlet") for row in rows)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(stats.shown(k, v, missing))}</td>" for k, v in row.items())
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_page(store: Store, svgs: dict[str, str], taxonomy: str) -> str:
    """The HTML page: the charts (``svgs``, by chart file name: inline SVG as ``_save`` gives
    it, text escaped by matplotlib; each caption above its chart) and the four trend tables."""
    images = "".join(
        f"<figure><figcaption>{html.escape(title)}</figcaption>{svgs[name]}</figure>"
        for name, title in CHARTS.items()
    )
    tables = "".join(
        f"<h2>By {by}</h2>{_table(stats.trends(store, by, taxonomy))}" for by in stats.GROUPS
    )
    head = stats.totals(store, taxonomy)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        "<title>spinscope corpus trends</title><style>body{font:14px system-ui,sans-serif;"
        "margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
        "svg{max-width:100%;height:auto}"
        "figcaption{font-weight:600;margin:1.5em 0 .3em}figure{margin:0}"
        "</style></head><body><h1>Corpus trends</h1>"
        f"<p>{plural(head['documents'], 'document')}, {plural(head['words'], 'word')}, "
        f"{plural(head['findings'], 'technique finding')} ({html.escape(taxonomy)} taxonomy) in "
        f"{html.escape(str(store.path.name))}.</p>"
        f"{images}{tables}</body></html>\n"
    )
