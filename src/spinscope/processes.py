"""What worker processes share, whoever starts them (the batch engines, the API's lanes)."""

from __future__ import annotations

import os
import threading
import time


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
