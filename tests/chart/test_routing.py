"""S3 end to end on the real store: when the person in charge is away, a colleague takes the ticket,
or the visitor is told the wait until the return; the wait estimate counts only who is in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.bootstrap import App
from kiosk.domain.presence import Presence, PresenceState
from kiosk.domain.routing import routing, wait_until_return
from kiosk.domain.wait import estimate_wait
from kiosk.services.chart import ChartService
from kiosk.services.queue import QueueService
from tests.conftest import Clock
from tests.core.test_cli import ok


def _dedicated(queue: QueueService) -> None:
    """Counters as the demo office's desks hold them: 1-2 permits (A), 3 payments (B), 4 enquiries (C)."""
    for number, services in ((1, ["A"]), (2, ["A"]), (3, ["B"]), (4, ["C"])):
        queue.set_counter_services(number, services)


def _charts(app: App) -> ChartService:
    assert app.charts is not None
    return app.charts


def test_a_present_delegate_s_counter_takes_an_absent_holder_s_service(app: App, clock: Clock) -> None:
    queue, charts = app.queue, _charts(app)
    _dedicated(queue)
    ticket = queue.issue_ticket("B")
    assert queue.call_next(4) is None  # counter 4 (general enquiries) does not call payments...

    charts.set_presence(
        "park-jimin", "away", destination="본사 회의", until=clock() + timedelta(hours=2)
    )  # ...until the payments officer leaves: her delegate for payments sits at counter 4
    called = queue.call_next(4)
    assert called is not None and (called.number, called.counter) == (ticket.number, 4)

    charts.set_presence("park-jimin", "present")
    queue.complete(called.id)
    queue.issue_ticket("B")
    assert queue.call_next(4) is None  # she is back: payments are hers again
    assert queue.call_next(3) is not None


def test_a_service_nobody_in_can_handle_waits_for_the_holder_s_return(app: App, clock: Clock) -> None:
    queue, charts = app.queue, _charts(app)
    _dedicated(queue)
    before = next(s for s in queue.services() if s.code == "C")
    assert before.open_counters == [4] and before.back_at is None and before.absent == []

    back = clock() + timedelta(minutes=90)
    charts.set_presence("choi-yuna", "meeting", destination="3층 회의실", until=back)
    # Both of her duties' delegates (Han, Jung) work in the back office, with no counter.
    c = next(s for s in queue.services() if s.code == "C")
    assert c.open_counters == [] and c.back_at == back
    assert c.wait_min >= 90  # not "0-1 minutes" at a counter nobody is at
    assert {a.duty for a in c.absent} == {"general", "complaints"}
    assert all(a.delegate_counter is None and a.state == "meeting" for a in c.absent)
    assert {a.delegate_desk for a in c.absent} == {"B1", "B2"}  # who to ask meanwhile

    ticket = queue.issue_ticket("C")
    assert ticket.wait_min is not None and ticket.wait_min >= 90
    clock.advance(minutes=60)
    assert 30 <= (queue.ticket(ticket.id).wait_min or 0) < 90  # the wait shrinks as the return nears


def test_the_wait_counts_only_counters_whose_person_is_in(app: App, clock: Clock) -> None:
    queue, charts = app.queue, _charts(app)
    for _ in range(8):
        queue.issue_ticket("A")
    all_in = next(s for s in queue.services() if s.code == "A")
    assert all_in.open_counters == [1, 2, 3, 4]  # the demo: every counter takes every service
    charts.set_presence("kim-seoyeon", "away", destination="현장 점검", until=clock() + timedelta(hours=1))
    charts.set_presence("lee-junho", "leave", until=clock() + timedelta(days=1))
    two_in = next(s for s in queue.services() if s.code == "A")
    assert two_in.open_counters == [3, 4]
    assert two_in.wait_max > all_in.wait_max
    assert {a.holder_en for a in two_in.absent} == {"Kim Seo-yeon", "Lee Jun-ho"}
    # Kim's permits fall to Lee, who is on leave: nobody at a counter stands in for them.
    permits = next(a for a in two_in.absent if a.duty == "permits")
    assert permits.delegate_ko is None and permits.delegate_counter is None


def test_routing_rules_without_a_store(app: App, clock: Clock) -> None:
    chart = _charts(app).chart()
    assert chart is not None
    now = clock()
    away = {"park-jimin": Presence("park-jimin", PresenceState.AWAY, "본사", "02-1", now + timedelta(hours=1))}
    r = routing(chart, away)
    assert r.away_counters == {3}
    assert r.services_for(4, ["C"]) == ["C", "B"]  # payments' delegate, Choi, sits at counter 4
    assert r.services_for(4, ["C", "B"]) == ["C", "B"]  # never twice
    assert r.services_for(1, ["A"]) == ["A"]
    refunds = next(a for a in r.absences["B"] if a.cover.duty.id == "refunds")
    assert refunds.delegate_counter is None and refunds.delegate_desk == "B2"  # Han, back office
    assert routing(chart, {}).absences == {} and routing(None, away).delegated == {}

    est = estimate_wait(3, 1, 300)
    shifted = wait_until_return(est, now, now + timedelta(minutes=40))
    assert (shifted.minutes_min, shifted.minutes_max) == (est.minutes_min + 40, est.minutes_max + 40)
    assert wait_until_return(est, now, now - timedelta(minutes=5)) == est  # overdue: no extra wait
    assert wait_until_return(est, now, None) == est


def test_the_cli_lists_who_is_away_for_each_service(tmp_path: Path) -> None:
    until = (datetime.now(UTC) + timedelta(hours=3)).isoformat(timespec="minutes")
    ok(tmp_path, "presence", "set", "choi-yuna", "away", "--destination", "현장", "--until", until)
    c = next(s for s in ok(tmp_path, "service", "list") if s["code"] == "C")
    assert c["open_counters"] == [1, 2, 3]
    assert [a["holder_ko"] for a in c["absent"]] == ["최유나", "최유나"]
    assert all(a["back_at"].endswith("+00:00") for a in c["absent"])
    assert "contact" not in c["absent"][0]  # visitors' screens never get a staff member's number
