"""The business day starts at the configured local time, not at midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def test_a_0359_visitor_in_seoul_belongs_to_the_previous_business_day() -> None:
    at_0359 = datetime(2026, 11, 26, 3, 59, tzinfo=SEOUL)
    assert business_day(at_0359, SEOUL, time(4)) == date(2026, 11, 25)
    assert business_day(at_0359.replace(minute=0, hour=4), SEOUL, time(4)) == date(2026, 11, 26)
    assert business_day(datetime(2026, 11, 26, 0, 0, tzinfo=SEOUL), SEOUL, time(0)) == date(2026, 11, 26)


def test_the_facility_timezone_decides_not_the_machines() -> None:
    # 20:30 UTC on the 25th is 05:30 on the 26th in Seoul but still the 25th in London
    now = datetime(2026, 11, 25, 20, 30, tzinfo=UTC)
    assert business_day(now, SEOUL, time(4)) == date(2026, 11, 26)
    assert business_day(now, ZoneInfo("Europe/London"), time(4)) == date(2026, 11, 25)


@given(st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)), st.times())
def test_every_instant_lies_in_exactly_the_day_it_is_assigned(now: datetime, starts: time) -> None:
    day = business_day(now, SEOUL, starts)
    assert day_start(day, SEOUL, starts) <= now < day_start(day + timedelta(days=1), SEOUL, starts)
