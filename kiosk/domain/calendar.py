"""The facility's business day: ticket numbers restart at the day boundary, not at midnight.

A counter office that works late (or a kiosk left on overnight) must not restart numbering at
00:00 in the middle of a shift; the boundary is configurable (default 04:00 local time).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def business_day(now: datetime, tz: ZoneInfo, day_starts_at: time) -> date:
    """The business day ``now`` (timezone-aware) belongs to in the facility's timezone."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(tz)
    day = local.date()
    if local.time() < day_starts_at:
        day -= timedelta(days=1)
    return day


def day_start(day: date, tz: ZoneInfo, day_starts_at: time) -> datetime:
    """The aware instant the business day ``day`` begins."""
    return datetime.combine(day, day_starts_at, tzinfo=tz)
