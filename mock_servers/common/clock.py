"""A controllable clock for the mocks.

Business rules with a time in them (captcha and code expiry, the one-working-day
review, lockouts) read this clock, never ``time.time()``, so that a test can move
time forward through the control interface instead of waiting.  The clock runs
with real time and keeps an offset: moving it does not freeze it.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

# The platform and the identity provider live in Beijing; "working day" and the
# pages' timestamps are Beijing time.
BEIJING = timezone(timedelta(hours=8), name="Asia/Shanghai")
# The moments the clock may show: from the Unix epoch (tokens count seconds from it) to a year short of
# the last one Python can represent, so that every rule's deadline (a few working days at most) still fits.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)


class MockClock:
    """Real time plus an offset that the control interface can change."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The mock's current time, timezone-aware, in Beijing time."""
        with self._lock:
            offset = self._offset
        return datetime.now(UTC).astimezone(BEIJING) + offset

    def timestamp(self) -> int:
        """The mock's current time as whole seconds since the epoch (for JWT claims)."""
        return int(self.now().timestamp())

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward (a negative delta is refused: time never runs back)."""
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward; reset it to go back to real time")
        with self._lock:
            _check_range(datetime.now(UTC) + self._offset, delta)
            self._offset += delta
        return self.now()

    def set(self, moment: datetime) -> datetime:
        """Jump to a given moment (it must carry a timezone)."""
        if moment.tzinfo is None:
            raise ValueError("give the moment with a timezone, e.g. 2026-11-27T10:00:00+08:00")
        _check_range(moment)
        with self._lock:
            self._offset = moment - datetime.now(UTC)
        return self.now()

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._offset = timedelta(0)


def _check_range(moment: datetime, delta: timedelta = timedelta(0)) -> None:
    """Refuse (ValueError) a clock at ``moment + delta`` outside ``EARLIEST``..``LATEST``, never overflowing."""
    if not EARLIEST <= moment <= LATEST or delta > LATEST - moment:
        raise ValueError(
            f"the mock's clock shows moments from {EARLIEST.isoformat()} to {LATEST.isoformat()}; reset it or choose "
            "a moment in between"
        )


def add_working_days(start: datetime, days: int) -> datetime:
    """The same time of day ``days`` working days later (Saturday and Sunday skipped).

    Public holidays are not modelled: the guide only says "one working day".
    """
    moment = start
    remaining = days
    while remaining > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment
