"""The store: crash-safe SQLite settings, migrations on SQLite and PostgreSQL, faults that lose nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, inspect

from kiosk.bootstrap import bootstrap
from kiosk.config import Config
from kiosk.domain.errors import StoreUnavailable
from kiosk.i18n import error_message
from kiosk.services.queue import QueueService
from kiosk.store import migrate
from kiosk.store.engine import make_engine
from kiosk.store.models import Base
from kiosk.store.uow import SqlUnitOfWorkFactory


@pytest.fixture
def live_app(demo_config: Config) -> Any:
    """The demo store on the real clock: other processes (the CLI, workers) share it, on today's date."""
    application = bootstrap(demo_config)
    yield application
    application.close()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_sqlite_runs_with_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "k.sqlite3"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_upgrade_creates_the_schema_once_and_matches_the_models(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "k.sqlite3"))
    assert migrate.current_revision(engine) is None
    assert migrate.upgrade(engine) == migrate.head_revision(engine)
    assert migrate.upgrade(engine) == migrate.head_revision(engine)  # idempotent
    assert {"tickets", "events", "services", "counters", "day_sequences"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    engine.dispose()


def test_a_store_at_the_previous_revision_upgrades_and_keeps_its_tickets(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "old.sqlite3")
    engine = make_engine(url)
    assert migrate.upgrade(engine, "0001") == "0001"
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO services (code, name_ko, name_en, help_ko, help_en, icon, location_ko,"
            " location_en, sort_order, active) VALUES ('A', '가', 'A', '', '', 'general', '', '', 0, 1)"
        )
        conn.exec_driver_sql(
            "INSERT INTO tickets (number, seq, service_code, priority_rank, status, business_day,"
            " issued_at, queued_at, recall_count, no_show_count) VALUES ('A-001', 1, 'A', 1,"
            " 'waiting', '2026-11-25', '2026-11-25 01:00:00', '2026-11-25 01:00:00', 0, 0)"
        )
    assert migrate.upgrade(engine) == migrate.head_revision() == "0008"
    assert {"outbox", "sync_state", "sync_inbox", "service_times"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT number FROM tickets").scalar() == "A-001"
    engine.dispose()


def _store_at_0002_with_a_learnt_service_time(url: str) -> None:
    engine = make_engine(url)
    assert migrate.upgrade(engine, "0002") == "0002"
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO services (code, name_ko, name_en, help_ko, help_en, icon, location_ko,"
            " location_en, sort_order, active, service_seconds)"
            " VALUES ('A', '민원', 'Civil', '', '', 'general', '', '', 0, TRUE, 600)"
        )
        conn.exec_driver_sql("INSERT INTO counters (number, is_open, staff_ko, staff_en) VALUES (1, TRUE, '', '')")
        conn.exec_driver_sql("INSERT INTO counter_services (counter, service_code, position) VALUES (1, 'A', 0)")
    engine.dispose()


def _learnt_time_survives_the_upgrade(url: str) -> None:
    _store_at_0002_with_a_learnt_service_time(url)
    engine = make_engine(url)
    assert migrate.upgrade(engine) == migrate.head_revision() == "0008"
    assert "service_seconds" not in {c["name"] for c in inspect(engine).get_columns("services")}
    q = QueueService(SqlUnitOfWorkFactory(engine))
    for _ in range(6):
        q.issue_ticket("A")
    # Six waiting, one counter, the 10 minutes per visitor learnt before the upgrade: about an hour,
    # where the 5-minute default would say about half of that.
    (service,) = q.services()
    assert service.wait_max is not None and service.wait_max >= 50
    engine.dispose()


def test_a_store_at_0002_keeps_its_learnt_service_time_on_sqlite(tmp_path: Path) -> None:
    _learnt_time_survives_the_upgrade(sqlite_url(tmp_path / "old.sqlite3"))


@pytest.mark.postgres
def test_a_store_at_0002_keeps_its_learnt_service_time_on_postgresql(postgres_url: str) -> None:
    _learnt_time_survives_the_upgrade(postgres_url)


@pytest.mark.postgres
def test_migrations_run_on_postgresql_and_match_the_models(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    engine.dispose()


@pytest.mark.postgres
def test_queue_works_on_postgresql_and_two_counters_never_get_one_ticket(
    postgres_url: str, demo_config: Config
) -> None:
    app = bootstrap(replace(demo_config, database_url=postgres_url))
    q = app.queue
    try:
        ordinary = q.issue_ticket("A")
        priority = q.issue_ticket("B", "elderly")
        assert q.call_next(1).id == priority.id  # type: ignore[union-attr]
        assert q.call_next(2).id == ordinary.id  # type: ignore[union-attr]
        q.complete(priority.id)
        q.complete(ordinary.id)
        issued = {q.issue_ticket("ABC"[i % 3]).id for i in range(20)}
        called: list[int] = []
        errors: list[BaseException] = []

        def counter_loop(n: int) -> None:
            try:
                while True:
                    t = q.call_next(n)
                    if t is None:
                        return
                    called.append(t.id)
                    q.complete(t.id)
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        threads = [threading.Thread(target=counter_loop, args=(n,)) for n in (1, 2, 3)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(30)
        assert errors == []
        assert sorted(called) == sorted(issued)  # every ticket called exactly once
    finally:
        app.close()


def _locked_queue(path: Path) -> QueueService:
    engine = make_engine(sqlite_url(path), busy_timeout_ms=200)
    return QueueService(SqlUnitOfWorkFactory(engine))


def test_locked_database_gives_a_clear_message_and_writes_nothing(live_app: Any, demo_config: Config) -> None:
    db = demo_config.data_dir / "demo.sqlite3"
    live_app.queue.issue_ticket("A")
    q = _locked_queue(db)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreUnavailable) as info:
            q.issue_ticket("A")
        assert "잠시 후 다시 시도해 주십시오" in error_message(info.value, "ko")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert live_app.queue.today_counts()["issued"] == 1
    assert q.issue_ticket("A").number == "A-002"  # once free, nothing was lost or skipped


def test_full_disk_is_reported_and_leaves_a_consistent_store(demo_config: Config, tmp_path: Path) -> None:
    app = bootstrap(demo_config)
    app.close()
    db = demo_config.data_dir / "demo.sqlite3"
    engine = make_engine(sqlite_url(db))
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]

    @event.listens_for(engine, "connect")
    def small_disk(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 3}")

    q = QueueService(SqlUnitOfWorkFactory(engine))
    shown: list[str] = []
    with pytest.raises(StoreUnavailable):
        for _ in range(5000):
            shown.append(q.issue_ticket("A").number)
    engine.dispose()
    assert shown  # some tickets fit before the disk filled
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = [r[0] for r in check.execute("SELECT number FROM tickets ORDER BY id")]
    events = check.execute("SELECT count(*) FROM events WHERE kind='ticket.issued'").fetchone()[0]
    check.close()
    assert stored == shown  # every ticket a visitor saw exists; no half-written one
    assert events == len(shown)


def _cli(data_dir: Path, *args: str) -> Any:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--demo", "--data-dir", str(data_dir), "--json", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_two_processes_on_one_store_see_one_queue(live_app: Any, demo_config: Config) -> None:
    from_cli = _cli(demo_config.data_dir, "ticket", "issue", "--service", "A", "--priority", "elderly")
    here = live_app.queue.issue_ticket("A")
    assert here.number == "A-002"  # the other process's number was not reused
    called = live_app.queue.call_next(1)
    assert called is not None and called.id == from_cli["id"]
    waiting = _cli(demo_config.data_dir, "queue")
    assert [t["number"] for t in waiting] == ["A-002"]


def test_counters_in_separate_processes_never_call_the_same_ticket(live_app: Any, demo_config: Config) -> None:
    for i in range(30):
        live_app.queue.issue_ticket("ABC"[i % 3])
    script = (
        "import json, sys\n"
        "from kiosk.bootstrap import bootstrap\n"
        "from kiosk.config import load_config\n"
        "app = bootstrap(load_config(demo=True, data_dir=sys.argv[1], env={}))\n"
        "n = int(sys.argv[2])\n"
        "while (t := app.queue.call_next(n)) is not None:\n"
        "    print(t.id, flush=True)\n"
        "    app.queue.complete(t.id)\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(demo_config.data_dir), str(n)], stdout=subprocess.PIPE, text=True
        )
        for n in (1, 2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    called = [int(x) for out in outputs for x in out.split()]
    assert len(called) == 30 and len(set(called)) == 30
    assert live_app.queue.today_counts()["completed"] == 30


def test_importing_the_app_touches_no_database(tmp_path: Path) -> None:
    """No engine at import time: importing every layer creates no data dir and no file."""
    data_dir = tmp_path / "never"
    code = "import kiosk.cli, kiosk.bootstrap, kiosk.store.uow, kiosk.ui.app, kiosk.ui.kiosk_screen"
    env = {**__import__("os").environ, "KIOSK_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert not data_dir.exists()
