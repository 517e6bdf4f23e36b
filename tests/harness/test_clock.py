"""The mocks' clock and the working-day rule."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fixtures.calendar import next_moment, next_working_day, weekday_number
from mock_servers.common.clock import BEIJING, EARLIEST, LATEST, MockClock, add_working_days

FRIDAY = datetime(2026, 11, 27, 10, 0, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (FRIDAY, datetime(2026, 11, 30, 10, 0, tzinfo=BEIJING)),  # Friday → Monday
        (FRIDAY - timedelta(days=1), FRIDAY),  # Thursday → Friday
        (FRIDAY + timedelta(days=1), datetime(2026, 11, 30, 10, 0, tzinfo=BEIJING)),  # Saturday → Monday
    ],
)
def test_one_working_day(start: datetime, expected: datetime) -> None:
    assert add_working_days(start, 1) == expected
    # The harness's own rule agrees with the mock's (they are written apart on purpose).
    assert next_working_day(start) == expected


def test_clock_moves_forward_and_resets() -> None:
    clock = MockClock()
    before = clock.now()
    moved = clock.advance(timedelta(days=3))
    assert moved - before >= timedelta(days=3)
    clock.reset()
    assert clock.now() - before < timedelta(days=1)


def test_clock_refuses_to_run_backwards_or_to_a_naive_moment() -> None:
    clock = MockClock()
    with pytest.raises(ValueError, match="forward"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError, match="timezone"):
        clock.set(datetime(2026, 11, 27, 10, 0))


def test_clock_refuses_moments_it_cannot_show() -> None:
    # Found by schemathesis (tests/schema): a far jump or move overflowed datetime, a 500 from then on.
    clock = MockClock()
    for moment in (
        EARLIEST - timedelta(seconds=1),
        LATEST + timedelta(seconds=1),
        datetime.max.replace(tzinfo=BEIJING),
    ):
        with pytest.raises(ValueError, match="1970"):
            clock.set(moment)
    clock.set(LATEST - timedelta(days=1))
    with pytest.raises(ValueError, match="1970"):
        clock.advance(timedelta(days=2))
    assert clock.now() < LATEST
    with pytest.raises(ValueError, match="1970"):
        clock.advance(timedelta.max)


def test_clock_can_jump_to_a_moment() -> None:
    clock = MockClock()
    assert abs(clock.set(FRIDAY) - FRIDAY) < timedelta(seconds=5)


def test_next_moment_is_strictly_later() -> None:
    # 星期五 16:30 asked for at Friday 10:00 is today; asked for at Friday 16:30 it is next week.
    friday_half_past_four = FRIDAY.replace(hour=16, minute=30)
    assert next_moment(FRIDAY, weekday_number("星期五"), 16, 30) == friday_half_past_four
    assert next_moment(friday_half_past_four, weekday_number("星期五"), 16, 30) == friday_half_past_four + timedelta(
        days=7
    )
    assert next_moment(FRIDAY, weekday_number("星期一"), 9, 0) == datetime(2026, 11, 30, 9, 0, tzinfo=BEIJING)
