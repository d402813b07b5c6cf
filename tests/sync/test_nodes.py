"""Nodes of one facility on one central PostgreSQL database: one queue online, nothing lost offline."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kiosk.bootstrap import App, bootstrap
from kiosk.config import Config, load_config
from tests.sync.proxy import TcpProxy

pytestmark = pytest.mark.postgres


def node(tmp_path: Path, name: str, central: str, **changes: object) -> App:
    config = load_config(demo=True, data_dir=tmp_path / name, env={})
    return bootstrap(replace(config, central_url=central, node_id=name, node_tag=name.upper(), **changes))


def central_rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_a_ticket_from_one_kiosk_is_called_at_another_nodes_counter(tmp_path: Path, postgres_url: str) -> None:
    kiosk, counter = node(tmp_path, "k1", postgres_url), node(tmp_path, "c1", postgres_url)
    try:
        ordinary = kiosk.queue.issue_ticket("A")
        priority = kiosk.queue.issue_ticket("A", "elderly")
        assert (ordinary.number, priority.number) == ("A-001", "A-002")  # one numbering for the facility
        called = counter.queue.call_next(1)
        assert called is not None and called.number == "A-002"  # the priority ticket first, across nodes
        assert kiosk.queue.ticket("A-002").status == "called"
        assert central_rows(postgres_url, "SELECT count(*) FROM tickets") == [(2,)]
    finally:
        kiosk.close()
        counter.close()


def test_offline_kiosk_keeps_issuing_and_everything_arrives_once(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy
) -> None:
    kiosk = node(tmp_path, "k1", proxy.url(postgres_url))
    counter = node(tmp_path, "c1", postgres_url)
    assert kiosk.sync is not None
    try:
        online = [kiosk.queue.issue_ticket("B").number for _ in range(3)]
        assert online == ["B-001", "B-002", "B-003"]
        proxy.cut()  # the network to the centre goes down in the middle of the burst
        offline = [kiosk.queue.issue_ticket("B", "disabled" if i == 2 else None).number for i in range(4)]
        assert offline == ["B-K1-001", "B-K1-002", "B-K1-003", "B-K1-004"]  # the kiosk's own block
        assert kiosk.queue.online is False  # type: ignore[attr-defined]
        status = kiosk.sync.status()
        assert status.pending == 4 and not status.online and status.lag_seconds is not None
        counter_sees = [t.number for t in counter.queue.queue("B")]
        assert counter_sees == online  # the centre does not know the offline tickets yet
        online_more = counter.queue.issue_ticket("B").number  # another kiosk, still online
        assert online_more == "B-004"

        proxy.restore()
        report = kiosk.sync.run_once()
        assert (report.pushed, report.duplicates, report.pending, report.online) == (4, 0, 0, True)
        assert kiosk.queue.online is True  # type: ignore[attr-defined]
        # Merged by the policy: the offline priority ticket first, then by real issue time.
        order = [t.number for t in counter.queue.queue("B")]
        assert order == ["B-K1-003", "B-001", "B-002", "B-003", "B-K1-001", "B-K1-002", "B-K1-004", "B-004"]
        # Sending again changes nothing: the centre keeps each change once.
        assert kiosk.sync.run_once().pushed == 0
        numbers = central_rows(postgres_url, "SELECT number FROM tickets WHERE service_code = 'B'")
        assert len(numbers) == 8 == len(set(numbers))
        issued = central_rows(postgres_url, "SELECT count(*) FROM events WHERE kind = 'ticket.issued'")
        assert issued == [(8,)]
        # The kiosk's mirror shows the whole queue again, including what other nodes did meanwhile.
        assert "B-004" in [t.number for t in kiosk.queue.local.queue("B")]  # type: ignore[attr-defined]
    finally:
        kiosk.close()
        counter.close()


def test_a_counter_keeps_calling_what_it_can_see_while_offline(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy
) -> None:
    kiosk = node(tmp_path, "k1", postgres_url)
    counter = node(tmp_path, "c1", proxy.url(postgres_url))
    assert counter.sync is not None
    try:
        for _ in range(3):
            kiosk.queue.issue_ticket("C")
        counter.sync.run_once()  # the mirror is up to date
        proxy.cut()
        first = counter.queue.call_next(2)
        assert first is not None and first.number == "C-001"
        counter.queue.complete(first.id)
        assert counter.queue.online is False  # type: ignore[attr-defined]
        proxy.restore()
        counter.sync.run_once()
        assert kiosk.queue.ticket("C-001").status == "completed"  # the offline work reached the centre
        nxt = kiosk.queue.call_next(1)
        assert nxt is not None and nxt.number == "C-002"  # and nobody is called twice
    finally:
        kiosk.close()
        counter.close()


def test_a_node_that_starts_while_the_centre_is_down_serves_and_catches_up(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy
) -> None:
    proxy.cut()
    kiosk = node(tmp_path, "k2", proxy.url(postgres_url))
    assert kiosk.sync is not None and kiosk.queue.online is False  # type: ignore[attr-defined]
    try:
        assert kiosk.queue.issue_ticket("A").number == "A-K2-001"
        proxy.restore()
        assert kiosk.sync.run_once().online
        assert central_rows(postgres_url, "SELECT number FROM tickets") == [("A-K2-001",)]
    finally:
        kiosk.close()


def test_config_takes_the_central_database_and_node_from_the_environment(tmp_path: Path) -> None:
    config: Config = load_config(
        data_dir=tmp_path,
        env={"KIOSK_CENTRAL_URL": "postgresql+psycopg://db.example/kiosk?sslmode=require", "KIOSK_NODE_ID": "kiosk-3"},
    )
    assert config.central_url is not None and "sslmode=require" in config.central_url
    assert (config.node_id, config.offline_tag) == ("kiosk-3", "OSK3")


def test_nodes_switched_on_together_against_a_new_central_all_start_online(tmp_path: Path, postgres_url: str) -> None:
    """A facility's kiosks and counters power up at once in the morning: none may start offline
    because another node was writing the facility's services and counters at the same moment."""
    import threading

    barrier = threading.Barrier(6)
    apps: list[App] = []
    errors: list[BaseException] = []

    def start(name: str) -> None:
        try:
            barrier.wait()
            apps.append(node(tmp_path, name, postgres_url))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(f"n{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    try:
        assert errors == []
        assert len(apps) == 6
        assert [a.queue.online for a in apps] == [True] * 6  # type: ignore[attr-defined]
        assert central_rows(postgres_url, "SELECT count(*) FROM counters") == [(4,)]
    finally:
        for a in apps:
            a.close()
