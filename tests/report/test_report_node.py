"""A node's report: the central database (every node's rows, each with its facility) when it is
reachable, this node's own store when it is not; the run is audit-logged where the report came from."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.bootstrap import App, bootstrap
from kiosk.config import load_config
from kiosk.domain.staff import Role, StaffUser

ADMIN = StaffUser("choi", Role.ADMIN)


def node(data: Path, central: str, name: str, facility: str) -> App:
    config = load_config(demo=True, data_dir=data, env={})
    return bootstrap(replace(config, central_url=central, node_id=name, node_tag=name.upper(), facility_id=facility))


def _today() -> tuple[date, date]:
    now = datetime.now(UTC)
    return (now - timedelta(days=1)).date(), (now + timedelta(days=1)).date()


@pytest.mark.postgres
def test_the_central_report_covers_every_facility_and_filters_by_one(postgres_url: str, tmp_path: Path) -> None:
    east = node(tmp_path / "east", postgres_url, "k1", "east")
    west = node(tmp_path / "west", postgres_url, "k2", "west")
    try:
        assert east.queue.online and west.queue.online
        for _ in range(3):
            east.queue.issue_ticket("A")
        west.queue.issue_ticket("B")
        start, end = _today()
        assert east.reports is not None
        every = east.reports.report(ADMIN, start, end)
        only_west = east.reports.report(ADMIN, start, end, facility="west")
    finally:
        east.close()
        west.close()
    assert every["source"] == "central"
    assert {"east", "west"} <= set(every["facilities"])
    assert every["no_shows"]["issued"] == 4 and only_west["no_shows"]["issued"] == 1


def test_a_node_cut_off_from_the_centre_reports_from_its_own_store(tmp_path: Path) -> None:
    app = node(tmp_path / "n", "postgresql+psycopg://postgres@127.0.0.1:1/none", "k9", "north")
    try:
        assert not app.queue.online
        app.queue.issue_ticket("A")  # served offline, kept in this store
        start, end = _today()
        assert app.reports is not None
        got = app.reports.report(ADMIN, start, end)
    finally:
        app.close()
    assert got["source"] == "local"
    assert got["facilities"] == ["north"] and got["no_shows"]["issued"] == 1


def test_rows_from_before_the_facility_column_take_the_stores_facility_on_upgrade(tmp_path: Path) -> None:
    from sqlalchemy import text

    from kiosk.store import migrate
    from kiosk.store.engine import make_engine

    data = tmp_path / "old"
    config = replace(load_config(demo=True, data_dir=data, env={}), facility_id="south")
    data.mkdir()
    engine = make_engine(config.db_url)
    migrate.upgrade(engine, "0005")  # a store from before the report
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO services (code, name_ko, name_en, help_ko, help_en, icon, location_ko, "
                "location_en, sort_order, active) VALUES ('A', 'A', 'A', '', '', 'general', '', '', 0, 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO tickets (number, seq, service_code, priority_rank, status, business_day, "
                "issued_at, queued_at, recall_count, no_show_count) VALUES ('A001', 1, 'A', 1, 'waiting', "
                "'2026-03-02', '2026-03-02 00:00:00.000000', '2026-03-02 00:00:00.000000', 0, 0)"
            )
        )
    engine.dispose()
    app = bootstrap(config, sync_on_start=False)
    try:
        with app.engine.connect() as conn:
            assert conn.execute(text("SELECT facility FROM tickets WHERE number = 'A001'")).scalar_one() == "south"
        assert app.reports is not None
        got = app.reports.report(ADMIN, date(2026, 3, 1), date(2026, 3, 31), facility="south")
    finally:
        app.close()
    assert got["no_shows"]["issued"] == 1


def test_the_delay_time_is_the_delay_not_a_later_save(tmp_path: Path) -> None:
    from sqlalchemy import text

    from tests.conftest import Clock

    clock = Clock()
    app = bootstrap(load_config(demo=True, data_dir=tmp_path, env={}), clock=clock, sync_on_start=False)
    try:
        fb = app.feedback
        assert fb is not None
        note = fb.submit("complaint", "엘리베이터가 자주 멈춥니다.")
        fb.classify(fb.user("lee"), note.receipt, "simple")
        clock.advance(days=5)
        delayed_at = clock()
        fb.delay(fb.user("lee"), note.receipt, "부품을 기다립니다.", clock().date() + timedelta(days=10))
        clock.advance(days=4)
        fb.answer(fb.user("lee"), note.receipt, "부품을 교체했습니다.")
        with app.engine.connect() as conn:
            stored = conn.execute(text("SELECT delayed_at FROM feedback")).scalar_one()
    finally:
        app.close()
    assert stored.startswith(delayed_at.strftime("%Y-%m-%d %H:%M:%S"))
