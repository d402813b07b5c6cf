"""The calling policy (S6): priority visitors first, then first come first served — for every sequence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.priority import ahead_of, call_order, next_ticket, queue_key
from kiosk.domain.ticket import PriorityReason, Ticket, TicketStatus

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


# -- a whole morning at the counters, on the domain's own tickets ------------------------------

COUNTERS = 3
RECALLS = 2

morning_ops = st.lists(
    st.one_of(
        st.tuples(st.just("issue"), st.sampled_from(SERVICES), st.booleans()),
        st.tuples(st.just("call"), st.integers(0, COUNTERS - 1), handled_sets),
        st.tuples(st.just("complete"), st.integers(0, COUNTERS - 1), st.none()),
        st.tuples(st.just("no_show"), st.integers(0, COUNTERS - 1), st.none()),
        st.tuples(st.just("transfer"), st.integers(0, COUNTERS - 1), st.sampled_from(SERVICES)),
        st.tuples(st.just("hold"), st.integers(0, COUNTERS - 1), st.none()),
        st.tuples(st.just("resume"), st.integers(0, 50), st.none()),
        st.tuples(st.just("wait"), st.integers(0, 300), st.none()),
    ),
    max_size=80,
)


def _check_call(chosen: Ticket | None, waiting: list[Ticket], handled: frozenset[str], requeued: set[int]) -> None:
    eligible = [t for t in waiting if t.service_code in handled]
    if chosen is None:
        assert eligible == []
        return
    assert chosen.status is TicketStatus.WAITING and chosen.service_code in handled
    # S6: nobody ordinary is called while a priority visitor for this counter's services waits
    assert chosen.is_priority or not any(t.is_priority for t in eligible)
    # within a class, first issued is first called (for tickets that never went back to the line)
    if chosen.id not in requeued:
        assert not any(
            t.id < chosen.id and t.is_priority == chosen.is_priority and t.id not in requeued for t in eligible
        )
    # the heads of the (service, class) lines decide exactly like the whole line
    heads = []
    for service in SERVICES:
        for cls in (True, False):
            line = sorted((t for t in waiting if t.service_code == service and t.is_priority == cls), key=queue_key)
            heads.extend(line[:1])
    assert next_ticket(heads, handled) is chosen


@settings(max_examples=300)
@given(morning_ops)
def test_a_morning_of_calls_no_shows_transfers_and_holds_keeps_the_promises(
    ops: list[tuple[str, object, object]],
) -> None:
    now = T0
    tickets: list[Ticket] = []
    at_counter: list[Ticket | None] = [None] * COUNTERS
    held: list[Ticket] = []
    requeued: set[int] = set()  # went back to the line (no-show, transfer, hold): may be called again
    calls: dict[int, int] = {}
    for op, arg, extra in ops:
        waiting = [t for t in tickets if t.status is TicketStatus.WAITING]
        if op == "issue":
            reason = PriorityReason.ELDERLY if extra else None
            tid = len(tickets) + 1
            tickets.append(Ticket(tid, f"{arg}-{tid:03d}", str(arg), reason, TicketStatus.WAITING, now, now))
        elif op == "wait":
            now += timedelta(seconds=int(str(arg)))
        elif op == "call":
            n = int(str(arg))
            if at_counter[n] is not None:
                continue  # a busy counter cannot call (the service refuses: CounterBusy)
            handled = frozenset(extra) if isinstance(extra, (set, frozenset)) else frozenset()
            chosen = next_ticket(waiting, handled)
            _check_call(chosen, waiting, handled, requeued)
            if chosen is not None:
                assert all(chosen is not t for t in at_counter)  # never at two counters
                chosen.call(n, now)
                calls[chosen.id] = calls.get(chosen.id, 0) + 1
                at_counter[n] = chosen
        elif op == "resume":
            if held:
                t = held.pop(int(str(arg)) % len(held))
                t.resume()
        else:
            n = int(str(arg))
            current = at_counter[n]
            if current is None:
                continue
            at_counter[n] = None
            if op == "complete":
                current.complete(now)
            elif op == "no_show":
                for _ in range(RECALLS):
                    current.recall()
                current.mark_no_show(now, RECALLS)
                requeued.add(current.id)
            elif op == "transfer":
                if extra == current.service_code:
                    at_counter[n] = current  # same duty: nothing to transfer
                    continue
                current.transfer(str(extra))
                assert current.queued_at == current.issued_at
                requeued.add(current.id)
            elif op == "hold":
                current.hold()
                held.append(current)
                requeued.add(current.id)
    for tid, count in calls.items():
        assert tid in requeued or count == 1, f"ticket {tid} called {count} times"
    waiting = [t for t in tickets if t.status is TicketStatus.WAITING]
    for handled in ({"A"}, {"B", "C"}, set(SERVICES)):
        remaining, called = list(waiting), []
        while (t := next_ticket(remaining, handled)) is not None:
            called.append(t)
            remaining.remove(t)
        assert called == call_order(waiting, handled)


@given(tickets.flatmap(lambda ws: st.tuples(st.just(ws), st.permutations(ws))))
def test_call_order_is_total_whatever_order_the_store_returns_rows(pair: tuple[list[Waiting], list[Waiting]]) -> None:
    """Same tickets, any row order from the database: one calling order (ties broken by issue sequence)."""
    original, shuffled = pair
    assert [t.id for t in call_order(shuffled)] == [t.id for t in call_order(original)]
    for handled in ({"A"}, {"A", "B"}):
        assert [t.id for t in call_order(shuffled, handled)] == [t.id for t in call_order(original, handled)]


def test_same_minute_tickets_keep_issue_sequence() -> None:
    same = [Waiting(i, "A", False, T0) for i in (5, 2, 9, 1)]
    assert [t.id for t in call_order(same)] == [1, 2, 5, 9]
    assert next_ticket(same, ["A"]) is same[3]
    assert ahead_of(same[2], same) == 3
