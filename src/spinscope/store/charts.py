"""Charts of a store's trends: PNG files and one self-contained HTML page (images inlined, every
label escaped). Needs matplotlib (the [corpus] extra)."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

from spinscope.store import stats
from spinscope.store.db import Store

CHARTS = {
    "rates_over_time.png": "Technique findings per 1,000 words by month, largest outlets",
    "techniques_by_outlet.png": "Outlets side by side: findings per 1,000 words, top techniques",
    "narrative_shares.png": "Share of each outlet's documents carrying each narrative",
}


def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("charts need matplotlib: pip install 'spinscope[corpus]'") from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _short(label: str, width: int = 38) -> str:
    label = label.replace("_", " ")
    return label if len(label) <= width else label[: width - 1] + "…"


def _grouped_bars(plt, table: dict[str, dict[str, float]], path: Path, ylabel: str) -> None:
    outlets = list(table)
    labels = list(next(iter(table.values()), {}))
    fig, ax = plt.subplots(figsize=(10, 5))
    if outlets and labels:
        width = 0.8 / len(outlets)
        for k, outlet in enumerate(outlets):
            xs = [i + k * width for i in range(len(labels))]
            ax.bar(xs, [table[outlet][lab] for lab in labels], width, label=_short(outlet, 30))
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(labels))])
        ax.set_xticklabels([_short(lab) for lab in labels], rotation=30, ha="right", fontsize=8)
        ax.legend(fontsize=8)
    else:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylabel(ylabel)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_charts(store: Store, out_dir: str | Path, taxonomy: str = "semeval2023") -> list[Path]:
    """Write the PNG charts and ``index.html`` into ``out_dir``; returns the files written."""
    plt = _pyplot()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = list(CHARTS)
    fig, ax = plt.subplots(figsize=(10, 5))
    series = stats.rates_by_outlet_and_month(store, taxonomy)
    for outlet, points in series.items():
        ax.plot(
            [m for m, _ in points], [r for _, r in points], marker="o", label=_short(outlet, 30)
        )
    if series:
        ax.legend(fontsize=8)
        ax.tick_params(axis="x", rotation=45, labelsize=8)
    else:
        ax.text(0.5, 0.5, "no dated documents", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylabel("findings per 1,000 words")
    fig.tight_layout()
    fig.savefig(out / names[0], dpi=100)
    plt.close(fig)
    _grouped_bars(
        plt, stats.technique_rates_by_outlet(store, taxonomy), out / names[1],
        "findings per 1,000 words",
    )  # fmt: skip
    _grouped_bars(
        plt, stats.narrative_shares_by_outlet(store), out / names[2], "share of documents"
    )
    page = out / "index.html"
    page.write_text(render_page(store, out, taxonomy), encoding="utf-8")
    return [out / n for n in names] + [page]


def _table(data: dict[str, Any]) -> str:
    rows = data["rows"]
    if not rows:
        return "<p>No rows.</p>"
    head = "".join(f"<th>{html.escape(k.replace('_', ' '))}</th>" for k in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row.values()) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_page(store: Store, out: Path, taxonomy: str) -> str:
    """The HTML page: the charts (inlined PNG) and the four trend tables."""
    images = "".join(
        f"<figure><img alt='{html.escape(title)}' src='data:image/png;base64,"
        f"{base64.b64encode((out / name).read_bytes()).decode()}'>"
        f"<figcaption>{html.escape(title)}</figcaption></figure>"
        for name, title in CHARTS.items()
    )
    tables = "".join(
        f"<h2>By {by}</h2>{_table(stats.trends(store, by, taxonomy))}" for by in stats.GROUPS
    )
    head = stats.totals(store, taxonomy)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "img-src data:; style-src 'unsafe-inline'\">"
        "<title>spinscope corpus trends</title><style>body{font:14px system-ui,sans-serif;"
        "margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}img{max-width:100%}"
        "</style></head><body><h1>Corpus trends</h1>"
        f"<p>{head['documents']} documents, {head['words']} words, {head['findings']} technique "
        f"findings ({html.escape(taxonomy)} taxonomy) in {html.escape(str(store.path.name))}.</p>"
        f"{images}{tables}</body></html>\n"
    )
