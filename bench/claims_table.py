"""Print the claims spinscope extracts from one article as a Markdown table (for hand checking).

    python bench/claims_table.py ../shared/examples/state-media-column.txt

One row per figure (claims without figures get one row), in text order: the claim's opening
words, its check-worthiness, the figure as written, its value, kind, what it states, its
direction, its time and what it is about, and the speaker.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    from spinscope import analyze
    from spinscope.ingest import load
    from spinscope.report._view import readable_value, speaker_line

    doc = load(sys.argv[1]) if len(sys.argv) > 1 else None
    if doc is None:
        sys.exit("usage: python bench/claims_table.py ARTICLE")
    result = analyze(doc, settings={"pipeline.analyzers": "claims"})
    print("| claim (opening words) | score | figure | value | kind | statement | direction | time "
          "| about | speaker |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for c in sorted(result.claims, key=lambda c: c.start):
        opening = " ".join(c.text.split()[:6]) + " …"
        who = speaker_line(c.attribution)
        rows = c.figures or [None]
        for f in rows:
            if f is None:
                cells = ["", "", "", "", "", "", ""]
            else:
                q = f.quantity
                value = (f"{readable_value(q.low)}–{readable_value(q.high)}"
                         if q.low is not None else readable_value(q.value))  # fmt: skip
                unit = f" {q.unit}" if q.unit and q.kind in ("money",) else ""
                cells = [
                    f"“{q.text}”",
                    f"{q.qualifier or ''}{value}{unit}",
                    q.kind,
                    f.statement,
                    f.direction or "",
                    f.time.text if f.time else "",
                    f.about.text if f.about else "",
                ]
            print(f"| {opening} | {c.checkworthiness:.2f} | " + " | ".join(cells) + f" | {who} |")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
