"""What a change to the quantity rules does on real articles: dump the quantities one code
version finds (and the times), then compare two dumps (s13: space-grouped thousands, "2 000"
as one number; s13-dates: a day next to a month is a time).

    PYTHONPATH=<tree>/src python bench/quantities_change.py dump --out A.jsonl [--mode claims|raw]
        [--data ../shared/data] [--limit 200] [--folder REL ...]
    python bench/quantities_change.py diff A.jsonl B.jsonl [--sample 40] [--seed 0] [--times]

``--mode claims`` runs the claims analyser (English only, as ``analyze`` does; the real
check-worthiness model, no embeddings) and records each claim figure's quantity; ``--mode raw``
runs ``find_quantities`` over every line of the article (any language: what the rules would
read if a claims route for it existed). ``--limit`` articles per folder, sorted by file name.
``diff`` counts quantities (with ``--times`` also the times: raw, of every line; claims, of the
claims) only in A (gone), only in B (new), and prints a sample of the articles' changes side by
side for reading. Nothing of the datasets is stored in the repo.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

FOLDERS = [
    "semeval2023-task3/en/train-articles-subtask-3",
    "semeval2025-task10/train/EN/raw-documents",
    "semeval2023-task3/fr/train-articles-subtask-3",
    "semeval2023-task3/ru/train-articles-subtask-3",
    "semeval2025-task10/train/BG/raw-documents",
    "semeval2025-task10/train/PT/raw-documents",
]


def _time(t, at: int = 0) -> dict:
    return {"start": at + t.start, "text": t.text, "value": t.start_year, "kind": t.kind}


def _quantities(mode: str, texts: list[str]) -> list[tuple[list[dict], list[dict]]]:
    """Per article, its quantities and its times (raw: of every line; claims: of the claims)."""
    if mode == "raw":
        from spinscope.analysis.claims.quantities import find_quantities

        try:
            from spinscope.model.times import find_times
        except ImportError:  # a tree from before the times moved to the model layer
            from spinscope.analysis.claims.quantities import find_times  # type: ignore

        out = []
        for text in texts:
            qs, ts, at = [], [], 0
            for line in text.split("\n"):
                qs += [{"start": at + q.start, "text": q.text, "value": q.value, "kind": q.kind}
                       for q in find_quantities(line)]  # fmt: skip
                ts += [_time(t, at) for t in find_times(line)]
                at += len(line) + 1
            out.append((qs, ts))
        return out
    from spinscope.analysis.claims import ClaimAnalyzer
    from spinscope.ingest import from_text

    analyzer = ClaimAnalyzer(embeddings=False)
    claims = analyzer.analyze([from_text(t) for t in texts])
    return [([{"start": f.quantity.start, "text": f.quantity.text, "value": f.quantity.value,
               "kind": f.quantity.kind, "claim": c.text} for c in cs for f in c.figures],
             [_time(t) for c in cs for t in c.times])
            for cs in claims]  # fmt: skip


def dump(a: argparse.Namespace) -> None:
    from spinscope.ingest.files import read_path

    with open(a.out, "w", encoding="utf-8") as out:
        for folder in a.folder or FOLDERS:
            if a.mode == "claims" and not re.search(r"(?:^|[/-])en(?:[/-]|$)", folder, re.I):
                continue  # claims are English only
            files = sorted(Path(a.data, folder).glob("*.txt"))[: a.limit]
            texts = [read_path(f).text for f in files]
            for f, (qs, ts) in zip(files, _quantities(a.mode, texts), strict=True):
                out.write(json.dumps({"doc": f"{folder}/{f.name}", "quantities": qs,
                                      "times": ts}, ensure_ascii=False) + "\n")  # fmt: skip


def _read(path: str, field: str = "quantities") -> dict[str, list[dict]]:
    """Each article's ``field`` (dumps from before times were recorded have none)."""
    with open(path, encoding="utf-8") as f:
        return {r["doc"]: r.get(field, []) for r in map(json.loads, f)}


def diff(a: argparse.Namespace) -> None:
    _diff(a, "quantities")
    if a.times:
        _diff(a, "times")


def _diff(a: argparse.Namespace, field: str) -> None:
    before, after = _read(a.a, field), _read(a.b, field)
    key = lambda q: (q["start"], q["text"], q["value"], q["kind"])  # noqa: E731
    gone = new = total_a = total_b = 0
    changes = []
    for doc in sorted(before.keys() & after.keys()):
        qa, qb = {key(q) for q in before[doc]}, {key(q) for q in after[doc]}
        total_a, total_b = total_a + len(qa), total_b + len(qb)
        gone, new = gone + len(qa - qb), new + len(qb - qa)
        if qa != qb:
            changes.append((doc, sorted(qa - qb), sorted(qb - qa)))
    print(json.dumps({"field": field, "articles": len(before.keys() & after.keys()),
                      "a": total_a, "b": total_b, "only_a": gone, "only_b": new,
                      "articles_changed": len(changes)}))  # fmt: skip
    random.Random(a.seed).shuffle(changes)
    for doc, qa, qb in changes[: a.sample]:
        print(f"\n{doc}\n  A: {[(q[1], q[2]) for q in qa]}\n  B: {[(q[1], q[2]) for q in qb]}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--out", required=True)
    d.add_argument("--mode", choices=("claims", "raw"), default="claims")
    d.add_argument("--data", default="../shared/data")
    d.add_argument("--limit", type=int, default=200)
    d.add_argument("--folder", action="append")
    c = sub.add_parser("diff")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--sample", type=int, default=40)
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("--times", action="store_true", help="also compare the times found")
    a = ap.parse_args(argv)
    dump(a) if a.cmd == "dump" else diff(a)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
