"""Wait estimates shown on the kiosk and on the ticket.

The estimate is honest about its uncertainty: a range in whole minutes, widened as it grows,
never a fake "7 min 23 s". It comes from the number of visitors ahead (priority-aware), the
counters open for the service, and a smoothed service time that resists outliers (a visitor
who kept a counter busy for an hour must not triple every estimate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_SERVICE_SECONDS = 300.0
ALPHA = 0.2
OUTLIER_FACTOR = 3.0


@dataclass(frozen=True)
class WaitEstimate:
    ahead: int
    minutes_min: int
    minutes_max: int


def smoothed_service_time(previous: float | None, sample_seconds: float) -> float:
    """Exponentially weighted service time, each sample clipped to 3x the current figure.

    Clipping makes the average behave like a running median for the rare very long case,
    while a real, lasting change of pace still moves it within a few visitors.
    """
    if sample_seconds < 0:
        raise ValueError("service time cannot be negative")
    if previous is None:
        return sample_seconds
    clipped = min(sample_seconds, previous * OUTLIER_FACTOR)
    return ALPHA * clipped + (1 - ALPHA) * previous


def _round_up(value: float, step: int) -> int:
    return int(math.ceil(value / step) * step)


def estimate_wait(ahead: int, open_counters: int, service_seconds: float | None) -> WaitEstimate:
    """A range of minutes until a ticket with ``ahead`` visitors before it is called.

    With no counter open the estimate assumes one will open (the office is staffed); the
    screens say separately when no counter is open.
    """
    if ahead < 0:
        raise ValueError("ahead cannot be negative")
    per_visitor = service_seconds if service_seconds and service_seconds > 0 else DEFAULT_SERVICE_SECONDS
    counters = max(1, open_counters)
    expected_min = ahead * per_visitor / counters / 60.0
    # The range is built from its lower end and its width (about 0.6x the expected wait), each
    # rounded on its own: rounding both ends independently made the range narrower for the
    # visitor one place further back (15~40 then 20~40 minutes), not wider.
    low = math.floor(expected_min * 0.7)
    high = low + math.ceil(expected_min * 0.6)
    if high >= 30:
        low = int(math.floor(low / 5) * 5)
        high = low + _round_up(expected_min * 0.6, 5)
    high = max(high, low + 1 if ahead == 0 else low + 2)
    return WaitEstimate(ahead=ahead, minutes_min=low, minutes_max=high)
