"""What ``spinscope serve`` (default settings) does against five attacks over raw sockets: a
request whose headers trickle a byte every 0.3 s (seconds until the server closes it, at most
``--cap-s``), 100 KB of headers in one write and in 4 KiB pieces, a request after 70 idle
connections, and kill -9 of the server while a worker analyses a 95 KB text (seconds until its
worker processes are gone). The spinscope run is the one on PYTHONPATH.

    PYTHONPATH=SRC python bench/serve_attacks.py --store S.duckdb [--cap-s 60]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample-article.txt"
GET = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"


def start(store: str) -> tuple[subprocess.Popen, int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = [sys.executable, "-m", "spinscope.cli.main", "serve", "--store", store, "--port"]
    server = subprocess.Popen([*argv, str(port)], stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return server, port
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def first_line(answer: bytes) -> str:
    return answer.split(b"\r\n", 1)[0].decode("latin-1") or "(nothing)"


def trickle(port: int, cap_s: float) -> str:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(0.3)
    began, data = time.monotonic(), GET + b"X-Slow: " + b"a" * 100_000
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
            answer = sock.recv(65536)
        except TimeoutError:
            if time.monotonic() - began > cap_s:
                return f"still open after {cap_s:g} s"
            continue
        except OSError as exc:
            answer = repr(exc).encode()
        return f"closed after {time.monotonic() - began:.1f} s: {first_line(answer)}"
    return "all bytes sent"


def big_headers(port: int, piece: int) -> str:
    request = GET + b"X-Big: " + b"a" * 100_000 + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            for at in range(0, len(request), piece):
                sock.sendall(request[at : at + piece])
        except OSError:
            pass
        try:
            return first_line(sock.recv(65536))
        except OSError as exc:
            return repr(exc)


def after_idle(port: int, count: int) -> str:
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    time.sleep(0.5)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(GET + b"Connection: close\r\n\r\n")
            return first_line(sock.recv(65536))
    finally:
        for sock in idle:
            sock.close()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and stat(int(entry.name))[1] == str(pid):
                found.append(int(entry.name))
        except OSError:
            pass
    return found


def stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def running(pid: int) -> bool:
    try:
        return stat(pid)[0] not in ("Z", "X")
    except OSError:
        return False


def kill_busy(server: subprocess.Popen, port: int, cap_s: float) -> str:
    # 95 KB: the normal lane, under serve.large_bytes
    text = (SAMPLE.read_text(encoding="utf-8") + "\n\n") * 60
    body = json.dumps({"text": text[:95_000]}).encode()
    url = f"http://127.0.0.1:{port}/api/analyze"
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    threading.Thread(target=lambda: _quietly(request), daemon=True).start()
    time.sleep(2.0)
    workers = children(server.pid)
    server.send_signal(signal.SIGKILL)
    server.wait()
    began = time.monotonic()
    while any(map(running, workers)) and time.monotonic() - began < cap_s:
        time.sleep(0.1)
    left = [pid for pid in workers if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    waited = time.monotonic() - began
    return f"{len(left)} of {len(workers)} still running" if left else f"gone in {waited:.1f} s"


def _quietly(request: urllib.request.Request) -> None:
    try:
        urllib.request.urlopen(request, timeout=300)
    except OSError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--cap-s", type=float, default=60.0)
    args = parser.parse_args()
    server, port = start(args.store)
    try:
        print("trickled headers:", trickle(port, args.cap_s), flush=True)
        print("100 KB of headers, one write:", big_headers(port, 1 << 20), flush=True)
        print("100 KB of headers, 4 KiB pieces:", big_headers(port, 4096), flush=True)
        print("a request after 70 idle connections:", after_idle(port, 70), flush=True)
        print("workers after kill -9 mid-analysis:", kill_busy(server, port, args.cap_s))
    finally:
        server.kill()


if __name__ == "__main__":
    main()
