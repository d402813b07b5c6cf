"""A kiosk upgraded to a new version keeps its data: the store is migrated on start after a backup
copy, from the first released schema on; a migration that fails puts the old data back and the
kiosk runs on it read-only, saying why and which backup to keep (issue 10)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.bootstrap import bootstrap
from kiosk.config import Config, load_config
from kiosk.domain.auth import AccountLocked, LoginFailed
from kiosk.domain.errors import StoreReadOnly
from kiosk.i18n import error_message, tr
from kiosk.store import migrate
from kiosk.store.engine import make_engine
from kiosk.store.readonly import spool_path
from kiosk.store.upgrade import KEEP, backups
from tests.cli_run import run

FIRST_RELEASE = "0001"


def old_store(config: Config, revision: str) -> Path:
    """A store made by the version of the program at ``revision``, with a visitor waiting."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(config.db_url)
    migrate.upgrade(engine, revision)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO services (code, name_ko, name_en, help_ko, help_en, icon, location_ko,"
            " location_en, sort_order, active) VALUES ('A', '인허가', 'Permits', '', '', 'general', '', '', 0, 1)"
        )
        conn.exec_driver_sql(
            "INSERT INTO tickets (number, seq, service_code, priority_rank, status, business_day,"
            " issued_at, queued_at, recall_count, no_show_count) VALUES ('A-007', 7, 'A', 0, 'waiting',"
            " '2026-11-27', '2026-11-27 01:00:00.000000', '2026-11-27 01:00:00.000000', 0, 0)"
        )
    engine.dispose()
    return config.data_dir / "demo.sqlite3"


