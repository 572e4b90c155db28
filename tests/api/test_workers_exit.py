"""An analysis worker ends with the server: killed with SIGKILL (kill -9, the out-of-memory
killer), the server left a worker that was analysing running on to the end of its analysis (an
idle one ends at once: its pipe closes), holding its models' memory and a core."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# a pool of one worker busy with a minute-long analysis; prints the worker's pid
SERVER = """
import asyncio
from spinscope.api.workers import Job, WorkerPool
from spinscope.settings import load_settings
from tests.api.stand_ins import SlowPipeline

async def main():
    pool = WorkerPool(load_settings(), SlowPipeline(delay_s=60), 1)
    pool.start()
    print(*[worker.pid for worker in pool.workers], flush=True)
    await pool.run(Job("text", "x"), asyncio.get_running_loop().time() + 120)

if __name__ == "__main__":
    asyncio.run(main())
"""


def gone(pid: int) -> bool:
    """No such process, or only its zombie (a parent that is not reaping does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_busy_worker_ends_within_seconds_of_the_server_killed(tmp_path: Path) -> None:
    script = tmp_path / "server.py"
    script.write_text(SERVER, encoding="utf-8")
    path = os.pathsep.join(
        p for p in (str(REPO / "src"), str(REPO), os.environ.get("PYTHONPATH")) if p
    )
    server = subprocess.Popen(
        [sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": path},
    )  # fmt: skip
    pids: list[int] = []
    try:
        assert server.stdout is not None
        pids = [int(pid) for pid in server.stdout.readline().split()]
        assert pids, "the server printed no worker pid"
        time.sleep(1.0)  # the job has reached the worker
        assert not any(gone(pid) for pid in pids)
        server.send_signal(signal.SIGKILL)
        server.wait(10)
        end = time.monotonic() + 5.0
        while time.monotonic() < end and not all(gone(pid) for pid in pids):
            time.sleep(0.1)
        assert all(gone(pid) for pid in pids), "a worker outlived the killed server by 5 s"
    finally:
        server.kill()
        for pid in pids:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
