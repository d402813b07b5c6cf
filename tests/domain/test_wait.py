"""Wait estimates: honest ranges in whole minutes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.wait import (
    ALPHA,
    DEFAULT_SERVICE_SECONDS,
    OUTLIER_FACTOR,
    WaitEstimate,
    estimate_wait,
    smoothed_service_time,
)

aheads = st.integers(0, 300)
counter_counts = st.integers(0, 12)
service_seconds = st.floats(1, 3600, allow_nan=False)


def _range(e: WaitEstimate) -> tuple[int, int]:
    return (e.minutes_min, e.minutes_max)


def test_nobody_ahead_means_a_short_range() -> None:
    e = estimate_wait(0, 2, 300)
    assert _range(e) == (0, 1)


def test_more_counters_shorten_the_wait() -> None:
    one = estimate_wait(10, 1, 300)
    four = estimate_wait(10, 4, 300)
    assert four.minutes_max < one.minutes_max
    assert _range(one) == (35, 65)  # 50 min expected, rounded to 5 above 30


def test_default_service_time_before_any_data() -> None:
    assert estimate_wait(3, 1, None) == estimate_wait(3, 1, DEFAULT_SERVICE_SECONDS)
    assert estimate_wait(3, 1, 0) == estimate_wait(3, 1, DEFAULT_SERVICE_SECONDS)
    assert _range(estimate_wait(2, 1, None)) == (7, 13)  # 5 minutes each before the first visit ends


def test_no_counter_open_is_estimated_as_one() -> None:
    assert estimate_wait(4, 0, 300) == estimate_wait(4, 1, 300)


def test_negative_queue_is_refused() -> None:
    with pytest.raises(ValueError):
        estimate_wait(-1, 1, 300)


@given(aheads, counter_counts, service_seconds)
def test_ranges_are_sane(ahead: int, counters: int, seconds: float) -> None:
    e = estimate_wait(ahead, counters, seconds)
    assert e.ahead == ahead
    assert 0 <= e.minutes_min < e.minutes_max
    expected = ahead * seconds / max(1, counters) / 60
    assert e.minutes_min <= expected <= e.minutes_max  # the honest figure is inside the range


@given(aheads, counter_counts, service_seconds)
def test_each_place_further_back_waits_no_less_and_less_surely(ahead: int, counters: int, seconds: float) -> None:
    """The visitor behind sees a range that starts and ends no earlier and is no narrower."""
    e = estimate_wait(ahead, counters, seconds)
    behind = estimate_wait(ahead + 1, counters, seconds)
    assert behind.minutes_min >= e.minutes_min
    assert behind.minutes_max >= e.minutes_max
    assert behind.minutes_max - behind.minutes_min >= e.minutes_max - e.minutes_min


def test_ranges_widen_down_the_line_at_the_demo_pace() -> None:
    widths = [estimate_wait(a, 2, 300).minutes_max - estimate_wait(a, 2, 300).minutes_min for a in range(60)]
    assert widths == sorted(widths)
    assert widths[-1] > widths[1]


@given(aheads, st.integers(1, 12), service_seconds)
def test_another_open_counter_never_lengthens_the_wait(ahead: int, counters: int, seconds: float) -> None:
    e = estimate_wait(ahead, counters, seconds)
    more = estimate_wait(ahead, counters + 1, seconds)
    assert more.minutes_max <= e.minutes_max
    assert more.minutes_min <= e.minutes_min


@given(aheads, counter_counts, service_seconds)
def test_long_waits_are_rounded_to_five_minutes(ahead: int, counters: int, seconds: float) -> None:
    e = estimate_wait(ahead, counters, seconds)
    if e.minutes_max >= 30:
        assert e.minutes_min % 5 == 0 and e.minutes_max % 5 == 0


def test_one_very_long_visit_does_not_triple_the_estimate() -> None:
    s = 300.0
    s = smoothed_service_time(s, 3600)
    assert s < 300 * 1.5
    for _ in range(20):  # a real change of pace is followed
        s = smoothed_service_time(s, 600)
    assert 550 < s <= 600


@given(st.floats(1, 3600), st.floats(0, 100_000))
def test_each_sample_moves_the_average_a_bounded_step(previous: float, sample: float) -> None:
    s = smoothed_service_time(previous, sample)
    assert min(previous, sample) <= s + 1e-9
    assert s <= previous * (1 - ALPHA + ALPHA * OUTLIER_FACTOR) + 1e-9  # at most +40 % per visit


def test_first_visit_sets_the_pace_and_negative_times_are_refused() -> None:
    assert smoothed_service_time(None, 420) == 420
    with pytest.raises(ValueError):
        smoothed_service_time(300, -1)
