"""Tickets left waiting when the business day ends do not haunt the next day's queue."""

from __future__ import annotations

from kiosk.services.queue import QueueService
from tests.conftest import Clock


def test_yesterdays_waiting_tickets_expire_and_numbers_restart(queue: QueueService, clock: Clock) -> None:
    first = queue.issue_ticket("A")
    held = queue.issue_ticket("A", "elderly")
    queue.hold(held.id)
    assert [t.number for t in queue.queue("A")] == ["A-001"]

    clock.advance(days=1)  # 10:00 KST the next day
    today = queue.issue_ticket("A")

    assert today.number == "A-001"
    assert [t.id for t in queue.queue("A")] == [today.id]
    assert queue.ticket(first.id).status == "expired"
    assert queue.ticket(held.id).status == "expired"
    assert [kind for kind, *_ in queue.history(first.id)] == ["ticket.issued", "ticket.expired"]
    called = queue.call_next(1)
    assert called is not None and called.id == today.id


def test_before_the_boundary_the_day_goes_on(queue: QueueService, clock: Clock) -> None:
    clock.advance(hours=17, minutes=30)  # 03:30 KST next calendar day: still the same business day
    late = queue.issue_ticket("B")
    assert late.number == "B-001"
    clock.advance(minutes=40)  # 04:10 KST: a new business day
    assert queue.issue_ticket("B").number == "B-001"
    assert queue.ticket(late.id).status == "expired"
