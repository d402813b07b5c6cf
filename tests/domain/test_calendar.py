"""The business day starts at the configured local time, not at midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kiosk.domain.calendar import business_day, day_start

SEOUL = ZoneInfo("Asia/Seoul")


def test_before_the_boundary_belongs_to_the_previous_day() -> None:
    # 18:59 UTC = 03:59 KST on the 26th
    assert business_day(datetime(2026, 11, 25, 18, 59, tzinfo=UTC), SEOUL, time(4)) == date(2026, 11, 25)
    assert business_day(datetime(2026, 11, 25, 19, 0, tzinfo=UTC), SEOUL, time(4)) == date(2026, 11, 26)


def test_day_start_is_the_boundary_in_local_time() -> None:
    assert day_start(date(2026, 11, 26), SEOUL, time(4)).astimezone(UTC) == datetime(2026, 11, 25, 19, 0, tzinfo=UTC)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        business_day(datetime(2026, 11, 25, 10, 0), SEOUL, time(4))
