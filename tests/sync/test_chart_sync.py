"""Seat chart and presence on nodes of one facility: what staff change offline reaches everyone, once.

Staff at a node whose centre is away still move people between desks and mark colleagues away;
once the node is back, the central database (and so every other counter and screen) shows it,
and what others changed meanwhile shows up at the node. Last writer wins, by the time of the edit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from kiosk.bootstrap import App, bootstrap
from kiosk.config import load_config
from kiosk.domain.errors import StoreUnavailable
from kiosk.domain.presence import PresenceState
from kiosk.domain.seat_chart import SeatChart
from kiosk.paths import seat_chart_dir
from kiosk.services.chart import ChartService, ChartState
from kiosk.services.chart_file import read_chart
from kiosk.services.node import FailoverQueue
from kiosk.store import sync_store as ss
from kiosk.store.uow import SqlUnitOfWorkFactory
from tests.conftest import Clock
from tests.sync.proxy import TcpProxy

pytestmark = pytest.mark.postgres

KIM, LEE, HAN = "kim-seoyeon", "lee-junho", "han-soyoung"


def office() -> SeatChart:
    chart = read_chart((seat_chart_dir() / "service-center.toml").read_text(encoding="utf-8")).chart
    assert chart is not None
    return chart


def node(tmp_path: Path, name: str, central: str, clock: Clock) -> App:
    config = load_config(demo=True, data_dir=tmp_path / name, env={})
    return bootstrap(replace(config, central_url=central, node_id=name, node_tag=name.upper()), clock=clock)


def charts(app: App) -> ChartService:
    """A node's seat-chart API (the screens' view): the central store first, its own while offline."""
    assert app.charts is not None
    return app.charts


def failover(app: App) -> FailoverQueue:
    return cast(FailoverQueue, app.charts)


def own_store(app: App) -> ChartService:
    """The node's own copy, what it shows while the centre is away."""
    return cast(ChartService, failover(app).local)


def shown(service: ChartService) -> ChartState:
    state = service.state()
    assert state is not None
    return state


def staff_at(state: ChartState, desk: str) -> str | None:
    found = state.chart.desk(desk)
    assert found is not None
    return found.staff


@pytest.fixture
def central(postgres_url: str) -> Iterator[Engine]:
    engine = create_engine(postgres_url)
    yield engine
    engine.dispose()


def go_offline(app: App, proxy: TcpProxy) -> None:
    """The network to the centre goes down and the node's sync notices (as its background thread would)."""
    assert app.sync is not None
    proxy.cut()
    with pytest.raises(StoreUnavailable):
        app.sync.run_once()
    assert failover(app).online is False


