"""Wait estimates: honest ranges in whole minutes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.wait import DEFAULT_SERVICE_SECONDS, estimate_wait, smoothed_service_time


def test_nobody_ahead_means_a_short_range() -> None:
    e = estimate_wait(0, 2, 300)
    assert (e.minutes_min, e.minutes_max) == (0, 1)


def test_more_counters_shorten_the_wait() -> None:
    one = estimate_wait(10, 1, 300)
    four = estimate_wait(10, 4, 300)
    assert four.minutes_max < one.minutes_max
    assert (one.minutes_min, one.minutes_max) == (35, 65)  # 50 min expected, rounded to 5 above 30


def test_default_service_time_before_any_data() -> None:
    assert estimate_wait(3, 1, None) == estimate_wait(3, 1, DEFAULT_SERVICE_SECONDS)


@given(st.integers(0, 500), st.integers(0, 10), st.floats(1, 3600))
def test_ranges_are_sane(ahead: int, counters: int, seconds: float) -> None:
    e = estimate_wait(ahead, counters, seconds)
    assert 0 <= e.minutes_min < e.minutes_max
    longer = estimate_wait(ahead + 1, counters, seconds)
    assert longer.minutes_max >= e.minutes_max


def test_one_very_long_visit_does_not_triple_the_estimate() -> None:
    s = 300.0
    s = smoothed_service_time(s, 3600)
    assert s < 300 * 1.5
    for _ in range(20):  # a real change of pace is followed
        s = smoothed_service_time(s, 600)
    assert 550 < s <= 600
