"""What went wrong inside a mock: every unexpected exception a request raised, for the harness to report.

A mock answers such a request with a friendly 500 page, as a real site would, so a browser scenario
sees only that its next page is not the one it expected. The harness asks the control interface
(``GET /_control/server-errors``) when a scenario fails, and puts the mock's own error (where, and
the exception) beside the failed step: a bug in a mock then reads as one, not as a rule broken.
"""

from __future__ import annotations

import threading
import traceback
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from mock_servers.common.clock import MockClock

# The newest errors are the ones a failing scenario made; a handful is plenty.
KEPT = 20


@dataclass(frozen=True)
class ServerError:
    at: datetime
    method: str
    path: str
    error: str  # "NameError: name 'x' is not defined"
    traceback: str


class ServerErrors:
    """The last :data:`KEPT` unexpected exceptions of one mock, oldest first; thread-safe."""

    def __init__(self, clock: MockClock) -> None:
        self._clock = clock
        self._errors: deque[ServerError] = deque(maxlen=KEPT)
        self._lock = threading.Lock()

    def record(self, method: str, path: str, exc: BaseException) -> None:
        error = f"{type(exc).__name__}: {exc}".rstrip(": ")
        text = "".join(traceback.format_exception(exc))
        with self._lock:
            self._errors.append(ServerError(self._clock.now(), method, path, error, text))

    def all(self) -> list[ServerError]:
        with self._lock:
            return list(self._errors)

    def clear(self) -> None:
        with self._lock:
            self._errors.clear()
