"""Load test of `spinscope serve` on loopback: N requests from C concurrent clients.

Starts `spinscope serve` in its own process on a free port (or uses --url), then each client
posts the sample article (or, with --paragraphs, its paragraphs), made distinct by a
leading line, to POST /api/analyze (the full pipeline and a store write each
time) and, every --read-every requests, reads the stored result and its page back. Prints
throughput, p50/p95/max latency and the error count; exits 1 on any error. Usage:

    .venv/bin/python bench/serve_load.py [--requests 400] [--clients 8] [--url http://...]

With --compare (issue #16), the same load runs twice on one server, first alone, then with
--big (default 2) texts of --big-mb (default 1) MB posted beside it (they go to the large lane:
refused, timed out or analysed, never counted as errors); it prints the errors on the normal
requests, the ratio of their p95 latencies (with big / without) and the server's memory (the
process and its workers) after each part, and exits 1 on an error or a ratio over 2.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def texts(paragraphs: bool) -> list[str]:
    """The sample article (277 words), or its paragraphs as short texts."""
    text = (ROOT / "samples" / "sample-article.txt").read_text(encoding="utf-8")
    return [p for p in text.split("\n\n") if len(p.split()) > 20] if paragraphs else [text]


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-c", "import sys; from spinscope.cli.main import main; "
           "sys.exit(main())", "serve", "--port", str(port)]  # fmt: skip
    cmd += [a for o in args.set for a in ("--set", o)]
    proc = subprocess.Popen(cmd)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/openapi.json", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def client(
    url: str, jobs: list[int], texts: list[str], read_every: int, deadline: float, out: list
) -> None:
    with httpx.Client(base_url=url, timeout=120) as http:
        doc_id = None
        for k, i in enumerate(jobs, start=1):
            if time.perf_counter() > deadline:
                return
            if read_every and doc_id and k % read_every == 0:
                path = (
                    f"/api/documents/{doc_id}" if k % (2 * read_every) else f"/documents/{doc_id}"
                )
                method, body = "GET", None
            else:
                path, method = "/api/analyze", "POST"
                body = {"text": f"Bulletin {i}.\n\n{texts[i % len(texts)]}"}
            start = time.perf_counter()
            try:
                r = http.request(method, path, json=body)
                ok = r.status_code == 200
                if ok and method == "POST":
                    doc_id = r.json()["id"]
                error = None if ok else f"{r.status_code} {r.text[:200]}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            out.append((method, time.perf_counter() - start, error))


def big_text(megabytes: float) -> str:
    """The sample article repeated to ``megabytes`` MB (UTF-8), each copy numbered."""
    article = texts(False)[0]
    parts, size, k = [], 0, 0
    while size < megabytes * 1_000_000:
        part = f"Part {k}.\n\n{article}\n\n"
        parts.append(part)
        size += len(part.encode("utf-8"))
        k += 1
    return "".join(parts)


def post_big(url: str, text: str, delay_s: float, out: list) -> None:
    time.sleep(delay_s)
    start = time.perf_counter()
    try:
        r = httpx.post(url + "/api/analyze", json={"text": text}, timeout=600)
        what = f"{r.status_code} {r.json().get('error', {}).get('message', '')[:120]}"
    except httpx.HTTPError as exc:
        what = f"{type(exc).__name__}: {exc}"
    out.append((time.perf_counter() - start, what))


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants, in MB (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for p in tree:
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e6


def percentile(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


def run_load(url: str, args: argparse.Namespace, big: int = 0) -> dict:
    """One load: the clients' requests, and ``big`` large texts posted beside them."""
    deadline = time.perf_counter() + args.max_seconds
    inputs, out, big_out = texts(args.paragraphs), [], []
    threads = [
        threading.Thread(target=client, args=(url, list(range(c, args.requests, args.clients)),
                                              inputs, args.read_every, deadline, out))
        for c in range(args.clients)
    ]  # fmt: skip
    if big:
        text = big_text(args.big_mb)
        threads += [
            threading.Thread(target=post_big, args=(url, text, 1.0 + k, big_out))
            for k in range(big)
        ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"out": out, "big": big_out, "wall": time.perf_counter() - start}


def report(load: dict, args: argparse.Namespace) -> list[str]:
    """Print one load's numbers; its errors."""
    out, wall = load["out"], load["wall"]
    errors = [e for _, _, e in out if e]
    if len(out) < args.requests:
        errors.append(f"only {len(out)} of {args.requests} requests sent in {args.max_seconds:g} s")
    print(f"{len(out)} requests from {args.clients} clients in {wall:.1f} s: "
          f"{len(out) / wall:.1f} requests/s, {len(errors)} errors")  # fmt: skip
    for kind in ("POST", "GET"):
        lat = sorted(s for m, s, _ in out if m == kind)
        if lat:
            name = "/api/analyze" if kind == "POST" else "stored result/page"
            p50, p95 = 1000 * percentile(lat, 50), 1000 * percentile(lat, 95)
            print(f"  {kind} {name}: {len(lat)} requests, p50 {p50:.0f} ms, "
                  f"p95 {p95:.0f} ms, max {1000 * lat[-1]:.0f} ms")  # fmt: skip
    for seconds, what in load["big"]:
        print(f"  big text ({args.big_mb:g} MB): {what} after {seconds:.1f} s")
    for e in errors[:5]:
        print("  error:", e)
    return errors


def p95(load: dict, method: str | None = None) -> float:
    return percentile(sorted(s for m, s, _ in load["out"] if method in (None, m)), 95)


def compare(url: str, args: argparse.Namespace, proc: subprocess.Popen | None) -> int:
    memory = (lambda: f", server memory {tree_rss_mb(proc.pid):.0f} MB") if proc else str
    print("-- without big texts")
    alone = run_load(url, args)
    errors = report(alone, args)
    print(f"  after it{memory()}")
    print(f"-- with {args.big} texts of {args.big_mb:g} MB beside it")
    mixed = run_load(url, args, big=args.big)
    errors += report(mixed, args)
    print(f"  after it{memory()}")
    ratio = p95(mixed, "POST") / p95(alone, "POST")
    print(f"errors on normal requests: {len(errors)}; p95 of the analyses with big texts / "
          f"without: {ratio:.2f} (all normal requests: {p95(mixed) / p95(alone):.2f})")  # fmt: skip
    return 1 if errors or ratio > 2 else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--read-every", type=int, default=2,
                        help="every Nth request of a client reads back; 0: never")  # fmt: skip
    parser.add_argument("--max-seconds", type=float, default=60,
                        help="stop sending new requests after this long")  # fmt: skip
    parser.add_argument("--paragraphs", action="store_true", help="post paragraphs, not articles")
    parser.add_argument("--url", help="an already running server (else one is started)")
    parser.add_argument(
        "--set", action="append", default=[], help="server setting, e.g. serve.max_concurrent=2"
    )
    parser.add_argument("--compare", action="store_true",
                        help="the load alone, then with --big large texts beside it")  # fmt: skip
    parser.add_argument("--big", type=int, default=2, help="large texts in --compare")
    parser.add_argument("--big-mb", type=float, default=1.0, help="size of each large text")
    args = parser.parse_args()
    proc, url = (None, args.url) if args.url else start_server(args)
    try:
        if args.compare:
            return compare(url, args, proc)
        return 1 if report(run_load(url, args), args) else 0
    finally:
        if proc:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    sys.exit(main())
