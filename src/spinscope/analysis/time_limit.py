"""A time bound on an in-process analysis (``analyze.timeout_s``): ``time_limit`` arms a
``SIGALRM`` timer in the main thread (POSIX), and past the bound the work is interrupted where
it stands, between two Python steps (the analysers' ONNX calls take milliseconds each), and
``AnalysisTimeout`` is raised with one line that names the setting.

The interrupt is a ``BaseException`` while it travels, as a Ctrl-C is, so that no ``except
Exception`` inside an analyser swallows it; it becomes ``AnalysisTimeout`` where the bound was
set, and so does any other error that comes out of the work once the bound has passed: a
library that wraps what interrupted its import (an ``ImportError``, seen once under load) must
not be reported as a broken install.

Where there is no ``SIGALRM`` (Windows), off the main thread (a web server's handler, a batch
worker's thread), or where the program has a real-time timer of its own running, nothing is
armed and the analysis runs unbounded: the caller's timer is never taken over. The previous
handler is put back after the work, done or stopped. The stop can come late while a model loads
(long calls into onnxruntime, which a signal handler waits for).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from spinscope.errors import AnalysisTimeout

SETTING = "analyze.timeout_s"


class _Expired(BaseException):
    """The bound passed (raised by the handler; not an ``Exception``: see the module)."""


def can_bound() -> bool:
    """Whether ``time_limit`` can arm here: SIGALRM exists, this is the main thread, and no
    real-time timer of the program is running."""
    return (
        hasattr(signal, "SIGALRM")
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )


@contextmanager
def time_limit(timeout_s: float, what: str, hint: str = "") -> Iterator[None]:
    """Run the block within ``timeout_s`` seconds (0: no bound), else raise ``AnalysisTimeout``:
    "``what`` took longer than N s (setting analyze.timeout_s) and was stopped; ``hint``...".

    Raises:
        AnalysisTimeout: The block ran past the bound.
    """
    if not timeout_s or not can_bound():
        yield
        return
    armed, fired = [True], [False]

    def expire(signum: int, frame: Any) -> None:
        if armed[0]:  # not once the block is done: a signal late by a hair is dropped
            fired[0] = True
            raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        yield
    except BaseException as exc:
        if fired[0] and not isinstance(exc, KeyboardInterrupt):
            raise AnalysisTimeout(_message(timeout_s, what, hint)) from None
        raise
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)


def _message(timeout_s: float, what: str, hint: str) -> str:
    return (
        f"{what} took longer than {timeout_s:g} s (setting {SETTING}) and was stopped; "
        f"{hint + '; ' if hint else ''}raise it with --set {SETTING}=SECONDS (0: no limit), "
        "or give a shorter text."
    )
