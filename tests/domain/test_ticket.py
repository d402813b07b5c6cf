"""A ticket's life: waiting → called → serving → completed, and the detours staff take."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.domain.errors import NoShowTooEarly, TicketStateError
from kiosk.domain.ticket import PriorityReason, Ticket, TicketStatus, format_number

T0 = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def ticket(priority: PriorityReason | None = None) -> Ticket:
    return Ticket(1, "A-001", "A", priority, TicketStatus.WAITING, T0, T0, "2026-11-25")


def test_numbers_have_the_service_letter_and_three_digits() -> None:
    assert format_number("A", 1) == "A-001"
    assert format_number("B", 42) == "B-042"
    assert format_number("C", 1234) == "C-1234"


def test_normal_life_cycle_records_each_step() -> None:
    t = ticket()
    t.call(3, T0 + timedelta(minutes=5))
    t.recall()
    t.start(T0 + timedelta(minutes=6))
    t.complete(T0 + timedelta(minutes=10))
    assert t.status == TicketStatus.COMPLETED
    assert [kind for kind, _ in t.events] == ["ticket.called", "ticket.recalled", "ticket.started", "ticket.completed"]
    assert t.counter == 3


def test_a_ticket_cannot_be_called_twice() -> None:
    t = ticket()
    t.call(1, T0)
    with pytest.raises(TicketStateError):
        t.call(2, T0)
    assert t.counter == 1


def test_completing_a_waiting_ticket_is_refused() -> None:
    with pytest.raises(TicketStateError):
        ticket().complete(T0)


def test_no_show_needs_the_recalls_then_returns_once_then_expires() -> None:
    t = ticket()
    t.call(1, T0)
    with pytest.raises(NoShowTooEarly):
        t.mark_no_show(T0, recalls_required=2)
    t.recall()
    t.recall()
    later = T0 + timedelta(minutes=3)
    t.mark_no_show(later, recalls_required=2)
    assert t.status == TicketStatus.WAITING
    assert t.queued_at == later  # back of the line, not the front
    assert t.counter is None
    t.call(2, later)
    t.recall()
    t.recall()
    t.mark_no_show(later, recalls_required=2)
    assert t.status == TicketStatus.EXPIRED


def test_transfer_keeps_the_original_issue_time() -> None:
    t = ticket()
    t.call(1, T0 + timedelta(minutes=20))
    t.transfer("B")
    assert (t.service_code, t.status, t.queued_at, t.counter) == ("B", TicketStatus.WAITING, T0, None)
    with pytest.raises(TicketStateError):
        t.transfer("B")


def test_hold_and_resume_keep_the_place() -> None:
    t = ticket()
    t.call(1, T0)
    t.hold()
    assert t.status == TicketStatus.HELD and t.counter is None
    t.resume()
    assert t.status == TicketStatus.WAITING and t.queued_at == T0


def test_finished_tickets_cannot_be_resurrected() -> None:
    t = ticket()
    t.call(1, T0)
    t.complete(T0)
    for action in (t.recall, t.hold, t.resume, lambda: t.transfer("B"), lambda: t.start(T0)):
        with pytest.raises(TicketStateError):
            action()
