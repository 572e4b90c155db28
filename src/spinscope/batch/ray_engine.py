"""The Ray engine: the local engine's semantics on Ray actors (``engines``), each loading the
models once; an actor that dies is replaced and its documents analysed again alone."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from spinscope.batch.engines import DEATHS_IN_A_ROW, WORKER_DIED, Outcome, _RayWorker, took_too_long
from spinscope.errors import SpinscopeError


@contextmanager
def _lean_local_head(enabled: bool) -> Iterator[None]:
    """While ``ray.init`` starts a local head: without the autoscaler monitor and the log
    monitor, which a one-machine run does not use (no autoscaling; logs are not sent to the
    driver). Together they held about 160 MB. Ray's ``init`` has no switch for them, so this sets
    the defaults of its (private) node parameters; where those are not as expected, Ray starts
    as usual."""
    try:
        from ray._private.parameter import RayParams
    except ImportError:  # pragma: no cover -- another Ray layout: start it as it is
        enabled = False
    if not enabled:
        yield
        return
    original = RayParams.__init__

    def lean(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if getattr(self, "no_monitor", True) is False:
            self.no_monitor = True
        if getattr(self, "include_log_monitor", False) is None:
            self.include_log_monitor = False

    RayParams.__init__ = lean  # type: ignore[method-assign]  # the patch is the point: see docstring
    try:
        yield
    finally:
        RayParams.__init__ = original  # type: ignore[method-assign]  # undo the patch above


@contextmanager
def _own_sigterm() -> Iterator[None]:
    """Keep the caller's SIGTERM handler through ``ray.init``, which sets its own (an exit
    with a C++ stack dump): ``spinscope batch`` stops on SIGTERM as on Ctrl-C
    (``processes.terminate_as_interrupt``). A caller that set none keeps Ray's."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    try:
        yield
    finally:
        if previous not in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, previous)


def ray_engine(
    batches: Iterable[list[dict]],
    settings: dict,
    *,
    workers: int = 1,
    address: str | None = None,
    window: int = 8,
    depth: int = 2,
    story: str | None = None,
) -> Generator[list[Outcome], None, None]:
    """Ray actors (``workers`` of them, one CPU each), results in input order; at most
    ``window`` batches per actor are in flight, so a corpus streams; ``story``: as for
    ``local_engine``.

    Each actor has at most ``depth`` batches at a time (one running, one waiting), and gets a new
    one as soon as one finishes; finished results wait in a buffer until those before them are
    done. (Handing out all batches up front, or ``ray.util.ActorPool``, which gives an actor new
    work only once its result has been taken in order, left one actor idle while the other
    worked through its queue: Ray ran 12% behind the local engine.)

    An actor that dies (a crash in a model library, the out-of-memory killer) is replaced, and
    each document of its batches is analysed again alone in a fresh actor, as the local engine
    does: one that kills that actor too is an error outcome (``WORKER_DIED``). An actor busy
    with one batch for longer than the ``batch.document_timeout_s`` setting is killed, and so
    handled the same way; a document alone past it is an error outcome (``took_too_long``)."""
    import ray

    started = False
    if not ray.is_initialized():
        with _lean_local_head(enabled=address is None), _own_sigterm():
            ray.init(
                address=address,
                num_cpus=None if address else workers,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
            )
        started = True
    try:
        actor = ray.remote(num_cpus=1)(_RayWorker)
        # a document's own actor takes no CPU of the cluster's: with every CPU held by the
        # actors (and the replacement of the dead one), it waited for one for ever
        solo = actor.options(num_cpus=0)
        fresh = _Fresh(
            ray, lambda: actor.remote(settings, 1, story), lambda: solo.remote(settings, 1, story)
        )
        fresh.timeout_s = settings.get("batch.document_timeout_s")
        actors = [fresh.make() for _ in range(max(1, workers))]
        yield from _in_order(ray, actors, batches, depth, limit=window * len(actors), fresh=fresh)
    finally:
        if started:
            ray.shutdown()


