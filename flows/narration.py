"""Progress of a flow as it runs: silent in the scenarios, a line per step on the command line.

A flow step is a function decorated with :func:`flow_step`, named in Chinese and English. Whoever
runs flows chooses the narrator for the duration (``with narrating(ConsoleNarrator())``); the
default says nothing, so the scenarios' steps call flows without any set-up.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, Protocol, TextIO, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Narrator(Protocol):
    def step(self, title: str) -> contextlib.AbstractContextManager[None]: ...


class Silent:
    """Says nothing (the scenarios have their own report)."""

    @contextlib.contextmanager
    def step(self, title: str) -> Iterator[None]:
        yield


_SILENT = Silent()
# None until someone narrates: then the default, silent narrator speaks for the flows.
_narrator: ContextVar[Narrator | None] = ContextVar("narrator", default=None)


@contextlib.contextmanager
def narrating(narrator: Narrator) -> Iterator[Narrator]:
    token = _narrator.set(narrator)
    try:
        yield narrator
    finally:
        _narrator.reset(token)


def flow_step(chinese: str, english: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a function as a step of a journey, told as "chinese (english)" by the current narrator."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with (_narrator.get() or _SILENT).step(f"{chinese} ({english})"):
                return function(*args, **kwargs)

        return run

    return decorate


class Recorder(Protocol):
    """Whoever records the browser (a Playwright trace): stops while a secret leaves the page."""

    def pause(self) -> None: ...

    def resume(self) -> None: ...


_recorder: ContextVar[Recorder | None] = ContextVar("recorder", default=None)


@contextlib.contextmanager
def recording(recorder: Recorder) -> Iterator[Recorder]:
    token = _recorder.set(recorder)
    try:
        yield recorder
    finally:
        _recorder.reset(token)


@contextlib.contextmanager
def keeping_secret() -> Iterator[None]:
    """A moment the recording must not see: a form carrying a credential is submitted.

    Page objects type a secret without the trace seeing it, but the request that submits the form
    carries it, and a trace keeps every request's body. So the recorder pauses (a trace ends its
    chunk here and starts a new one afterwards); without a recorder nothing is recorded anyway.
    """
    recorder = _recorder.get()
    if recorder is not None:
        recorder.pause()
    try:
        yield
    finally:
        if recorder is not None:
            recorder.resume()


class ConsoleNarrator:
    """One line per step as it ends: its number, its name, ok or failed, and how long it took.

    Nested flow steps (a journey's step made of smaller ones) are told as one: the outermost.
    """

    def __init__(self, out: TextIO, *, on_step_end: Callable[[int, str], None] | None = None) -> None:
        self._out = out
        self._count = 0
        self._depth = 0
        self._on_step_end = on_step_end

    @contextlib.contextmanager
    def step(self, title: str) -> Iterator[None]:
        self._depth += 1
        outermost = self._depth == 1
        if outermost:
            self._count += 1
        started = time.perf_counter()
        try:
            yield
        except BaseException:
            if outermost:
                self._out.write(f"  步骤 {self._count}  {title} … 失败 (failed)\n")
                self._out.flush()
            raise
        finally:
            self._depth -= 1
        if outermost:
            self._out.write(f"  步骤 {self._count}  {title} … ok ({time.perf_counter() - started:.1f}s)\n")
            self._out.flush()
            if self._on_step_end is not None:
                self._on_step_end(self._count, title)