def central_events(engine: Engine, kind: str) -> list[str]:
    """Which node each central event of ``kind`` came from (its ``node``, else its actor)."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT actor, data FROM events WHERE kind = :k ORDER BY id"), {"k": kind})
        return [str((data or {}).get("node") or actor) for actor, data in rows]


def test_away_and_a_desk_move_made_offline_reach_the_central_chart(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    kiosk = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    centre = ChartService(SqlUnitOfWorkFactory(central), clock)
    assert kiosk.sync is not None
    try:
        charts(kiosk).import_chart(office(), actor="admin")
        kiosk.sync.run_once()
        go_offline(kiosk, proxy)

        clock.advance(minutes=5)
        until = clock() + timedelta(hours=2)
        charts(kiosk).set_presence(KIM, "away", destination="본사 3층", until=until, actor="staff:1")
        charts(kiosk).assign_desk("B3", HAN, actor="staff:1")
        here = shown(own_store(kiosk))
        assert not here.presence_of(KIM).in_office and staff_at(here, "B3") == HAN  # the node shows it at once
        before = shown(centre)
        assert before.presence_of(KIM).in_office and staff_at(before, "B3") is None  # the centre cannot know yet
        assert kiosk.sync.status().pending == 2

        proxy.restore()
        report = kiosk.sync.run_once()
        assert (report.pushed, report.duplicates, report.pending, report.online) == (2, 0, 0, True)
        after = shown(centre)
        kim = after.presence_of(KIM)
        assert kim.state == PresenceState.AWAY and kim.destination == "본사 3층" and kim.until == until
        assert kim.contact == "02-3150-2101"  # the desk's number, as set on the node
        assert staff_at(after, "B3") == HAN and staff_at(after, "B2") is None
        assert after.version > before.version  # screens polling the centre redraw
        assert central_events(central, "presence.changed") == ["k1"]
        assert central_events(central, "chart.desk_assigned") == ["k1"]
        # Online again: the node's screens read the centre, which shows the same.
        assert staff_at(shown(charts(kiosk)), "B3") == HAN
    finally:
        kiosk.close()


def test_what_another_counter_changed_centrally_shows_at_a_node_once_it_reconnects(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, clock: Clock
) -> None:
    kiosk = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    counter = node(tmp_path, "c1", postgres_url, clock)
    assert kiosk.sync is not None
    try:
        charts(counter).import_chart(office(), actor="admin")
        assert kiosk.sync.run_once().pulled >= 1
        local = own_store(kiosk)
        assert staff_at(shown(local), "C1") == KIM  # the node holds the facility's chart for offline use
        go_offline(kiosk, proxy)

        clock.advance(minutes=3)
        charts(counter).set_presence(KIM, "leave", until=clock() + timedelta(days=1), actor="staff:2")
        charts(counter).assign_desk("B3", LEE, actor="staff:2")
        stale = shown(charts(kiosk))
        assert stale.presence_of(KIM).in_office and staff_at(stale, "B3") is None  # offline: its own copy

        proxy.restore()
        report = kiosk.sync.run_once()
        assert report.online and report.pulled >= 2
        here = shown(local)
        assert here.presence_of(KIM).state == PresenceState.LEAVE
        assert staff_at(here, "B3") == LEE and staff_at(here, "C2") is None
        assert here.version > stale.version  # the node's screens notice the new chart
        # Nothing came back as a change of the node's own: nothing to send, nothing rewritten.
        again = kiosk.sync.run_once()
        assert (again.pushed, again.pulled, again.pending) == (0, 0, 0)
    finally:
        kiosk.close()
        counter.close()


def test_a_batch_sent_twice_changes_the_centre_once(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    kiosk = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    centre = ChartService(SqlUnitOfWorkFactory(central), clock)
    assert kiosk.sync is not None
    try:
        charts(kiosk).import_chart(office(), actor="admin")
        kiosk.sync.run_once()
        go_offline(kiosk, proxy)
        clock.advance(minutes=1)
        charts(kiosk).assign_desk("B3", HAN, actor="staff:1")
        charts(kiosk).set_presence(KIM, "meeting", destination="2층 회의실", until=clock() + timedelta(hours=1))
        proxy.restore()

        # The centre commits the batch but the node never hears back (the line drops again).
        with Session(kiosk.engine) as s:
            items = [(r.id, r.kind, r.payload) for r in ss.pending(s, 100)]
        assert sorted(kind for _, kind, _ in items) == ["chart", "presence"]
        with Session(central) as cs, cs.begin():
            assert ss.apply_batch(cs, "k1", items) == (2, 0)
        first = shown(centre)
        assert staff_at(first, "B3") == HAN and first.presence_of(KIM).state == PresenceState.MEETING

        report = kiosk.sync.run_once()  # the node resends it
        assert (report.pushed, report.duplicates, report.online) == (0, 2, True)
        # The same changes under another sequence (a node restored from a backup) change nothing either.
        with Session(central) as cs, cs.begin():
            assert ss.apply_batch(cs, "k1-restored", [(seq + 1000, k, p) for seq, k, p in items]) == (2, 0)
        last = shown(centre)
        assert last.version == first.version  # screens do not redraw for nothing
        assert staff_at(last, "B3") == HAN and last.presence_of(KIM) == first.presence_of(KIM)
        assert central_events(central, "chart.desk_assigned") == ["k1"]
        assert central_events(central, "presence.changed") == ["k1"]
        assert central_events(central, "sync.conflict") == []
    finally:
        kiosk.close()


def test_an_unsent_local_change_is_not_overwritten_and_the_later_edit_wins(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    kiosk = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    counter = node(tmp_path, "c1", postgres_url, clock)
    centre = ChartService(SqlUnitOfWorkFactory(central), clock)
    assert kiosk.sync is not None
    try:
        charts(counter).import_chart(office(), actor="admin")
        kiosk.sync.run_once()
        go_offline(kiosk, proxy)
        local = own_store(kiosk)

        # 10:01 the node (offline) marks Kim away; 10:02 another counter says she is in a meeting.
        clock.advance(minutes=1)
        charts(kiosk).set_presence(KIM, "away", destination="현장", until=clock() + timedelta(hours=1))
        clock.advance(minutes=1)
        charts(counter).set_presence(KIM, "meeting", destination="2층 회의실", until=clock() + timedelta(hours=1))
        # 10:03 another counter seats Lee at B3; 10:04 the node (offline, without that) seats Han there.
        clock.advance(minutes=1)
        charts(counter).assign_desk("B3", LEE, actor="staff:2")
        clock.advance(minutes=1)
        charts(kiosk).assign_desk("B3", HAN, actor="staff:1")

        proxy.restore()
        assert kiosk.sync.pull() == 0  # only a pull: both central changes meet unsent local ones
        here = shown(local)
        assert here.presence_of(KIM).destination == "현장" and staff_at(here, "B3") == HAN

        report = kiosk.sync.run_once()
        assert (report.pushed, report.online) == (2, True)
        after, here = shown(centre), shown(local)
        # Presence: the counter's later "meeting" stays; the node now shows it too.
        assert after.presence_of(KIM).state == PresenceState.MEETING
        assert here.presence_of(KIM).state == PresenceState.MEETING
        # The chart: the node's later edit replaces the whole chart, everywhere.
        assert staff_at(after, "B3") == HAN and staff_at(after, "C2") == LEE
        assert staff_at(here, "B3") == HAN and staff_at(here, "C2") == LEE
        assert central_events(central, "sync.conflict") == ["sync:k1"]  # the node's older presence, on record
    finally:
        kiosk.close()
        counter.close()


def test_an_older_offline_desk_move_gives_way_to_a_later_central_one_on_the_node_too(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    kiosk = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    counter = node(tmp_path, "c1", postgres_url, clock)
    centre = ChartService(SqlUnitOfWorkFactory(central), clock)
    assert kiosk.sync is not None
    try:
        charts(counter).import_chart(office(), actor="admin")
        kiosk.sync.run_once()
        go_offline(kiosk, proxy)
        clock.advance(minutes=1)
        charts(kiosk).assign_desk("B3", HAN, actor="staff:1")  # offline, first
        clock.advance(minutes=1)
        charts(counter).assign_desk("B3", LEE, actor="staff:2")  # centrally, a minute later
        offline = shown(charts(kiosk))
        assert staff_at(offline, "B3") == HAN
        assert offline.version == shown(centre).version  # both stores counted one edit since the import

        proxy.restore()
        report = kiosk.sync.run_once()
        assert (report.pushed, report.online) == (1, True)
        assert staff_at(shown(centre), "B3") == LEE and staff_at(shown(centre), "B2") == HAN
        # The node's own copy (what it shows the next time the centre is away) follows the centre,
        # under a new version, so nothing keeps showing the chart that lost.
        here = shown(own_store(kiosk))
        assert staff_at(here, "B3") == LEE and staff_at(here, "B2") == HAN
        assert here.version > offline.version
        assert central_events(central, "sync.conflict") == ["sync:k1"]
    finally:
        kiosk.close()
        counter.close()
