"""The calling policy (S6): priority visitors first, then first come first served — for every sequence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.priority import ahead_of, call_order, next_ticket, queue_key

T0 = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
SERVICES = ("A", "B", "C")


@dataclass
class Waiting:
    id: int
    service_code: str
    is_priority: bool
    queued_at: datetime


def _ticket(i: int, service: str, priority: bool, minute: int = 0) -> Waiting:
    return Waiting(i, service, priority, T0 + timedelta(minutes=minute if minute else i))


tickets = st.lists(
    st.tuples(st.sampled_from(SERVICES), st.booleans(), st.integers(0, 30)), min_size=0, max_size=40
).map(lambda rows: [_ticket(i + 1, s, p, m) for i, (s, p, m) in enumerate(rows)])
handled_sets = st.sets(st.sampled_from(SERVICES), min_size=1)


def test_priority_visitor_goes_before_earlier_ordinary_visitors() -> None:
    waiting = [_ticket(1, "A", False), _ticket(2, "A", False), _ticket(3, "A", True)]
    assert next_ticket(waiting, ["A"]) is waiting[2]
    assert [t.id for t in call_order(waiting)] == [3, 1, 2]


def test_counter_only_calls_services_it_handles() -> None:
    waiting = [_ticket(1, "B", True), _ticket(2, "A", False)]
    assert next_ticket(waiting, ["A"]) is waiting[1]
    assert next_ticket(waiting, ["C"]) is None


def test_ahead_counts_only_the_same_service_and_respects_priority() -> None:
    waiting = [_ticket(1, "A", False), _ticket(2, "B", False), _ticket(3, "A", True), _ticket(4, "A", False)]
    assert ahead_of(waiting[3], waiting) == 2  # the priority visitor and the earlier ordinary one
    assert ahead_of(waiting[2], waiting) == 0


@given(tickets, handled_sets)
def test_no_ordinary_ticket_called_while_priority_waits(waiting: list[Waiting], handled: set[str]) -> None:
    chosen = next_ticket(waiting, handled)
    eligible = [t for t in waiting if t.service_code in handled]
    if chosen is None:
        assert eligible == []
        return
    assert chosen.service_code in handled
    if any(t.is_priority for t in eligible):
        assert chosen.is_priority
    same_class = [t for t in eligible if t.is_priority == chosen.is_priority]
    assert chosen.queued_at == min(t.queued_at for t in same_class)


@given(tickets, handled_sets)
def test_heads_of_each_line_decide_like_the_whole_set(waiting: list[Waiting], handled: set[str]) -> None:
    """The store loads only the first ticket of each (service, class) line; that must be enough."""
    heads = []
    for service in SERVICES:
        for cls in (True, False):
            line = sorted((t for t in waiting if t.service_code == service and t.is_priority == cls), key=queue_key)
            heads.extend(line[:1])
    assert next_ticket(heads, handled) is next_ticket(waiting, handled)


@given(tickets, handled_sets)
def test_call_order_is_the_sequence_of_next_tickets(waiting: list[Waiting], handled: set[str]) -> None:
    remaining = list(waiting)
    called = []
    while (t := next_ticket(remaining, handled)) is not None:
        called.append(t)
        remaining.remove(t)
    assert called == call_order(waiting, handled)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("issue"), st.sampled_from(SERVICES), st.booleans()),
        st.tuples(st.just("call"), handled_sets, st.just(False)),
    ),
    max_size=60,
)


@settings(max_examples=300)
@given(operations)
def test_any_sequence_of_issues_and_calls_keeps_the_promises(ops: list[tuple[object, object, bool]]) -> None:
    waiting: list[Waiting] = []
    called_ids: list[int] = []
    issued = 0
    for op, arg, priority in ops:
        if op == "issue":
            issued += 1
            waiting.append(_ticket(issued, str(arg), priority))
            continue
        handled = arg if isinstance(arg, set) else set()
        chosen = next_ticket(waiting, handled)
        if chosen is None:
            assert not any(t.service_code in handled for t in waiting)
            continue
        # S6: nobody ordinary is called while a priority visitor for this counter waits
        assert chosen.is_priority or not any(t.is_priority and t.service_code in handled for t in waiting)
        # within a class and service line, issue order
        assert not any(
            t.service_code == chosen.service_code and t.is_priority == chosen.is_priority and t.id < chosen.id
            for t in waiting
        )
        assert chosen.id not in called_ids  # never called twice
        called_ids.append(chosen.id)
        waiting.remove(chosen)
