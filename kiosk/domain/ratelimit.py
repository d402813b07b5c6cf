"""A sliding window of failures: the brake on guessing receipt + PIN pairs at one kiosk.

A receipt locks itself after five wrong PINs (``Feedback`` lookups), but someone trying one PIN
against many receipts never trips that; so a kiosk also counts every failed lookup, and after
``limit`` of them within ``window`` it answers nothing until the oldest leaves the window.
Plain data and arithmetic; the service holds one per process and guards it with a lock.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class FailureWindow:
    limit: int = 10
    window: timedelta = timedelta(minutes=10)
    _failures: deque[datetime] = field(default_factory=deque)

    def _forget(self, now: datetime) -> None:
        while self._failures and self._failures[0] <= now - self.window:
            self._failures.popleft()

    def blocked_until(self, now: datetime) -> datetime | None:
        """When lookups may start again, or ``None`` if they may now."""
        self._forget(now)
        if len(self._failures) < self.limit:
            return None
        return self._failures[len(self._failures) - self.limit] + self.window

    def record(self, now: datetime) -> None:
        self._forget(now)
        self._failures.append(now)