def look(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_store_from_the_first_release_is_upgraded_after_a_backup_copy(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    store = old_store(config, FIRST_RELEASE)
    bootstrap(config, sync_on_start=False).close()
    # The ticket from before the upgrade is there (expired overnight, as any day-old ticket is).
    assert look(store, "SELECT number, service_code FROM tickets") == [("A-007", "A")]
    assert look(store, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]
    assert look(store, "SELECT facility FROM tickets WHERE number = 'A-007'") == [("hanbit",)]
    [backup] = backups(store)
    assert backup.name.startswith(f"demo.sqlite3.r{FIRST_RELEASE}-")
    assert look(backup, "SELECT version_num FROM alembic_version") == [(FIRST_RELEASE,)]
    assert look(backup, "SELECT number FROM tickets") == [("A-007",)]
    # An up-to-date store starts without another copy.
    bootstrap(config, sync_on_start=False).close()
    assert backups(store) == [backup]


def failing_store(config: Config) -> Path:
    """A store at 0004 whose next migration fails: a table it creates is already there (made by hand)."""
    store = old_store(config, "0004")
    with sqlite3.connect(store) as conn:
        conn.execute("CREATE TABLE feedback (note TEXT)")
        conn.execute("INSERT INTO feedback VALUES ('손으로 만든 표')")
        conn.execute("INSERT INTO counters VALUES (1, 1, '김민준', 'Kim Minjun')")
        conn.execute("INSERT INTO counter_services VALUES (1, 'A', 0)")
    conn.close()
    return store


def dump(path: Path) -> str:
    """Every row and every schema object of the store, as SQL: equal dumps, equal data."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def test_a_failed_upgrade_puts_the_old_data_back_and_starts_it_read_only(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    store = failing_store(config)
    before = dump(store)
    app = bootstrap(config, sync_on_start=False)
    try:
        # The old data is back exactly, and the app runs on it, saying why.
        assert dump(store) == before and look(store, "PRAGMA integrity_check") == [("ok",)]
        assert app.read_only is not None and app.sync is None
        [backup] = backups(store)
        params = app.read_only.params
        assert params["problem"] == "upgrade_failed" and params["kept"] == str(backup) and params["revision"] == "0004"
        words = tr("health.read_only_fallback", "ko", **params)
        assert str(backup) in words and "읽기 전용" in words and "잃은 기록은 없습니다" in words
        # What was there reads as before: the service, its waiting visitor.
        [service] = app.queue.services()
        assert (service.code, service.name_ko, service.waiting) == ("A", "인허가", 1)
        # Nothing can change it: a ticket is refused in words a visitor understands, and saved nowhere.
        [counter] = app.queue.counters()
        assert (counter.number, counter.is_open, counter.staff_ko) == (1, True, "김민준")
        with pytest.raises(StoreReadOnly):
            app.queue.call_next(1, actor="staff")
        with pytest.raises(StoreReadOnly) as caught:
            app.queue.issue_ticket("A", actor="kiosk")
        assert "저장은 할 수 없습니다" in error_message(caught.value, "ko")
        assert "cannot save anything" in error_message(caught.value, "en")
    finally:
        app.close()
    assert dump(store) == before
    # From the command line: a read works and says the data is the previous one, read-only;
    # a write exits 7 with the reason, never a traceback; the data untouched.
    read = run(tmp_path, "--lang", "ko", "--json", "queue")
    err = read.stderr.decode()
    assert read.returncode == 0 and "읽기 전용" in err and "demo.sqlite3.r0004-" in err and "Traceback" not in err
    assert [t["number"] for t in json.loads(read.stdout)] == ["A-007"]  # the queue as it stood
    write = run(tmp_path, "--lang", "en", "ticket", "issue", "--service", "A")
    err = write.stderr.decode()
    assert write.returncode == 7 and "cannot save anything" in err and "Traceback" not in err
    assert dump(store) == before


def test_staff_reads_during_a_read_only_spell_are_audited_once_the_upgrade_succeeds(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    store = failing_store(config)
    app = bootstrap(config, sync_on_start=False)
    try:
        assert app.auth is not None and app.audit is not None and app.read_only is not None
        session = app.auth.login("jung", "5555")  # the audit team signs in to read the trail
        for _ in range(app.auth.policy.max_tries - 1):
            with pytest.raises(LoginFailed):
                app.auth.login("lee", "0000")
        with pytest.raises(AccountLocked):  # wrong PINs still lock the account, store or not
            app.auth.login("lee", "0000")
        with pytest.raises(AccountLocked):
            app.auth.login("lee", "2222")
        trail = app.audit.trail(session.user)
        newest = trail[0].to_json()
        assert (newest["action"], newest["actor"], newest["data"]["reason"]) == ("staff.login_failed", "lee", "locked")
        assert "staff.locked" in [e.action for e in trail]
        assert any(e.action == "staff.login" and e.actor == "jung" for e in trail)
    finally:
        app.close()
    assert look(store, "SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'") == [(0,)]
    assert spool_path(store).exists()
    # The administrator removes the obstacle; the next start upgrades and writes the spool in.
    with sqlite3.connect(store) as conn:
        conn.execute("DROP TABLE feedback")
    conn.close()
    app = bootstrap(config, sync_on_start=False)
    try:
        assert app.read_only is None
        logged = look(store, "SELECT actor, action, data FROM audit_log ORDER BY id")
        spooled = [(actor, action) for actor, action, data in logged if json.loads(str(data)).get("spooled")]
        assert ("jung", "staff.login") in spooled and ("lee", "staff.locked") in spooled
        assert ("jung", "audit.read") in spooled
        assert not spool_path(store).exists()
        assert app.auth is not None
        app.auth.login("lee", "2222")  # the lock was for the read-only spell's memory only
    finally:
        app.close()


def test_a_node_falls_back_to_its_own_store_without_the_central_database(tmp_path: Path) -> None:
    """A node's outbox cannot be marked sent on a read-only store: no sync, no central database."""
    config = load_config(demo=True, data_dir=tmp_path, env={"KIOSK_CENTRAL_URL": "postgresql://127.0.0.1:1/none"})
    assert config.central_url
    failing_store(config)
    app = bootstrap(config)
    try:
        assert app.read_only is not None and app.central is None and app.sync is None
        assert app.start_sync() is None
        assert [s.code for s in app.queue.services()] == ["A"]
    finally:
        app.close()


def test_only_the_last_backups_are_kept(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    store = old_store(config, FIRST_RELEASE)
    for n in range(KEEP + 1):  # earlier upgrades' copies
        (tmp_path / f"demo.sqlite3.r000{n}-2026010{n}-000000.bak").write_bytes(b"old")
    bootstrap(config, sync_on_start=False).close()
    kept = backups(store)
    assert len(kept) == KEEP and kept[-1].name.startswith(f"demo.sqlite3.r{FIRST_RELEASE}-2026")
