"""Bytes of `spinscope stats --charts`' files on a 50-document store (5 outlets, one each in
Chinese, Hindi, Arabic, Georgian and English; 10 months; narratives), built by hand in a
temporary folder: the PNGs, and index.html, which inlines the charts. Run it on two trees
(PYTHONPATH=<tree>/src) to compare the page before and after a change."""

from __future__ import annotations

import tempfile
import time
import warnings
from pathlib import Path

from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.model.labels import ArticleLabel, Evidence
from spinscope.report.charts import write_charts
from spinscope.store import Store

OUTLETS = ["人民日报", "हिन्दुस्तान", "الأهرام", "საქართველო", "Daily Herald"]
TECHNIQUES = ["Doubt", "Loaded_Language", "Name_Calling-Labeling", "Repetition", "Flag_Waving"]


def result(k: int) -> AnalysisResult:
    text = " ".join(f"w{i}" for i in range(300 + k))
    findings = [Finding(0, 2, "w0", TECHNIQUES[j % 5], "semeval2023", "c", 0.9, "e", "techniques")
                for j in range(k % 4 + 1)]  # fmt: skip
    labels = [ArticleLabel("narrative", f"URW: N{k % 3}", 0.9, [Evidence(0, 2, "w0", 0.1)])]
    doc = Document(text, meta={"outlet": OUTLETS[k % 5], "date": f"2024-{k % 10 + 1:02d}-10"})
    ran = [{"analyzer": "techniques"}, {"analyzer": "framing"}]
    return AnalysisResult(doc=doc, findings=findings, labels=labels, models=ran)


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="chart-page-"))
    with Store(root / "s.duckdb") as store:
        store.write([result(k) for k in range(50)])
    warnings.simplefilter("ignore")  # matplotlib's missing-glyph warnings, one per character
    with Store(root / "s.duckdb", read_only=True) as store:
        t0 = time.perf_counter()
        files = write_charts(store, root / "charts")
        took_s = time.perf_counter() - t0
    for path in files:
        print(f"{path.name}\t{path.stat().st_size} bytes")
    print(f"write_charts\t{took_s:.2f} s")


if __name__ == "__main__":
    main()
