"""Fuzz `spinscope batch` with hostile JSONL (issue #16): no traceback, and every line is stored,
skipped as a repeat, or recorded as a failure.

Generates ``--lines`` JSONL lines from ``--seed``: short valid articles (text or HTML, some of them
repeated on purpose) mixed with hostile lines: the five issue #16 triggers (lone surrogates,
5,000-digit integers, ``http://[::1``, 100k-deep arrays, long sentences with figures) and many
more (bad UTF-8, garbage bytes, NUL characters, NaN, huge floats, deep objects, non-objects,
missing or empty text, bad titles and URLs, a byte order mark in the middle, over-long lines,
control characters). Then runs ``spinscope batch FILE --store TMP --json`` in a subprocess, twice
(the rerun must skip or record every line again), and checks, line by line against the store:

* the exit code is 4 (partial) and stderr holds no traceback;
* stored + repeats + failed == the file's non-blank lines, and each of them is accounted for
  exactly once: a document row whose ``meta.line`` is that line, a failure record naming
  ``FILE, line N``, or a repeat of a text stored from an earlier line.

Usage:

    python bench/fuzz_batch.py --lines 10000 --seed 16 [--analyzers framing] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "minister council budget plan families critics warned disaster nation elites report town "
    "vote tax schools hospital border police court election market prices workers farmers "
    "river energy climate army peace talks deal crisis protest mayor bank jobs"
).split()
LONG_SENTENCE = "Exports fell 12% in 2023 and imports rose 5% in 2024, " * 25 + "the minister said."


def article(rng: random.Random, k: int) -> str:
    """A short distinct news text: two or three sentences, numbered so no two are the same."""
    out = []
    for j in range(rng.randint(2, 3)):
        a, b, c = rng.sample(WORDS, 3)
        out.append(f"In report {k}.{j}, the {a} said the {b} would hurt the {c}, critics warned.")
    return " ".join(out)


def hostile(rng: random.Random, k: int) -> tuple[str, bytes]:
    """One hostile line: (kind, raw bytes without the line break)."""
    text = article(rng, k)
    kinds = {
        "lone surrogate in text": lambda: '{"text": "' + text[:30] + ' \\ud800 end"}',
        "lone low surrogate in title": lambda: json.dumps({"text": text}).replace(
            "}", ', "title": "x \\udc80"}'
        ),
        "lone surrogate in meta": lambda: json.dumps({"text": text}).replace(
            "}", ', "author": "\\udfff"}'
        ),
        "5000-digit integer": lambda: (
            json.dumps({"text": text})[:-1] + ', "n": ' + "9" * rng.randint(4301, 6000) + "}"
        ),
        "bad IPv6 URL": lambda: json.dumps(
            {
                "text": text,
                "url": rng.choice(
                    ["http://[::1", "http://[::1]x", "https://[fe80::1", "http://[v9.z]/"]
                ),
            }
        ),
        "non-string URL": lambda: json.dumps({"text": text, "url": rng.choice([7, [], {}, True])}),
        "100k-deep array": lambda: "[" * 100_000 + "]" * 100_000,
        "deep array": lambda: "[" * (d := rng.randint(65, 3000)) + "]" * d,
        "deep object in meta": lambda: (
            json.dumps({"text": text})[:-1]
            + ', "m": '
            + '{"a":' * (d := rng.randint(70, 900))
            + "1"
            + "}" * d
            + "}"
        ),
        "long sentence with figures": lambda: json.dumps({"text": LONG_SENTENCE + f" ({k})"}),
        "invalid UTF-8": lambda: None,
        "garbage bytes": lambda: None,
        "NaN": lambda: '{"text": NaN}',
        "huge float": lambda: json.dumps({"text": text})[:-1] + ', "x": 1e999}',
        "not JSON": lambda: rng.choice(
            [
                "{oops",
                "text: hello",
                "{'text': 'x'}",
                '{"text": "a"',
                "<html>",
                "}{",
                '{"text": "a"}}',
            ]
        ),
        "not an object": lambda: rng.choice(["[1, 2]", "null", '"a string"', "42", "true"]),
        "no text field": lambda: json.dumps({"title": "no body", "body": text}),
        "empty text": lambda: json.dumps({"text": rng.choice(["", "   ", "\n\t", "\u200b"])}),
        "text not a string": lambda: json.dumps({"text": rng.choice([1, None, [text], {"a": 1}])}),
        "empty HTML": lambda: json.dumps({"html": "<html><body></body></html>"}),
        "script-only HTML": lambda: json.dumps({"html": "<html><script>var a=1;</script></html>"}),
        "NUL in text": lambda: json.dumps({"text": text[:40] + "\u0000" + text[40:]}),
        "control characters": lambda: json.dumps(
            {"text": text + "".join(chr(rng.randint(1, 31)) for _ in range(5))}
        ),
        "BOM mid-file": lambda: "\ufeff" + json.dumps({"text": text}),
        "over-long line": lambda: json.dumps({"text": "word " * 1_100_000}),
    }
    weights = {name: 1.0 for name in kinds}
    weights["over-long line"] = 0.01
    weights["100k-deep array"] = 0.1
    kind = rng.choices(list(kinds), weights=list(weights.values()))[0]
    if kind == "invalid UTF-8":
        raw = json.dumps({"text": text}).encode()
        cut = rng.randint(10, len(raw) - 3)
        return kind, raw[:cut] + rng.choice([b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\xe9"]) + raw[
            cut:
        ]
    if kind == "garbage bytes":
        return kind, bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 60))).replace(
            b"\n", b" "
        )
    return kind, kinds[kind]().encode("utf-8", "surrogatepass")


def valid(rng: random.Random, k: int) -> tuple[str, bytes]:
    text = article(rng, k)
    if rng.random() < 0.1:
        html = f"<html><head><title>Report {k}</title></head><body><article><p>{text}</p>" \
            f"<p>{article(rng, k + 10**7)}</p></article></body></html>"  # fmt: skip
        return "valid HTML", json.dumps({"html": html, "url": f"https://news.example/{k}"}).encode()
    record = {"text": text, "outlet": f"Outlet {k % 7}", "date": f"2024-0{1 + k % 9}-1{k % 10}"}
    if rng.random() < 0.3:
        record["title"] = f"Report {k}"
    if rng.random() < 0.1:
        record["url"] = f"https://news.example/{k}"
    return "valid", json.dumps(record, ensure_ascii=rng.random() < 0.5).encode()


def generate(lines: int, seed: int, path: Path) -> dict[int, str]:
    """Write ``lines`` lines (about 55% valid, 5% repeats of earlier valid lines, 40% hostile,
    plus a few blank lines); return line number -> kind (blank lines not included)."""
    rng = random.Random(seed)
    kinds: dict[int, str] = {}
    written: list[bytes] = []
    valid_lines: list[bytes] = []
    with open(path, "wb") as fh:
        for n in range(1, lines + 1):
            roll = rng.random()
            if roll < 0.005:
                kind, raw = "blank", rng.choice([b"", b"  ", b"\t"])
            elif roll < 0.05 and valid_lines:
                kind, raw = "repeat", rng.choice(valid_lines)
            elif roll < 0.6:
                kind, raw = valid(rng, n)
                valid_lines.append(raw)
            else:
                kind, raw = hostile(rng, n)
            fh.write(raw + b"\n")
            written.append(raw)
            if kind != "blank":
                kinds[n] = kind
    return kinds


def run_batch(path: Path, store: Path, analyzers: str | None, batch_size: int) -> dict:
    cmd = [sys.executable, "-m", "spinscope.cli.main", "batch", str(path), "--store", str(store),
           "--json", "--quiet", "--batch-size", str(batch_size)]  # fmt: skip
    if analyzers:
        cmd += ["--set", f"pipeline.analyzers={analyzers}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, errors="replace")
    elapsed = time.monotonic() - start
    try:
        summary = json.loads(proc.stdout)
    except json.JSONDecodeError:
        summary = None
    return {
        "exit_code": proc.returncode,
        "elapsed_s": round(elapsed, 1),
        "summary": summary,
        "traceback": "Traceback" in proc.stderr,
        "stderr_tail": proc.stderr[-2000:],
    }


def account(path: Path, store: Path, kinds: dict[int, str], run_id: str) -> dict:
    """Each non-blank line: stored (a document with that meta.line), failed (a failure record of
    this run naming it), or a repeat (of a text stored from another line)."""
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    stored = Counter()
    for (meta,) in con.execute("SELECT meta FROM documents").fetchall():
        stored[json.loads(meta).get("line")] += 1
    failed = Counter()
    stages = Counter()
    pattern = re.compile(r", line (\d+)$")
    for item, stage in con.execute(
        "SELECT item, stage FROM failures WHERE run_id = ?", [run_id]
    ).fetchall():
        m = pattern.search(item)
        failed[int(m.group(1)) if m else item] += 1
        stages[stage] += 1
    con.close()
    lines = set(kinds)
    twice = [n for n in lines if stored[n] + failed[n] > 1]
    unknown = [x for x in list(stored) + list(failed) if x not in lines]
    repeats = lines - set(stored) - set(failed)
    return {
        "lines_non_blank": len(lines),
        "stored_lines": sum(1 for n in lines if stored[n]),
        "failed_lines": sum(1 for n in lines if failed[n]),
        "repeat_lines": len(repeats),
        "repeat_lines_by_kind": dict(Counter(kinds[n] for n in repeats)),
        "accounted_twice": len(twice),
        "records_naming_no_line_of_the_file": len(unknown),
        "failures_by_stage": dict(stages),
        "failed_by_kind": dict(Counter(kinds[n] for n in lines if failed[n])),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--analyzers",
        default=None,
        help="pipeline.analyzers for the run (default: spinscope's default set)",
    )
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="spinscope-fuzz-"))
    path, store = folder / "fuzz.jsonl", folder / "store.duckdb"
    kinds = generate(args.lines, args.seed, path)
    first = run_batch(path, store, args.analyzers, args.batch_size)
    report: dict = {
        "lines": args.lines, "seed": args.seed, "file_mb": round(path.stat().st_size / 1e6, 1),
        "kinds": dict(Counter(kinds.values())), "analyzers": args.analyzers or "default",
        "first_run": first,
    }  # fmt: skip
    ok = first["summary"] is not None and not first["traceback"] and first["exit_code"] == 4
    if first["summary"]:
        s = first["summary"]
        report["first_run"]["accounting"] = account(path, store, kinds, s["run_id"])
        second = run_batch(path, store, args.analyzers, args.batch_size)
        report["rerun"] = second
        if second["summary"]:
            report["rerun"]["accounting"] = account(path, store, kinds, second["summary"]["run_id"])
        acc = report["first_run"]["accounting"]
        ok = ok and s["read"] == len(kinds) == s["stored"] + s["duplicates"] + s["failed"]
        ok = ok and acc["stored_lines"] == s["stored"] and acc["failed_lines"] == s["failed"]
        ok = ok and acc["accounted_twice"] == 0 and acc["records_naming_no_line_of_the_file"] == 0
        ok = ok and second["exit_code"] == 4 and not second["traceback"]
        ok = ok and second["summary"] is not None and second["summary"]["stored"] == 0
        ok = ok and second["summary"]["failed"] == s["failed"]
    report["ok"] = ok
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        s = first["summary"] or {}
        print(
            f"{args.lines} lines (seed {args.seed}, {report['file_mb']} MB), analyzers "
            f"{report['analyzers']}: exit {first['exit_code']}, traceback {first['traceback']}, "
            f"{s.get('read')} read = {s.get('stored')} stored + {s.get('duplicates')} repeats + "
            f"{s.get('failed')} failed, {first['elapsed_s']} s; rerun exit "
            f"{report.get('rerun', {}).get('exit_code')}: {'OK' if ok else 'FAILED'}"
        )
        print(json.dumps({k: v for k, v in report.items() if k != "kinds"}, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
