"""What worker processes share, whoever starts them (the batch engines, the API's lanes)."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


def exit_with_parent(poll_s: float = 1.0) -> None:
    """End this worker within ``poll_s`` of the process that started it: killed (kill -9, the
    OOM killer), it left its workers running (a batch worker waiting for batches for ever, an
    API worker analysing on to the end), each holding its models' memory and, for batch, the
    output pipes of whoever started the run (a worker holds both ends of its queue: no EOF)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        os._exit(1)

    threading.Thread(target=watch, name="spinscope-parent-watch", daemon=True).start()


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM (``kill PID``, a job scheduler, ``docker stop``) raises
    KeyboardInterrupt as Ctrl-C does, so a run stops the same clean way: its workers shut down,
    what it stored kept and its row left unfinished. SIGTERM's default killed the process where
    it stood, its worker pool's semaphores reported as leaked. Only in the main thread (where
    signal handlers can be set); the previous handler is put back on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:  # None: a handler set outside Python, which cannot be put back from here
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