def _in_order(
    ray, actors: list, batches: Iterable, depth: int, limit: int, fresh: _Fresh | None = None
) -> Iterator:
    """Results of ``actors[k].__call__`` over ``batches``, in input order (see ``ray_engine``);
    at most ``limit`` batches are running or buffered at once. With ``fresh``, the batches of an
    actor that died are analysed again by ``fresh.alone`` and the actor is replaced."""
    todo = iter(enumerate(batches))
    running: dict = {}  # result ref -> (batch index, actor index, batch, actor)
    load = [0] * len(actors)
    clock = _Clock(len(actors))
    done: dict[int, Any] = {}
    next_out, exhausted = 0, False
    while True:
        while not exhausted and len(running) + len(done) < limit:
            k = min(range(len(actors)), key=load.__getitem__)
            if load[k] >= depth:
                break
            item = next(todo, None)
            if item is None:
                exhausted = True
                break
            running[actors[k].__call__.remote(item[1])] = (item[0], k, item[1], actors[k])
            load[k] += 1
            clock.busy(k, load[k])
        if not running:
            return
        ready = _ready(ray, running, clock, load, actors, fresh)
        for ref in ready:
            i, k, docs, actor = running.pop(ref)
            load[k] -= 1
            clock.done(k)
            try:
                done[i] = ray.get(ref)
            except ray.exceptions.RayActorError:
                if fresh is None:
                    raise
                done[i] = fresh.alone(docs)
                if actors[k] is actor:  # the first of its batches to come back: replace it
                    actors[k] = fresh.make()
        while next_out in done:
            yield done.pop(next_out)
            next_out += 1


class _Clock:
    """When each actor began its current batch: when it was given one while idle, or when it
    finished the one before (its batches run one after the other)."""

    def __init__(self, actors: int) -> None:
        self.since = [0.0] * actors

    def busy(self, k: int, load: int) -> None:
        if load == 1:
            self.since[k] = time.monotonic()

    def done(self, k: int) -> None:
        self.since[k] = time.monotonic()

    def overdue(self, load: list[int], timeout_s: float) -> list[int]:
        now = time.monotonic()
        return [k for k, since in enumerate(self.since) if load[k] and now - since > timeout_s]


def _ready(
    ray,
    running: dict,
    clock: _Clock,
    load: list[int],
    actors: list,
    fresh: _Fresh | None,
    poll_s: float = 1.0,
) -> list:
    """The refs done (one at least). With ``fresh.timeout_s``, an actor past it on one batch is
    killed first: its refs then fail with ``RayActorError``, handled as its death."""
    timeout_s = None if fresh is None else fresh.timeout_s
    wait_s = None if timeout_s is None else poll_s  # no deadline: wait as long as it takes
    while True:
        ready, _ = ray.wait(list(running), num_returns=1, timeout=wait_s)
        if ready:
            return ready
        for k in clock.overdue(load, cast(float, timeout_s)):
            ray.kill(actors[k])
            clock.done(k)  # killed once: its refs come back failed within a poll or two


class _Fresh:
    """Makes the engine's actors, and analyses the documents of a dead actor's batch one at a
    time in an actor of their own (a fresh one after one dies), as ``_Pool.alone`` does."""

    def __init__(self, ray: Any, make: Callable[[], Any], make_solo: Callable[[], Any]) -> None:
        self.ray, self.make, self.make_solo = ray, make, make_solo
        self.died_in_a_row = 0
        self.timeout_s: float | None = None  # a document's deadline alone (None: none)

    def alone(self, docs: list[dict]) -> list[Outcome]:
        """Each document's outcome (``WORKER_DIED`` for one that kills its actor).

        Raises:
            SpinscopeError: Actors died on ``DEATHS_IN_A_ROW`` documents in a row."""
        out: list[Outcome] = []
        solo = None  # dropped at the end: Ray ends an actor with its last handle
        for doc in docs:
            solo = solo or self.make_solo()
            try:
                out += self.ray.get(solo.__call__.remote([doc]), timeout=self.timeout_s)
            except self.ray.exceptions.GetTimeoutError:
                self.ray.kill(solo)
                solo = None  # not a death: the document's own fault
                out.append(("error", took_too_long(cast(float, self.timeout_s))))
                continue
            except self.ray.exceptions.RayActorError:
                solo = None
                self.died_in_a_row += 1
                if self.died_in_a_row >= DEATHS_IN_A_ROW:
                    raise SpinscopeError(
                        f"A Ray actor died on {DEATHS_IN_A_ROW} documents in a row, each analysed "
                        "alone (killed, or out of memory?); the documents stored so far are "
                        "kept: run the same command again to go on (with fewer --workers if "
                        "memory is short)."
                    ) from None
                out.append(("error", WORKER_DIED))
                continue
            self.died_in_a_row = 0
        return out
