"""The queue's use cases on a real SQLite store: what visitors and staff see happen."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.domain.errors import (
    AlreadyTaken,
    CounterBusy,
    CounterClosed,
    NoShowTooEarly,
    ServiceNotHandled,
    TicketNotFound,
    TicketStateError,
    UnknownService,
)
from kiosk.services.queue import QueueService
from tests.conftest import Clock


def test_numbers_run_per_service_and_day(queue: QueueService) -> None:
    numbers = [queue.issue_ticket(code).number for code in "AABAC"]
    assert numbers == ["A-001", "A-002", "B-001", "A-003", "C-001"]


def test_issue_tells_the_place_in_line_and_wait(queue: QueueService) -> None:
    queue.issue_ticket("A")
    queue.issue_ticket("A")
    ordinary = queue.issue_ticket("A")
    priority = queue.issue_ticket("A", "disabled")
    assert (ordinary.position, ordinary.ahead) == (3, 2)
    assert (priority.position, priority.ahead, priority.priority) == (1, 0, "disabled")
    assert ordinary.wait_min is not None and ordinary.wait_max is not None
    assert 0 <= ordinary.wait_min < ordinary.wait_max
    assert queue.ticket(ordinary.id).ahead == 3  # the priority visitor now goes first


def test_priority_is_called_before_ordinary_across_handled_services(queue: QueueService, clock: Clock) -> None:
    early = queue.issue_ticket("A")
    clock.advance(minutes=1)
    late_priority = queue.issue_ticket("B", "pregnant")
    called = queue.call_next(1)
    assert called is not None and called.id == late_priority.id and called.counter == 1
    queue.complete(called.id)
    again = queue.call_next(1)
    assert again is not None and again.id == early.id


def test_counter_only_calls_its_services(queue: QueueService) -> None:
    queue.set_counter_services(2, ["B"])
    queue.issue_ticket("A", "elderly")
    assert queue.call_next(2) is None
    b = queue.issue_ticket("B")
    called = queue.call_next(2)
    assert called is not None and called.id == b.id


def test_call_next_on_closed_or_busy_counter_is_refused(queue: QueueService) -> None:
    queue.issue_ticket("A")
    queue.issue_ticket("A")
    queue.close_counter(4)
    with pytest.raises(CounterClosed):
        queue.call_next(4)
    queue.call_next(1)
    with pytest.raises(CounterBusy):
        queue.call_next(1)
    with pytest.raises(CounterBusy):
        queue.close_counter(1)


def test_complete_and_call_next_is_one_step_that_loses_nobody(queue: QueueService, clock: Clock) -> None:
    first = queue.issue_ticket("A")
    second = queue.issue_ticket("A")
    assert queue.call_next(1, finish_current=True).id == first.id  # type: ignore[union-attr]  # nobody to finish
    clock.advance(minutes=4)
    called = queue.call_next(1, finish_current=True)
    assert called is not None and called.id == second.id and called.counter == 1
    assert queue.ticket(first.id).status == "completed"
    assert [kind for kind, *_ in queue.history(first.id)][-1] == "ticket.completed"
    # Nobody left: the visitor at the counter is still completed.
    assert queue.call_next(1, finish_current=True) is None
    assert queue.ticket(second.id).status == "completed"
    assert queue.counter(1).current is None


def test_first_counter_to_accept_takes_the_priority_visitor(queue: QueueService) -> None:
    t = queue.issue_ticket("C", "infant")
    assert [a.id for a in queue.priority_alerts(1)] == [t.id]
    assert [a.id for a in queue.priority_alerts(2)] == [t.id]
    taken = queue.accept_priority(t.id, 2)
    assert taken.counter == 2 and taken.status == "called"
    assert queue.priority_alerts(1) == []
    with pytest.raises(AlreadyTaken) as info:
        queue.accept_priority(t.id, 1)
    assert info.value.params["counter"] == 2
    assert [kind for kind, *_ in queue.history(t.id)] == ["ticket.issued", "ticket.accepted"]


def test_accept_checks_the_counter_handles_the_service(queue: QueueService) -> None:
    queue.set_counter_services(3, ["A"])
    t = queue.issue_ticket("B", "elderly")
    assert queue.priority_alerts(3) == []
    with pytest.raises(ServiceNotHandled):
        queue.accept_priority(t.id, 3)


def test_recall_no_show_returns_once_then_expires(queue: QueueService, clock: Clock) -> None:
    first = queue.issue_ticket("A")
    second = queue.issue_ticket("A")
    queue.call_next(1)
    clock.advance(minutes=3)
    with pytest.raises(NoShowTooEarly):
        queue.no_show(first.id)
    queue.recall(first.id)
    assert queue.recall(first.id).recall_count == 2
    back = queue.no_show(first.id)
    assert back.status == "waiting" and back.position == 2  # behind the visitor who came after
    nxt = queue.call_next(1)
    assert nxt is not None and nxt.id == second.id
    queue.complete(second.id)
    assert queue.call_next(1).id == first.id  # type: ignore[union-attr]
    queue.recall(first.id)
    queue.recall(first.id)
    assert queue.no_show(first.id).status == "expired"
    assert queue.call_next(1) is None


def test_transfer_keeps_number_and_issue_time(queue: QueueService, clock: Clock) -> None:
    a = queue.issue_ticket("A")
    clock.advance(minutes=5)
    b_waiting = queue.issue_ticket("B")
    queue.call_next(1)
    moved = queue.transfer(a.id, "B")
    assert (moved.number, moved.service, moved.status, moved.issued_at) == ("A-001", "B", "waiting", a.issued_at)
    assert [t.id for t in queue.queue("B")] == [a.id, b_waiting.id]  # earlier issue time keeps its place
    with pytest.raises(UnknownService):
        queue.transfer(a.id, "Z")


def test_hold_and_resume(queue: QueueService) -> None:
    a = queue.issue_ticket("A")
    queue.call_next(1)
    queue.hold(a.id)
    assert [h.id for h in queue.held()] == [a.id]
    assert queue.counter(1).current is None
    queue.resume(a.id)
    assert [t.id for t in queue.queue()] == [a.id]


def test_double_tap_issues_one_ticket(queue: QueueService) -> None:
    first = queue.issue_ticket("A", request_key="visit-1")
    second = queue.issue_ticket("A", request_key="visit-1")
    assert first.id == second.id
    assert queue.today_counts()["issued"] == 1


def test_unknown_references_have_clear_errors(queue: QueueService) -> None:
    with pytest.raises(UnknownService):
        queue.issue_ticket("Z")
    with pytest.raises(TicketNotFound):
        queue.complete("A-999")
    t = queue.issue_ticket("A")
    with pytest.raises(TicketStateError):
        queue.complete(t.id)
    assert queue.ticket("a-001").id == t.id  # today's number works as a reference


def test_service_time_learns_from_completed_visits(queue: QueueService, clock: Clock) -> None:
    for _ in range(4):
        queue.issue_ticket("A")
    before = next(s for s in queue.services() if s.code == "A")
    for _ in range(3):
        t = queue.call_next(1)
        assert t is not None
        clock.advance(minutes=20)
        queue.complete(t.id)
    for _ in range(3):
        queue.issue_ticket("A")
    after = next(s for s in queue.services() if s.code == "A")
    assert after.waiting == before.waiting
    assert after.wait_max > before.wait_max  # 20-minute visits lengthen the estimate


def test_every_change_is_an_event_with_who_and_what(queue: QueueService) -> None:
    t = queue.issue_ticket("A")
    queue.call_next(1, actor="counter:1")
    queue.start(t.id, actor="staff:kim")
    queue.complete(t.id, actor="staff:kim")
    history = queue.history(t.id)
    assert [(kind, actor) for kind, _at, actor, _data in history] == [
        ("ticket.issued", "kiosk"),
        ("ticket.called", "counter:1"),
        ("ticket.started", "staff:kim"),
        ("ticket.completed", "staff:kim"),
    ]
    assert history[1][3]["counter"] == 1


def test_board_shows_latest_call_first_and_recalls(queue: QueueService) -> None:
    a = queue.issue_ticket("A")
    b = queue.issue_ticket("B")
    queue.call_next(1)
    queue.call_next(2)
    board = queue.board()
    assert board.current is not None and board.current.number == b.number and board.current.counter == 2
    assert [c.number for c in board.history] == [a.number]
    queue.recall(a.id)
    board = queue.board()
    assert board.current is not None and board.current.number == a.number
    assert [c.number for c in board.history] == [b.number]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(["issue", "call", "no_show", "transfer"]), st.sampled_from("ABC"), st.booleans()),
        max_size=25,
    )
)
def test_store_order_matches_the_pure_policy(queue: QueueService, ops: list[tuple[str, str, bool]]) -> None:
    """Whatever happened, the store's queue order is the pure policy's order over the same tickets."""
    for counter in (1, 2, 3, 4):
        current = queue.counter(counter).current
        if current is not None:
            queue.complete(current.id)
    for op, code, flag in ops:
        if op == "issue":
            queue.issue_ticket(code, "elderly" if flag else None)
        elif op == "call":
            counter = 1 if flag else 2
            current = queue.counter(counter).current
            if current is not None:
                queue.complete(current.id)
            expected = [t for t in queue.queue() if t.service in queue.counter(counter).services]
            called = queue.call_next(counter)
            assert (called.id if called else None) == (expected[0].id if expected else None)
        elif op == "transfer":
            waiting = queue.queue()
            if waiting:
                target = "B" if waiting[-1].service != "B" else "C"
                queue.transfer(waiting[-1].id, target)
    order = queue.queue()
    classes = [t.priority is None for t in order]
    assert classes == sorted(classes)  # every priority visitor before every ordinary one
    ids = [t.id for t in order]
    assert len(ids) == len(set(ids))
