"""The claims analyser's speaker attribution as it was before the voice step (main at f83b52d,
``structure.attribution(parsed, offset, names, prior)``), on spinscope's own speaker gold, with
``bench/speakers.py``'s matching: the baseline of issue 17 item 2. Runs against an OLD tree only:

    PYTHONPATH=OLD/src python bench/speakers_before_voice.py   # OLD: git archive f83b52d src
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from pathlib import Path

from spinscope.analysis.claims import sentences, structure

GOLD = Path(__file__).parent / "gold" / "speakers_gold.jsonl"
DATA = Path(os.environ.get("SPINSCOPE_DATA", "../shared/data"))


def norm(name: str | None) -> str:
    if not name:
        return ""
    name = re.sub(r"[’']s\b", "", name.lower())
    name = re.sub(r"^(the|a|an)\s+", "", name.strip())
    return " ".join(name.split())


def same(pred: str | None, gold: str) -> bool:
    p, g = norm(pred), norm(gold)
    return bool(p) and (p == g or p.split()[-1] == g.split()[-1])


def speakers(text: str) -> dict[tuple[int, int], str | None]:
    """Each speech-cue sentence's speaker, as the claims analyser linked it then."""
    nlp = structure.load_nlp()
    names, people, out = structure.name_mentions(text), [], {}
    for s, e in sentences(text):
        if not structure.speech_cue(text[s:e]):
            continue
        parsed = nlp(structure.parse_form(text[s:e]))
        before = [m for m in names if m.end <= s and len(m.text.split()) >= 2]
        prior = sorted(people + before, key=lambda m: m.start)
        a = structure.attribution(parsed, s, names, prior)
        people += structure.named_subjects(parsed, s)
        m = a.entity or a.speaker
        said = text[m.start : m.end] if m is not None else None
        pronoun = said is not None and said.lower() in structure.SPEAKER_PRONOUNS
        out[(s, e)] = None if a.kind == "author" or pronoun else said
    return out


def main() -> None:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    by_article = defaultdict(list)
    for r in rows:
        by_article[(r["dataset"], r["article_id"])].append(r)
    ok = 0
    for (dataset, article_id), gold in by_article.items():
        path = DATA / dataset / f"article{article_id}.txt"
        with open(path, encoding="utf-8", newline="") as fh:
            found = speakers(fh.read())
        for r in gold:
            who = next((w for (s, e), w in found.items() if s <= r["start"] < e), None)
            ok += same(who, r["speaker"])
    print(f"speaker accuracy before the voice step: {ok / len(rows):.3f} ({ok}/{len(rows)})")


if __name__ == "__main__":
    main()
