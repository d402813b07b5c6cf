"""A believable morning for the demo: a few visitors already waiting when the screens open."""

from __future__ import annotations

from kiosk.services.queue import QueueService

_MORNING = (("A", None), ("B", None), ("A", "elderly"), ("C", None), ("B", None), ("A", None))


def seed_waiting_visitors(queue: QueueService) -> int:
    """Issue the sample tickets once per business day; returns how many were issued."""
    if queue.today_counts()["issued"]:
        return 0
    codes = {s.code for s in queue.services()}
    issued = 0
    for code, priority in _MORNING:
        if code in codes:
            queue.issue_ticket(code, priority, actor="demo")
            issued += 1
    return issued
