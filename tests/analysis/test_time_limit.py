"""``analysis.time_limit``: the SIGALRM bound of an in-process analysis gives back what it
found (the handler, a timer of the program's own) and is not swallowed by ``except
Exception``."""

from __future__ import annotations

import signal
import time

import pytest

from spinscope.analysis.time_limit import time_limit
from spinscope.errors import AnalysisTimeout


def busy(seconds: float) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            time.sleep(0.01)
        except Exception:  # noqa: BLE001 -- as an analyser's fallback would
            pass


def test_the_previous_handler_is_given_back_done_or_stopped():
    def mine(signum, frame):
        pass

    before = signal.signal(signal.SIGALRM, mine)
    try:
        with time_limit(5.0, "Quick work"):
            pass
        assert signal.getsignal(signal.SIGALRM) is mine
        started = time.monotonic()
        with pytest.raises(AnalysisTimeout, match=r"^Slow work took longer than 0\.2 s"):
            with time_limit(0.2, "Slow work"):
                busy(10)  # its `except Exception` does not swallow the stop
        assert time.monotonic() - started < 3
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, before)


def test_a_timer_of_the_program_is_left_alone():
    fired = []
    before = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.6)
        with time_limit(0.1, "Work"):  # not armed: the program's timer stays its own
            busy(0.3)
        assert not fired and signal.getitimer(signal.ITIMER_REAL)[0] > 0
        busy(0.6)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def test_zero_is_no_bound():
    with time_limit(0, "Work"):
        busy(0.2)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_error_a_library_makes_of_the_stop_is_still_the_time_bound():
    # under load the stop once landed inside an import, and came out as an ImportError: the
    # CLI said "a dependency is missing or broken; reinstall spinscope"
    def wrapped():
        try:
            busy(10)
        except BaseException as exc:
            raise ImportError("cannot import name 'x'") from exc

    with pytest.raises(AnalysisTimeout, match="took longer than 0.2 s"):
        with time_limit(0.2, "Work"):
            wrapped()
    with pytest.raises(ImportError):  # before the bound: the error is its own
        with time_limit(5.0, "Work"):
            raise ImportError("cannot import name 'x'")
