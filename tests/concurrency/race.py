"""Requests sent at the same moment: a starting line (``threading.Barrier``) and a thread per runner.

A runner first gets ready on its own: it opens the pages, logs in, passes the wizard's first
step, reads its SMS code, whatever comes before the request under test, and returns that
request as a function (its *shot*), ready to send on the connection it already has open.  Then
it waits at the barrier.  When the last runner arrives the barrier lets all of them go at once,
and each fires its shot straight away: the requests reach the server together, so a rule that
checks and then writes without holding a lock gets every chance to let two of them through.

The moment each shot left and came back is kept, so a test can say how many were in flight at
once (:func:`most_in_flight`); a race where they never overlapped would prove nothing.

How many runners race, and how many rounds a test repeats, come from :class:`RaceSettings`
(``CONCURRENCY_WIDTH``, ``CONCURRENCY_ROUNDS``).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from fixtures.test_data import TestDataBuilder, scenario_seed

T = TypeVar("T")

# A runner that has not reached the starting line by then is stuck (a server that stopped
# answering): the barrier breaks and every runner fails, instead of the run hanging.  Not a wait:
# the barrier opens the moment the last runner arrives.
BARRIER_TIMEOUT_S: Final = 60.0

WIDTH_ENV: Final = "CONCURRENCY_WIDTH"
ROUNDS_ENV: Final = "CONCURRENCY_ROUNDS"
DEFAULT_WIDTH: Final = 8
DEFAULT_ROUNDS: Final = 3


@dataclass(frozen=True)
class RaceSettings:
    """How many clients race each other (N distinct or K the same) and how many rounds a test runs."""

    width: int = DEFAULT_WIDTH
    rounds: int = DEFAULT_ROUNDS

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> RaceSettings:
        return cls(
            width=_whole_number(environ, WIDTH_ENV, DEFAULT_WIDTH, minimum=2),
            rounds=_whole_number(environ, ROUNDS_ENV, DEFAULT_ROUNDS, minimum=1),
        )

    def rounds_with_data(self, test_data: TestDataBuilder) -> Iterator[tuple[int, TestDataBuilder]]:
        """Each round's number (from 1) and a data builder of its own, seeded from the test's.

        A round starts from reset mocks, so its people need be unique within it only; one builder
        for every round would run out of Faker's unique company names (a few hundred) in a long run.
        """
        for number in range(1, self.rounds + 1):
            yield number, TestDataBuilder(scenario_seed(test_data.seed, f"round {number}"))


def _whole_number(environ: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < minimum:
        raise ValueError(f"{name} must be a whole number, at least {minimum}; got {raw!r}")
    return int(raw)


@dataclass(frozen=True)
class Finish(Generic[T]):
    """What one runner's shot answered, and when (``time.perf_counter()``) it left and came back."""

    runner: int
    result: T
    started: float
    ended: float


def race(runners: Sequence[Callable[[], Callable[[], T]]]) -> list[Finish[T]]:
    """Get every runner ready, then fire all their shots at once; the finishes in the runners' order.

    Each runner runs in a thread of its own.  If one fails to get ready, the barrier is broken so
    that the others stop waiting, and the first real error (not the broken barrier it caused) is raised.
    """
    barrier = threading.Barrier(len(runners), timeout=BARRIER_TIMEOUT_S)

    def run(index: int, get_ready: Callable[[], Callable[[], T]]) -> Finish[T]:
        try:
            shot = get_ready()
        except BaseException:
            barrier.abort()
            raise
        barrier.wait()
        started = time.perf_counter()
        result = shot()
        return Finish(runner=index, result=result, started=started, ended=time.perf_counter())

    with ThreadPoolExecutor(max_workers=len(runners), thread_name_prefix="racer") as pool:
        futures = [pool.submit(run, index, runner) for index, runner in enumerate(runners)]
        errors = [error for future in futures if (error := future.exception()) is not None]
    if errors:
        raise next((error for error in errors if not isinstance(error, threading.BrokenBarrierError)), errors[0])
    return [future.result() for future in futures]


def most_in_flight(finishes: Sequence[Finish[T]]) -> int:
    """The largest number of shots that were on their way at one moment."""
    events = sorted([(f.started, 1) for f in finishes] + [(f.ended, -1) for f in finishes])
    most = current = 0
    for _moment, change in events:
        current += change
        most = max(most, current)
    return most
