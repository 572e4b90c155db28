"""Time of the voice step (``spinscope.analysis.voice.assign``) on PTC dev articles and on one
long text, with a finding every ~400 characters (about what the tagger gives a news text).

Usage: python bench/voice_speed.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from spinscope.analysis import voice
from spinscope.analysis.claims import parsing
from spinscope.model.document import Finding


def findings(text: str, every: int = 400) -> list[Finding]:
    out = []
    for start in range(0, max(len(text) - 40, 1), every):
        end = min(start + 30, len(text))
        if text[start:end].strip():
            out.append(Finding(start, end, text[start:end], "x", "t", "c", 0.5, "", "bench"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path,
                    default=Path(os.environ.get("SPINSCOPE_DATA", "../shared/data")))  # fmt: skip
    args = ap.parse_args()
    folder = args.data / "ptc-semeval2020-task11" / "dev-articles"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    t = time.perf_counter()
    parsing.load_nlp()
    voice.assign(texts[0], findings(texts[0]))  # loads the parser and the recogniser
    print(f"first article, models loading included: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    n = sum(len(voice.assign(text, findings(text))) for text in texts)
    dt = time.perf_counter() - t
    words = sum(len(x.split()) for x in texts)
    print(f"{len(texts)} PTC dev articles ({words} words, {n} findings): {dt:.2f} s, "
          f"{1000 * dt / len(texts):.0f} ms an article")  # fmt: skip
    long = "\n".join(texts)[:200_000]
    t = time.perf_counter()
    voice.assign(long, findings(long))
    print(f"one 200,000-character text: {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
