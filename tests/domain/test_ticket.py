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


def _in_state(status: TicketStatus) -> Ticket:
    """A ticket brought to ``status`` by the legal path a real visitor's ticket takes."""
    t = ticket()
    if status is TicketStatus.WAITING:
        return t
    if status is TicketStatus.HELD:
        t.hold()
        return t
    if status is TicketStatus.EXPIRED:
        t.expire_unserved(T0)
        return t
    t.call(1, T0)
    if status is TicketStatus.SERVING:
        t.start(T0)
    elif status is TicketStatus.COMPLETED:
        t.complete(T0)
    return t


ACTIONS = {
    "call": lambda t: t.call(2, T0),
    "recall": lambda t: t.recall(),
    "start": lambda t: t.start(T0),
    "complete": lambda t: t.complete(T0),
    "no_show": lambda t: t.mark_no_show(T0, 0),
    "transfer": lambda t: t.transfer("B"),
    "hold": lambda t: t.hold(),
    "resume": lambda t: t.resume(),
    "expire": lambda t: t.expire_unserved(T0),
}
ALLOWED = {
    TicketStatus.WAITING: {"call", "transfer", "hold", "expire"},
    TicketStatus.CALLED: {"recall", "start", "complete", "no_show", "transfer", "hold"},
    TicketStatus.SERVING: {"complete", "transfer", "hold"},
    TicketStatus.HELD: {"transfer", "resume", "expire"},
    TicketStatus.COMPLETED: set(),
    TicketStatus.EXPIRED: set(),
}


@pytest.mark.parametrize("status", list(TicketStatus))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_transition_is_allowed_or_refused_without_a_trace(status: TicketStatus, action: str) -> None:
    t = _in_state(status)
    before = (t.status, t.counter, t.service_code, t.queued_at, len(t.events))
    if action in ALLOWED[status]:
        ACTIONS[action](t)
        assert len(t.events) == before[4] + 1  # each step is recorded once
    else:
        with pytest.raises(TicketStateError) as info:
            ACTIONS[action](t)
        assert info.value.params["status"] == status.value  # the message can say why
        assert (t.status, t.counter, t.service_code, t.queued_at, len(t.events)) == before


def test_recall_counts_and_call_resets_the_count() -> None:
    t = ticket()
    t.call(1, T0)
    t.recall()
    t.recall()
    assert t.recall_count == 2
    t.hold()
    t.resume()
    t.call(2, T0)
    assert (t.recall_count, t.counter) == (0, 2)


def test_complete_without_start_counts_the_visit_from_the_call() -> None:
    t = ticket()
    called = T0 + timedelta(minutes=7)
    t.call(1, called)
    t.complete(called + timedelta(minutes=4))
    assert t.started_at == called and t.completed_at == called + timedelta(minutes=4)


def test_priority_reason_is_kept_through_transfer_and_hold() -> None:
    t = ticket(PriorityReason.DISABLED)
    assert t.is_priority
    t.transfer("C")
    t.hold()
    t.resume()
    assert (t.priority, t.service_code, t.queued_at) == (PriorityReason.DISABLED, "C", T0)


def test_no_show_return_goes_behind_those_who_came_later_but_keeps_the_number() -> None:
    t = ticket()
    t.call(1, T0 + timedelta(minutes=1))
    t.recall()
    back = T0 + timedelta(minutes=9)
    t.mark_no_show(back, recalls_required=1)
    assert (t.number, t.issued_at, t.queued_at, t.no_show_count) == ("A-001", T0, back, 1)
    assert t.events[-1] == ("ticket.no_show", {"counter": 1, "returned": True})


def test_transfer_after_a_no_show_return_restores_the_original_place() -> None:
    t = ticket()
    t.call(1, T0)
    t.mark_no_show(T0 + timedelta(minutes=30), recalls_required=0)
    t.transfer("B")
    assert t.queued_at == T0


def test_expired_tickets_record_their_business_day() -> None:
    t = ticket()
    t.expire_unserved(T0 + timedelta(days=1))
    assert t.status == TicketStatus.EXPIRED
    assert t.events[-1] == ("ticket.expired", {"business_day": "2026-11-25"})
